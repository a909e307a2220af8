package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/server/servertest"
)

// binary is the dxlocal built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "dxlocal-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "dxlocal")
	gobin, err := exec.LookPath("go")
	if err != nil {
		fmt.Fprintln(os.Stderr, "go not found:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, gobin, "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// cleanEnv is the test's environment without any DXLOCAL_ variable, plus extra.
func cleanEnv(extra ...string) []string {
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "DXLOCAL_") })
	return append(env, extra...)
}

type proc struct {
	cmd    *exec.Cmd
	addr   string
	stdout *servertest.Buffer
	stderr *servertest.Buffer
	done   chan struct{} // closed when the process has exited; err then holds Wait's error
	err    error
}

// start runs the binary and waits for its address line on stdout. The process is killed at
// the end of the test if it is still running.
func start(t *testing.T, args []string, env ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(binary, args...), stdout: &servertest.Buffer{}, stderr: &servertest.Buffer{}, done: make(chan struct{})}
	p.cmd.Env = cleanEnv(env...)
	p.cmd.Stderr = p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		sc := bufio.NewScanner(out)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			p.stdout.Write([]byte(line + "\n"))
			if a, ok := strings.CutPrefix(line, "dxlocal listening on "); ok && !sent {
				addr <- a
				sent = true
			}
		}
	}()
	go func() {
		<-copied // Wait closes the pipe: read it all first
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	select {
	case p.addr = <-addr:
	case <-p.done:
		t.Fatalf("dxlocal exited (%v) before listening; stderr: %s", p.err, p.stderr)
	case <-time.After(10 * time.Second):
		t.Fatalf("dxlocal printed no address in 10s; stdout %q stderr %q", p.stdout, p.stderr)
	}
	return p
}

// wait waits for the process to exit and returns its exit code.
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		t.Fatalf("dxlocal did not exit within 15s; stderr: %s", p.stderr)
	}
	var exit *exec.ExitError
	switch {
	case p.err == nil:
		return 0
	case errors.As(p.err, &exit):
		return exit.ExitCode()
	default:
		t.Fatalf("wait: %v", p.err)
		return -1
	}
}

// run runs the binary to its end (bounded by 10s) and returns its exit code and output.
func run(t *testing.T, args []string, env ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = cleanEnv(env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("dxlocal %q did not exit within 10s; stdout %q stderr %q", args, o.String(), e.String())
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		t.Fatal(err)
	}
	return code, o.String(), e.String()
}

var client = &http.Client{Timeout: 10 * time.Second}

func TestListeningAndHealth(t *testing.T) {
	t.Parallel()
	p := start(t, []string{"-addr", "127.0.0.1:0"})
	host, port, err := net.SplitHostPort(p.addr)
	if err != nil || host != "127.0.0.1" || port == "0" || port == "" {
		t.Fatalf("printed address %q, want 127.0.0.1:PORT with a real port", p.addr)
	}
	// Right after the line, with no retry.
	resp, err := client.Get("http://" + p.addr + "/_dxlocal/health")
	if err != nil {
		t.Fatalf("health right after the address line: %v", err)
	}
	var health struct{ Status string }
	err = json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if resp.StatusCode != 200 || err != nil || health.Status != "ok" {
		t.Fatalf("health: %d %+v %v", resp.StatusCode, health, err)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t); code != 0 {
		t.Fatalf("exit %d after SIGTERM; stderr: %s", code, p.stderr)
	}
	if got := p.stdout.String(); got != "dxlocal listening on "+p.addr+"\n" {
		t.Errorf("stdout %q, want only the address line", got)
	}
}

