package store

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/clock"
	"github.com/dxlocal/dxlocal/internal/page"
	"github.com/dxlocal/dxlocal/internal/vif"
)

// attachVIF creates a private or transit VIF of c's attached to Direct Connect gateway gw, on
// c's first available connection at LocA (made and set available first when there is none).
func attachVIF(s *Store, c Caller, gw string, kind AttachmentKind, rng *rand.Rand) (string, error) {
	r := s.Region(c.Region)
	conn := ""
	for _, res := range s.Resources(ResourceFilter{Account: c.Account, Region: c.Region, Type: TypeConnection}) {
		if res.State == StateAvailable {
			conn = res.ID
			break
		}
	}
	if conn == "" {
		made, err := r.CreateConnection(c, NewConnection{Location: "LocA", Bandwidth: "1Gbps", Name: "c"})
		if err != nil {
			return "", err
		}
		available := StateAvailable
		if _, err := s.ControlResource(made.ID, Control{State: &available}); err != nil {
			return "", err
		}
		conn = made.ID
	}
	t := vif.Private
	if kind == AttachTransit {
		t = vif.Transit
	}
	name, vlan, asn := "v", int32(1+rng.IntN(4094)), int32(65000)
	v, err := r.CreateVIF(c, NewVIF{Type: t, ConnectionID: conn, Name: &name, VLAN: &vlan, ASN: &asn, DXGatewayID: &gw})
	if err != nil {
		return "", err
	}
	return v.ID, nil
}

// vifRandomStep makes one random VIF call, connection or VIF control, or clock move on s; two
// stores in the same state given rngs in the same state make the same step.
func vifRandomStep(s *Store, clk *clock.Manual, rng *rand.Rand) {
	accounts := []string{"111111111111", "222222222222"}
	c := Caller{Account: accounts[rng.IntN(2)], Region: "us-east-1"}
	r := s.Region(c.Region)
	conns := s.Resources(ResourceFilter{Account: c.Account, Type: TypeConnection})
	vifs := s.Resources(ResourceFilter{Type: TypeVirtualInterface})
	var conn, v string
	if len(conns) > 0 {
		conn = conns[rng.IntN(len(conns))].ID
	}
	if len(vifs) > 0 {
		v = vifs[rng.IntN(len(vifs))].ID
	}
	pick := func(list ...string) *string { return &list[rng.IntN(len(list))] }
	name, vlan, asn := "v", int32(1+rng.IntN(8)), int32(65000)
	switch rng.IntN(16) {
	case 0:
		if len(conns) < 2 {
			if made, err := r.CreateConnection(c, NewConnection{Location: "LocA", Bandwidth: "1Gbps", Name: "c"}); err == nil {
				s.ControlResource(made.ID, Control{State: pick(StateAvailable)})
			}
		}
	case 1, 2:
		r.CreateVIF(c, NewVIF{Type: vif.Private, ConnectionID: conn, Name: &name, VLAN: &vlan, ASN: &asn, VirtualGatewayID: pick("vgw-0123abcd")})
	case 3:
		amazon, customer := fmt.Sprintf("203.0.113.%d/30", vlan*4+1), fmt.Sprintf("203.0.113.%d/30", vlan*4+2)
		r.CreateVIF(c, NewVIF{Type: vif.Public, ConnectionID: conn, Name: &name, VLAN: &vlan, ASN: &asn, AmazonAddress: &amazon, CustomerAddress: &customer, RouteFilterPrefixes: []string{"198.51.100.0/24"}})
	case 4:
		r.CreateVIF(c, NewVIF{Type: vif.Private, Allocate: true, OwnerAccount: accounts[1-rng.IntN(1)], ConnectionID: conn, Name: &name, VLAN: &vlan, ASN: &asn})
	case 5:
		r.ConfirmVIF(c, vif.Private, v, pick("vgw-0123abce"), nil)
	case 6:
		r.CreateBGPPeer(c, v, &NewBGPPeer{ASN: &asn, AddressFamily: pick(vif.IPv6, vif.IPv4)})
	case 7:
		if got, _, _ := r.DescribeVIFs(c, "", v, page.Request{}); len(got) > 0 && len(got[0].Peers) > 1 {
			r.DeleteBGPPeer(c, v, PeerRef{ID: got[0].Peers[rng.IntN(len(got[0].Peers))].ID})
		}
	case 8:
		r.DeleteVIF(c, v)
	case 9:
		r.UpdateVIF(c, v, VIFUpdate{MTU: &[]int32{1500, 9001}[rng.IntN(2)]})
	case 10:
		r.AssociateVIF(c, v, conn)
	case 11:
		r.StartFailoverTest(c, v, nil, &[]int32{1, 90}[rng.IntN(2)])
	case 12:
		r.StopFailoverTest(c, v)
	case 13:
		if conn != "" {
			s.ControlResource(conn, Control{State: pick(StateAvailable, StateDown)})
		}
	case 14:
		if v == "" {
			return
		}
		var ch Control
		switch rng.IntN(3) {
		case 0:
			ch.Hold = &[]bool{true, false}[rng.IntN(2)]
		case 1:
			ch.State = pick(vif.StateAvailable, vif.StateDown, vif.StateRejected)
		default:
			ch.BGPStatus = pick(vif.BGPUp, vif.BGPDown)
		}
		s.ControlResource(v, ch)
	case 15:
		clk.Advance(time.Duration(rng.IntN(50)) * time.Minute)
	}
}

// TestVIFRestoreIsExact: a store restored from another's snapshot at a random moment, driven by
// the same calls, controls and clock moves afterwards, stays equal to it at every step: every
// VIF, peer, test, hold, due change (and the order of changes due together), id and address.
func TestVIFRestoreIsExact(t *testing.T) {
	// What the walks went through, over every seed and step: each must have been restored and
	// driven on at least once.
	seen := map[string]bool{}
	members := []string{`"linkResume"`, `"in_progress"`, `"hold":true`, `"bgpDown":true`, `"vifParents"`, `"ipv6Next"`, `"deleted"`, `"rejected"`, `"confirming"`, `"resume"`}
	defer func() {
		for _, m := range members {
			if !seen[m] {
				t.Errorf("no walk went through %s", m)
			}
		}
	}()
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			a, clkA, recA := newGWStore(t, time.Hour, seed)
			pcgA := rand.NewPCG(seed, 11)
			rngA := rand.New(pcgA)
			for range 150 {
				vifRandomStep(a, clkA, rngA)
			}
			st := a.Snapshot()
			if n := len(a.Resources(ResourceFilter{Type: TypeVirtualInterface})); n < 5 {
				t.Fatalf("only %d VIFs made", n)
			}
			b, clkB, recB := newGWStore(t, time.Hour, seed+100)
			clkB.Advance(1000 * time.Hour)
			if err := b.Restore(st); err != nil {
				t.Fatal(err)
			}
			recA.take()
			recB.take()
			pcgB := *pcgA
			rngB := rand.New(&pcgB)
			for step := range 250 {
				vifRandomStep(a, clkA, rngA)
				vifRandomStep(b, clkB, rngB)
				x, y := gwStateJSON(t, a), gwStateJSON(t, b)
				if x != y {
					t.Fatalf("step %d: the stores differ:\n%s\n%s", step, x, y)
				}
				for _, m := range members {
					seen[m] = seen[m] || strings.Contains(x, m)
				}
				if x, y := fmt.Sprint(recA.take()), fmt.Sprint(recB.take()); x != y {
					t.Fatalf("step %d: changes differ:\n%s\n%s", step, x, y)
				}
			}
		})
	}
}
