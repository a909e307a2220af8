// Package servertest holds what the tests of the server and of the binary share: a request
// that is held in flight, to prove that a stop drains it.
package servertest

import (
	"bufio"
	"io"
	"net"
	"strings"
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
