//go:build unix

package api_test

// Benchmarks of the AWS JSON 1.1 path with raw requests (no SDK client, so that its cost does
// not hide the server's). Each benchmark has two variants:
//
//   - server: handler.ServeHTTP with a reused request and a discarding ResponseWriter, the
//     pure server cost (routing, middleware, decode, store, encode);
//   - http: the same handler behind httptest.NewServer, called over loopback with a
//     keep-alive http.Client; this adds net/http on both sides and the client's reads.
//
// Run them with, for example:
//
//	go test ./internal/api -run '^$' -bench . -benchmem -count 6
//
// Besides ns/op (wall time), each reports cpu-ns/op: user+system CPU time of the whole test
// process per request (getrusage), GC included. In the server variant that is the server's
// CPU per request; in the http variant it is client and server together. On a shared, busy
// machine cpu-ns/op is much steadier than ns/op.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dxlocal/dxlocal/internal/api"
	"github.com/dxlocal/dxlocal/internal/clock"
	"github.com/dxlocal/dxlocal/internal/journal"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/store"
)

// benchAccount is the account of unsigned requests in the benchmark handler.
const benchAccount = "123456789012"

// benchCatalogJSON is a catalog of locations locations in us-east-1 named BL0000, BL0001, ...,
// each with devices devices of ports ports of speed speed.
func benchCatalogJSON(locations, devices, ports int, speed string) string {
	var b strings.Builder
	b.WriteString(`{"locations":[`)
	for l := range locations {
		if l > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"code":"BL%04d","name":"Bench %d","region":"us-east-1","providers":[],"macSecPortSpeeds":[],"endpoints":[`, l, l)
		for d := range devices {
			if d > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"device":"BL%04d-dev%04d","ports":{%q:%d}}`, l, d, speed, ports)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}`)
	return b.String()
}

// benchEnv is a handler over a store of its own catalog, with the real system clock.
type benchEnv struct {
	store   *store.Store
	handler http.Handler
}

func newBenchEnv(tb testing.TB, catalogJSON string) *benchEnv {
	return newBenchEnvJournal(tb, catalogJSON, false)
}

// newBenchEnvJournal is newBenchEnv with the journal on (as dxlocal runs) or off.
func newBenchEnvJournal(tb testing.TB, catalogJSON string, withJournal bool) *benchEnv {
	tb.Helper()
	cat, err := location.Load(strings.NewReader(catalogJSON))
	if err != nil {
		tb.Fatal(err)
	}
	clk := clock.NewShifted()
	o := store.Options{Catalog: cat, Clock: clk}
	var jr *journal.Journal
	if withJournal {
		jr = journal.New(0, clk)
		o.OnChange = jr.Observe
	}
	st := store.New(o)
	h := api.New(api.Options{Store: st, DefaultAccount: benchAccount, DefaultRegion: usEast, Journal: jr})
	return &benchEnv{store: st, handler: h}
}

// sinkWriter is a ResponseWriter that keeps the status and discards the body; reused across
// requests so that it costs next to nothing.
type sinkWriter struct {
	h      http.Header
	status int
	n      int
	body   []byte // kept only when keep is set
	keep   bool
}

func (w *sinkWriter) Header() http.Header { return w.h }
func (w *sinkWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
}
func (w *sinkWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.n += len(p)
	if w.keep {
		w.body = append(w.body, p...)
	}
	return len(p), nil
}

func (w *sinkWriter) reset() {
	clear(w.h)
	w.status, w.n, w.body = 0, 0, w.body[:0]
}

// rawCaller sends raw JSON 1.1 requests of one target to a handler (server variant) or to a
// URL (http variant).
type rawCaller struct {
	target string
	// server variant
	handler http.Handler
	req     *http.Request
	body    bytes.Reader
	w       sinkWriter
	// http variant
	url    string
	client *http.Client
}

func newServerCaller(h http.Handler, op string) *rawCaller {
	c := &rawCaller{target: "OvertureService." + op, handler: h, w: sinkWriter{h: http.Header{}}}
	c.req = httptest.NewRequest(http.MethodPost, "/", nil)
	c.req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	c.req.Header.Set("X-Amz-Target", c.target)
	return c
}

func newHTTPCaller(url string, op string) *rawCaller {
	return &rawCaller{target: "OvertureService." + op, url: url, client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}}
}

// do sends body and returns the status and the response size; with keep the body is returned
// too (server variant: valid until the next call).
func (c *rawCaller) do(tb testing.TB, body []byte, keep bool) (int, int, []byte) {
	if c.handler != nil {
		c.w.reset()
		c.w.keep = keep
		c.body.Reset(body)
		c.req.Body = io.NopCloser(&c.body)
		c.req.ContentLength = int64(len(body))
		c.handler.ServeHTTP(&c.w, c.req)
		return c.w.status, c.w.n, c.w.body
	}
	req, err := http.NewRequest(http.MethodPost, c.url+"/", bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", c.target)
	resp, err := c.client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if keep {
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			tb.Fatal(err)
		}
		return resp.StatusCode, len(b), b
	}
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp.StatusCode, int(n), nil
}

// mustOK sends body and fails unless the answer is 200; it returns the decoded answer.
func (c *rawCaller) mustOK(tb testing.TB, body string) map[string]any {
	tb.Helper()
	status, _, b := c.do(tb, []byte(body), true)
	if status != http.StatusOK {
		tb.Fatalf("%s %s: status %d: %s", c.target, body, status, b)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatalf("%s: answer is not JSON: %v", c.target, err)
	}
	return m
}

// cpuTime is the user+system CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measureCPU starts counting CPU time; the returned function reports cpu-ns/op.
func measureCPU(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op") }
}

// variants runs fn once per variant, with a function making a caller of an operation.
func variants(b *testing.B, e *benchEnv, fn func(b *testing.B, caller func(op string) *rawCaller)) {
	b.Run("server", func(b *testing.B) {
		fn(b, func(op string) *rawCaller { return newServerCaller(e.handler, op) })
	})
	b.Run("http", func(b *testing.B) {
		srv := httptest.NewServer(e.handler)
		defer srv.Close()
		fn(b, func(op string) *rawCaller { return newHTTPCaller(srv.URL, op) })
	})
}

// Sizes of the fixtures; the test below runs them small.
const (
	createDevices   = 64  // devices of the one location of BenchmarkCreateInterconnect
	createPorts     = 256 // 10Gbps ports per device: 16,384 interconnects before a reset
	listLocations   = 1000
	listPerLocation = 10 // the default quota of dedicated connections per account and location
)

// createInterconnectLoop creates n interconnects at BL0000; it resets the store (timer
// stopped) whenever the catalog's capacity is used up.
func createInterconnectLoop(b testing.TB, e *benchEnv, create *rawCaller, n, capacity int, stop, start func()) {
	body := []byte(`{"interconnectName":"bench","bandwidth":"10Gbps","location":"BL0000"}`)
	made := 0
	for range n {
		if made == capacity {
			stop()
			e.store.Reset()
			// Make the region (and its port pool) again outside the timer.
			create.mustOK(b, string(body))
			made = 1
			start()
		}
		if status, _, _ := create.do(b, body, false); status != http.StatusOK {
			b.Fatalf("CreateInterconnect: status %d", status)
		}
		made++
	}
}

func BenchmarkCreateInterconnect(b *testing.B) {
	e := newBenchEnv(b, benchCatalogJSON(1, createDevices, createPorts, "10Gbps"))
	variants(b, e, func(b *testing.B, caller func(string) *rawCaller) {
		e.store.Reset()
		create := caller("CreateInterconnect")
		create.mustOK(b, `{"interconnectName":"warm","bandwidth":"10Gbps","location":"BL0000"}`)
		b.ReportAllocs()
		b.ResetTimer()
		defer measureCPU(b)()
		createInterconnectLoop(b, e, create, b.N, createDevices*createPorts-1, b.StopTimer, b.StartTimer)
	})
}

// setupInterconnect creates one interconnect and returns the DescribeInterconnects body naming it.
func setupInterconnect(tb testing.TB, e *benchEnv) []byte {
	e.store.Reset()
	create := newServerCaller(e.handler, "CreateInterconnect")
	m := create.mustOK(tb, `{"interconnectName":"one","bandwidth":"10Gbps","location":"BL0000"}`)
	id, _ := m["interconnectId"].(string)
	if id == "" {
		tb.Fatalf("CreateInterconnect answered no interconnectId: %v", m)
	}
	return []byte(`{"interconnectId":"` + id + `"}`)
}

func BenchmarkDescribeInterconnectsByID(b *testing.B) {
	e := newBenchEnv(b, benchCatalogJSON(1, 4, 16, "10Gbps"))
	body := setupInterconnect(b, e)
	variants(b, e, func(b *testing.B, caller func(string) *rawCaller) {
		describe := caller("DescribeInterconnects")
		describe.mustOK(b, string(body))
		b.ReportAllocs()
		b.ResetTimer()
		defer measureCPU(b)()
		for range b.N {
			if status, _, _ := describe.do(b, body, false); status != http.StatusOK {
				b.Fatalf("DescribeInterconnects: status %d", status)
			}
		}
	})
}

// setupConnections creates perLocation dedicated connections at each of locations locations
// through the API (the default quota of 10 per location holds) and settles them.
func setupConnections(tb testing.TB, e *benchEnv, locations, perLocation int) {
	e.store.Reset()
	create := newServerCaller(e.handler, "CreateConnection")
	for l := range locations {
		body := []byte(fmt.Sprintf(`{"connectionName":"c","bandwidth":"1Gbps","location":"BL%04d"}`, l))
		for range perLocation {
			if status, _, b := create.do(tb, body, true); status != http.StatusOK {
				tb.Fatalf("CreateConnection: status %d: %s", status, b)
			}
		}
	}
}

func BenchmarkDescribeConnectionsList10k(b *testing.B) {
	e := newBenchEnv(b, benchCatalogJSON(listLocations, 1, 16, "1Gbps"))
	setupConnections(b, e, listLocations, listPerLocation)
	want := listLocations * listPerLocation
	variants(b, e, func(b *testing.B, caller func(string) *rawCaller) {
		list := caller("DescribeConnections")
		m := list.mustOK(b, `{}`) // also settles every connection to available
		if got := len(m["connections"].([]any)); got != want {
			b.Fatalf("listed %d connections, want %d", got, want)
		}
		body := []byte(`{}`)
		b.ReportAllocs()
		b.ResetTimer()
		defer measureCPU(b)()
		var size int
		for range b.N {
			status, n, _ := list.do(b, body, false)
			if status != http.StatusOK {
				b.Fatalf("DescribeConnections: status %d", status)
			}
			size = n
		}
		b.ReportMetric(float64(size), "resp-bytes")
	})
}

// TestBenchFixtures runs the benchmarks' fixtures small, so that they do not rot unseen.
func TestBenchFixtures(t *testing.T) {
	e := newBenchEnv(t, benchCatalogJSON(1, 2, 3, "10Gbps"))
	e.store.Reset()
	create := newServerCaller(e.handler, "CreateInterconnect")
	create.mustOK(t, `{"interconnectName":"warm","bandwidth":"10Gbps","location":"BL0000"}`)
	createInterconnectLoop(t, e, create, 20, 2*3-1, func() {}, func() {})

	body := setupInterconnect(t, e)
	srv := httptest.NewServer(e.handler)
	defer srv.Close()
	for _, c := range []*rawCaller{newServerCaller(e.handler, "DescribeInterconnects"), newHTTPCaller(srv.URL, "DescribeInterconnects")} {
		m := c.mustOK(t, string(body))
		if got := len(m["interconnects"].([]any)); got != 1 {
			t.Fatalf("described %d interconnects, want 1", got)
		}
	}

	e = newBenchEnv(t, benchCatalogJSON(5, 1, 16, "1Gbps"))
	setupConnections(t, e, 5, listPerLocation)
	m := newServerCaller(e.handler, "DescribeConnections").mustOK(t, `{}`)
	if got := len(m["connections"].([]any)); got != 5*listPerLocation {
		t.Fatalf("listed %d connections, want %d", got, 5*listPerLocation)
	}
}

// The journal's cost on the hot path: the same describe-by-id and 10,000-item list with the
// journal off and on (as dxlocal runs), no fault in force, server variant. Compare with
//
//	go test ./internal/api -run '^$' -bench 'Journal' -benchmem -count 6

func journalModes(b *testing.B, fn func(b *testing.B, withJournal bool)) {
	for _, on := range []bool{false, true} {
		name := "journal=off"
		if on {
			name = "journal=on"
		}
		b.Run(name, func(b *testing.B) { fn(b, on) })
	}
}

func BenchmarkJournalDescribeInterconnectsByID(b *testing.B) {
	journalModes(b, func(b *testing.B, on bool) {
		e := newBenchEnvJournal(b, benchCatalogJSON(1, 4, 16, "10Gbps"), on)
		body := setupInterconnect(b, e)
		describe := newServerCaller(e.handler, "DescribeInterconnects")
		describe.mustOK(b, string(body))
		// Fill the journal first: a long-running dxlocal has a full ring, which no longer grows
		// and which the garbage collector scans. (Without the journal, the same calls.)
		for range journal.DefaultCapacity {
			describe.do(b, body, false)
		}
		runtime.GC()
		b.ReportAllocs()
		b.ResetTimer()
		defer measureCPU(b)()
		for range b.N {
			if status, _, _ := describe.do(b, body, false); status != http.StatusOK {
				b.Fatalf("DescribeInterconnects: status %d", status)
			}
		}
	})
}

func BenchmarkJournalDescribeConnectionsList10k(b *testing.B) {
	journalModes(b, func(b *testing.B, on bool) {
		e := newBenchEnvJournal(b, benchCatalogJSON(listLocations, 1, 16, "1Gbps"), on)
		setupConnections(b, e, listLocations, listPerLocation)
		list := newServerCaller(e.handler, "DescribeConnections")
		list.mustOK(b, `{}`)
		body := []byte(`{}`)
		b.ReportAllocs()
		b.ResetTimer()
		defer measureCPU(b)()
		for range b.N {
			if status, _, _ := list.do(b, body, false); status != http.StatusOK {
				b.Fatalf("DescribeConnections: status %d", status)
			}
		}
	})
}

// BenchmarkJournalFullMemory reports the heap a full journal holds: 100,000 events, half calls
// (a describe-by-id with its body, as the handler keeps it) and half changes.
func BenchmarkJournalFullMemory(b *testing.B) {
	for range b.N {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		j := journal.New(0, clock.NewShifted())
		at := time.Now()
		for i := range journal.DefaultCapacity / 2 {
			body := []byte(fmt.Sprintf(`{"connectionId":"dxcon-f%07d"}`, i))
			j.Record(journal.Event{RequestID: uuid.NewString(), Account: "123456789012", Region: "us-east-1",
				Operation: "DescribeConnections", Status: 200, Request: body})
			j.Change(at, fmt.Sprintf("dxcon-f%07d", i), "connection", "123456789012", "us-east-1", "pending", "available", "clock")
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		if j.Len() != journal.DefaultCapacity {
			b.Fatalf("journal holds %d events", j.Len())
		}
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB")
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(journal.DefaultCapacity), "B/event")
		runtime.KeepAlive(j)
	}
}
