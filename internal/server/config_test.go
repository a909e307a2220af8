package server

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/store"
)

// envOf returns a getenv that reads only m.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func parse(t *testing.T, args []string, env map[string]string) Config {
	t.Helper()
	c, err := ParseConfig(args, envOf(env), io.Discard)
	if err != nil {
		t.Fatalf("ParseConfig(%q, %v): %v", args, env, err)
	}
	return c
}

func TestConfigDefaults(t *testing.T) {
	got := parse(t, nil, nil)
	want := Config{
		Addr:      "127.0.0.1:4599",
		Account:   "123456789012",
		Region:    "us-east-1",
		Dwell:     0,
		LogLevel:  "info",
		LogFormat: "console",

		DrainTimeout: 10 * time.Second,
		ReadTimeout:  30 * time.Second,
		WriteTimeout: 30 * time.Second,
		IdleTimeout:  120 * time.Second,
		MaxConns:     1024,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("defaults:\n got %+v\nwant %+v", got, want)
	}
}

// TestConfigFlagAndEnv checks, for every setting, the flag alone, the env variable alone,
// and the flag winning over its env variable.
func TestConfigFlagAndEnv(t *testing.T) {
	cases := []struct {
		flag, env string
		// a is given by flag, b by env; each with what it parses to.
		a, b         string
		wantA, wantB any
		get          func(Config) any
	}{
		{"addr", "DXLOCAL_ADDR", "0.0.0.0:9999", "127.0.0.1:1234", "0.0.0.0:9999", "127.0.0.1:1234",
			func(c Config) any { return c.Addr }},
		{"catalog", "DXLOCAL_CATALOG", "/tmp/a.json", "/tmp/b.json", "/tmp/a.json", "/tmp/b.json",
			func(c Config) any { return c.CatalogPath }},
		{"state", "DXLOCAL_STATE", "/tmp/s1.json", "/tmp/s2.json", "/tmp/s1.json", "/tmp/s2.json",
			func(c Config) any { return c.StateFile }},
		{"account", "DXLOCAL_ACCOUNT", "111111111111", "222222222222", "111111111111", "222222222222",
			func(c Config) any { return c.Account }},
		{"region", "DXLOCAL_REGION", "eu-west-1", "ap-south-1", "eu-west-1", "ap-south-1",
			func(c Config) any { return c.Region }},
		{"dwell", "DXLOCAL_DWELL", "500ms", "2s", 500 * time.Millisecond, 2 * time.Second,
			func(c Config) any { return c.Dwell }},
		{"partners", "DXLOCAL_PARTNERS", "111111111111,222222222222:v1", "333333333333:v2",
			[]store.Partner{{Account: "111111111111"}, {Account: "222222222222", NNIType: "v1"}},
			[]store.Partner{{Account: "333333333333", NNIType: "v2"}},
			func(c Config) any { return c.Partners }},
		{"strict-partners", "DXLOCAL_STRICT_PARTNERS", "true", "true", true, true,
			func(c Config) any { return c.StrictPartners }},
		{"strict-partners", "DXLOCAL_STRICT_PARTNERS", "false", "true", false, true,
			func(c Config) any { return c.StrictPartners }},
		{"log-level", "DXLOCAL_LOG_LEVEL", "debug", "error", "debug", "error",
			func(c Config) any { return c.LogLevel }},
		{"seed", "DXLOCAL_SEED", "42", "7", uint64(42), uint64(7),
			func(c Config) any { return c.Seed }},
		{"log-format", "DXLOCAL_LOG_FORMAT", "json", "console", "json", "console",
			func(c Config) any { return c.LogFormat }},
		{"drain-timeout", "DXLOCAL_DRAIN_TIMEOUT", "1s", "0s", time.Second, time.Duration(0),
			func(c Config) any { return c.DrainTimeout }},
		{"read-timeout", "DXLOCAL_READ_TIMEOUT", "5s", "1m", 5 * time.Second, time.Minute,
			func(c Config) any { return c.ReadTimeout }},
		{"write-timeout", "DXLOCAL_WRITE_TIMEOUT", "5s", "1m", 5 * time.Second, time.Minute,
			func(c Config) any { return c.WriteTimeout }},
		{"idle-timeout", "DXLOCAL_IDLE_TIMEOUT", "5s", "0s", 5 * time.Second, time.Duration(0),
			func(c Config) any { return c.IdleTimeout }},
		{"max-conns", "DXLOCAL_MAX_CONNS", "2", "0", 2, 0,
			func(c Config) any { return c.MaxConns }},
	}
	for _, tc := range cases {
		t.Run(tc.flag+"="+tc.a, func(t *testing.T) {
			for _, form := range [][]string{{"-" + tc.flag, tc.a}, {"-" + tc.flag + "=" + tc.a}, {"--" + tc.flag + "=" + tc.a}} {
				if tc.flag == "strict-partners" && len(form) == 2 {
					continue // a boolean switch takes its value only as -name=value
				}
				if got := tc.get(parse(t, form, nil)); !reflect.DeepEqual(got, tc.wantA) {
					t.Errorf("flag %q: got %v, want %v", form, got, tc.wantA)
				}
			}
			env := map[string]string{tc.env: tc.b}
			if got := tc.get(parse(t, nil, env)); !reflect.DeepEqual(got, tc.wantB) {
				t.Errorf("env %s=%s: got %v, want %v", tc.env, tc.b, got, tc.wantB)
			}
			if got := tc.get(parse(t, []string{"-" + tc.flag + "=" + tc.a}, env)); !reflect.DeepEqual(got, tc.wantA) {
				t.Errorf("flag -%s=%s over env %s=%s: got %v, want the flag's %v", tc.flag, tc.a, tc.env, tc.b, got, tc.wantA)
			}
		})
	}
}

