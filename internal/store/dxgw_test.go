package store

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/clock"
	"github.com/dxlocal/dxlocal/internal/id"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/page"
)

// gwChangeRecorder collects the changes a store emits.
type gwChangeRecorder struct {
	mu      sync.Mutex // guards changes
	changes []string
}

func (r *gwChangeRecorder) observe(c Change) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.changes = append(r.changes, fmt.Sprintf("%s %s>%s %s", c.Type, c.From, c.To, c.Cause))
}

func (r *gwChangeRecorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.changes
	r.changes = nil
	return out
}

func newGWStore(t *testing.T, dwell time.Duration, seed uint64) (*Store, *clock.Manual, *gwChangeRecorder) {
	t.Helper()
	cat, err := location.Load(strings.NewReader(testCatalog))
	if err != nil {
		t.Fatal(err)
	}
	rec := &gwChangeRecorder{}
	clk := clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	return New(Options{Catalog: cat, Clock: clk, IDs: id.NewSource(seed), Dwell: dwell, OnChange: rec.observe}), clk, rec
}

func wantGWChanges(t *testing.T, rec *gwChangeRecorder, want ...string) {
	t.Helper()
	got := rec.take()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestGatewayChangesEmitted: every state change of gateways, associations and proposals is
// reported once, with the cause that made it, for a zero and a non-zero dwell.
func TestGatewayChangesEmitted(t *testing.T) {
	for _, dwell := range []time.Duration{0, time.Minute} {
		t.Run(dwell.String(), func(t *testing.T) {
			s, clk, rec := newGWStore(t, dwell, 3)
			c := Caller{Account: "111111111111", Region: "us-east-1"}
			read := func() { s.DescribeDirectConnectGateways(c, "", page.Request{}) }
			g, err := s.CreateDirectConnectGateway(c, NewDXGateway{Name: "g"})
			if err != nil {
				t.Fatal(err)
			}
			wantGWChanges(t, rec, "directConnectGateway >pending call")
			clk.Advance(dwell)
			read()
			wantGWChanges(t, rec, "directConnectGateway pending>available clock")

			a, err := s.CreateDirectConnectGatewayAssociation(c, NewAssociation{GatewayID: g.ID, AssociatedID: "vgw-0123abcd"})
			if err != nil {
				t.Fatal(err)
			}
			wantGWChanges(t, rec, "gatewayAssociation >associating call")
			s.DeleteDirectConnectGateway(c, g.ID)
			clk.Advance(dwell)
			read()
			if dwell == 0 {
				// The delete call settles the association first: its change was due already.
				wantGWChanges(t, rec, "gatewayAssociation associating>associated clock", "directConnectGateway available>deleting call", "directConnectGateway deleting>available clock")
			} else {
				wantGWChanges(t, rec, "directConnectGateway available>deleting call", "gatewayAssociation associating>associated clock", "directConnectGateway deleting>available clock")
			}

			s.UpdateDirectConnectGatewayAssociation(c, a.ID, []string{"10.9.0.0/16"}, nil)
			clk.Advance(dwell)
			s.DeleteDirectConnectGatewayAssociation(c, a.ID, "", "")
			clk.Advance(dwell)
			read()
			wantGWChanges(t, rec, "gatewayAssociation associated>updating call", "gatewayAssociation updating>associated clock",
				"gatewayAssociation associated>disassociating call", "gatewayAssociation disassociating>disassociated clock")

			p, err := s.CreateDirectConnectGatewayAssociationProposal(Caller{Account: "222222222222", Region: "us-east-1"},
				NewProposal{GatewayID: g.ID, GatewayOwner: c.Account, AssociatedID: "vgw-0123abce"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.AcceptDirectConnectGatewayAssociationProposal(c, AcceptProposal{GatewayID: g.ID, ProposalID: p.ID, AssociatedOwner: "222222222222"}); err != nil {
				t.Fatal(err)
			}
			wantGWChanges(t, rec, "associationProposal >requested call", "gatewayAssociation >associating call", "associationProposal requested>accepted call")
			s.CreateDirectConnectGatewayAssociationProposal(Caller{Account: "222222222222", Region: "us-east-1"},
				NewProposal{GatewayID: g.ID, GatewayOwner: c.Account, AssociatedID: "tgw-0123456789abcdef0"})
			clk.Advance(7 * 24 * time.Hour)
			read()
			if dwell == 0 {
				wantGWChanges(t, rec, "gatewayAssociation associating>associated clock", "associationProposal >requested call", "associationProposal requested>deleted clock")
			} else {
				wantGWChanges(t, rec, "associationProposal >requested call", "gatewayAssociation associating>associated clock", "associationProposal requested>deleted clock")
			}
		})
	}
}

// TestGatewayIDsFollowTheSeed: the same seed and the same calls give the same UUIDs.
func TestGatewayIDsFollowTheSeed(t *testing.T) {
	run := func() []string {
		s, _, _ := newGWStore(t, 0, 42)
		c := Caller{Account: "111111111111", Region: "us-east-1"}
		g, _ := s.CreateDirectConnectGateway(c, NewDXGateway{Name: "g"})
		s.DescribeDirectConnectGateways(c, "", page.Request{})
		a, err := s.CreateDirectConnectGatewayAssociation(c, NewAssociation{GatewayID: g.ID, AssociatedID: "vgw-0123abcd"})
		if err != nil {
			t.Fatal(err)
		}
		return []string{g.ID, a.ID}
	}
	first, second := run(), run()
	if first[0] != second[0] || first[1] != second[1] || first[0] == first[1] {
		t.Fatalf("ids %v then %v", first, second)
	}
	for _, v := range first {
		if len(v) != 36 || v[14] != '4' || !strings.ContainsRune("89ab", rune(v[19])) {
			t.Fatalf("%s is not a version-4 UUID", v)
		}
	}
}

// TestResetForgetsGateways: reset empties the book and the registry.
func TestResetForgetsGateways(t *testing.T) {
	s, _, _ := newGWStore(t, 0, 5)
	c := Caller{Account: "111111111111", Region: "us-east-1"}
	g, _ := s.CreateDirectConnectGateway(c, NewDXGateway{Name: "g"})
	s.DescribeDirectConnectGateways(c, "", page.Request{})
	if _, err := s.CreateDirectConnectGatewayAssociation(c, NewAssociation{GatewayID: g.ID, AssociatedID: "vgw-0123abcd"}); err != nil {
		t.Fatal(err)
	}
	s.Reset()
	if list, _, _ := s.DescribeDirectConnectGateways(c, "", page.Request{}); len(list) != 0 {
		t.Fatalf("after reset: %+v", list)
	}
	if list := s.Gateways().List(); len(list) != 0 {
		t.Fatalf("registry after reset: %+v", list)
	}
}

// TestGatewayRulesUnderConcurrency: rules are checked and applied under one lock, so racing
// calls never break them: one VGW gets exactly one association, the account exactly its quota.
func TestGatewayRulesUnderConcurrency(t *testing.T) {
	s, _, _ := newGWStore(t, 0, 9)
	c := Caller{Account: "111111111111", Region: "us-east-1"}
	q := s.Quotas()
	q.GatewaysPerAccount = 5
	s.SetQuotas(q)
	var wg sync.WaitGroup
	var mu sync.Mutex // guards made
	var made []string
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if g, err := s.CreateDirectConnectGateway(c, NewDXGateway{Name: "g"}); err == nil {
				mu.Lock()
				made = append(made, g.ID)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(made) != 5 {
		t.Fatalf("%d gateways made under a quota of 5", len(made))
	}
	s.DescribeDirectConnectGateways(c, "", page.Request{}) // settle: available
	var ok sync.Map
	for _, id := range made {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if a, err := s.CreateDirectConnectGatewayAssociation(c, NewAssociation{GatewayID: id, AssociatedID: "vgw-0123abcd"}); err == nil {
				ok.Store(a.ID, true)
			}
		}()
	}
	wg.Wait()
	n := 0
	ok.Range(func(any, any) bool { n++; return true })
	if n != 1 || len(s.Gateways().List()) != 1 {
		t.Fatalf("%d associations of one VGW, %d registry records", n, len(s.Gateways().List()))
	}
}
