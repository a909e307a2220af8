package store

import (
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/clock"
	"github.com/dxlocal/dxlocal/internal/page"
	"github.com/dxlocal/dxlocal/internal/vif"
)

// readyVIF makes an available connection of account at LocA and a private VIF on it.
func readyVIF(t *testing.T, s *Store, clk *clock.Manual, dwell time.Duration) (*Region, Caller, string) {
	t.Helper()
	c := Caller{Account: "111111111111", Region: "us-east-1"}
	r := s.Region(c.Region)
	conn, err := r.CreateConnection(c, NewConnection{Location: "LocA", Bandwidth: "1Gbps", Name: "c"})
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * dwell)
	name, vlan, asn, vgw := "v", int32(7), int32(65000), "vgw-0123abcd"
	v, err := r.CreateVIF(c, NewVIF{Type: vif.Private, ConnectionID: conn.ID, Name: &name, VLAN: &vlan, ASN: &asn, VirtualGatewayID: &vgw})
	if err != nil {
		t.Fatal(err)
	}
	return r, c, v.ID
}

// TestVIFDueQueueStaysSmall: a VIF has one valid entry in the due queue however often it is
// rescheduled, and stale entries are dropped as they come due.
func TestVIFDueQueueStaysSmall(t *testing.T) {
	s, clk := newTestStore(t, time.Minute)
	r, c, id := readyVIF(t, s, clk, time.Minute)
	clk.Advance(time.Minute)
	mtu := []int32{9001, 1500}
	for i := range 50 {
		if _, err := r.UpdateVIF(c, id, VIFUpdate{MTU: &mtu[i%2]}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
	}
	r.lock()
	v := r.vifs.byID[id]
	r.reprovision(v, clk.Now()) // due in one dwell
	for range 100 {
		r.scheduleVIF(v) // the same due time: no new entry
	}
	n := r.vifs.due.Len()
	r.unlock()
	clk.Advance(time.Minute)
	r.lock()
	state, snapState := v.State, v.snap.State
	r.unlock()
	if n > 3 {
		t.Fatalf("due queue holds %d entries for one VIF", n)
	}
	if state != vif.StateAvailable || snapState != state {
		t.Fatalf("VIF %s, snapshot %s", state, snapState)
	}
}

// TestVIFSnapshotIsNotChangedLater: a view taken before a change keeps what it showed.
func TestVIFSnapshotIsNotChangedLater(t *testing.T) {
	s, clk := newTestStore(t, 0)
	r, c, id := readyVIF(t, s, clk, 0)
	before, _, err := r.DescribeVIFs(c, "", id, pageOfNone())
	if err != nil {
		t.Fatal(err)
	}
	name := "renamed"
	if _, err := r.UpdateVIF(c, id, VIFUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.DeleteVIF(c, id); err != nil {
		t.Fatal(err)
	}
	if before[0].Name != "v" || before[0].State == vif.StateDeleting {
		t.Fatalf("an earlier view changed: %s %s", before[0].Name, before[0].State)
	}
	after, _, _ := r.DescribeVIFs(c, "", id, pageOfNone())
	if after[0].Name != "renamed" || after[0].Peers[0].State != vif.PeerDeleted {
		t.Fatalf("the new view: %s, peer %s", after[0].Name, after[0].Peers[0].State)
	}
}

func pageOfNone() page.Request { return page.Request{} }
