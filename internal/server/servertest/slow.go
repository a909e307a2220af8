// Package servertest holds what the tests of the server, of the binary and of the Terraform
// examples share: a request held in flight (to prove that a stop drains it), a goroutine-safe
// output buffer, and a raw DescribeLocations call.
package servertest

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// slowRequestHead is a DescribeLocations request without its body ("{}"). It asks for a
// 100 Continue, which the server sends once the handler reads the body: proof that the
// request has been accepted and is in flight.
const slowRequestHead = "POST / HTTP/1.1\r\nHost: dxlocal\r\nContent-Type: application/x-amz-json-1.1\r\n" +
	"X-Amz-Target: OvertureService.DescribeLocations\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"

// StartSlowRequest sends a request head and half of its body on conn, after reading the
// 100 Continue; the caller finishes it by writing "}".
func StartSlowRequest(t testing.TB, conn net.Conn, br *bufio.Reader) {
	t.Helper()
	if _, err := io.WriteString(conn, slowRequestHead); err != nil {
		t.Fatal(err)
	}
	status, err := br.ReadString('\n')
	if err != nil || !strings.HasPrefix(status, "HTTP/1.1 100 ") {
		t.Fatalf("want a 100 Continue, got %q %v", status, err)
	}
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if line == "\r\n" {
			break
		}
	}
	if _, err := io.WriteString(conn, "{"); err != nil {
		t.Fatal(err)
	}
}

// Buffer collects output written from other goroutines (a child's pipes, a logger).
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Tail returns the last n lines written.
func (b *Buffer) Tail(n int) string {
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// DescribeLocations posts DescribeLocations as AWS JSON 1.1 to addr (HOST:PORT) and returns
// the body of the 200 answer; auth, if not empty, is the Authorization header.
func DescribeLocations(t testing.TB, client *http.Client, addr, auth string) []byte {
	t.Helper()
	req, err := http.NewRequest("POST", "http://"+addr+"/", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "OvertureService.DescribeLocations")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("DescribeLocations: %d %v %s", resp.StatusCode, err, body)
	}
	return body
}
