package main

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/server/servertest"
)

// holdRequest starts a DescribeLocations that stays in flight until the connection closes.
func holdRequest(t *testing.T, addr string) *bufio.Reader {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	br := bufio.NewReader(conn)
	servertest.StartSlowRequest(t, conn, br)
	return br
}

// A request still in flight when the drain timeout passes does not turn the stop into a
// failure: the process closes it, logs that, and exits 0.
func TestDrainTimeoutExitsZero(t *testing.T) {
	t.Parallel()
	p := start(t, []string{"-addr", "127.0.0.1:0"}, "DXLOCAL_DRAIN_TIMEOUT=500ms")
	holdRequest(t, p.addr)
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t); code != 0 {
		t.Fatalf("exit code %d with a request in flight after the drain timeout, want 0; stderr: %s", code, p.stderr)
	}
	if logs := p.stderr.String(); !strings.Contains(logs, "closed connections still busy") || !strings.Contains(logs, "drain timeout") {
		t.Errorf("the log does not say what the stop closed:\n%s", logs)
	}
}

// A second signal during the drain ends it at once (the drain timeout is the default 10s).
func TestSecondSignalStopsAtOnce(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			p := start(t, []string{"-addr", "127.0.0.1:0"})
			holdRequest(t, p.addr)
			p.cmd.Process.Signal(sig)
			waitRefused(t, p.addr)
			began := time.Now()
			p.cmd.Process.Signal(sig)
			if code := p.wait(t); code != 0 {
				t.Fatalf("exit code %d after a second %v, want 0; stderr: %s", code, sig, p.stderr)
			}
			if d := time.Since(began); d > 3*time.Second {
				t.Fatalf("exit %v after the second %v, want at once", d, sig)
			}
			if logs := p.stderr.String(); !strings.Contains(logs, "asked to stop at once") {
				t.Errorf("the log does not say why the drain ended:\n%s", logs)
			}
		})
	}
}

// waitRefused waits until addr refuses connections: the stop has begun.
func waitRefused(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("%s still accepts connections 5s after the signal", addr)
}

// "dxlocal 2>&1 | grep -m1 listening" waits for readiness; once grep has exited, nobody
// reads the output. Logging into the closed pipe must not stop the server.
func TestClosedOutputKeepsServing(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "-addr", "127.0.0.1:0")
	cmd.Env = cleanEnv()
	cmd.Stdout, cmd.Stderr = w, w // 2>&1
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	// Like grep -m1: read up to the address line, then go away.
	r.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(r).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "dxlocal listening on ")
	if err != nil || !ok {
		t.Fatalf("first line %q %v, want the address", line, err)
	}
	r.Close()
	for i := range 5 {
		servertest.DescribeLocations(t, client, addr, "") // fails the test unless answered 200
		resp, err := client.Get("http://" + addr + "/_dxlocal/health")
		if err != nil {
			t.Fatalf("health call %d after the output closed: %v", i, err)
		}
		resp.Body.Close()
	}
	select {
	case err := <-done:
		t.Fatalf("dxlocal exited (%v) after writing to a closed output", err)
	default:
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v, want 0", err)
		}
		done <- nil // for the cleanup
	case <-time.After(10 * time.Second):
		t.Fatal("no exit 10s after SIGTERM")
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	// A bad env value does not stop -version.
	code, stdout, stderr := run(t, []string{"-version"}, "DXLOCAL_ACCOUNT=bad")
	if code != 0 || stderr != "" {
		t.Fatalf("-version: exit %d, stderr %q", code, stderr)
	}
	if !strings.HasPrefix(stdout, "dxlocal ") || strings.Count(stdout, "\n") != 1 || len(stdout) < len("dxlocal x\n") {
		t.Fatalf("-version printed %q, want one line: dxlocal VERSION", stdout)
	}
}

// The version set at build time with -ldflags -X wins.
func TestVersionFromLdflags(t *testing.T) {
	t.Parallel()
	bin := t.TempDir() + "/dxlocal"
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, "go", "build", "-o", bin,
		"-ldflags", "-X github.com/dxlocal/dxlocal/internal/server.version=v9.8.7", ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "-version").Output()
	if err != nil || string(out) != "dxlocal v9.8.7\n" {
		t.Fatalf("-version: %q %v, want \"dxlocal v9.8.7\\n\"", out, err)
	}
}

func TestHealthcheck(t *testing.T) {
	t.Parallel()
	p := start(t, []string{"-addr", "127.0.0.1:0"})
	_, port, _ := net.SplitHostPort(p.addr)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()
	// Something that answers HTTP, but not dxlocal's health.
	notDX := &http.Server{Handler: http.NotFoundHandler()}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go notDX.Serve(ln)
	t.Cleanup(func() { notDX.Close() })

	cases := []struct {
		name string
		args []string
		env  []string
		want int
	}{
		{"flag", []string{"healthcheck", "-addr", p.addr}, nil, 0},
		{"env, as in the container", []string{"healthcheck"}, []string{"DXLOCAL_ADDR=0.0.0.0:" + port}, 0},
		{"every interface, IPv6 form", []string{"healthcheck", "-addr", ":" + port}, nil, 0},
		{"nothing listening", []string{"healthcheck", "-addr", closedAddr}, nil, 1},
		{"answers 404", []string{"healthcheck", "-addr", ln.Addr().String()}, nil, 1},
		{"bad flag is 1, not Docker's reserved 2", []string{"healthcheck", "-bogus"}, nil, 1},
		{"help", []string{"healthcheck", "-h"}, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tc.args, tc.env...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, tc.want, stdout, stderr)
			}
			if code == 1 && (!strings.HasPrefix(stderr, "dxlocal healthcheck: ") || strings.Count(stderr, "\n") != 1) {
				t.Errorf("stderr %q, want one line saying why", stderr)
			}
		})
	}
}
