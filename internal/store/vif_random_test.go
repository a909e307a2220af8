package store

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/dxgw"
	"github.com/dxlocal/dxlocal/internal/page"
	"github.com/dxlocal/dxlocal/internal/vif"
)

// checkVIFs asserts the VIF book's invariants against the gateway book: a VLAN is held by one
// live VIF of a parent at most, quotas hold, every VIF that holds a VLAN and names a Direct
// Connect gateway has a live attachment to it and every live attachment belongs to such a VIF,
// every VGW a VIF names is registered, and no deleted connection carries a VIF that holds its VLAN.
func checkVIFs(t *testing.T, s *Store, r *Region) {
	t.Helper()
	s.lockGateways()
	defer s.unlockGateways()
	r.lock()
	defer r.unlock()
	q := s.Quotas()
	for parent, list := range r.vifs.onParent {
		vlans := map[int]string{}
		var vifs, transit int
		for v := range list.all() {
			if r.vifs.byID[v.ID] != v || v.ConnectionID != parent {
				t.Fatalf("VIF %s is indexed wrongly under %s", v.ID, parent)
			}
			if !holdsVLAN(v) {
				continue
			}
			if other, dup := vlans[v.VLAN]; dup {
				t.Fatalf("VLAN %d of %s is held by %s and %s", v.VLAN, parent, other, v.ID)
			}
			vlans[v.VLAN] = v.ID
			if v.Type == vif.Transit {
				transit++
			} else {
				vifs++
			}
			if c, ok := r.conns[parent]; ok && !isLive(c.State) {
				t.Fatalf("VIF %s holds VLAN %d on %s, which is %s", v.ID, v.VLAN, parent, c.State)
			}
			if v.VirtualGatewayID != "" {
				if _, ok := s.gateways.Lookup(v.VirtualGatewayID); !ok {
					t.Fatalf("VIF %s names %s, which is not registered", v.ID, v.VirtualGatewayID)
				}
			}
			if v.DXGatewayID != "" && v.State != vif.StateConfirming {
				live := 0
				for at := range s.dxgws.attachmentsByVIF.get(v.ID).all() {
					if dxgw.LiveAttachment(at.State) && at.GatewayID == v.DXGatewayID {
						live++
					}
				}
				if live != 1 {
					t.Fatalf("VIF %s (%s) on gateway %s has %d live attachments", v.ID, v.State, v.DXGatewayID, live)
				}
			}
		}
		if vifs > q.VifsPerConnection || transit > q.TransitVifsPerConnection {
			t.Fatalf("%s carries %d VIFs and %d transit VIFs", parent, vifs, transit)
		}
	}
	for vifID, list := range s.dxgws.attachmentsByVIF {
		for at := range list.all() {
			if !dxgw.LiveAttachment(at.State) {
				continue
			}
			v := r.vifs.byID[vifID]
			if v == nil || !holdsVLAN(v) || v.DXGatewayID != at.GatewayID {
				t.Fatalf("live attachment of %s to %s has no live VIF behind it (%v)", vifID, at.GatewayID, v)
			}
		}
	}
}

// isLive reports whether a connection in state may carry VIFs that hold VLANs.
func isLive(state string) bool {
	return state != "deleted" && state != "deleting" && state != "rejected"
}

