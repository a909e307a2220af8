package store

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/clock"
	"github.com/dxlocal/dxlocal/internal/id"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/page"
)

const testCatalog = `{"locations": [
 {"code": "LocA", "name": "A", "region": "us-east-1", "macSecPortSpeeds": ["10Gbps"],
  "endpoints": [{"device": "LocA-dev1", "ports": {"1Gbps": 4, "10Gbps": 4}}, {"device": "LocA-dev2", "ports": {"10Gbps": 3}}]}
]}`

func newTestStore(t *testing.T, dwell time.Duration) (*Store, *clock.Manual) {
	t.Helper()
	cat, err := location.Load(strings.NewReader(testCatalog))
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	return New(Options{Catalog: cat, Clock: clk, IDs: id.NewSource(7), Dwell: dwell, Partners: []Partner{{Account: "333333333333"}}}), clk
}

// checkPorts asserts the region's invariant: every port is held by a live connection or
// interconnect that reports that device, and every such resource holds exactly one port.
func checkPorts(t *testing.T, r *Region) {
	t.Helper()
	r.lock()
	defer r.unlock()
	held := map[string]string{}
	for _, d := range r.ports.Snapshot() {
		for _, p := range d.Ports {
			if p.HeldBy == "" {
				continue
			}
			if _, dup := held[p.HeldBy]; dup {
				t.Fatalf("%s holds two ports", p.HeldBy)
			}
			held[p.HeldBy] = d.Device
		}
	}
	for id, c := range r.conns {
		dev, ok := held[id]
		switch {
		case c.Kind == Hosted && ok:
			t.Fatalf("hosted connection %s holds a port", id)
		case c.Kind != Hosted && live(c.State) && (!ok || dev != c.Device):
			t.Fatalf("%s (%s) holds port on %q, reports %q", id, c.State, dev, c.Device)
		case c.Kind != Hosted && !live(c.State) && ok:
			t.Fatalf("%s is %s and still holds a port", id, c.State)
		}
		delete(held, id)
	}
	if len(held) > 0 {
		t.Fatalf("ports held by unknown holders: %v", held)
	}
	// The quota counter agrees with a recount.
	count := map[quotaKey]int{}
	for _, c := range r.conns {
		if c.Kind == Dedicated && live(c.State) {
			count[quotaKey{c.Owner, c.Location}]++
		}
	}
	for k, n := range r.dedicated {
		if count[k] != n {
			t.Fatalf("quota counter of %s at %s is %d, recount %d", k.account, k.loc.Code, n, count[k])
		}
	}
}

// hostedWithinCapacity checks behaviour.md §4.6: the live hosted bandwidth on an interconnect
// never exceeds its speed, on a LAG never its member speed × member count.
func hostedWithinCapacity(r *Region) error {
	r.lock()
	defer r.unlock()
	load := map[string]int{}
	for _, h := range r.conns {
		if h.Kind == Hosted && live(h.State) && h.State != StateDeleting {
			load[h.ParentID] += hostedMbps[h.Bandwidth]
		}
	}
	for id, mbps := range load {
		if ic, ok := r.conns[id]; ok {
			if capacity := speedMbps(ic.Bandwidth); mbps > capacity {
				return fmt.Errorf("interconnect %s carries %d of %d Mbps", id, mbps, capacity)
			}
		} else if l, ok := r.lags[id]; ok {
			if capacity := speedMbps(l.Bandwidth) * len(l.members); mbps > capacity {
				return fmt.Errorf("lag %s carries %d of %d Mbps (%d members)", id, mbps, capacity, len(l.members))
			}
		} else {
			return fmt.Errorf("%d Mbps of hosted connections on %s, which is gone", mbps, id)
		}
	}
	return nil
}