// The address comes from DXLOCAL_ADDR when -addr is absent, and -addr wins over it.
func TestAddrFromEnv(t *testing.T) {
	t.Parallel()
	p := start(t, nil, "DXLOCAL_ADDR=127.0.0.1:0")
	if _, port, _ := net.SplitHostPort(p.addr); port == "4599" || port == "0" {
		t.Errorf("DXLOCAL_ADDR=127.0.0.1:0 ignored: listening on %s", p.addr)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.wait(t)

	// An env address that cannot be used is hidden by the flag.
	p = start(t, []string{"-addr", "127.0.0.1:0"}, "DXLOCAL_ADDR=bad address")
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t); code != 0 {
		t.Fatalf("exit %d; stderr %s", code, p.stderr)
	}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestStartFailures(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { busy.Close() })
	busyAddr := busy.Addr().String()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.json")
	dupLoc := writeFile(t, dir, "duploc.json", `{"locations": [
		{"code": "EqDC2", "name": "one", "region": "us-east-1", "endpoints": [{"device": "d1", "ports": {"10Gbps": 1}}]},
		{"code": "EqDC2", "name": "two", "region": "us-east-1", "endpoints": [{"device": "d2", "ports": {"10Gbps": 1}}]}]}`)
	dupDev := writeFile(t, dir, "dupdev.json", `{"locations": [
		{"code": "A", "region": "us-east-1", "endpoints": [{"device": "d1", "ports": {}}, {"device": "d1", "ports": {}}]}]}`)
	badSpeed := writeFile(t, dir, "speed.json", `{"locations": [
		{"code": "A", "region": "us-east-1", "endpoints": [{"device": "d1", "ports": {"25Gbps": 1}}]}]}`)
	negative := writeFile(t, dir, "negative.json", `{"locations": [
		{"code": "A", "region": "us-east-1", "endpoints": [{"device": "d1", "ports": {"10Gbps": -1}}]}]}`)
	empty := writeFile(t, dir, "empty.json", `{"locations": []}`)
	syntax := writeFile(t, dir, "syntax.json", "{\"locations\": [\n  {\"code\": \"A\",}\n]}")

	cases := []struct {
		name string
		args []string
		env  []string
		want []string // each must appear in the one stderr line
	}{
		{"unknown flag", []string{"-bogus"}, nil, []string{"-bogus"}},
		{"stray argument", []string{"serve"}, nil, []string{`"serve"`}},
		{"bad dwell", []string{"-dwell", "soon"}, nil, []string{"-dwell", `"soon"`}},
		{"negative dwell", []string{"-dwell=-1s"}, nil, []string{"-dwell", `"-1s"`}},
		{"bad account", []string{"-account", "42"}, nil, []string{"-account", `"42"`}},
		{"bad partner", []string{"-partners", "111111111111:v9"}, nil, []string{"-partners", `"v9"`}},
		{"bad log level", []string{"-log-level", "loud"}, nil, []string{"-log-level", `"loud"`}},
		{"bad env value", nil, []string{"DXLOCAL_ACCOUNT=root"}, []string{"-account", `"root"`}},
		{"missing catalog", []string{"-catalog", missing}, nil, []string{missing}},
		{"catalog is a directory", []string{"-catalog", dir}, nil, []string{dir}},
		{"missing catalog from env", nil, []string{"DXLOCAL_CATALOG=" + missing}, []string{missing}},
		{"location named twice", []string{"-catalog", dupLoc}, nil, []string{dupLoc, `"EqDC2" appears twice`}},
		{"endpoint named twice", []string{"-catalog", dupDev}, nil, []string{dupDev, `"d1" appears twice`}},
		{"unknown speed", []string{"-catalog", badSpeed}, nil, []string{badSpeed, "25Gbps"}},
		{"negative count", []string{"-catalog", negative}, nil, []string{negative, "-1"}},
		{"no locations", []string{"-catalog", empty}, nil, []string{empty, "no locations"}},
		{"catalog not JSON", []string{"-catalog", syntax}, nil, []string{syntax, "line 2"}},
		{"busy port", []string{"-addr", busyAddr}, nil, []string{busyAddr}},
		{"busy port from env", nil, []string{"DXLOCAL_ADDR=" + busyAddr}, []string{busyAddr}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := tc.args
			if !slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "-addr") }) &&
				!slices.ContainsFunc(tc.env, func(e string) bool { return strings.HasPrefix(e, "DXLOCAL_ADDR=") }) {
				// Should the start wrongly succeed, it must not take the default port.
				args = append([]string{"-addr", "127.0.0.1:0"}, args...)
			}
			code, stdout, stderr := run(t, args, tc.env...)
			if code != 2 {
				t.Errorf("exit code %d, want 2", code)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if !strings.HasSuffix(stderr, "\n") || strings.Count(stderr, "\n") != 1 {
				t.Fatalf("stderr is not exactly one line: %q", stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not name %q", stderr, w)
				}
			}
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"-h", "--help"} {
		code, stdout, stderr := run(t, []string{arg})
		if code != 0 {
			t.Errorf("%s: exit code %d, want 0", arg, code)
		}
		for _, w := range []string{"Usage: dxlocal", "-addr", "-catalog", "-account", "-region", "-partners", "-dwell", "DXLOCAL_ADDR"} {
			if !strings.Contains(stdout, w) {
				t.Errorf("%s: usage lacks %q:\n%s", arg, w, stdout)
			}
		}
		if stderr != "" {
			t.Errorf("%s: stderr %q", arg, stderr)
		}
	}
}

