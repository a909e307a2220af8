package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A journal read waiting for events does not hold up a stop: it is answered at once.
func TestStopEndsWaitingJournalReads(t *testing.T) {
	r := startRun(t)
	answered := make(chan int, 1)
	go func() {
		resp, err := client.Get("http://" + r.addr + "/_dxlocal/journal?kind=change&wait=60s")
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	// Wait until the read is in: a read of the same kind answers only after it.
	for {
		resp, err := client.Get("http://" + r.addr + "/_dxlocal/health")
		if err == nil {
			resp.Body.Close()
			break
		}
	}
	// Give the read time to reach its wait. Should it not have arrived yet, it is refused
	// rather than answered, which the last check allows: the stop must be quick either way.
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	if err := r.stop(t); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("stop took %v with a waiting journal read", took)
	}
	if status := <-answered; status != http.StatusOK && status != 0 {
		t.Fatalf("the waiting read got %d", status)
	}
}

// The same seed and the same calls give the same ids, in every run.
func TestSeedGivesTheSameIDs(t *testing.T) {
	create := func(args ...string) string {
		r := startRun(t, args...)
		req, _ := http.NewRequest(http.MethodPost, "http://"+r.addr+"/", strings.NewReader(`{"connectionName":"c","bandwidth":"1Gbps","location":"EqDC2"}`))
		req.Header.Set("X-Amz-Target", "OvertureService.CreateConnection")
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var c struct{ ConnectionId string }
		if err := json.NewDecoder(resp.Body).Decode(&c); err != nil || c.ConnectionId == "" {
			t.Fatalf("CreateConnection: %d %v", resp.StatusCode, err)
		}
		if err := r.stop(t); err != nil {
			t.Fatal(err)
		}
		return c.ConnectionId
	}
	a, b := create("-seed", "42"), create("-seed", "42")
	if a != b {
		t.Fatalf("seed 42 made %s, then %s", a, b)
	}
	if c := create("-seed", "43"); c == a {
		t.Fatalf("seeds 42 and 43 both made %s", a)
	}
}
