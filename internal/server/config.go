// Package server wires dxlocal together: configuration from flags and DXLOCAL_* variables, the
// store, the HTTP handler, the listener, and a graceful stop.
package server

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/dxlocal/dxlocal/internal/account"
	"github.com/dxlocal/dxlocal/internal/store"
)

// Config is everything dxlocal can be told at start.
type Config struct {
	Addr           string
	CatalogPath    string
	Account        string
	Region         string
	Dwell          time.Duration
	Partners       []store.Partner
	StrictPartners bool
	LogLevel       string
	LogFormat      string
	// AllowOrigins are the host names web pages may call dxlocal from and at, besides
	// localhost and loopback addresses (api.Options.AllowOrigins).
	AllowOrigins []string
	// StateFile is loaded at start when it exists and written at every stop; "" for none.
	StateFile string
	// Seed makes every generated id follow from it; 0 is random.
	Seed uint64

	// Limits of the HTTP server; zero means none (see the flags for why each default).
	DrainTimeout time.Duration
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	IdleTimeout  time.Duration
	MaxConns     int

	// ShowVersion asks for the version instead of serving; nothing else is checked then.
	ShowVersion bool
}

// ErrHelp is returned when -h was asked for; the usage has been printed.
var ErrHelp = errors.New("help requested")

