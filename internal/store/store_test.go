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

// Random operations from many goroutines never leak or double-book a port, and once
// everything is deleted every port is free.
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
			for range 200 {
				c := Caller{Account: accounts[rng.IntN(len(accounts))], Region: "us-east-1"}
				bw := []string{"1Gbps", "10Gbps"}[rng.IntN(2)]
				switch rng.IntN(7) {
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
				}
			}
		}()
	}
	wg.Wait()
	checkPorts(t, r)
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
