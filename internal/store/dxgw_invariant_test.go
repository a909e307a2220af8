package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/dxgw"
	"github.com/dxlocal/dxlocal/internal/page"
)

// checkBook asserts the book's invariants: indexes agree with the records, no deleted gateway is
// kept, a VGW has one current association at most, no gateway mixes VGWs and TGWs, quotas hold
// (they are never lowered here), TGW prefixes of one gateway do not overlap, attachments fit the
// gateway's associations, and every associated gateway is in the registry with the owner and
// region the association reports.
func checkBook(t *testing.T, s *Store) {
	t.Helper()
	s.lockGateways()
	defer s.unlockGateways()
	b, q := s.dxgws, s.Quotas()
	n := 0
	for owner, list := range b.gatewaysByOwner {
		if len(list) > q.GatewaysPerAccount {
			t.Fatalf("%s has %d gateways", owner, len(list))
		}
		for _, g := range list {
			n++
			if b.gateways[g.ID] != g || g.Owner != owner || g.State == dxgw.GatewayDeleted {
				t.Fatalf("gateway %s (%s) is indexed wrongly", g.ID, g.State)
			}
		}
	}
	if n != len(b.gateways) {
		t.Fatalf("%d gateways by owner, %d by id", n, len(b.gateways))
	}
	currentByVGW := map[string]int{}
	for id, a := range b.associations {
		if !slices.Contains(b.associationsByGateway[a.GatewayID], a) || !slices.Contains(b.associationsByAssociated[a.Associated.ID], a) || a.ID != id {
			t.Fatalf("association %s is indexed wrongly", id)
		}
		if rec, ok := s.gateways.Lookup(a.Associated.ID); !ok || rec.OwnerAccount != a.Associated.OwnerAccount || rec.Region != a.Associated.Region {
			t.Fatalf("association %s names %s, registered as %+v (%v)", id, a.Associated.ID, rec, ok)
		}
		if current(a) && !a.isTransit() {
			currentByVGW[a.Associated.ID]++
		}
	}
	for vgw, n := range currentByVGW {
		if n > 1 {
			t.Fatalf("%s has %d current associations", vgw, n)
		}
	}
	for gw, list := range b.associationsByGateway {
		var vgws, tgws []*Association
		for _, a := range list {
			if b.associations[a.ID] != a {
				t.Fatalf("association %s of %s is not stored", a.ID, gw)
			}
			if !current(a) {
				continue
			}
			if a.isTransit() {
				tgws = append(tgws, a)
			} else {
				vgws = append(vgws, a)
			}
		}
		if len(vgws) > 0 && len(tgws) > 0 || len(vgws) > q.VgwAssociationsPerGateway || len(tgws) > q.TgwAssociationsPerGateway {
			t.Fatalf("gateway %s has %d VGW and %d TGW associations", gw, len(vgws), len(tgws))
		}
		for i, x := range tgws {
			for _, y := range tgws[i+1:] {
				if p1, p2, ok := dxgw.Overlap(x.Prefixes, y.Prefixes); ok {
					t.Fatalf("gateway %s: %s of %s overlaps %s of %s", gw, p1, x.Associated.ID, p2, y.Associated.ID)
				}
			}
		}
	}
	for gw, list := range b.attachmentsByGateway {
		var live [3]int
		for at := range list.all() {
			if !b.attachmentsByVIF.get(at.VirtualInterfaceID).has(at) || at.GatewayID != gw {
				t.Fatalf("attachment of %s to %s is indexed wrongly", at.VirtualInterfaceID, gw)
			}
			if dxgw.LiveAttachment(at.State) {
				live[at.Kind]++
			}
		}
		if live[AttachPrivate]+live[AttachTransit] > q.AttachmentsPerGateway {
			t.Fatalf("gateway %s has %d live attachments", gw, live[AttachPrivate]+live[AttachTransit])
		}
		for _, a := range b.associationsByGateway[gw] {
			if current(a) && (a.isTransit() && live[AttachPrivate] > 0 || !a.isTransit() && live[AttachTransit] > 0) {
				t.Fatalf("gateway %s carries %s and VIFs of the other kind", gw, a.Associated.ID)
			}
		}
	}
	for id, p := range b.proposals {
		if !b.proposalList.has(p) || p.ID != id {
			t.Fatalf("proposal %s is indexed wrongly", id)
		}
	}
	if b.proposalList.len() != len(b.proposals) {
		t.Fatalf("%d proposals listed, %d stored", b.proposalList.len(), len(b.proposals))
	}
}

