package journal

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/clock"
)

var t0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func seqs(events []Event) []uint64 {
	out := make([]uint64, len(events))
	for i, e := range events {
		out[i] = e.Seq
	}
	return out
}

func TestACallComesBeforeItsChangesAndHidesLaterEventsUntilItEnds(t *testing.T) {
	j := New(0, clock.NewManual(t0))
	call := j.Begin()
	j.Change(t0, "dxcon-fa", "connection", "111111111111", "us-east-1", "", "requested", "call")
	if events, last, _ := j.Read(Query{}); len(events) != 0 || last != 0 {
		t.Fatalf("a change after a running call was visible: %v, last %d", seqs(events), last)
	}
	call.End(Event{Operation: "CreateConnection", Status: 200, Account: "111111111111", Region: "us-east-1"})
	events, last, wake := j.Read(Query{})
	if !slices.Equal(seqs(events), []uint64{1, 2}) || last != 2 || wake != nil {
		t.Fatalf("events %v last %d", seqs(events), last)
	}
	if events[0].Kind != KindCall || events[1].Kind != KindChange || !events[0].Time.Equal(t0) {
		t.Fatalf("events %+v", events)
	}
}

func TestFilters(t *testing.T) {
	j := New(0, clock.NewManual(t0))
	j.Record(Event{Operation: "CreateConnection", Account: "111111111111", Request: []byte(`{"location":"EqDC2"}`), Created: []string{"dxcon-fa"}})
	j.Change(t0, "dxcon-fa", "connection", "111111111111", "us-east-1", "", "requested", "call")
	j.Record(Event{Operation: "DescribeConnections", Account: "222222222222", Request: []byte(`{"connectionId":"dxcon-fa"}`)})
	j.Record(Event{Operation: "DescribeConnections", Account: "222222222222", Request: []byte(`{"connectionId":"dxcon-fb"}`)})
	cases := []struct {
		q    Query
		want []uint64
	}{
		{Query{}, []uint64{1, 2, 3, 4}},
		{Query{After: 2}, []uint64{3, 4}},
		{Query{Kind: KindChange}, []uint64{2}},
		{Query{Operation: "DescribeConnections"}, []uint64{3, 4}},
		{Query{Resource: "dxcon-fa"}, []uint64{1, 2, 3}},
		{Query{Account: "111111111111"}, []uint64{1, 2}},
		{Query{Limit: 2}, []uint64{1, 2}},
		{Query{Kind: KindCall, Account: "222222222222", Limit: 1}, []uint64{3}},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%+v", tc.q), func(t *testing.T) {
			events, last, _ := j.Read(tc.q)
			if !slices.Equal(seqs(events), tc.want) {
				t.Fatalf("got %v, want %v", seqs(events), tc.want)
			}
			wantLast := uint64(4)
			if tc.q.Limit > 0 && len(tc.want) == tc.q.Limit {
				wantLast = tc.want[len(tc.want)-1]
			}
			if last != wantLast {
				t.Fatalf("last %d, want %d", last, wantLast)
			}
		})
	}
}

func TestRingKeepsTheLatestAndClearKeepsNumbering(t *testing.T) {
	j := New(3000, clock.NewManual(t0))
	for range 5000 {
		j.Record(Event{Operation: "DescribeLocations"})
	}
	events, last, _ := j.Read(Query{})
	if len(events) != 3000 || events[0].Seq != 2001 || last != 5000 || j.Len() != 3000 {
		t.Fatalf("%d events from %d, last %d, len %d", len(events), events[0].Seq, last, j.Len())
	}
	j.Clear()
	if events, last, _ := j.Read(Query{}); len(events) != 0 || last != 5000 {
		t.Fatalf("after Clear: %d events, last %d", len(events), last)
	}
	j.Record(Event{Operation: "DescribeLocations"})
	if events, _, _ := j.Read(Query{}); len(events) != 1 || events[0].Seq != 5001 {
		t.Fatalf("after Clear the next event is %v", seqs(events))
	}
}

func TestWakeOnAppend(t *testing.T) {
	j := New(0, clock.NewManual(t0))
	_, _, wake := j.Read(Query{Kind: KindChange})
	if wake == nil {
		t.Fatal("no wake channel when nothing matched")
	}
	go j.Change(t0, "dxcon-fa", "connection", "1", "r", "pending", "available", "clock")
	<-wake
	if events, _, _ := j.Read(Query{Kind: KindChange}); len(events) != 1 || events[0].To != "available" {
		t.Fatalf("after the wake: %+v", events)
	}
}

// Every number is used once and readers see them in order, whatever runs in parallel.
func TestConcurrentWritersAndReaders(t *testing.T) {
	j := New(1<<20, clock.NewManual(t0))
	const writers, perWriter = 8, 500
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				c := j.Begin()
				j.Change(t0, fmt.Sprintf("dxcon-%d-%d", w, i), "connection", "1", "r", "", "requested", "call")
				c.End(Event{Operation: "CreateConnection"})
			}
		}()
	}
	done := make(chan struct{})
	var seen []uint64
	go func() {
		defer close(done)
		var after uint64
		for after < 2*writers*perWriter {
			events, last, wake := j.Read(Query{After: after})
			seen = append(seen, seqs(events)...)
			after = last
			if wake != nil {
				<-wake
			}
		}
	}()
	wg.Wait()
	<-done
	if len(seen) != 2*writers*perWriter {
		t.Fatalf("saw %d events", len(seen))
	}
	for i, s := range seen {
		if s != uint64(i+1) {
			t.Fatalf("event %d has seq %d", i, s)
		}
	}
}

func TestIDs(t *testing.T) {
	cases := []struct{ body, want string }{
		{`{"connectionId":"dxcon-fa","lagId":"dxlag-fb"}`, "dxcon-fa dxlag-fb"},
		{`{"resourceArns":["arn:aws:directconnect:us-east-1:111111111111:dxcon/dxcon-fc","arn:aws:directconnect:us-east-1:111111111111:dxlag/dxlag-fd"]}`, "dxcon-fc dxlag-fd"},
		{`{"connections":[{"connectionId":"dxcon-fa","awsLogicalDeviceId":"EqDC2-1","lagId":"dxlag-fb"},{"connectionId":"dxcon-fa"}]}`, "dxcon-fa dxlag-fb"},
		{`{"location" : "EqDC2", "tags":[{"key":"connectionId","value":"x"}]}`, ""},
		{`{"virtualGatewayId": "vgw-12345678"}`, "vgw-12345678"},
		{`{"connectionId":"dxcon-\"x"}`, ""},
		{`not json "connectionId`, ""},
	}
	for _, tc := range cases {
		if got := fmt.Sprint(IDs(nil, []byte(tc.body))); got != "["+tc.want+"]" {
			t.Errorf("IDs(%s) = %s, want [%s]", tc.body, got, tc.want)
		}
	}
}

// A call still running when a whole ring of newer events has come in is dropped as the oldest;
// it does not overwrite the newer event in its slot.
func TestALongCallDoesNotOverwriteNewerEvents(t *testing.T) {
	j := New(1024, clock.NewManual(t0))
	long := j.Begin()
	for range 1100 {
		j.Record(Event{Operation: "DescribeLocations"})
	}
	long.End(Event{Operation: "DescribeConnections"})
	events, last, _ := j.Read(Query{})
	if last != 1101 || len(events) != 1024 || events[len(events)-1].Seq != 1101 {
		t.Fatalf("%d events, last %d", len(events), last)
	}
	for _, e := range events {
		if e.Operation != "DescribeLocations" {
			t.Fatalf("the long call (seq 1) came back into the ring: %+v", e)
		}
	}
}