// A signal while a request is in flight: the listener closes, the request still completes,
// then the process exits 0.
func TestSignalDrainsInFlightRequest(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			p := start(t, []string{"-addr", "127.0.0.1:0"})
			conn, err := net.DialTimeout("tcp", p.addr, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(15 * time.Second))
			br := bufio.NewReader(conn)
			servertest.StartSlowRequest(t, conn, br)
			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			// The stop has begun once new connections are refused.
			deadline := time.Now().Add(5 * time.Second)
			for {
				c, err := net.DialTimeout("tcp", p.addr, time.Second)
				if err != nil {
					break
				}
				c.Close()
				if time.Now().After(deadline) {
					t.Fatalf("%s still accepts connections 5s after %v", p.addr, sig)
				}
				time.Sleep(2 * time.Millisecond)
			}
			select {
			case <-p.done:
				t.Fatalf("dxlocal exited (%v) with a request in flight; stderr: %s", p.err, p.stderr)
			default:
			}
			if _, err := io.WriteString(conn, "}"); err != nil {
				t.Fatalf("finishing the body: %v", err)
			}
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("in-flight request: %v; stderr: %s", err, p.stderr)
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || !strings.Contains(string(body), `"locations"`) {
				t.Fatalf("in-flight request: %d %s", resp.StatusCode, body)
			}
			if code := p.wait(t); code != 0 {
				t.Fatalf("exit code %d after %v, want 0; stderr: %s", code, sig, p.stderr)
			}
		})
	}
}

// A signal with no request in flight, but an idle keep-alive connection open, stops at once.
func TestSignalWithIdleConnection(t *testing.T) {
	t.Parallel()
	p := start(t, []string{"-addr", "127.0.0.1:0"})
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 5 * time.Second}).Get("http://" + p.addr + "/_dxlocal/health")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	began := time.Now()
	p.cmd.Process.Signal(syscall.SIGINT)
	if code := p.wait(t); code != 0 {
		t.Fatalf("exit code %d, want 0; stderr %s", code, p.stderr)
	}
	if d := time.Since(began); d > 3*time.Second {
		t.Fatalf("stop took %v with only an idle connection", d)
	}
}

// describe posts DescribeLocations as AWS JSON 1.1; auth, if set, is the Authorization header.
func describe(t *testing.T, addr, auth string) []location {
	t.Helper()
	body := servertest.DescribeLocations(t, client, addr, auth)
	var out struct{ Locations []location }
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("DescribeLocations: %v: %s", err, body)
	}
	return out.Locations
}

type location struct {
	LocationCode              string   `json:"locationCode"`
	LocationName              string   `json:"locationName"`
	Region                    string   `json:"region"`
	AvailablePortSpeeds       []string `json:"availablePortSpeeds"`
	AvailableProviders        []string `json:"availableProviders"`
	AvailableMacSecPortSpeeds []string `json:"availableMacSecPortSpeeds"`
}

