package journal

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dxlocal/dxlocal/internal/clock"
)

// body is a request body of n bytes naming id.
func body(id string, n int) []byte {
	s := fmt.Sprintf(`{"connectionId":%q,"pad":"`, id)
	s += strings.Repeat("x", n-len(s)-2) + `"}`
	return []byte(s)
}

// heldBodies sums the bodies a read from the start answers.
func heldBodies(j *Journal) (held, dropped int) {
	events, _, _ := j.Read(Query{})
	for _, e := range events {
		held += cap(e.Request)
		if e.RequestDropped > 0 {
			dropped++
		}
	}
	return held, dropped
}

// A journal of 1 MiB bodies would hold 100 GB at its default capacity; it holds its budget of
// body bytes at most, dropping the oldest bodies and keeping the ids they named.
func TestBodiesStayWithinTheBudget(t *testing.T) {
	j := New(100, clock.NewManual(t0))
	j.LimitBodies(10_000)
	// A call that began first and ends last, after its number has been passed by the walk.
	slow := j.Begin()
	for i := range 250 {
		j.Record(Event{Operation: "DescribeConnections", Request: body(fmt.Sprintf("dxcon-f%04d", i), 1000)})
		if got := j.BodyBytes(); got > 10_000 {
			t.Fatalf("after event %d the journal holds %d body bytes, budget 10000", i, got)
		}
	}
	slow.End(Event{Operation: "CreateConnection", Request: body("dxcon-slow", 5000)})
	if got := j.BodyBytes(); got > 10_000 {
		t.Fatalf("after the slow call the journal holds %d body bytes", got)
	}
	held, dropped := heldBodies(j)
	if held != j.BodyBytes() || dropped == 0 {
		t.Fatalf("events hold %d body bytes, the count is %d; %d dropped", held, j.BodyBytes(), dropped)
	}
	// The newest event keeps its body; an old one lost it but is still found by its id.
	events, _, _ := j.Read(Query{Resource: "dxcon-f0160"})
	if len(events) != 1 || events[0].Request != nil || events[0].RequestDropped != 1000 {
		t.Fatalf("read of dxcon-f0160: %+v", events)
	}
	if ids := events[0].ResourceIDs(); len(ids) != 1 || ids[0] != "dxcon-f0160" {
		t.Fatalf("dropped event names %v", ids)
	}
	events, _, _ = j.Read(Query{Resource: "dxcon-f0249"})
	if len(events) != 1 || len(events[0].Request) != 1000 || events[0].RequestDropped != 0 {
		t.Fatalf("the newest event lost its body: %+v", events)
	}
}

// Events pushed out of the ring give their bytes back.
func TestOverwrittenEventsGiveTheirBytesBack(t *testing.T) {
	j := New(10, clock.NewManual(t0))
	for i := range 95 {
		j.Record(Event{Operation: "DescribeConnections", Request: body(fmt.Sprintf("dxcon-f%04d", i), 100)})
	}
	// A body's buffer may be a little larger than the body (the allocator's size classes).
	if held, _ := heldBodies(j); held != j.BodyBytes() || held < 1000 || held > 1280 {
		t.Fatalf("a ring of 10 events of 100 bytes holds %d (count %d)", held, j.BodyBytes())
	}
}
