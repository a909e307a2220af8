package store

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/clock"
	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/page"
	"github.com/dxlocal/dxlocal/internal/snapshot"
)

// gwRandomStep makes one random gateway call, resource control or clock move on s; two stores in
// the same state given rngs in the same state make the same step.
func gwRandomStep(s *Store, clk *clock.Manual, rng *rand.Rand, step int) {
	accounts := []string{"111111111111", "222222222222", "333333333333"}
	vgws := []string{"vgw-0000000a", "vgw-0000000b", "vgw-0000000c"}
	tgws := []string{"tgw-0000000000000000a", "tgw-0000000000000000b"}
	cidrs := []string{"10.0.0.0/16", "10.1.0.0/16", "172.16.0.0/12", "192.168.0.0/24"}
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	c := Caller{Account: pick(accounts), Region: "us-east-1"}
	own, _, _ := s.DescribeDirectConnectGateways(c, "", page.Request{})
	var gw DXGateway
	if len(own) > 0 {
		gw = own[rng.IntN(len(own))]
	}
	target := pick(vgws)
	if rng.IntN(2) == 0 {
		target = pick(tgws)
	}
	add := []string{pick(cidrs)}
	switch rng.IntN(12) {
	case 0, 1:
		s.CreateDirectConnectGateway(c, NewDXGateway{Name: "g", ASN: &[]int64{64512, 65000}[rng.IntN(2)]})
	case 2, 3:
		s.CreateDirectConnectGatewayAssociation(c, NewAssociation{GatewayID: gw.ID, AssociatedID: target, Add: add})
	case 4:
		all, _, _ := s.DescribeDirectConnectGatewayAssociations(c, AssociationFilter{AssociatedGatewayID: target}, page.Request{})
		if len(all) > 0 {
			s.UpdateDirectConnectGatewayAssociation(c, all[0].ID, add, []string{pick(cidrs)})
		}
	case 5:
		all, _, _ := s.DescribeDirectConnectGatewayAssociations(c, AssociationFilter{AssociatedGatewayID: target}, page.Request{})
		if len(all) > 0 {
			s.DeleteDirectConnectGatewayAssociation(c, all[0].ID, "", "")
		}
	case 6:
		for _, o := range accounts {
			theirs, _, _ := s.DescribeDirectConnectGateways(Caller{Account: o}, "", page.Request{})
			if len(theirs) > 0 && o != c.Account {
				s.CreateDirectConnectGatewayAssociationProposal(c, NewProposal{GatewayID: theirs[0].ID, GatewayOwner: o, AssociatedID: target, Add: add})
				break
			}
		}
	case 7:
		ps, _, _ := s.DescribeDirectConnectGatewayAssociationProposals(c, ProposalFilter{}, page.Request{})
		for _, p := range ps {
			if p.GatewayOwner == c.Account {
				s.AcceptDirectConnectGatewayAssociationProposal(Caller{Account: c.Account, Region: p.Associated.Region},
					AcceptProposal{GatewayID: p.GatewayID, ProposalID: p.ID, AssociatedOwner: p.Associated.OwnerAccount})
				break
			}
		}
	case 8:
		if gw.ID != "" {
			s.DeleteDirectConnectGateway(c, gw.ID)
		}
	case 9:
		if gw.ID != "" {
			// A real VIF attaches (the state's attachments must name VIFs), and may go again.
			if id, err := attachVIF(s, c, gw.ID, AttachmentKind(1+rng.IntN(2)), rng); err == nil && rng.IntN(2) == 0 {
				s.Region(c.Region).DeleteVIF(c, id)
			}
		}
	case 10:
		// The resource control: a hold, a release or a finish now, on any resource of the book.
		res := s.Resources(ResourceFilter{})
		if len(res) == 0 {
			return
		}
		r := res[rng.IntN(len(res))]
		var ch Control
		switch rng.IntN(3) {
		case 0:
			ch.Hold = &[]bool{true, false}[rng.IntN(2)]
		default:
			ch.State = &[]string{"available", "deleted", "associated", "disassociated"}[rng.IntN(4)]
		}
		s.ControlResource(r.ID, ch)
	case 11:
		clk.Advance(time.Duration(rng.IntN(90)) * time.Minute)
	}
}

