package server

import (
	"bufio"
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/server/servertest"
)

// holdRequest starts a request that stays in flight until the test writes "}" or closes conn.
func holdRequest(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(15 * time.Second))
	br := bufio.NewReader(conn)
	servertest.StartSlowRequest(t, conn, br)
	return conn, br
}

// A request still in flight when the drain timeout passes is cut, and the stop is a normal
// one: Run returns nil (exit 0) and logs what it closed.
func TestRunDrainTimeoutClosesBusyConnections(t *testing.T) {
	r := startRun(t, "-drain-timeout", "300ms")
	conn, br := holdRequest(t, r.addr)
	if err := r.stop(t); err != nil {
		t.Fatalf("Run after the drain timeout: %v, want nil", err)
	}
	if b, err := io.ReadAll(br); len(b) != 0 {
		t.Fatalf("the cut connection answered %q (%v), want it closed", b, err)
	}
	conn.Close()
	logs := r.stderr.String()
	for _, w := range []string{"closed connections still busy", "drain timeout passed", "connections", "stopped"} {
		if !strings.Contains(logs, w) {
			t.Errorf("log lacks %q:\n%s", w, logs)
		}
	}
}

// Force ends a stop that waits for a request at once, even with no drain timeout at all.
func TestRunForceEndsTheDrain(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	force := make(chan struct{})
	stdout, stderr := newSyncBuffer(), newSyncBuffer()
	done := make(chan error, 1)
	go func() {
		done <- RunWithForce(ctx, force, []string{"-addr", "127.0.0.1:0", "-drain-timeout", "0"}, envOf(nil), stdout, stderr)
	}()
	var addr string
	select {
	case addr = <-stdout.addr:
	case err := <-done:
		t.Fatalf("Run: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("no address")
	}
	holdRequest(t, addr)
	cancel()
	waitRefused(t, addr)
	select {
	case err := <-done:
		t.Fatalf("Run returned (%v) with a request in flight and no force", err)
	default:
	}
	close(force)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run still waits 10s after force")
	}
	if logs := stderr.String(); !strings.Contains(logs, "asked to stop at once") {
		t.Errorf("log does not say why it closed connections:\n%s", logs)
	}
}
