package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	catalogpkg "github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/snapshot"
	"github.com/dxlocal/dxlocal/internal/store"
)

// TestMeasureState measures the binary with a state file of 10,000 dedicated connections: the
// time from exec to the address line (the load is part of it), the RSS after the start, and the
// time from SIGTERM to the exit (the save is part of it); each against the same start without
// a state file. Run it with
//
//	DXLOCAL_MEASURE=1 go test -run TestMeasureState -v -count=1 ./cmd/dxlocal
func TestMeasureState(t *testing.T) {
	if os.Getenv("DXLOCAL_MEASURE") != "1" {
		t.Skip("set DXLOCAL_MEASURE=1 to measure")
	}
	const n = 10000
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(`{"locations":[`)
	for l := range 10 {
		if l > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"code":"MS%02d","region":"us-east-1","endpoints":[`, l)
		for d := range 10 {
			if d > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"device":"MS%02d-dev%02d","ports":{"1Gbps":%d}}`, l, d, n/100+1)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}`)
	catFile := writeFile(t, dir, "catalog.json", b.String())
	cat, err := catalogpkg.LoadFile(catFile)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(store.Options{Catalog: cat})
	q := st.Quotas()
	q.ConnectionsPerLocation = n
	st.SetQuotas(q)
	r := st.Region("us-east-1")
	for i := range n {
		c := store.Caller{Account: fmt.Sprintf("1000000000%02d", i%10), Region: "us-east-1"}
		if _, err := r.CreateConnection(c, store.NewConnection{Location: fmt.Sprintf("MS%02d", i%10), Bandwidth: "1Gbps", Name: fmt.Sprintf("conn-%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	stateFile := filepath.Join(dir, "state.json")
	if err := snapshot.WriteFile(stateFile, st.Snapshot()); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(stateFile)

	measure := func(args ...string) (start, stop time.Duration, rss int) {
		cmd := exec.Command(binary, append([]string{"-addr", "127.0.0.1:0", "-catalog", catFile}, args...)...)
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
		if _, err := bufio.NewReader(out).ReadString('\n'); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("no address line: %v", err)
		}
		start = time.Since(began)
		time.Sleep(300 * time.Millisecond)
		rss = vmRSS(t, cmd.Process.Pid)
		began = time.Now()
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Fatalf("exit: %v", err)
		}
		return start, time.Since(began), rss
	}
	const runs = 7
	var starts, stops, baseStarts, baseStops []time.Duration
	var rss, baseRSS []int
	for range runs {
		a, s, m := measure("-state", stateFile)
		starts, stops, rss = append(starts, a), append(stops, s), append(rss, m)
		a, s, m = measure()
		baseStarts, baseStops, baseRSS = append(baseStarts, a), append(baseStops, s), append(baseRSS, m)
	}
	for _, d := range [][]time.Duration{starts, stops, baseStarts, baseStops} {
		slices.Sort(d)
	}
	slices.Sort(rss)
	slices.Sort(baseRSS)
	t.Logf("state file: %d connections, %d bytes", n, fi.Size())
	t.Logf("with -state: exec -> address line median %v (min %v, max %v); SIGTERM -> exit median %v (min %v, max %v); VmRSS median %d kB",
		starts[runs/2], starts[0], starts[runs-1], stops[runs/2], stops[0], stops[runs-1], rss[runs/2])
	t.Logf("without:     exec -> address line median %v; SIGTERM -> exit median %v; VmRSS median %d kB",
		baseStarts[runs/2], baseStops[runs/2], baseRSS[runs/2])
}
