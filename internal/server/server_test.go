package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/server/servertest"
)

// syncBuffer is a goroutine-safe buffer that reports the address Run prints.
type syncBuffer struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	addr  chan string
	found bool
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{addr: make(chan string, 1)} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if !b.found {
		for line := range strings.Lines(b.buf.String()) {
			if a, ok := strings.CutPrefix(line, "dxlocal listening on "); ok && strings.HasSuffix(a, "\n") {
				b.found = true
				b.addr <- strings.TrimSpace(a)
				break
			}
		}
	}
	return n, err
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type running struct {
	addr   string
	cancel context.CancelFunc
	done   chan error
	stdout *syncBuffer
	stderr *syncBuffer
}

// startRun runs Run in the background and waits for it to print its address.
func startRun(t *testing.T, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1), stdout: newSyncBuffer(), stderr: newSyncBuffer()}
	go func() {
		r.done <- Run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), envOf(nil), r.stdout, r.stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(10 * time.Second):
			t.Errorf("Run did not return after cancel")
		}
	})
	select {
	case r.addr = <-r.stdout.addr:
	case err := <-r.done:
		t.Fatalf("Run returned %v before listening; stderr: %s", err, r.stderr)
	case <-time.After(10 * time.Second):
		t.Fatalf("no address printed in 10s; stdout %q", r.stdout)
	}
	return r
}

func (r *running) stop(t *testing.T) error {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		r.done <- err // for the cleanup
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10s of cancel")
		return nil
	}
}

var client = &http.Client{Timeout: 10 * time.Second}

func TestRunServesAndStops(t *testing.T) {
	r := startRun(t)
	if host, port, err := net.SplitHostPort(r.addr); err != nil || host != "127.0.0.1" || port == "0" {
		t.Fatalf("printed address %q, want 127.0.0.1 and a real port", r.addr)
	}
	resp, err := client.Get("http://" + r.addr + "/_dxlocal/health")
	if err != nil {
		t.Fatal(err)
	}
	var health struct{ Status string }
	err = json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if resp.StatusCode != 200 || err != nil || health.Status != "ok" {
		t.Fatalf("health: %d %+v %v", resp.StatusCode, health, err)
	}
	locs := describeLocations(t, r.addr, "")
	if len(locs) == 0 {
		t.Fatal("the embedded catalog has no us-east-1 location")
	}
	if err := r.stop(t); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if strings.Count(r.stdout.String(), "\n") != 1 {
		t.Errorf("stdout is not exactly the address line: %q", r.stdout)
	}
	logs := r.stderr.String()
	for _, w := range []string{"started", "stopped"} {
		if !strings.Contains(logs, w) {
			t.Errorf("log lacks %q:\n%s", w, logs)
		}
	}
}

func TestRunStopWithIdleKeepAlive(t *testing.T) {
	r := startRun(t)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: 5 * time.Second}
	resp, err := c.Get("http://" + r.addr + "/_dxlocal/health")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	start := time.Now()
	if err := r.stop(t); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("an idle keep-alive connection held the stop for %v", d)
	}
}

// describeLocations posts DescribeLocations as JSON 1.1; auth, if not empty, is the
// Authorization header.
func describeLocations(t *testing.T, addr, auth string) []map[string]any {
	t.Helper()
	body := servertest.DescribeLocations(t, client, addr, auth)
	var out struct{ Locations []map[string]any }
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("DescribeLocations: %v: %s", err, body)
	}
	return out.Locations
}

// waitRefused waits until addr refuses connections: the listener is closed, the stop has begun.
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
	t.Fatalf("%s still accepts connections 5s after the stop", addr)
}

func TestRunDrainsInFlightRequest(t *testing.T) {
	r := startRun(t)
	conn, err := net.DialTimeout("tcp", r.addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	servertest.StartSlowRequest(t, conn, br)
	r.cancel()
	waitRefused(t, r.addr)
	select {
	case err := <-r.done:
		t.Fatalf("Run returned (%v) with a request in flight", err)
	default:
	}
	if _, err := io.WriteString(conn, "}"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("in-flight request: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"locations"`) {
		t.Fatalf("in-flight request: %d %s", resp.StatusCode, body)
	}
	if err := r.stop(t); err != nil {
		t.Fatalf("Run: %v", err)
	}
}

func TestRunStartErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dir := t.TempDir()
	dup := filepath.Join(dir, "dup.json")
	os.WriteFile(dup, []byte(`{"locations":[{"code":"A","region":"us-east-1"},{"code":"A","region":"us-west-2"}]}`), 0o644)
	missing := filepath.Join(dir, "missing.json")
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"busy port", []string{"-addr", busy.Addr().String()}, []string{"cannot listen", busy.Addr().String()}},
		{"bad address", []string{"-addr", "nowhere"}, []string{"cannot listen", "nowhere"}},
		{"missing catalog", []string{"-addr", "127.0.0.1:0", "-catalog", missing}, []string{missing}},
		{"catalog is a directory", []string{"-addr", "127.0.0.1:0", "-catalog", dir}, []string{dir}},
		{"invalid catalog", []string{"-addr", "127.0.0.1:0", "-catalog", dup}, []string{dup, `"A" appears twice`}},
		{"bad flag", []string{"-nope"}, []string{"-nope"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var stdout bytes.Buffer
			stderr := newSyncBuffer()
			err := Run(ctx, tc.args, envOf(nil), &stdout, stderr)
			if err == nil {
				t.Fatal("Run accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("error %q is more than one line", err)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout: %q", stdout.String())
			}
			if s := stderr.String(); s != "" {
				t.Errorf("Run wrote to stderr on a failed start: %q", s)
			}
		})
	}
}

func TestRunHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := Run(context.Background(), []string{"-h"}, envOf(nil), &stdout, &stderr)
	if !errors.Is(err, ErrHelp) {
		t.Fatalf("Run -h: %v, want ErrHelp", err)
	}
	if !strings.Contains(stdout.String(), "Usage: dxlocal") || stderr.Len() != 0 {
		t.Fatalf("stdout %q stderr %q", stdout.String(), stderr.String())
	}
}
