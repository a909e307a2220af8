package console_test

// The console at scale: the embedded catalog's 143 locations (with 40 10Gbps ports on each
// endpoint, so that they can hold them) and 10,000 dedicated connections of 10 accounts.
//
// BenchmarkConsoleRequests times each request the console makes, over loopback HTTP, to
// dxlocal started as the binary starts it (server.Run):
//
//	go test ./internal/console -run '^$' -bench ConsoleRequests -benchtime 20x -count 5
//
// TestConsoleAtScale opens each page in Chromium on the same state and reports how long the
// page took and each request it made (the browser's own resource timings); it asserts only
// that the DOM stays bounded. It runs with -console-scale:
//
//	go test ./internal/console -run ConsoleAtScale -console-scale -v

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/dxlocal/dxlocal/internal/location"
)

var consoleScale = flag.Bool("console-scale", false, "run TestConsoleAtScale (10,000 connections in the browser)")

const scaleConnections = 10000

// scaleCatalog is the embedded catalog with 40 10Gbps ports on every endpoint, and its file.
func scaleCatalog(tb testing.TB) (*location.Catalog, []byte) {
	type ep struct {
		Device string         `json:"device"`
		Ports  map[string]int `json:"ports"`
	}
	type loc struct {
		Code      string   `json:"code"`
		Name      string   `json:"name"`
		Region    string   `json:"region"`
		Providers []string `json:"providers"`
		MacSec    []string `json:"macSecPortSpeeds"`
		Endpoints []ep     `json:"endpoints"`
	}
	var doc struct {
		Locations []loc `json:"locations"`
	}
	for _, l := range location.Default().Locations {
		out := loc{Code: l.Code, Name: l.Name, Region: l.Region, Providers: l.Providers, MacSec: []string{}}
		for _, s := range l.MacSecSpeeds {
			out.MacSec = append(out.MacSec, string(s))
		}
		for _, e := range l.Endpoints {
			ports := map[string]int{}
			for s, n := range e.Ports {
				ports[string(s)] = n
			}
			ports["10Gbps"] = 40
			out.Endpoints = append(out.Endpoints, ep{Device: e.Device, Ports: ports})
		}
		doc.Locations = append(doc.Locations, out)
	}
	b, _ := json.Marshal(doc)
	cat, err := location.Load(bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	return cat, b
}

type scaleScene struct {
	base      string             // dxlocal's base URL
	site      *location.Location // the location the location page shows
	conn      string             // a connection at site, of account scaleAccount(0)
	lagAcct   string
	locations int
}

func scaleAccount(i int) string { return fmt.Sprintf("1111111111%02d", i%10) }

// newScaleScene starts dxlocal as the binary does, with the scale catalog, and makes the
// 10,000 connections with plain JSON calls from 4 goroutines (the SDK would add its own cost
// and is not what is measured), plus a LAG of 4 at the shown location.
func newScaleScene(tb testing.TB) *scaleScene {
	tb.Helper()
	cat, file := scaleCatalog(tb)
	path := filepath.Join(tb.TempDir(), "catalog.json")
	if err := os.WriteFile(path, file, 0o644); err != nil {
		tb.Fatal(err)
	}
	sc := &scaleScene{base: startDxlocal(tb, "-catalog", path), locations: len(cat.Locations), lagAcct: "222222222222"}
	sc.site = cat.InRegion(usEast)[0]
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	call := func(account, region, op, body string) (map[string]any, error) {
		req, _ := http.NewRequest("POST", sc.base+"/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "OvertureService."+op)
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+account+"/20261125/"+region+"/directconnect/aws4_request, SignedHeaders=host, Signature=x")
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: %d %v", op, resp.StatusCode, out)
		}
		return out, nil
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex // guards fail and sc.conn
		fail error
	)
	const workers = 4
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < scaleConnections; i += workers {
				l := cat.Locations[i%len(cat.Locations)]
				acct := scaleAccount(i / len(cat.Locations))
				out, err := call(acct, l.Region, "CreateConnection", fmt.Sprintf(`{"location":%q,"bandwidth":"10Gbps","connectionName":"conn-%05d"}`, l.Code, i))
				mu.Lock()
				if err != nil && fail == nil {
					fail = fmt.Errorf("connection %d at %s: %v", i, l.Code, err)
				}
				if err == nil && l.Code == sc.site.Code && acct == scaleAccount(0) && sc.conn == "" {
					sc.conn, _ = out["connectionId"].(string)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if fail != nil {
		tb.Fatal(fail)
	}
	if _, err := call(sc.lagAcct, usEast, "CreateLag", fmt.Sprintf(`{"location":%q,"connectionsBandwidth":"10Gbps","numberOfConnections":4,"lagName":"scale-lag"}`, sc.site.Code)); err != nil {
		tb.Fatal(err)
	}
	return sc
}

// consoleRequest is one request the console makes.
type consoleRequest struct {
	page, name string
	method     string
	path       string
	target     string // AWS operation, for POST /
	account    string
	body       string
}

func (sc *scaleScene) requests() []consoleRequest {
	code, region := sc.site.Code, sc.site.Region
	a0 := scaleAccount(0)
	return []consoleRequest{
		{page: "all", name: "GET index.html", method: "GET", path: "/_dxlocal/ui/"},
		{page: "all", name: "GET app.js", method: "GET", path: "/_dxlocal/ui/static/app.js"},
		{page: "all", name: "GET /_dxlocal/clock", method: "GET", path: "/_dxlocal/clock"},
		{page: "overview", name: "GET /_dxlocal/catalog", method: "GET", path: "/_dxlocal/catalog"},
		{page: "location", name: "GET /_dxlocal/catalog?location=", method: "GET", path: "/_dxlocal/catalog?location=" + code},
		{page: "location", name: "GET /_dxlocal/resources?region=", method: "GET", path: "/_dxlocal/resources?region=" + region},
		{page: "location", name: "DescribeLags (one account)", method: "POST", target: "DescribeLags", account: sc.lagAcct, body: `{}`},
		{page: "location", name: "DescribeConnections (degraded mode: all of one account in the region)", method: "POST", target: "DescribeConnections", account: a0, body: `{}`},
		{page: "location", name: "DescribeVirtualInterfaces (port panel)", method: "POST", target: "DescribeVirtualInterfaces", account: a0, body: `{"connectionId":"` + sc.conn + `"}`},
		{page: "resources", name: "GET /_dxlocal/resources", method: "GET", path: "/_dxlocal/resources"},
		{page: "resource", name: "GET /_dxlocal/resources/{id}", method: "GET", path: "/_dxlocal/resources/" + sc.conn},
		{page: "resource", name: "DescribeConnections {connectionId}", method: "POST", target: "DescribeConnections", account: a0, body: `{"connectionId":"` + sc.conn + `"}`},
		{page: "resource", name: "DescribeTags", method: "POST", target: "DescribeTags", account: a0, body: `{"resourceArns":["arn:aws:directconnect:` + region + `:` + a0 + `:dxcon/` + sc.conn + `"]}`},
		{page: "resource", name: "GET /_dxlocal/journal?resource=", method: "GET", path: "/_dxlocal/journal?resource=" + sc.conn + "&limit=10000"},
		{page: "activity", name: "GET /_dxlocal/journal?resource=- (where the journal ends)", method: "GET", path: "/_dxlocal/journal?resource=-"},
		{page: "activity", name: "GET /_dxlocal/journal?after=&limit=300&wait=10s (events there)", method: "GET", path: "/_dxlocal/journal?after=0&limit=300&wait=10s"},
	}
}

// do sends r once and answers its status and size.
func (sc *scaleScene) do(client *http.Client, r consoleRequest) (int, int, error) {
	var req *http.Request
	if r.method == "GET" {
		req, _ = http.NewRequest("GET", sc.base+r.path, nil)
	} else {
		req, _ = http.NewRequest("POST", sc.base+"/", strings.NewReader(r.body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "OvertureService."+r.target)
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+r.account+"/20261125/"+sc.site.Region+"/directconnect/aws4_request, SignedHeaders=host, Signature=x")
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, int(n), err
}

func BenchmarkConsoleRequests(b *testing.B) {
	sc := newScaleScene(b)
	client := &http.Client{}
	for _, r := range sc.requests() {
		status, size, err := sc.do(client, r)
		if err != nil {
			b.Fatal(err)
		}
		if status == http.StatusNotFound {
			b.Logf("%s: %d on this dxlocal, not measured", r.name, status)
			continue
		}
		b.Run(strings.NewReplacer(" ", "_", "/", "|").Replace(r.page+":"+r.name), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := sc.do(client, r); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size), "bytes/resp")
		})
	}
}

