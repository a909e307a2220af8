package store

import (
	"slices"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/snapshot"
)

func ptr[T any](v T) *T { return &v }

// The link hooks (the VIF family's way in) hear every link down and up, and nothing else.
func TestLinkHooks(t *testing.T) {
	s, _ := newTestStore(t, 0)
	var heard []string
	old := linkHooks
	linkHooks = append(slices.Clone(linkHooks), func(r *Region, c *Connection, up bool, now time.Time) {
		heard = append(heard, c.ID+map[bool]string{true: ":up", false: ":down"}[up])
	})
	t.Cleanup(func() { linkHooks = old })
	c, err := s.Region("us-east-1").CreateConnection(Caller{"111111111111", "us-east-1"}, NewConnection{Location: "LocA", Bandwidth: "1Gbps"})
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{StateAvailable, StateDown, StateDown, StateAvailable} {
		if _, err := s.ControlResource(c.ID, Control{State: ptr(to)}); err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{c.ID + ":down", c.ID + ":up"}; !slices.Equal(heard, want) {
		t.Fatalf("hooks heard %v, want %v", heard, want)
	}
}

// fakeFamily stands for a family that joins later (VIFs): one resource per region it is given.
type fakeFamily struct{ id string }

func (f fakeFamily) res(r *Region) Resource {
	return Resource{ID: f.id, Type: TypeVirtualInterface, Owner: "111111111111", Region: r.name, State: "available", order: 1 << 40}
}
func (f fakeFamily) list(r *Region, now time.Time, out []Resource) []Resource {
	return append(out, f.res(r))
}
func (f fakeFamily) find(r *Region, id string, now time.Time) (Resource, bool) {
	return f.res(r), id == f.id
}
func (f fakeFamily) control(r *Region, id string, ch Control, now time.Time) error {
	if ch.BGPStatus != nil && *ch.BGPStatus == "up" {
		return dxerr.New(dxerr.Conflict, "its connection is down")
	}
	return nil
}
func (f fakeFamily) save(r *Region, out *snapshot.Region)                      {}
func (f fakeFamily) load(r *Region, in *snapshot.Region, ids *loadedIDs) error { return nil }

// A family registered in regionalFamilies is listed, found and driven with no other change.
func TestRegisteredFamilyJoinsTheControl(t *testing.T) {
	s, _ := newTestStore(t, 0)
	old := regionalFamilies
	regionalFamilies = append(slices.Clone(regionalFamilies), fakeFamily{id: "dxvif-ftest0001"})
	t.Cleanup(func() { regionalFamilies = old })
	s.Region("us-east-1")
	list := s.Resources(ResourceFilter{Type: TypeVirtualInterface})
	if len(list) != 1 || list[0].ID != "dxvif-ftest0001" {
		t.Fatalf("resources %v", list)
	}
	if _, err := s.ControlResource("dxvif-ftest0001", Control{BGPStatus: ptr("down"), BGPPeerID: ptr("dxpeer-f1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ControlResource("dxvif-ftest0001", Control{BGPStatus: ptr("up")}); dxerr.KindOf(err) != dxerr.Conflict {
		t.Fatalf("the family's refusal: %v", err)
	}
	if _, err := s.ControlResource("dxvif-ftest0002", Control{}); dxerr.KindOf(err) != dxerr.NotFound {
		t.Fatalf("unknown id: %v", err)
	}
}

// A refused restore leaves everything as it was, partners and quotas included.
func TestRestoreRefusedChangesNothing(t *testing.T) {
	s, _ := newTestStore(t, time.Hour)
	r := s.Region("us-east-1")
	if _, err := r.CreateConnection(Caller{"111111111111", "us-east-1"}, NewConnection{Location: "LocA", Bandwidth: "1Gbps"}); err != nil {
		t.Fatal(err)
	}
	st := s.Snapshot()
	st.Partners = nil
	st.Quotas.LagsPerRegion = 3
	st.Regions[0].Connections[0].Location = "Nowhere"
	if err := s.Restore(st); dxerr.KindOf(err) != dxerr.Invalid {
		t.Fatalf("restore: %v", err)
	}
	if !s.IsPartner("333333333333") || s.Quotas().LagsPerRegion != DefaultQuotas().LagsPerRegion || len(s.Resources(ResourceFilter{})) != 1 {
		t.Fatal("a refused restore changed the state")
	}
	checkPorts(t, r)
}