// Random operations from many goroutines never leak or double-book a port, never put more
// hosted bandwidth on a parent than it can carry, and once everything is deleted every port
// is free.
func TestRandomOperationsKeepPortsConsistent(t *testing.T) {
	s, clk := newTestStore(t, time.Second)
	r := s.Region("us-east-1")
	accounts := []string{"111111111111", "222222222222", "333333333333"}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 1))
			pick := func(n int) int { return rng.IntN(n) }
			for range 500 {
				c := Caller{Account: accounts[rng.IntN(len(accounts))], Region: "us-east-1"}
				bw := []string{"1Gbps", "10Gbps"}[rng.IntN(2)]
				switch rng.IntN(14) {
				case 0:
					r.CreateConnection(c, NewConnection{Location: "loca", Bandwidth: bw, Name: "c"})
				case 1:
					r.CreateInterconnect(c, NewInterconnect{Location: "LocA", Bandwidth: bw, Name: "i"})
				case 2:
					r.CreateLag(c, NewLag{Location: "LocA", Bandwidth: bw, Name: "l", NumberOfConnections: 1 + rng.IntN(3)})
				case 3, 4:
					conns, _, _ := r.DescribeConnections(c, "", page.Request{})
					if len(conns) > 0 {
						r.DeleteConnection(c, conns[rng.IntN(len(conns))].ID)
					}
				case 5:
					lags, _, _ := r.DescribeLags(c, "", page.Request{})
					if len(lags) > 0 {
						r.DeleteLag(c, lags[rng.IntN(len(lags))].ID)
					}
				case 6:
					clk.Advance(time.Duration(rng.IntN(1500)) * time.Millisecond)
				case 7: // a hosted connection on one of the caller's LAGs or interconnects
					var parents []string
					lags, _, _ := r.DescribeLags(c, "", page.Request{})
					for _, l := range lags {
						parents = append(parents, l.ID)
					}
					ics, _, _ := r.DescribeInterconnects(c, "", page.Request{})
					for _, ic := range ics {
						parents = append(parents, ic.ID)
					}
					if len(parents) > 0 {
						r.AllocateHostedConnection(c, NewHosted{ParentID: parents[pick(len(parents))], OwnerAccount: accounts[pick(len(accounts))],
							Bandwidth: []string{"500Mbps", "1Gbps", "5Gbps", "10Gbps"}[pick(4)], Name: "h", VLAN: 1 + pick(4094)})
					}
				case 8: // a member leaves its LAG
					lags, _, _ := r.DescribeLags(c, "", page.Request{})
					if len(lags) > 0 {
						if l := lags[pick(len(lags))]; len(l.Members) > 0 {
							r.DisassociateConnectionFromLag(c, l.Members[pick(len(l.Members))].ID, l.ID)
						}
					}
				case 9:
					ics, _, _ := r.DescribeInterconnects(c, "", page.Request{})
					if len(ics) > 0 {
						r.DeleteInterconnect(c, ics[pick(len(ics))].ID)
					}
				case 10: // a connection or interconnect moves into another LAG
					lags, _, _ := r.DescribeLags(c, "", page.Request{})
					ics, _, _ := r.DescribeInterconnects(c, "", page.Request{})
					conns, _, _ := r.DescribeConnections(c, "", page.Request{})
					all := append(ics, conns...)
					if len(lags) > 0 && len(all) > 0 {
						r.AssociateConnectionWithLag(c, all[pick(len(all))].ID, lags[pick(len(lags))].ID)
					}
				case 11: // a new LAG around a connection or interconnect, maybe taking it from its LAG
					ics, _, _ := r.DescribeInterconnects(c, "", page.Request{})
					conns, _, _ := r.DescribeConnections(c, "", page.Request{})
					if all := append(ics, conns...); len(all) > 0 {
						seed := all[pick(len(all))]
						r.CreateLag(c, NewLag{Location: "LocA", Bandwidth: seed.Bandwidth, Name: "around", NumberOfConnections: 1 + pick(2), ConnectionID: seed.ID})
					}
				case 12:
					if h, ok := r.anyHostedOf(c); ok {
						r.ConfirmConnection(Caller{Account: h.Owner, Region: c.Region}, h.ID)
					}
				case 13:
					if err := hostedWithinCapacity(r); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	checkPorts(t, r)
	if err := hostedWithinCapacity(r); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Second) // past every transition
	// Customers delete their hosted connections first: a parent with live ones stays.
	for _, a := range accounts {
		c := Caller{Account: a, Region: "us-east-1"}
		conns, _, _ := r.DescribeConnections(c, "", page.Request{})
		for _, conn := range conns {
			if conn.Kind == Hosted {
				if _, err := r.DeleteConnection(c, conn.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	for _, a := range accounts {
		c := Caller{Account: a, Region: "us-east-1"}
		lags, _, _ := r.DescribeLags(c, "", page.Request{})
		for _, l := range lags {
			if _, err := r.DeleteLag(c, l.ID); err != nil {
				t.Fatal(err)
			}
		}
		conns, _, _ := r.DescribeConnections(c, "", page.Request{})
		for _, conn := range conns {
			if _, err := r.DeleteConnection(c, conn.ID); err != nil {
				t.Fatal(err)
			}
		}
		ics, _, _ := r.DescribeInterconnects(c, "", page.Request{})
		for _, ic := range ics {
			if _, err := r.DeleteInterconnect(c, ic.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	clk.Advance(time.Second)
	checkPorts(t, r)
	r.lock()
	defer r.unlock()
	for _, d := range r.ports.Snapshot() {
		for _, p := range d.Ports {
			if p.HeldBy != "" {
				t.Fatalf("port on %s still held by %s after every delete", d.Device, p.HeldBy)
			}
		}
	}
}

func TestDeletedResourcesArePurgedAfterRetention(t *testing.T) {
	s, clk := newTestStore(t, 0)
	r := s.Region("us-east-1")
	c := Caller{Account: "111111111111", Region: "us-east-1"}
	conn, err := r.CreateConnection(c, NewConnection{Location: "LocA", Bandwidth: "1Gbps", Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	l, err := r.CreateLag(c, NewLag{Location: "LocA", Bandwidth: "1Gbps", Name: "l", NumberOfConnections: 1})
	if err != nil {
		t.Fatal(err)
	}
	r.DeleteConnection(c, conn.ID)
	r.DeleteLag(c, l.ID)
	clk.Advance(DefaultRetention - time.Second)
	if _, _, err := r.DescribeConnections(c, conn.ID, page.Request{}); err != nil {
		t.Fatalf("deleted connection gone before its retention: %v", err)
	}
	clk.Advance(time.Second)
	if _, _, err := r.DescribeConnections(c, conn.ID, page.Request{}); err == nil {
		t.Fatal("deleted connection still visible after its retention")
	}
	if _, _, err := r.DescribeLags(c, l.ID, page.Request{}); err == nil {
		t.Fatal("deleted LAG still visible after its retention")
	}
	// The former LAG member lives on.
	conns, _, _ := r.DescribeConnections(c, "", page.Request{})
	if len(conns) != 1 {
		t.Fatalf("%d connections, want the former member", len(conns))
	}
}

func TestRegionsAreApart(t *testing.T) {
	s, _ := newTestStore(t, 0)
	c := Caller{Account: "111111111111", Region: "us-east-1"}
	conn, err := s.Region("us-east-1").CreateConnection(c, NewConnection{Location: "LocA", Bandwidth: "1Gbps", Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	eu := Caller{Account: c.Account, Region: "eu-west-1"}
	if _, err := s.Region("eu-west-1").CreateConnection(eu, NewConnection{Location: "LocA", Bandwidth: "1Gbps", Name: "x"}); err == nil {
		t.Fatal("a us-east-1 location accepted in eu-west-1")
	}
	if _, _, err := s.Region("eu-west-1").DescribeConnections(eu, conn.ID, page.Request{}); err == nil {
		t.Fatal("a us-east-1 connection visible in eu-west-1")
	}
	s.Reset()
	if conns, _, _ := s.Region("us-east-1").DescribeConnections(c, "", page.Request{}); len(conns) != 0 {
		t.Fatal("reset kept connections")
	}
}

func TestIDsAreUniqueAndWellFormed(t *testing.T) {
	s, _ := newTestStore(t, 0)
	r := s.Region("us-east-1")
	seen := map[string]bool{}
	for i := range 4 {
		c := Caller{Account: fmt.Sprintf("%012d", i+1), Region: "us-east-1"}
		conn, err := r.CreateConnection(c, NewConnection{Location: "LocA", Bandwidth: "1Gbps", Name: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if seen[conn.ID] || !connOrLagID.MatchString(conn.ID) || !strings.HasPrefix(conn.ID, "dxcon-f") {
			t.Fatalf("id %s", conn.ID)
		}
		seen[conn.ID] = true
	}
}

// anyHostedOf returns a hosted connection allocated by c, if any.
func (r *Region) anyHostedOf(c Caller) (Connection, bool) {
	r.lock()
	defer r.unlock()
	for _, h := range r.conns {
		if h.Kind == Hosted && h.Partner == c.Account {
			return h.clone(), true
		}
	}
	return Connection{}, false
}
