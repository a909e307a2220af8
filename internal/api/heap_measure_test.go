//go:build unix

package api_test

import (
	"fmt"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
)

// TestMeasureVIFHeap reports the live heap of 10,000 connections with one private VIF each
// (1,000 locations of 10), before any list and after one, and writes heap profiles of both to
// DXLOCAL_HEAP_PROFILE.before.journal=B and .after.journal=B when that is set; once without the
// journal and once with it, as dxlocal runs. Run it with
//
//	DXLOCAL_MEASURE=1 go test -run TestMeasureVIFHeap -v -count=1 ./internal/api
func TestMeasureVIFHeap(t *testing.T) {
	if os.Getenv("DXLOCAL_MEASURE") != "1" {
		t.Skip("set DXLOCAL_MEASURE=1 to measure")
	}
	if os.Getenv("DXLOCAL_HEAP_PROFILE") != "" {
		// Sample every 64 bytes instead of every 512 KiB, so that the profile's figures are
		// close to exact; the setup runs a few times slower.
		defer func(rate int) { runtime.MemProfileRate = rate }(runtime.MemProfileRate)
		runtime.MemProfileRate = 64
	}
	for _, withJournal := range []bool{false, true} {
		t.Run(fmt.Sprintf("journal=%v", withJournal), func(t *testing.T) { measureVIFHeap(t, withJournal) })
	}
}

func measureVIFHeap(t *testing.T, withJournal bool) {
	const locations = 1000
	e := newBenchEnvJournal(t, benchCatalogJSON(locations, 1, 16, "1Gbps"), withJournal)
	setupConnections(t, e, locations, listPerLocation)
	list := newServerCaller(e.handler, "DescribeConnections").mustOK(t, `{}`)
	create := newServerCaller(e.handler, "CreatePrivateVirtualInterface")
	for _, c := range list["connections"].([]any) {
		id := c.(map[string]any)["connectionId"].(string)
		create.mustOK(t, fmt.Sprintf(benchVIFCreate, id, 101, benchVGW))
	}
	list = nil
	live := func(name string) {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		t.Logf("%s: live heap %.1f MB (%d objects)", name, float64(m.HeapAlloc)/(1<<20), m.HeapObjects)
		if p := os.Getenv("DXLOCAL_HEAP_PROFILE"); p != "" {
			f, err := os.Create(fmt.Sprintf("%s.%s.journal=%v", p, name, withJournal))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
				t.Fatal(err)
			}
		}
	}
	live("before")
	describe := newServerCaller(e.handler, "DescribeVirtualInterfaces")
	if status, n, _ := describe.do(t, []byte(`{}`), false); status != http.StatusOK || n < locations*listPerLocation*100 {
		t.Fatalf("list: status %d, %d bytes", status, n)
	}
	live("after")
	runtime.KeepAlive(e)
}