// TestRandomGatewayOperationsKeepTheBookConsistent: random calls of three accounts from many
// goroutines, with the clock moving, never break the book's invariants; and once every
// association and gateway is deleted, nothing is left but what retention keeps.
func TestRandomGatewayOperationsKeepTheBookConsistent(t *testing.T) {
	s, clk := newTestStore(t, time.Second)
	q := s.Quotas()
	q.GatewaysPerAccount, q.VgwAssociationsPerGateway, q.TgwAssociationsPerGateway = 4, 3, 2
	s.SetQuotas(q)
	accounts := []string{"111111111111", "222222222222", "333333333333"}
	vgws := []string{"vgw-0000000a", "vgw-0000000b", "vgw-0000000c", "vgw-0000000d"}
	tgws := []string{"tgw-0000000000000000a", "tgw-0000000000000000b", "tgw-0000000000000000c"}
	cidrs := []string{"10.0.0.0/16", "10.0.1.0/24", "10.1.0.0/16", "172.16.0.0/12", "192.168.0.0/24"}
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 2))
			pick := func(list []string) string { return list[rng.IntN(len(list))] }
			for range 150 {
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
				switch rng.IntN(10) {
				case 0:
					s.CreateDirectConnectGateway(c, NewDXGateway{Name: "g", ASN: &[]int64{64512, 65000}[rng.IntN(2)]})
				case 1, 2:
					s.CreateDirectConnectGatewayAssociation(c, NewAssociation{GatewayID: gw.ID, AssociatedID: target, Add: add})
				case 3:
					all, _, _ := s.DescribeDirectConnectGatewayAssociations(c, AssociationFilter{AssociatedGatewayID: target}, page.Request{})
					if len(all) > 0 {
						s.UpdateDirectConnectGatewayAssociation(c, all[0].ID, add, []string{pick(cidrs)})
					}
				case 4:
					all, _, _ := s.DescribeDirectConnectGatewayAssociations(c, AssociationFilter{AssociatedGatewayID: target}, page.Request{})
					if len(all) > 0 {
						s.DeleteDirectConnectGatewayAssociation(c, all[0].ID, "", "")
					}
				case 5:
					for _, o := range accounts {
						theirs, _, _ := s.DescribeDirectConnectGateways(Caller{Account: o}, "", page.Request{})
						if len(theirs) > 0 {
							s.CreateDirectConnectGatewayAssociationProposal(c, NewProposal{GatewayID: theirs[0].ID, GatewayOwner: o, AssociatedID: target, Add: add})
							break
						}
					}
				case 6:
					ps, _, _ := s.DescribeDirectConnectGatewayAssociationProposals(c, ProposalFilter{}, page.Request{})
					for _, p := range ps {
						if p.GatewayOwner == c.Account {
							s.AcceptDirectConnectGatewayAssociationProposal(Caller{Account: c.Account, Region: p.Associated.Region},
								AcceptProposal{GatewayID: p.GatewayID, ProposalID: p.ID, AssociatedOwner: p.Associated.OwnerAccount})
							break
						}
					}
				case 7:
					if gw.ID != "" {
						s.DeleteDirectConnectGateway(c, gw.ID)
					}
				case 8:
					clk.Advance(time.Duration(rng.IntN(1500)) * time.Millisecond)
				case 9:
					if gw.ID != "" {
						vif := fmt.Sprintf("dxvif-f%d%06d", w, rng.IntN(1000000))
						kind := AttachmentKind(1 + rng.IntN(2))
						if attachStandIn(s, gw.ID, vif, "us-east-1", c.Account, kind) == nil && rng.IntN(2) == 0 {
							detachStandIn(s, gw.ID, vif)
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	checkBook(t, s)

	// Tear everything down: detach every VIF, delete every association, then every gateway.
	s.lockGateways()
	now := clk.Now()
	for gwID, list := range s.dxgws.attachmentsByGateway {
		for at := range list.all() {
			s.detach(gwID, at.VirtualInterfaceID, now)
		}
	}
	s.unlockGateways()
	for _, a := range accounts {
		c := Caller{Account: a, Region: "us-east-1"}
		gws, _, _ := s.DescribeDirectConnectGateways(c, "", page.Request{})
		for _, g := range gws {
			list, _, _ := s.DescribeDirectConnectGatewayAssociations(c, AssociationFilter{GatewayID: g.ID}, page.Request{})
			for _, x := range list {
				if !dxgw.HoldsGateway(x.State) {
					continue
				}
				if _, err := s.DeleteDirectConnectGatewayAssociation(c, x.ID, "", ""); err != nil {
					t.Fatalf("delete %s (%s): %v", x.ID, x.State, err)
				}
			}
		}
	}
	clk.Advance(2 * time.Second)
	for _, a := range accounts {
		c := Caller{Account: a, Region: "us-east-1"}
		gws, _, _ := s.DescribeDirectConnectGateways(c, "", page.Request{})
		for _, g := range gws {
			if g.State == dxgw.GatewayDeleting {
				continue
			}
			if _, err := s.DeleteDirectConnectGateway(c, g.ID); err != nil {
				t.Fatalf("delete %s: %v", g.ID, err)
			}
		}
	}
	clk.Advance(2 * time.Second)
	checkBook(t, s)
	for _, a := range accounts {
		if gws, _, _ := s.DescribeDirectConnectGateways(Caller{Account: a}, "", page.Request{}); len(gws) != 0 {
			t.Fatalf("%s still has %+v", a, gws)
		}
	}
	// Retention over: only the registry remembers.
	clk.Advance(10 * 24 * time.Hour) // a requested proposal: 7 days, then 3 days visible
	s.lockGateways()
	b := s.dxgws
	left := len(b.associations) + len(b.proposals) + len(b.gateways)
	for _, l := range b.attachmentsByGateway {
		left += l.len()
	}
	s.unlockGateways()
	if left != 0 {
		for _, a := range b.associations {
			t.Logf("association %s %s", a.ID, a.State)
		}
		for _, p := range b.proposals {
			t.Logf("proposal %s %s", p.ID, p.State)
		}
		for _, l := range b.attachmentsByGateway {
			for at := range l.all() {
				t.Logf("attachment %s %s", at.VirtualInterfaceID, at.State)
			}
		}
		t.Fatalf("%d records left after every retention", left)
	}
}
