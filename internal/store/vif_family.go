package store

import (
	"slices"
	"time"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/vif"
)

// vifFamily joins the virtual interfaces (with their BGP peers and failover tests) to the
// admin API's resource control and to the state snapshot (vif_state.go). Peers and tests have
// no resource record of their own: the control reaches peers through their VIF (bgpStatus,
// bgpPeerId), and both are saved and restored with it.
type vifFamily struct{}

func init() {
	regionalFamilies = append(regionalFamilies, vifFamily{})
	linkHooks = append(linkHooks, vifLinkHook)
	restoreChecks = append(restoreChecks, checkAttachmentsMatchVIFs)
}

func vifResource(v *VIF) Resource {
	return Resource{ID: v.ID, Type: TypeVirtualInterface, Owner: v.Owner, Region: v.Region, State: v.State, Hold: v.held, order: v.order}
}

func (vifFamily) list(r *Region, now time.Time, out []Resource) []Resource {
	for _, v := range r.vifs.byID {
		out = append(out, vifResource(v))
	}
	return out
}

func (vifFamily) find(r *Region, id string, now time.Time) (Resource, bool) {
	v, ok := r.vifs.byID[id]
	if !ok {
		return Resource{}, false
	}
	return vifResource(v), true
}

// States the resource control sets on a VIF.
var vifSettable = []string{vif.StateAvailable, vif.StateDown, vif.StateRejected}

// control applies the table's VIF rows, a hold, and bgpStatus, in that order; it checks all of
// them before it changes anything.
func (vifFamily) control(r *Region, id string, ch Control, now time.Time) error {
	v := r.vifs.byID[id]
	finish := false // provisioning finishes now
	to := v.State
	if ch.State != nil {
		to = *ch.State
		if !slices.Contains(vifSettable, to) || (to == vif.StateRejected && v.Type != vif.Public) {
			want := "available or down"
			if v.Type == vif.Public {
				want = "available, down or rejected"
			}
			return dxerr.New(dxerr.Invalid, "state %s cannot be set on a %s virtual interface: want %s", to, v.Type, want)
		}
		if err := r.vifChangeAllowed(v, to, now); err != nil {
			return err
		}
		finish = to == vif.StateAvailable && (v.State == vif.StatePending || v.State == vif.StateVerifying)
	}
	var peers []*Peer
	if ch.BGPStatus != nil {
		var err error
		if peers, err = bgpTargets(v, to, finish, ch); err != nil {
			return err
		}
	}

	// Everything is allowed: change.
	if to != v.State {
		if finish {
			for i := range v.Peers {
				if p := &v.Peers[i]; p.State == vif.PeerVerifying || p.State == vif.PeerPending {
					p.State, p.since = vif.PeerAvailable, now
				}
			}
		}
		v.resume, v.linkResume = "", ""
		r.setVIFState(v, to, now, CauseControl)
	}
	if ch.Hold != nil {
		r.holdVIF(v, *ch.Hold, now)
	}
	for _, p := range peers {
		p.bgpDown = *ch.BGPStatus == vif.BGPDown
	}
	v.publish()
	r.scheduleVIF(v)
	return nil
}

// vifChangeAllowed applies the table: available -> down; down -> available unless the link
// is down; verifying or pending -> available (provisioning finishes now), but not onto a down
// link nor for a VIF heading back to down; a public VIF verifying -> rejected. Setting the
// state a VIF is in changes nothing.
func (r *Region) vifChangeAllowed(v *VIF, to string, now time.Time) error {
	refuse := func(why string) error {
		return dxerr.New(dxerr.Conflict, "%s %s is %s%s; it cannot be set %s", TypeVirtualInterface, v.ID, v.State, why, to)
	}
	switch {
	case v.State == to:
	case v.State == vif.StateAvailable && to == vif.StateDown:
	case to == vif.StateAvailable && (v.State == vif.StateDown || v.State == vif.StatePending || v.State == vif.StateVerifying):
		if down := r.downLink(v.ConnectionID, now); down != "" {
			return refuse(" and " + down + " under it is down")
		}
		if v.State == vif.StatePending && v.resume == vif.StateDown && v.linkResume == "" {
			return refuse(" and heading back to down")
		}
	case v.State == vif.StateVerifying && to == vif.StateRejected:
	default:
		return refuse("")
	}
	return nil
}