// TestRandomVIFAndGatewayTrafficKeepsEveryInvariant: six goroutines create (often refused:
// VLAN clashes, bad ids, full quotas, gateways of the wrong kind), delete and move VIFs, and
// create and delete gateways and associations, with the clock moving. Under -race, nothing
// deadlocks (the gateway book is always taken before a region), and at the end every
// invariant holds and the state restores into a fresh store, whose load checks VLANs,
// addresses and attachments again.
func TestRandomVIFAndGatewayTrafficKeepsEveryInvariant(t *testing.T) {
	s, clk := newTestStore(t, time.Second)
	q := s.Quotas()
	q.VifsPerConnection, q.TransitVifsPerConnection, q.AttachmentsPerGateway, q.GatewaysPerAccount = 6, 2, 4, 6
	s.SetQuotas(q)
	c := Caller{Account: "111111111111", Region: "us-east-1"}
	r := s.Region(c.Region)
	var conns []string
	for range 3 {
		conn, err := r.CreateConnection(c, NewConnection{Location: "LocA", Bandwidth: "10Gbps", Name: "c"})
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn.ID)
	}
	clk.Advance(3 * time.Second)
	vgws := []string{"vgw-0000000a", "vgw-0000000b", "vgw-0000000c"}
	tgws := []string{"tgw-0000000000000000a", "tgw-0000000000000000b"}

	// made counts VIFs made to a VGW, to a gateway, and refused creates: each must happen.
	var made [3]atomic.Int64
	count := func(spec NewVIF) {
		if _, err := r.CreateVIF(c, spec); err != nil {
			made[2].Add(1)
		} else if spec.DXGatewayID != nil {
			made[1].Add(1)
		} else {
			made[0].Add(1)
		}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			pick := func(list []string) string { return list[rng.IntN(len(list))] }
			for range 200 {
				gws, _, _ := s.DescribeDirectConnectGateways(c, "", page.Request{})
				gw := "00000000-0000-0000-0000-000000000000" // a well-formed id of no gateway
				if len(gws) > 0 && rng.IntN(8) > 0 {
					gw = gws[rng.IntN(len(gws))].ID
				}
				vifs, _, _ := r.DescribeVIFs(c, "", "", page.Request{})
				var some string
				if len(vifs) > 0 {
					some = vifs[rng.IntN(len(vifs))].ID
				}
				name, vlan, asn := "v", int32(1+rng.IntN(10)), int32(65000)
				if rng.IntN(10) == 0 {
					asn = -1 // refused before anything is taken
				}
				switch rng.IntN(12) {
				case 0, 1, 2:
					spec := NewVIF{Type: vif.Private, ConnectionID: pick(conns), Name: &name, VLAN: &vlan, ASN: &asn}
					if rng.IntN(2) == 0 {
						vgw := pick(vgws)
						spec.VirtualGatewayID = &vgw
					} else {
						spec.DXGatewayID = &gw
					}
					count(spec)
				case 3:
					count(NewVIF{Type: vif.Transit, ConnectionID: pick(conns), Name: &name, VLAN: &vlan, ASN: &asn, DXGatewayID: &gw})
				case 4, 5:
					if some != "" {
						r.DeleteVIF(c, some)
					}
				case 6:
					if some != "" {
						r.AssociateVIF(c, some, pick(conns))
					}
				case 7:
					asn := int64(64512 + rng.IntN(3))
					s.CreateDirectConnectGateway(c, NewDXGateway{Name: "g", ASN: &asn})
				case 8:
					s.DeleteDirectConnectGateway(c, gw)
				case 9:
					target := pick(vgws)
					if rng.IntN(2) == 0 {
						target = pick(tgws)
					}
					s.CreateDirectConnectGatewayAssociation(c, NewAssociation{GatewayID: gw, AssociatedID: target, Add: []string{fmt.Sprintf("10.%d.0.0/16", rng.IntN(200))}})
				case 10:
					list, _, _ := s.DescribeDirectConnectGatewayAssociations(c, AssociationFilter{GatewayID: gw}, page.Request{})
					if len(list) > 0 {
						s.DeleteDirectConnectGatewayAssociation(c, list[rng.IntN(len(list))].ID, "", "")
					}
				case 11:
					clk.Advance(time.Duration(rng.IntN(800)) * time.Millisecond)
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		os.Stderr.Write(buf[:n])
		t.Fatal("the workers did not finish in 2 minutes: a deadlock?")
	}
	t.Logf("VIFs made to a VGW %d, to a gateway %d; creates refused %d", made[0].Load(), made[1].Load(), made[2].Load())
	if made[0].Load() == 0 || made[1].Load() == 0 || made[2].Load() == 0 {
		t.Fatal("the traffic did not make and refuse VIFs of each kind")
	}
	checkVIFs(t, s, r)
	checkBook(t, s)
	fresh, _ := newTestStore(t, time.Second)
	if err := fresh.Restore(s.Snapshot()); err != nil {
		t.Fatalf("the state does not restore: %v", err)
	}
	clk.Advance(time.Hour)
	s.Settle()
	checkVIFs(t, s, r)
	checkBook(t, s)
}
