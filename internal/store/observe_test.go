package store

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/clock"
	"github.com/dxlocal/dxlocal/internal/id"
	"github.com/dxlocal/dxlocal/internal/location"
)

// recorder keeps every change a store reports.
type recorder struct {
	mu      sync.Mutex // guards changes
	changes []Change
}

func (r *recorder) observe(c Change) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.changes = append(r.changes, c)
}

// of lists the changes of one resource as "from>to/cause".
func (r *recorder) of(id string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, c := range r.changes {
		if c.ResourceID == id {
			out = append(out, c.From+">"+c.To+"/"+c.Cause)
		}
	}
	return out
}

func newObservedStore(t *testing.T, dwell time.Duration) (*Store, *clock.Manual, *recorder) {
	t.Helper()
	cat, err := location.Load(strings.NewReader(testCatalog))
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	clk := clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	s := New(Options{Catalog: cat, Clock: clk, IDs: id.NewSource(7), Dwell: dwell, OnChange: rec.observe,
		Partners: []Partner{{Account: "333333333333"}}})
	return s, clk, rec
}

func wantChanges(t *testing.T, rec *recorder, id string, want ...string) {
	t.Helper()
	if got := rec.of(id); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("changes of %s:\n got %v\nwant %v", id, got, want)
	}
}

func TestChangesOfAConnection(t *testing.T) {
	s, clk, rec := newObservedStore(t, time.Minute)
	r := s.Region("us-east-1")
	c := Caller{Account: "111111111111", Region: "us-east-1"}
	conn, err := r.CreateConnection(c, NewConnection{Location: "LocA", Bandwidth: "1Gbps", Name: "a"})
	if err != nil {
		t.Fatal(err)
	}
	wantChanges(t, rec, conn.ID, ">requested/call")
	clk.Advance(2 * time.Minute)
	s.Settle()
	wantChanges(t, rec, conn.ID, ">requested/call", "requested>pending/clock", "pending>available/clock")
	if _, err := r.DeleteConnection(c, conn.ID); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	s.Settle()
	wantChanges(t, rec, conn.ID, ">requested/call", "requested>pending/clock", "pending>available/clock",
		"available>deleting/call", "deleting>deleted/clock")
	rec.mu.Lock()
	last := rec.changes[len(rec.changes)-1]
	rec.mu.Unlock()
	if want := time.Date(2026, 1, 1, 0, 3, 0, 0, time.UTC); !last.At.Equal(want) || last.Type != TypeConnection || last.Account != c.Account || last.Region != "us-east-1" {
		t.Fatalf("last change %+v, want at %v for the connection of %s", last, want, c.Account)
	}
}

func TestChangesOfALagAreReportedOncePerDerivedState(t *testing.T) {
	s, clk, rec := newObservedStore(t, 0)
	r := s.Region("us-east-1")
	c := Caller{Account: "111111111111", Region: "us-east-1"}
	l, err := r.CreateLag(c, NewLag{NumberOfConnections: 2, Location: "LocA", Bandwidth: "10Gbps", Name: "l"})
	if err != nil {
		t.Fatal(err)
	}
	wantChanges(t, rec, l.ID, ">pending/call")
	clk.Advance(time.Second)
	s.Settle()
	// Both members settle in one go; the LAG goes straight to available.
	wantChanges(t, rec, l.ID, ">pending/call", "pending>available/clock")
	if _, err := r.UpdateLag(c, l.ID, LagUpdate{MinimumLinks: ptr(2)}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.DisassociateConnectionFromLag(c, l.Members[0].ID, l.ID); err == nil {
		t.Fatal("removal below minimum links was allowed")
	}
	if _, err := r.DeleteConnection(c, l.Members[0].ID); err == nil {
		t.Fatal("deleting a member below minimum links was allowed")
	}
	if _, err := r.UpdateLag(c, l.ID, LagUpdate{MinimumLinks: ptr(0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.DeleteLag(c, l.ID); err != nil {
		t.Fatal(err)
	}
	wantChanges(t, rec, l.ID, ">pending/call", "pending>available/clock", "available>deleted/call")
}

func TestChangesOfAHostedConnection(t *testing.T) {
	s, _, rec := newObservedStore(t, 0)
	r := s.Region("us-east-1")
	p := Caller{Account: "333333333333", Region: "us-east-1"}
	ic, err := r.CreateInterconnect(p, NewInterconnect{Location: "LocA", Bandwidth: "10Gbps", Name: "ic"})
	if err != nil {
		t.Fatal(err)
	}
	h, err := r.AllocateHostedConnection(p, NewHosted{ParentID: ic.ID, OwnerAccount: "111111111111", Bandwidth: "1Gbps", VLAN: 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ConfirmConnection(Caller{Account: "111111111111", Region: "us-east-1"}, h.ID); err != nil {
		t.Fatal(err)
	}
	s.Settle()
	wantChanges(t, rec, h.ID, ">ordering/call", "ordering>pending/call", "pending>available/clock")
	wantChanges(t, rec, ic.ID, ">requested/call", "requested>pending/clock", "pending>available/clock")
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, c := range rec.changes {
		if c.ResourceID == h.ID && (c.Type != TypeHostedConnection || c.Account != "111111111111") {
			t.Fatalf("hosted change %+v: want type %s, the customer's account", c, TypeHostedConnection)
		}
		if c.ResourceID == ic.ID && c.Type != TypeInterconnect {
			t.Fatalf("interconnect change %+v", c)
		}
	}
}

func TestNextDue(t *testing.T) {
	s, clk, _ := newObservedStore(t, time.Minute)
	if _, ok := s.NextDue(); ok {
		t.Fatal("an empty store has something due")
	}
	start := clk.Now()
	r := s.Region("us-east-1")
	if _, err := r.CreateLag(Caller{Account: "111111111111", Region: "us-east-1"}, NewLag{NumberOfConnections: 1, Location: "LocA", Bandwidth: "10Gbps"}); err != nil {
		t.Fatal(err)
	}
	if at, ok := s.NextDue(); !ok || !at.Equal(start.Add(time.Minute)) {
		t.Fatalf("NextDue = %v %v, want %v", at, ok, start.Add(time.Minute))
	}
}
