package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMeasureStart measures the built binary with the embedded catalog: the time from exec
// to the first 200 of GET /_dxlocal/health (the address is taken from the printed line, as a
// user would), and the idle RSS shortly after. Run it with
//
//	DXLOCAL_MEASURE=1 go test -run TestMeasureStart -v -count=1 ./cmd/dxlocal
//
// DXLOCAL_MEASURE_BINARY=PATH measures that binary instead of the one TestMain built.
func TestMeasureStart(t *testing.T) {
	if os.Getenv("DXLOCAL_MEASURE") != "1" {
		t.Skip("set DXLOCAL_MEASURE=1 to measure")
	}
	bin := binary
	if b := os.Getenv("DXLOCAL_MEASURE_BINARY"); b != "" {
		bin = b
	}
	const runs = 20
	var toLine, toHealth []time.Duration
	var rss []int
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for range runs {
		cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
		cmd.Env = cleanEnv()
		cmd.Stderr = io.Discard
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		began := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("no address line: %v", err)
		}
		lined := time.Since(began)
		addr := strings.TrimSpace(strings.TrimPrefix(line, "dxlocal listening on "))
		resp, err := c.Get("http://" + addr + "/_dxlocal/health")
		if err != nil || resp.StatusCode != 200 {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("health: %v %v", resp, err)
		}
		resp.Body.Close()
		toHealth = append(toHealth, time.Since(began))
		toLine = append(toLine, lined)

		time.Sleep(500 * time.Millisecond) // idle
		rss = append(rss, vmRSS(t, cmd.Process.Pid))
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Fatalf("exit: %v", err)
		}
	}
	slices.Sort(toLine)
	slices.Sort(toHealth)
	slices.Sort(rss)
	med := func(d []time.Duration) time.Duration { return (d[len(d)/2-1] + d[len(d)/2]) / 2 }
	t.Logf("%d runs of %s -addr 127.0.0.1:0 (embedded catalog)", runs, bin)
	t.Logf("exec -> address line: median %v, min %v, max %v", med(toLine), toLine[0], toLine[len(toLine)-1])
	t.Logf("exec -> first 200 from /_dxlocal/health: median %v, min %v, max %v", med(toHealth), toHealth[0], toHealth[len(toHealth)-1])
	t.Logf("idle VmRSS 500ms after start: median %d kB, min %d kB, max %d kB", (rss[len(rss)/2-1]+rss[len(rss)/2])/2, rss[0], rss[len(rss)-1])
}

// vmRSS reads VmRSS (kB) of a process from /proc.
func vmRSS(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				t.Fatalf("VmRSS %q: %v", v, err)
			}
			return n
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// TestMeasureIdleConns opens up to 8,000 keep-alive connections, each after one health call
// (or waiting for its answer, past -max-conns), and reports the server's RSS before and after.
//
//	DXLOCAL_MEASURE=1 go test -run TestMeasureIdleConns -v -count=1 ./cmd/dxlocal
func TestMeasureIdleConns(t *testing.T) {
	if os.Getenv("DXLOCAL_MEASURE") != "1" {
		t.Skip("set DXLOCAL_MEASURE=1 to measure")
	}
	bin := binary
	if b := os.Getenv("DXLOCAL_MEASURE_BINARY"); b != "" {
		bin = b
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	cmd.Env = cleanEnv()
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimSpace(strings.TrimPrefix(line, "dxlocal listening on "))
	time.Sleep(500 * time.Millisecond)
	before := vmRSS(t, cmd.Process.Pid)
	const n = 8000
	answered, waiting := 0, false
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range n {
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			// Past -max-conns and the kernel's accept queue (net.core.somaxconn), the kernel
			// drops the handshake: the client's connect times out.
			t.Logf("connection %d: %v", len(conns)+1, err)
			break
		}
		conns = append(conns, c)
		io.WriteString(c, "GET /_dxlocal/health HTTP/1.1\r\nHost: x\r\n\r\n")
		if waiting {
			continue // past the limit: the rest wait too
		}
		c.SetReadDeadline(time.Now().Add(time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			waiting = true
			continue
		}
		io.Copy(io.Discard, resp.Body)
		answered++
	}
	time.Sleep(time.Second)
	after := vmRSS(t, cmd.Process.Pid)
	t.Logf("%s: %d connections, %d answered: VmRSS %d kB -> %d kB (+%d kB)", bin, len(conns), answered, before, after, after-before)
}