// bgpTargets checks a bgpStatus change and returns the peers it sets: every live peer of v, or
// the one bgpPeerId names. A session goes up only where BGP can be up once the state change
// of the same request is made (to, finish): an available peer of an available VIF (or of a
// testing VIF, outside the test).
func bgpTargets(v *VIF, to string, finish bool, ch Control) ([]*Peer, error) {
	if !vif.Live(v.State) || v.State == vif.StateDeleting {
		return nil, dxerr.New(dxerr.Conflict, "%s %s is %s; its BGP peers cannot be set %s", TypeVirtualInterface, v.ID, v.State, *ch.BGPStatus)
	}
	var peers []*Peer
	if ch.BGPPeerID != nil {
		i := slices.IndexFunc(v.Peers, func(p Peer) bool { return p.ID == *ch.BGPPeerID })
		if i < 0 {
			return nil, dxerr.New(dxerr.Invalid, "bgpPeerId %s is not a BGP peer of virtual interface %s", *ch.BGPPeerID, v.ID)
		}
		p := &v.Peers[i]
		if p.State == vif.PeerDeleting || p.State == vif.PeerDeleted {
			return nil, dxerr.New(dxerr.Conflict, "BGP peer %s of virtual interface %s is %s; its BGP status cannot be set", p.ID, v.ID, p.State)
		}
		peers = []*Peer{p}
	} else {
		peers = v.livePeers()
	}
	if *ch.BGPStatus == vif.BGPDown {
		return peers, nil
	}
	for _, p := range peers {
		peerState := p.State
		if finish && (peerState == vif.PeerVerifying || peerState == vif.PeerPending) {
			peerState = vif.PeerAvailable
		}
		up := to == vif.StateAvailable || (to == vif.StateTesting && v.test != nil && !slices.Contains(v.test.Peers, p.ID))
		switch {
		case !up:
			return nil, dxerr.New(dxerr.Conflict, "%s %s is %s; BGP peer %s cannot be up", TypeVirtualInterface, v.ID, to, p.ID)
		case peerState != vif.PeerAvailable:
			return nil, dxerr.New(dxerr.Conflict, "BGP peer %s of virtual interface %s is %s; it cannot be up", p.ID, v.ID, peerState)
		}
	}
	return peers, nil
}

// holdVIF holds or releases v. Released, the next automatic change of v and of its peers comes
// one dwell after now, and a running test whose end has passed or is nearer ends then too.
func (r *Region) holdVIF(v *VIF, hold bool, now time.Time) {
	if v.held == hold {
		return
	}
	v.held = hold
	if hold {
		return // scheduleVIF drops its due entry
	}
	if _, auto := vif.Next(v.State); auto {
		v.since = now
	}
	for i := range v.Peers {
		if _, _, auto := vif.PeerNext(v.Peers[i].State); auto {
			v.Peers[i].since = now
		}
	}
	if t := v.test; t != nil {
		if soonest := now.Add(r.dwell()); t.due().Before(soonest) {
			t.endsAt = soonest
		}
	}
}

// linkDown reports whether the link under a VIF parent is down (downLink is not empty).
func (r *Region) linkDown(parentID string, now time.Time) bool {
	return r.downLink(parentID, now) != ""
}

// downLink names what is down under a VIF parent: the connection or hosted connection set
// down, the interconnect or LAG under a hosted connection, a LAG whose members leave it down;
// empty when the link is up.
func (r *Region) downLink(parentID string, now time.Time) string {
	if c, ok := r.conns[parentID]; ok {
		switch {
		case c.State == StateDown:
			return c.ID
		case c.Kind == Hosted && c.ParentID != "":
			return r.downLink(c.ParentID, now)
		}
		return ""
	}
	if l, ok := r.lags[parentID]; ok && r.lagState(l, now) == StateDown {
		return l.ID
	}
	return ""
}

// afterProvisioning is the state a pending VIF ends in, next being the one it heads to: on a
// down link a VIF heading to available (or back to down because the link had taken it down)
// comes to down and waits for the link; otherwise it is available.
func (r *Region) afterProvisioning(v *VIF, next string, at time.Time) string {
	if next != vif.StateAvailable && (next != vif.StateDown || v.linkResume == "") {
		return next
	}
	if r.linkDown(v.ConnectionID, at) {
		v.linkResume = vif.StateAvailable
		return vif.StateDown
	}
	v.linkResume = ""
	return vif.StateAvailable
}

// vifLinkHook turns the VIFs over a connection down when the resource control takes its link
// down, and back to what they were when it comes back: the VIFs on the connection itself, on
// its LAG (when the LAG is down as a whole), and on the hosted connections it carries.
func vifLinkHook(r *Region, conn *Connection, up bool, now time.Time) {
	parents := []string{conn.ID}
	if conn.LagID != "" {
		parents = append(parents, conn.LagID)
	}
	if conn.Kind == Interconnect {
		for _, on := range []string{conn.ID, conn.LagID} {
			if list := r.hosted.get(on); on != "" && list != nil {
				for h := range list.all() {
					parents = append(parents, h.ID)
				}
			}
		}
	}
	for _, p := range parents {
		r.syncVIFLink(p, now)
	}
}

// syncVIFLink makes the VIFs of a parent follow its link. Going down, an available or testing
// VIF turns down (a running failover test runs on by the clock, and ends as usual); coming
// back, a VIF the link took down returns to its state (testing only while its test still runs).
// A VIF set down by the control itself stays down.
func (r *Region) syncVIFLink(parentID string, now time.Time) {
	down := r.linkDown(parentID, now)
	for v := range r.vifs.onParent.get(parentID).all() {
		switch {
		case down && (v.State == vif.StateAvailable || v.State == vif.StateTesting):
			back := v.State
			r.setVIFState(v, vif.StateDown, now, CauseControl)
			v.linkResume = back
		case !down && v.State == vif.StateDown && v.linkResume != "":
			back := v.linkResume
			if back == vif.StateTesting && v.test == nil {
				back = vif.StateAvailable
			}
			v.linkResume = ""
			r.setVIFState(v, back, now, CauseControl)
		default:
			continue
		}
		r.scheduleVIF(v)
	}
}
