package store

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/id"
	"github.com/dxlocal/dxlocal/internal/page"
)

const churnCycles = 200_000

// churn creates and deletes n connections in one account: each is deleted while requested,
// so it is deleted at once, frees its port and waits in the graveyard for its retention.
func churn(t testing.TB, r *Region, n int) {
	t.Helper()
	c := Caller{Account: "111111111111", Region: "us-east-1"}
	for i := range n {
		conn, err := r.CreateConnection(c, NewConnection{Location: "LocA", Bandwidth: "1Gbps", Name: "churn"})
		if err != nil {
			t.Fatalf("cycle %d: %v", i, err)
		}
		if _, err := r.DeleteConnection(c, conn.ID); err != nil {
			t.Fatalf("cycle %d: %v", i, err)
		}
	}
}

// heapAfterGC is HeapAlloc once the garbage is collected.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// idSourceCost is the heap an id source keeps after issuing n ids: it remembers every id it
// issued, so that none is ever issued twice, and that memory rightly outlives a purge.
func idSourceCost(n int) uint64 {
	before := heapAfterGC()
	src := id.NewSource(9)
	for range n {
		src.New("dxcon")
	}
	after := heapAfterGC()
	runtime.KeepAlive(src)
	if after < before {
		return 0
	}
	return after - before
}

// After heavy churn, the purge at the end of the retention forgets every record and gives
// back their memory: the heap is back near idle (plus what the id source must remember), and
// the region's lists, queues and maps are empty.
func TestPurgeAfterChurnReleasesMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("200,000 create+delete cycles; skipped with -short")
	}
	idCost := idSourceCost(churnCycles)
	s, clk := newTestStore(t, 0)
	r := s.Region("us-east-1")
	c := Caller{Account: "111111111111", Region: "us-east-1"}
	idle := heapAfterGC()

	churn(t, r, churnCycles)
	conns, _, err := r.DescribeConnections(c, "", page.Request{})
	if err != nil || len(conns) != churnCycles {
		t.Fatalf("before the purge: %d connections (%v), want %d deleted ones", len(conns), err, churnCycles)
	}
	conns = nil
	clk.Advance(DefaultRetention)
	conns, _, err = r.DescribeConnections(c, "", page.Request{}) // settles: purges every record
	if err != nil || len(conns) != 0 {
		t.Fatalf("after the purge: %d connections (%v), want none", len(conns), err)
	}

	after := heapAfterGC()
	const slack = 4 << 20
	limit := 2*idle + idCost + slack
	t.Logf("heap: idle %d kB, after %d cycles and the purge %d kB (id source %d kB, limit %d kB)",
		idle>>10, churnCycles, after>>10, idCost>>10, limit>>10)
	if after > limit {
		t.Errorf("heap after the purge is %d kB, want at most 2 × idle (%d kB) + the id source (%d kB) + %d kB",
			after>>10, idle>>10, idCost>>10, slack>>10)
	}
	r.lock()
	defer r.unlock()
	if len(r.conns) != 0 || len(r.connsByOwner) != 0 || r.graveyard.items != nil || r.due.Len() != 0 {
		t.Errorf("region keeps %d conns, %d owner lists, %d graves, %d due entries",
			len(r.conns), len(r.connsByOwner), len(r.graveyard.items), r.due.Len())
	}
	runtime.KeepAlive(s)
}

// TestMeasurePurge measures what a region pays for heavy churn: the stall of the request that
// purges every record one retention later, and the heap and RSS before and after. Run it with
//
//	DXLOCAL_MEASURE=1 go test -run TestMeasurePurge -v -count=1 ./internal/store
//
// DXLOCAL_MEASURE_CYCLES sets the number of create+delete cycles (default 200000).
func TestMeasurePurge(t *testing.T) {
	if os.Getenv("DXLOCAL_MEASURE") != "1" {
		t.Skip("set DXLOCAL_MEASURE=1 to measure")
	}
	n := churnCycles
	if v := os.Getenv("DXLOCAL_MEASURE_CYCLES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			t.Fatal(err)
		}
	}
	s, clk := newTestStore(t, 0)
	r := s.Region("us-east-1")
	c := Caller{Account: "111111111111", Region: "us-east-1"}
	idleHeap, idleRSS := heapAfterGC(), rssAfterScavenge(t)

	began := time.Now()
	churn(t, r, n)
	churned := time.Since(began)
	churnHeap, churnRSS := heapAfterGC(), rssAfterScavenge(t)

	clk.Advance(DefaultRetention)
	cpuBefore := processCPU(t)
	began = time.Now()
	if _, _, err := r.DescribeConnections(c, "", page.Request{Max: new(int32(1))}); err != nil {
		t.Fatal(err)
	}
	stall := time.Since(began)
	cpu := processCPU(t) - cpuBefore
	afterHeap, afterRSS := heapAfterGC(), rssAfterScavenge(t)
	runtime.KeepAlive(s)

	t.Logf("%d create+delete cycles in one account took %v", n, churned)
	t.Logf("stall of the request that purges them: %v (process CPU time meanwhile: %v)", stall, cpu)
	t.Logf("HeapAlloc: idle %d kB, after the cycles %d kB, after the purge %d kB", idleHeap>>10, churnHeap>>10, afterHeap>>10)
	t.Logf("VmRSS (after debug.FreeOSMemory): idle %d kB, after the cycles %d kB, after the purge %d kB", idleRSS, churnRSS, afterRSS)
}

// rssAfterScavenge returns this process's VmRSS in kB once freed memory is returned to the OS.
func rssAfterScavenge(t *testing.T) int {
	t.Helper()
	debug.FreeOSMemory()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				t.Fatal(err)
			}
			return kb
		}
	}
	t.Fatal("no VmRSS in /proc/self/status")
	return 0
}