func gwStateJSON(t *testing.T, s *Store) string {
	t.Helper()
	var buf bytes.Buffer
	if err := snapshot.Encode(&buf, s.Snapshot()); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestGatewayBookRestoreIsExact: a store restored from another's snapshot at a random moment,
// driven by the same calls, controls and clock moves afterwards, stays equal to it at every step:
// every state, hold, due change (and its order), retention, tag and id.
func TestGatewayBookRestoreIsExact(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			a, clkA, recA := newGWStore(t, time.Hour, seed)
			pcgA := rand.NewPCG(seed, 7)
			rngA := rand.New(pcgA)
			for step := range 120 {
				gwRandomStep(a, clkA, rngA, step)
			}
			st := a.Snapshot()
			b, clkB, recB := newGWStore(t, time.Hour, seed+100)
			clkB.Advance(1000 * time.Hour)
			b.CreateDirectConnectGateway(Caller{Account: "444444444444"}, NewDXGateway{Name: "other"})
			if err := b.Restore(st); err != nil {
				t.Fatal(err)
			}
			checkBook(t, b)
			recA.take()
			recB.take()
			pcgB := *pcgA // the same point of the same sequence, apart
			rngB := rand.New(&pcgB)
			for step := 120; step < 300; step++ {
				gwRandomStep(a, clkA, rngA, step)
				gwRandomStep(b, clkB, rngB, step)
				if x, y := gwStateJSON(t, a), gwStateJSON(t, b); x != y {
					t.Fatalf("step %d: the stores differ:\n%s\n%s", step, x, y)
				}
				if x, y := fmt.Sprint(recA.take()), fmt.Sprint(recB.take()); x != y {
					t.Fatalf("step %d: changes differ:\n%s\n%s", step, x, y)
				}
			}
			checkBook(t, b)
		})
	}
}

// TestGatewayBookSnapshotRacesWithCalls: snapshots, restores and the resource list run beside
// gateway calls and controls (under -race), and every restore leaves a consistent book.
func TestGatewayBookSnapshotRacesWithCalls(t *testing.T) {
	s, clk, _ := newGWStore(t, time.Minute, 1)
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 9))
			for step := range 150 {
				gwRandomStep(s, clk, rng, w*1000+step)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 40 {
			st := s.Snapshot()
			s.Resources(ResourceFilter{Type: TypeGatewayAssociation})
			if err := s.Restore(st); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	wg.Wait()
	checkBook(t, s)
}

// TestGatewayControlRefusalChangesNothing: a refused control leaves the resource and its hold
// as they were, and an unknown id is not found.
func TestGatewayControlRefusalChangesNothing(t *testing.T) {
	s, _, rec := newGWStore(t, time.Hour, 5)
	c := Caller{Account: "111111111111", Region: "us-east-1"}
	g, err := s.CreateDirectConnectGateway(c, NewDXGateway{Name: "g"})
	if err != nil {
		t.Fatal(err)
	}
	rec.take()
	hold, deleted := true, "deleted"
	if _, err := s.ControlResource(g.ID, Control{Hold: &hold, State: &deleted}); dxerr.KindOf(err) != dxerr.Conflict {
		t.Fatalf("hold + a state not allowed: %v", err)
	}
	if r, _ := s.Resource(g.ID); r.Hold || r.State != "pending" {
		t.Fatalf("after the refusal: %+v", r)
	}
	if got := rec.take(); len(got) != 0 {
		t.Fatalf("a refusal emitted %v", got)
	}
	if _, err := s.Resource("0c0c0c0c-1111-4222-8333-444444444444"); dxerr.KindOf(err) != dxerr.NotFound {
		t.Fatalf("unknown id: %v", err)
	}
}