// ParseConfig reads flags, falling back to the DXLOCAL_* variable of each, then the default.
// usage receives the -h text.
func ParseConfig(args []string, getenv func(string) string, usage io.Writer) (Config, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	var c Config
	var dwell, partners, strict, origins, seed string
	var drain, read, write, idle, maxConns string
	fs := flag.NewFlagSet("dxlocal", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.Addr, "addr", env("DXLOCAL_ADDR", "127.0.0.1:4599"), "listen address HOST:PORT (env DXLOCAL_ADDR)")
	fs.StringVar(&c.CatalogPath, "catalog", env("DXLOCAL_CATALOG", ""), "port catalog file; empty: the embedded default (env DXLOCAL_CATALOG)")
	fs.StringVar(&c.Account, "account", env("DXLOCAL_ACCOUNT", "123456789012"), "account of callers whose access key is not a 12-digit account id (env DXLOCAL_ACCOUNT)")
	fs.StringVar(&c.Region, "region", env("DXLOCAL_REGION", "us-east-1"), "region of unsigned requests (env DXLOCAL_REGION)")
	fs.StringVar(&dwell, "dwell", env("DXLOCAL_DWELL", "0s"), "wait of each automatic state change, a Go duration (env DXLOCAL_DWELL)")
	fs.StringVar(&partners, "partners", env("DXLOCAL_PARTNERS", ""), "comma-separated account ids of Direct Connect Partners, each optionally with its NNI type: 111111111111,222222222222:v1 (env DXLOCAL_PARTNERS)")
	fs.StringVar(&strict, "strict-partners", env("DXLOCAL_STRICT_PARTNERS", "false"), "refuse partner operations to non-partners (env DXLOCAL_STRICT_PARTNERS)")
	fs.StringVar(&seed, "seed", env("DXLOCAL_SEED", ""), "a positive integer: the same seed and calls give the same ids; default random (env DXLOCAL_SEED)")
	fs.StringVar(&c.LogLevel, "log-level", env("DXLOCAL_LOG_LEVEL", "info"), "debug, info, warn or error (env DXLOCAL_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", env("DXLOCAL_LOG_FORMAT", "console"), "console or json (env DXLOCAL_LOG_FORMAT)")
	fs.StringVar(&origins, "allow-origin", env("DXLOCAL_ALLOW_ORIGINS", ""), "comma-separated host names web pages may call dxlocal from and at, besides localhost and loopback addresses (a proxy, a container name); * allows any (env DXLOCAL_ALLOW_ORIGINS)")
	fs.StringVar(&c.StateFile, "state", env("DXLOCAL_STATE", ""), "state file: loaded at start when it exists, written at every stop and POST /_dxlocal/state/save (env DXLOCAL_STATE)")
	fs.StringVar(&drain, "drain-timeout", env("DXLOCAL_DRAIN_TIMEOUT", "10s"), "how long a stop waits for in-flight requests before closing them; 0: no bound (env DXLOCAL_DRAIN_TIMEOUT)")
	fs.StringVar(&read, "read-timeout", env("DXLOCAL_READ_TIMEOUT", "30s"), "longest a client may take to send a whole request, head and body; 0: no bound (env DXLOCAL_READ_TIMEOUT)")
	fs.StringVar(&write, "write-timeout", env("DXLOCAL_WRITE_TIMEOUT", "30s"), "longest a client may stall reading an answer (each 64 KiB must be taken within it; a slow handler such as a long poll is not cut); 0: no bound (env DXLOCAL_WRITE_TIMEOUT)")
	fs.StringVar(&idle, "idle-timeout", env("DXLOCAL_IDLE_TIMEOUT", "120s"), "how long an idle keep-alive connection is kept; 0: no bound (env DXLOCAL_IDLE_TIMEOUT)")
	fs.StringVar(&maxConns, "max-conns", env("DXLOCAL_MAX_CONNS", "1024"), "most connections open at once; more wait until one closes; 0: no bound (env DXLOCAL_MAX_CONNS)")
	fs.BoolVar(&c.ShowVersion, "version", false, "print the version and exit")
	// -strict-partners is a boolean switch; accept it bare as well as with a value.
	args = expandBareBool(args, "strict-partners")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(usage, "Usage: dxlocal [flags]\n       dxlocal healthcheck [-addr HOST:PORT]\n\n"+
				"An in-memory emulator of the AWS Direct Connect API. The healthcheck asks a running dxlocal\n"+
				"for GET /_dxlocal/health and exits 0 when it answers 200, 1 otherwise.\n\nFlags:")
			fs.SetOutput(usage)
			fs.PrintDefaults()
			return c, ErrHelp
		}
		return c, fmt.Errorf("%v (see dxlocal -h)", err)
	}
	if c.ShowVersion {
		return c, nil
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q (see dxlocal -h)", fs.Arg(0))
	}
	// A bad value names where it came from: the flag, or its variable when the flag was not given.
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	src := func(name string) string {
		if given[name] {
			return "-" + name
		}
		return "-" + name + " (from DXLOCAL_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")) + ")"
	}
	var err error
	if c.Dwell, err = time.ParseDuration(dwell); err != nil || c.Dwell < 0 {
		return c, fmt.Errorf("%s %q is not a duration of zero or more, such as 0s, 500ms or 2s", src("dwell"), dwell)
	}
	if seed != "" {
		if c.Seed, err = strconv.ParseUint(seed, 10, 64); err != nil || c.Seed == 0 {
			return c, fmt.Errorf("%s %q is not a positive integer", src("seed"), seed)
		}
	}
	for _, d := range []struct {
		name  string
		value string
		into  *time.Duration
	}{
		{"drain-timeout", drain, &c.DrainTimeout},
		{"read-timeout", read, &c.ReadTimeout},
		{"write-timeout", write, &c.WriteTimeout},
		{"idle-timeout", idle, &c.IdleTimeout},
	} {
		if *d.into, err = time.ParseDuration(d.value); err != nil || *d.into < 0 {
			return c, fmt.Errorf("%s %q is not a duration of zero or more, such as 0s, 500ms or 2m", src(d.name), d.value)
		}
	}
	if c.MaxConns, err = strconv.Atoi(maxConns); err != nil || c.MaxConns < 0 {
		return c, fmt.Errorf("%s %q is not a whole number of zero or more", src("max-conns"), maxConns)
	}
	if c.StrictPartners, err = strconv.ParseBool(strict); err != nil {
		return c, fmt.Errorf("%s %q is not true or false", src("strict-partners"), strict)
	}
	if !account.IsID(c.Account) {
		return c, fmt.Errorf("%s %q is not a 12-digit account id", src("account"), c.Account)
	}
	if c.Region == "" {
		return c, fmt.Errorf("%s is empty", src("region"))
	}
	for _, p := range strings.Split(partners, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		id, nni, _ := strings.Cut(p, ":")
		if !account.IsID(id) {
			return c, fmt.Errorf("%s: %q is not a 12-digit account id", src("partners"), id)
		}
		if nni != "" && nni != store.NNIPartnerV1 && nni != store.NNIPartnerV2 {
			return c, fmt.Errorf("%s: NNI type %q of %s is not v1 or v2", src("partners"), nni, id)
		}
		c.Partners = append(c.Partners, store.Partner{Account: id, NNIType: nni})
	}
	if c.AllowOrigins, err = parseOrigins(origins); err != nil {
		return c, fmt.Errorf("%s: %v", src("allow-origin"), err)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return c, fmt.Errorf("%s %q is not one of debug, info, warn, error", src("log-level"), c.LogLevel)
	}
	if c.LogFormat != "console" && c.LogFormat != "json" {
		return c, fmt.Errorf("%s %q is not console or json", src("log-format"), c.LogFormat)
	}
	return c, nil
}

// parseOrigins reads -allow-origin: host names, "*" or "null"; an entry written as an origin
// (http://name:port) counts as its host name.
func parseOrigins(list string) ([]string, error) {
	var out []string
	for _, o := range strings.Split(list, ",") {
		if o = strings.ToLower(strings.TrimSpace(o)); o == "" {
			continue
		}
		if _, rest, ok := strings.Cut(o, "://"); ok {
			o = rest
		}
		if host, _, err := net.SplitHostPort(o); err == nil {
			o = host
		}
		o = strings.TrimSuffix(strings.TrimPrefix(o, "["), "]")
		if o != "*" && (o == "" || strings.ContainsAny(o, "/?#@ ")) {
			return nil, fmt.Errorf("%q is not a host name", o)
		}
		out = append(out, o)
	}
	return out, nil
}

// expandBareBool turns "-name" into "-name=true" so that a string-backed flag can be given bare.
func expandBareBool(args []string, name string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "-"+name || a == "--"+name {
			a += "=true"
		}
		out[i] = a
	}
	return out
}