// A flag given with a bad value wins over a good env value: it is refused, not ignored.
func TestConfigBadFlagOverGoodEnv(t *testing.T) {
	_, err := ParseConfig([]string{"-dwell", "soon"}, envOf(map[string]string{"DXLOCAL_DWELL": "1s"}), io.Discard)
	if err == nil || !strings.Contains(err.Error(), `"soon"`) {
		t.Fatalf("got %v, want the flag's bad value refused", err)
	}
	// And a good flag hides a bad env value.
	c := parse(t, []string{"-dwell", "1s"}, map[string]string{"DXLOCAL_DWELL": "soon"})
	if c.Dwell != time.Second {
		t.Fatalf("dwell %v, want 1s", c.Dwell)
	}
}

func TestConfigStrictPartnersBare(t *testing.T) {
	c := parse(t, []string{"-strict-partners", "-region", "eu-west-1"}, nil)
	if !c.StrictPartners || c.Region != "eu-west-1" {
		t.Fatalf("bare -strict-partners: got %+v", c)
	}
	c = parse(t, []string{"--strict-partners"}, nil)
	if !c.StrictPartners {
		t.Fatalf("bare --strict-partners: got %+v", c)
	}
}

func TestConfigPartners(t *testing.T) {
	cases := []struct {
		in   string
		want []store.Partner
	}{
		{"", nil},
		{"111111111111", []store.Partner{{Account: "111111111111"}}},
		{"111111111111:v1", []store.Partner{{Account: "111111111111", NNIType: store.NNIPartnerV1}}},
		{"111111111111:v2", []store.Partner{{Account: "111111111111", NNIType: store.NNIPartnerV2}}},
		{"111111111111,222222222222:v2,333333333333:v1", []store.Partner{
			{Account: "111111111111"},
			{Account: "222222222222", NNIType: store.NNIPartnerV2},
			{Account: "333333333333", NNIType: store.NNIPartnerV1},
		}},
		{" 111111111111 , 222222222222:v1 ,", []store.Partner{
			{Account: "111111111111"},
			{Account: "222222222222", NNIType: store.NNIPartnerV1},
		}},
		{",,", nil},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got := parse(t, []string{"-partners", tc.in}, nil).Partners
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("-partners %q: got %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestConfigRejects(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want []string // each must appear in the message
	}{
		{"bad dwell", []string{"-dwell", "soon"}, nil, []string{"-dwell", `"soon"`}},
		{"dwell without unit", []string{"-dwell", "5"}, nil, []string{"-dwell", `"5"`}},
		{"negative dwell", []string{"-dwell", "-1s"}, nil, []string{"-dwell", `"-1s"`}},
		{"bad dwell from env", nil, map[string]string{"DXLOCAL_DWELL": "later"}, []string{"-dwell", `"later"`}},
		{"short account", []string{"-account", "12345"}, nil, []string{"-account", `"12345"`}},
		{"long account", []string{"-account", "1234567890123"}, nil, []string{"-account", `"1234567890123"`}},
		{"letters in account", []string{"-account", "12345678901a"}, nil, []string{"-account", `"12345678901a"`}},
		{"bad account from env", nil, map[string]string{"DXLOCAL_ACCOUNT": "me"}, []string{"-account", `"me"`}},
		{"empty region", []string{"-region", ""}, nil, []string{"-region"}},
		{"bad partner id", []string{"-partners", "111111111111,1234"}, nil, []string{"-partners", `"1234"`}},
		{"partner id with letters", []string{"-partners", "abcdefghijkl:v1"}, nil, []string{"-partners", `"abcdefghijkl"`}},
		{"bad NNI type", []string{"-partners", "111111111111:v3"}, nil, []string{"-partners", `"v3"`, "111111111111"}},
		{"NNI type in capitals", []string{"-partners", "111111111111:V1"}, nil, []string{"-partners", `"V1"`}},
		{"bad partners from env", nil, map[string]string{"DXLOCAL_PARTNERS": "x"}, []string{"-partners", `"x"`}},
		{"bad strict-partners", []string{"-strict-partners=maybe"}, nil, []string{"-strict-partners", `"maybe"`}},
		{"bad log level", []string{"-log-level", "verbose"}, nil, []string{"-log-level", `"verbose"`}},
		{"zero seed", []string{"-seed", "0"}, nil, []string{"-seed", `"0"`, "positive"}},
		{"negative seed", []string{"-seed", "-3"}, nil, []string{"-seed", `"-3"`}},
		{"bad seed from env", nil, map[string]string{"DXLOCAL_SEED": "abc"}, []string{"-seed (from DXLOCAL_SEED)", `"abc"`}},
		{"bad log format", []string{"-log-format", "xml"}, nil, []string{"-log-format", `"xml"`}},
		{"bad log level from env", nil, map[string]string{"DXLOCAL_LOG_LEVEL": "trace"}, []string{"-log-level", `"trace"`}},
		{"bad drain timeout", []string{"-drain-timeout", "10"}, nil, []string{"-drain-timeout", `"10"`}},
		{"negative read timeout", []string{"-read-timeout=-1s"}, nil, []string{"-read-timeout", `"-1s"`}},
		{"bad write timeout from env", nil, map[string]string{"DXLOCAL_WRITE_TIMEOUT": "slow"}, []string{"-write-timeout", "DXLOCAL_WRITE_TIMEOUT", `"slow"`}},
		{"bad idle timeout", []string{"-idle-timeout", "never"}, nil, []string{"-idle-timeout", `"never"`}},
		{"negative max-conns", []string{"-max-conns=-1"}, nil, []string{"-max-conns", `"-1"`}},
		{"max-conns not a number", nil, map[string]string{"DXLOCAL_MAX_CONNS": "many"}, []string{"-max-conns", `"many"`}},
		{"unknown flag", []string{"-port", "4599"}, nil, []string{"-port"}},
		{"unknown double-dash flag", []string{"--verbose"}, nil, []string{"-verbose"}},
		{"flag without value", []string{"-addr"}, nil, []string{"-addr"}},
		{"stray argument", []string{"serve"}, nil, []string{`"serve"`}},
		{"stray argument after flags", []string{"-region", "eu-west-1", "extra"}, nil, []string{`"extra"`}},
		{"value of bare switch", []string{"-strict-partners", "true"}, nil, []string{`"true"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var usage bytes.Buffer
			_, err := ParseConfig(tc.args, envOf(tc.env), &usage)
			if err == nil {
				t.Fatalf("ParseConfig(%q, %v) accepted", tc.args, tc.env)
			}
			if errors.Is(err, ErrHelp) {
				t.Fatalf("ParseConfig(%q): ErrHelp, want a refusal", tc.args)
			}
			msg := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not name %s", msg, w)
				}
			}
			if strings.ContainsAny(msg, "\r\n") {
				t.Errorf("message %q is more than one line", msg)
			}
			if usage.Len() != 0 {
				t.Errorf("a refusal printed the usage:\n%s", usage.String())
			}
		})
	}
}

func TestConfigHelp(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		t.Run(arg, func(t *testing.T) {
			var usage bytes.Buffer
			_, err := ParseConfig([]string{arg}, envOf(nil), &usage)
			if !errors.Is(err, ErrHelp) {
				t.Fatalf("%s: err %v, want ErrHelp", arg, err)
			}
			out := usage.String()
			for _, w := range []string{"Usage: dxlocal", "-addr", "-catalog", "-account", "-region", "-dwell", "-partners",
				"-strict-partners", "-log-level", "-log-format", "DXLOCAL_ADDR", "DXLOCAL_CATALOG", "DXLOCAL_ACCOUNT",
				"DXLOCAL_REGION", "DXLOCAL_DWELL", "DXLOCAL_PARTNERS",
				"-drain-timeout", "-read-timeout", "-write-timeout", "-idle-timeout", "-max-conns", "-version", "healthcheck",
				"DXLOCAL_DRAIN_TIMEOUT", "DXLOCAL_READ_TIMEOUT", "DXLOCAL_WRITE_TIMEOUT", "DXLOCAL_IDLE_TIMEOUT", "DXLOCAL_MAX_CONNS", "127.0.0.1:4599", "123456789012", "us-east-1"} {
				if !strings.Contains(out, w) {
					t.Errorf("usage lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestConfigAllowOrigin(t *testing.T) {
	if c := parse(t, nil, nil); c.AllowOrigins != nil {
		t.Fatalf("default %v, want none", c.AllowOrigins)
	}
	c := parse(t, []string{"-allow-origin", "Console.Example, http://dxlocal:4599,[::1],*"}, map[string]string{"DXLOCAL_ALLOW_ORIGINS": "ignored"})
	if want := []string{"console.example", "dxlocal", "::1", "*"}; !reflect.DeepEqual(c.AllowOrigins, want) {
		t.Fatalf("flag: %q, want %q", c.AllowOrigins, want)
	}
	if c := parse(t, nil, map[string]string{"DXLOCAL_ALLOW_ORIGINS": "proxy.internal"}); !reflect.DeepEqual(c.AllowOrigins, []string{"proxy.internal"}) {
		t.Fatalf("env: %q", c.AllowOrigins)
	}
	_, err := ParseConfig([]string{"-allow-origin", "a.example/path"}, envOf(nil), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "-allow-origin") || !strings.Contains(err.Error(), "a.example/path") {
		t.Fatalf("got %v, want the bad entry refused naming the flag", err)
	}
}

// -version is answered whatever else is set: a bad env value does not hide the version.
func TestConfigVersion(t *testing.T) {
	c, err := ParseConfig([]string{"-version"}, envOf(map[string]string{"DXLOCAL_ACCOUNT": "bad"}), io.Discard)
	if err != nil || !c.ShowVersion {
		t.Fatalf("-version: %+v %v", c, err)
	}
}
