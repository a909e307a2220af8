package server

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func dial(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn, bufio.NewReader(conn)
}

const healthRequest = "GET /_dxlocal/health HTTP/1.1\r\nHost: dxlocal\r\n\r\n"

// health sends GET /_dxlocal/health on conn (keep-alive) and reads the answer.
func health(t *testing.T, conn net.Conn, br *bufio.Reader) {
	t.Helper()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, healthRequest); err != nil {
		t.Fatal(err)
	}
	readHealth(t, br)
}

func readHealth(t *testing.T, br *bufio.Reader) {
	t.Helper()
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("health: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"ok"`) {
		t.Fatalf("health: %d %s", resp.StatusCode, body)
	}
}

// A body trickled a byte at a time is cut at the read timeout.
func TestReadTimeoutCutsSlowBody(t *testing.T) {
	r := startRun(t, "-read-timeout", "500ms")
	conn, _ := dial(t, r.addr)
	const bodyLen = 60
	if _, err := fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: dxlocal\r\nContent-Type: application/x-amz-json-1.1\r\n"+
		"X-Amz-Target: OvertureService.DescribeLocations\r\nContent-Length: %d\r\n\r\n{", bodyLen); err != nil {
		t.Fatal(err)
	}
	var sent atomic.Int32
	go func() {
		for range bodyLen - 2 { // a byte every 100ms: 6s for the whole body
			time.Sleep(100 * time.Millisecond)
			if _, err := io.WriteString(conn, " "); err != nil {
				return
			}
			sent.Add(1)
		}
	}()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	io.ReadAll(conn) // whatever the server says, it must then close
	if n := sent.Load(); n >= bodyLen-2 {
		t.Fatalf("the server took the whole trickled body (%d bytes) instead of closing at the read timeout", n)
	}
}

// An idle keep-alive connection is closed at the idle timeout.
func TestIdleTimeoutClosesKeepAlive(t *testing.T) {
	r := startRun(t, "-idle-timeout", "300ms")
	conn, br := dial(t, r.addr)
	health(t, conn, br)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := br.ReadByte(); err != io.EOF {
		t.Fatalf("idle keep-alive connection: read %v, want EOF (closed by the server)", err)
	}
}

// At -max-conns, the next connection waits until one closes, then is served.
func TestMaxConnsMakesTheNextWait(t *testing.T) {
	r := startRun(t, "-max-conns", "2")
	c1, br1 := dial(t, r.addr)
	health(t, c1, br1)
	c2, br2 := dial(t, r.addr)
	health(t, c2, br2)

	c3, br3 := dial(t, r.addr) // the kernel completes the handshake; dxlocal does not accept it yet
	if _, err := io.WriteString(c3, healthRequest); err != nil {
		t.Fatal(err)
	}
	c3.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if _, err := br3.Peek(1); err == nil {
		t.Fatal("a third connection was answered with -max-conns 2")
	} else if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
		t.Fatalf("third connection: %v, want it to wait", err)
	}
	c1.Close()
	c3.SetReadDeadline(time.Now().Add(10 * time.Second))
	readHealth(t, br3)
	// The second is still served on its kept-alive connection.
	health(t, c2, br2)
}