const testCatalog = `{
  "locations": [
    {
      "code": "TstDC1",
      "name": "Test DC 1, Ashburn, VA",
      "region": "us-east-1",
      "providers": ["Equinix, Inc."],
      "macSecPortSpeeds": ["10Gbps", "100Gbps"],
      "endpoints": [
        {"device": "TstDC1-2ab3cd4ef5gh6", "ports": {"1Gbps": 24, "10Gbps": 16, "100Gbps": 4}},
        {"device": "TstDC1-1xy2zv3wq4rs5", "ports": {"10Gbps": 8}}
      ],
      "futureField": {"ignored": true}
    },
    {
      "code": "TstLD1",
      "name": "Test London",
      "region": "eu-west-2",
      "providers": [],
      "endpoints": [{"device": "TstLD1-aaa", "ports": {"400Gbps": 2, "1Gbps": 0}}]
    }
  ]
}`

func TestCatalogFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeFile(t, dir, "catalog.json", testCatalog)
	other := writeFile(t, dir, "other.json", `{"locations": [{"code": "Other", "region": "us-east-1", "endpoints": []}]}`)
	wantUSEast := location{
		LocationCode:              "TstDC1",
		LocationName:              "Test DC 1, Ashburn, VA",
		Region:                    "us-east-1",
		AvailablePortSpeeds:       []string{"1G", "10G", "100G"},
		AvailableProviders:        []string{"Equinix, Inc."},
		AvailableMacSecPortSpeeds: []string{"10G", "100G"},
	}
	wantEUWest := location{
		LocationCode:              "TstLD1",
		LocationName:              "Test London",
		Region:                    "eu-west-2",
		AvailablePortSpeeds:       []string{"400G"},
		AvailableProviders:        []string{},
		AvailableMacSecPortSpeeds: []string{},
	}
	const euAuth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/eu-west-2/directconnect/aws4_request, SignedHeaders=host, Signature=00"
	cases := []struct {
		name string
		args []string
		env  []string
		auth string
		want location
	}{
		{"flag", []string{"-catalog", path}, nil, "", wantUSEast},
		{"env", nil, []string{"DXLOCAL_CATALOG=" + path}, "", wantUSEast},
		{"flag over env", []string{"-catalog", path}, []string{"DXLOCAL_CATALOG=" + other}, "", wantUSEast},
		{"signed region", []string{"-catalog", path}, nil, euAuth, wantEUWest},
		{"default region flag", []string{"-catalog", path, "-region", "eu-west-2"}, nil, "", wantEUWest},
		{"default region env", []string{"-catalog", path}, []string{"DXLOCAL_REGION=eu-west-2"}, "", wantEUWest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := start(t, append([]string{"-addr", "127.0.0.1:0"}, tc.args...), tc.env...)
			got := describe(t, p.addr, tc.auth)
			if len(got) != 1 {
				t.Fatalf("DescribeLocations: %+v, want only %s", got, tc.want.LocationCode)
			}
			g, w := fmt.Sprintf("%+v", got[0]), fmt.Sprintf("%+v", tc.want)
			if g != w {
				t.Fatalf("DescribeLocations:\n got %s\nwant %s", g, w)
			}
			p.cmd.Process.Signal(syscall.SIGTERM)
			if code := p.wait(t); code != 0 {
				t.Fatalf("exit code %d; stderr %s", code, p.stderr)
			}
		})
	}
}

// Without -catalog the embedded catalog is used: every commercial region has locations.
func TestEmbeddedCatalog(t *testing.T) {
	t.Parallel()
	p := start(t, []string{"-addr", "127.0.0.1:0"})
	for _, region := range []string{"us-east-1", "eu-west-1", "ap-southeast-2"} {
		auth := "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/" + region + "/directconnect/aws4_request, SignedHeaders=host, Signature=00"
		locs := describe(t, p.addr, auth)
		if len(locs) == 0 {
			t.Errorf("%s: no locations in the embedded catalog", region)
		}
		for _, l := range locs {
			if l.Region != region || l.LocationCode == "" {
				t.Errorf("%s: location %+v", region, l)
			}
		}
	}
}
