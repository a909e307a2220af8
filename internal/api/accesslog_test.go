package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/dxlocal/dxlocal/internal/api"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/store"
)

// loggedServer is a dxlocal whose log, at level, is observed.
func loggedServer(t *testing.T, level zapcore.Level) (*httptest.Server, *observer.ObservedLogs) {
	t.Helper()
	cat, err := location.LoadFile("testdata/catalog.json")
	if err != nil {
		t.Fatal(err)
	}
	core, logs := observer.New(level)
	h := api.New(api.Options{Store: store.New(store.Options{Catalog: cat}), Logger: zap.New(core),
		DefaultAccount: "123456789012", DefaultRegion: usEast})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, logs
}

// post sends one AWS JSON 1.1 call and returns the answer's status.
func post(t *testing.T, srv *httptest.Server, target, body string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "OvertureService."+target)
	return send(t, req)
}

func send(t *testing.T, req *http.Request) int {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// only returns the one entry with message msg.
func only(t *testing.T, logs *observer.ObservedLogs, msg string) observer.LoggedEntry {
	t.Helper()
	got := logs.FilterMessage(msg).AllUntimed()
	if len(got) != 1 {
		t.Fatalf("%d %q log entries, want 1: %+v", len(got), msg, logs.AllUntimed())
	}
	return got[0]
}

func TestRefusedCallLogsErrorTypeAndMessage(t *testing.T) {
	srv, logs := loggedServer(t, zapcore.InfoLevel)
	if status := post(t, srv, "DescribeConnections", `{"connectionId": "dxcon-nope0000"}`); status != 400 {
		t.Fatalf("status %d", status)
	}
	f := only(t, logs, "request").ContextMap()
	if f["operation"] != "DescribeConnections" || f["status"] != int64(400) || f["error"] != "DirectConnectClientException" {
		t.Fatalf("log fields %v, want the operation, 400 and the error type", f)
	}
	if msg, _ := f["message"].(string); !strings.Contains(msg, "dxcon-nope0000") {
		t.Fatalf("logged message %q does not name the connection", msg)
	}
	// Info level keeps no bodies.
	if _, ok := f["requestBody"]; ok {
		t.Errorf("info level logged the request body: %v", f)
	}
	if _, ok := f["responseBody"]; ok {
		t.Errorf("info level logged the response body: %v", f)
	}
}

func TestDebugLogsBodiesCut(t *testing.T) {
	srv, logs := loggedServer(t, zapcore.DebugLevel)
	// An unknown member pads the request past the bound; it is ignored, the call succeeds.
	padded := `{"padding": "` + strings.Repeat("p", 10000) + `"}`
	if status := post(t, srv, "DescribeLocations", padded); status != 200 {
		t.Fatalf("status %d", status)
	}
	f := only(t, logs, "request").ContextMap()
	req, _ := f["requestBody"].(string)
	if !strings.HasPrefix(req, `{"padding": "pppp`) || !strings.HasSuffix(req, "... (10015 bytes)") || len(req) > 4096+len("... (10015 bytes)") {
		t.Errorf("requestBody (%d bytes) is not the body cut to 4 KiB with its length: %.60q...%q", len(req), req, req[max(0, len(req)-30):])
	}
	if resp, _ := f["responseBody"].(string); !strings.HasPrefix(resp, `{"locations":[`) {
		t.Errorf("responseBody %.80q, want the answer", resp)
	}
	if _, ok := f["error"]; ok {
		t.Errorf("a successful call logged an error: %v", f)
	}
}

func TestAdminCallsLogged(t *testing.T) {
	srv, logs := loggedServer(t, zapcore.InfoLevel)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/_dxlocal/catalog?x=1", nil)
	if status := send(t, req); status != 200 {
		t.Fatalf("catalog: %d", status)
	}
	req, _ = http.NewRequest(http.MethodPut, srv.URL+"/_dxlocal/nothing", strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	if status := send(t, req); status != 404 {
		t.Fatalf("unknown admin call: %d", status)
	}
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/_dxlocal/health", nil)
	send(t, req)
	got := logs.FilterMessage("admin").AllUntimed()
	if len(got) != 2 {
		t.Fatalf("%d admin log entries, want 2 (health is logged at debug only): %+v", len(got), got)
	}
	want := []map[string]any{
		{"method": "GET", "path": "/_dxlocal/catalog", "query": "x=1", "status": int64(200)},
		{"method": "PUT", "path": "/_dxlocal/nothing", "status": int64(404)},
	}
	for i, w := range want {
		f := got[i].ContextMap()
		for k, v := range w {
			if f[k] != v {
				t.Errorf("admin entry %d: %s = %v, want %v (%v)", i, k, f[k], v, f)
			}
		}
		if _, ok := f["duration"]; !ok || f["requestId"] == "" {
			t.Errorf("admin entry %d lacks duration or request id: %v", i, f)
		}
		if _, ok := f["responseBody"]; ok {
			t.Errorf("info level logged an admin body: %v", f)
		}
	}
}

func TestAdminDebugLogsBodies(t *testing.T) {
	srv, logs := loggedServer(t, zapcore.DebugLevel)
	req, _ := http.NewRequest(http.MethodPut, srv.URL+"/_dxlocal/partners/444444444444", strings.NewReader(`{"nniType": "v2"}`))
	req.Header.Set("Content-Type", "application/json")
	if status := send(t, req); status/100 != 2 {
		t.Fatalf("set partner: %d", status)
	}
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/_dxlocal/health", nil)
	send(t, req)
	got := logs.FilterMessage("admin").AllUntimed()
	if len(got) != 2 {
		t.Fatalf("%d admin entries at debug, want 2 (health included): %+v", len(got), got)
	}
	f := got[0].ContextMap()
	if f["requestBody"] != `{"nniType": "v2"}` {
		t.Errorf("requestBody %q", f["requestBody"])
	}
	if resp, _ := got[1].ContextMap()["responseBody"].(string); !strings.Contains(resp, `"ok"`) {
		t.Errorf("health responseBody %q", resp)
	}
}