// TestConsoleAtScale loads every page in the browser over 10,000 connections and reports what
// it took; the DOM must stay bounded.
func TestConsoleAtScale(t *testing.T) {
	if !*consoleScale {
		t.Skip("run with -console-scale: it builds 10,000 connections and loads every page in Chromium")
	}
	sc := newScaleScene(t)
	ctx := tab(t)
	pages := []struct{ name, path, ready string }{
		{"overview", "/_dxlocal/ui/", `document.querySelectorAll('tr[data-location]').length === ` + fmt.Sprint(sc.locations)},
		{"location", "/_dxlocal/ui/locations/" + sc.site.Code, `document.querySelectorAll('button.port').length > 0`},
		{"resources", "/_dxlocal/ui/resources", `true`},
		{"resource", "/_dxlocal/ui/resources/" + sc.conn, `true`},
		{"activity", "/_dxlocal/ui/activity", `document.querySelectorAll('#feed tr').length > 0 || !!document.querySelector('.note.missing')`},
	}
	for _, p := range pages {
		open(t, ctx, sc.base+p.path)
		waitFor(t, ctx, p.ready)
		type timing struct {
			Name     string  `json:"name"`
			Duration float64 `json:"duration"`
			Size     float64 `json:"size"`
		}
		entries := eval[[]timing](t, ctx, `performance.getEntriesByType('resource').map(e => ({name: e.name.replace(location.origin, '') + (e.initiatorType === 'fetch' && e.name.endsWith('/') ? ' (AWS API)' : ''), duration: e.duration, size: e.transferSize}))`)
		ready := eval[float64](t, ctx, `performance.now()`)
		nodes := eval[int](t, ctx, `document.getElementsByTagName('*').length`)
		sort.Slice(entries, func(i, j int) bool { return entries[i].Duration > entries[j].Duration })
		t.Logf("%s: drawn %.0f ms after navigation start, %d DOM elements", p.name, ready, nodes)
		for _, e := range entries {
			t.Logf("    %7.1f ms %9.0f B  %s", e.Duration, e.Size, e.Name)
		}
		if nodes > 20000 {
			t.Errorf("%s has %d DOM elements: the page does not bound what it draws", p.name, nodes)
		}
	}
}