// bigCatalog writes a catalog of 160,000 ports: GET /_dxlocal/catalog answers about 5.7 MB,
// more than the kernel buffers between the server and a client that reads slowly.
func bigCatalog(t *testing.T) string {
	t.Helper()
	var eps []string
	for i := range 4 {
		eps = append(eps, fmt.Sprintf(`{"device": "Big-%d", "ports": {"1Gbps": 10000, "10Gbps": 10000, "100Gbps": 10000, "400Gbps": 10000}}`, i))
	}
	path := filepath.Join(t.TempDir(), "big.json")
	cat := `{"locations": [{"code": "Big1", "name": "Big", "region": "us-east-1", "endpoints": [` + strings.Join(eps, ",") + `]}]}`
	if err := os.WriteFile(path, []byte(cat), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// getCatalog sends GET /_dxlocal/catalog on a connection with a small receive buffer.
func getCatalog(t *testing.T, addr string) (*http.Response, net.Conn) {
	t.Helper()
	conn, br := dial(t, addr)
	conn.(*net.TCPConn).SetReadBuffer(16 << 10)
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(conn, "GET /_dxlocal/catalog HTTP/1.1\r\nHost: dxlocal\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("catalog: %v %v", resp, err)
	}
	return resp, conn
}

// slowReader takes 64 KiB every 15ms.
type slowReader struct{ r io.Reader }

func (s slowReader) Read(p []byte) (int, error) {
	time.Sleep(15 * time.Millisecond)
	return s.r.Read(p[:min(len(p), 64<<10)])
}

// With the default limits, a slow reader of a big answer (5.7 MB, taken 64 KiB at a time,
// seconds in all) gets all of it.
func TestBigAnswerArrivesWithDefaults(t *testing.T) {
	r := startRun(t, "-catalog", bigCatalog(t))
	resp, _ := getCatalog(t, r.addr)
	body, err := io.ReadAll(slowReader{resp.Body})
	if err != nil {
		t.Fatalf("slow reader, %d bytes: %v", len(body), err)
	}
	var out struct {
		Locations []struct {
			Endpoints []struct{ Ports []json.RawMessage }
		}
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range out.Locations[0].Endpoints {
		n += len(e.Ports)
	}
	if n != 160000 {
		t.Fatalf("%d ports, want 160000", n)
	}
}

// smallSendBuffer shrinks the kernel's send buffer of each accepted connection, so that a
// write blocks as soon as the client stops taking bytes (rather than after megabytes).
type smallSendBuffer struct{ net.Listener }

func (l smallSendBuffer) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		c.(*net.TCPConn).SetWriteBuffer(32 << 10)
	}
	return c, err
}

// The write timeout bounds a stall, not the whole answer: a reader that takes 2 MiB over more
// than a second, never pausing for long, gets all of it with a 300ms write timeout.
func TestWriteTimeoutLetsSlowReaderFinish(t *testing.T) {
	big := strings.Repeat("x", 2<<20)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, big) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(Config{WriteTimeout: 300 * time.Millisecond}, withDeadlines(handler, 0, 300*time.Millisecond))
	go srv.Serve(smallSendBuffer{ln})
	defer srv.Close()
	conn, _ := dial(t, ln.Addr().String())
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: dxlocal\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	// Take up to 32 KiB every 10ms (at most 3.2 MB/s) until the server closes. (Read from the
	// connection itself: on loopback the window opens in 64 KiB steps, and smaller reads
	// would stall the server for their own sake.)
	began := time.Now()
	var got []byte
	buf := make([]byte, 32<<10)
	for {
		time.Sleep(10 * time.Millisecond)
		n, err := conn.Read(buf)
		got = append(got, buf[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("slow reader got %d bytes in %v: %v", len(got), time.Since(began), err)
		}
	}
	took := time.Since(began)
	if len(got) < len(big) || !strings.HasSuffix(string(got), "\r\n0\r\n\r\n") {
		t.Fatalf("slow reader got %d bytes in %v, not the whole answer of %d", len(got), took, len(big))
	}
	if took < 300*time.Millisecond {
		t.Fatalf("read in %v: not slower than the write timeout, the test proves nothing", took)
	}
}

// A client that stops reading is cut at the write timeout.
func TestWriteTimeoutCutsStalledReader(t *testing.T) {
	r := startRun(t, "-write-timeout", "300ms", "-catalog", bigCatalog(t))
	resp, _ := getCatalog(t, r.addr)
	time.Sleep(2 * time.Second) // read nothing
	if _, err := io.Copy(io.Discard, resp.Body); err == nil {
		t.Fatal("a client that read nothing for 2s still got the whole answer with -write-timeout 300ms")
	}
}

// Neither the read nor the write timeout cuts a handler that takes longer than both (a long
// poll): http.Server's own timeouts would cancel its context and drop its answer.
func TestTimeoutsSpareSlowHandler(t *testing.T) {
	cfg, err := ParseConfig([]string{"-read-timeout", "300ms", "-write-timeout", "300ms"}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		select {
		case <-time.After(time.Second):
			io.WriteString(w, "done")
		case <-r.Context().Done():
			// The client sees no answer.
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(cfg, withDeadlines(handler, cfg.ReadTimeout, cfg.WriteTimeout))
	go srv.Serve(ln)
	defer srv.Close()
	for _, body := range []string{"", `{"some":"body"}`} {
		req, _ := http.NewRequest(http.MethodPost, "http://"+ln.Addr().String()+"/wait", strings.NewReader(body))
		if body == "" {
			req, _ = http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/wait", nil)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s with a 1s handler: %v", req.Method, err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(got) != "done" {
			t.Fatalf("%s with a 1s handler: %q, want done", req.Method, got)
		}
	}
}
