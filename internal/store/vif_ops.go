package store

import (
	"slices"
	"time"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/page"
	"github.com/dxlocal/dxlocal/internal/vif"
)

// DescribeVIFs lists the VIFs the caller sees (its own and those on its connections), those of
// one connection, LAG or hosted connection, or the one named; deleted ones for 15 minutes.
func (r *Region) DescribeVIFs(c Caller, connID, id string, pg page.Request) ([]VIFView, string, error) {
	r.lock()
	defer r.unlock()
	// list is a named VIF or one parent's: a few, by the VIF quotas.
	var list []*VIF
	switch {
	case id != "":
		// One VIF is a list of one, so that a token of another request is refused here too.
		v, err := r.visibleVIF(c, id)
		if err != nil {
			return nil, "", err
		}
		if connID == "" || v.ConnectionID == connID {
			list = []*VIF{v}
		}
	case connID != "":
		if err := checkConnectionID(connID); err != nil {
			return nil, "", err
		}
		for v := range r.vifs.onParent.get(connID).all() {
			if v.Owner == c.Account || v.ConnOwner == c.Account {
				list = append(list, v)
			}
		}
	default:
		// Every VIF the caller sees: page through the index without copying it.
		all := r.vifs.visible.get(c.Account)
		start, end, next, err := pg.Window(all.len())
		if err != nil {
			return nil, "", err
		}
		out := make([]VIFView, 0, end-start)
		for _, v := range all.window(start, end) {
			out = append(out, v.view(c.Account))
		}
		return out, next, nil
	}
	start, end, next, err := pg.Window(len(list))
	if err != nil {
		return nil, "", err
	}
	out := make([]VIFView, end-start)
	for i, v := range list[start:end] {
		out[i] = v.view(c.Account)
	}
	return out, next, nil
}

// DeleteVIF deletes a VIF for its owner or for the owner of its connection. The invited account
// deleting a VIF still confirming rejects it. The VLAN is free for reuse at once; the VIF is
// deleted after one dwell and its Direct Connect gateway attachment starts detaching now.
func (r *Region) DeleteVIF(c Caller, id string) (string, error) {
	// The VIF may be attached to a Direct Connect gateway: take the book first (lock order).
	bookNow := r.store.lockGateways()
	defer r.store.unlockGateways()
	now := r.lock()
	defer r.unlock()
	v, err := r.visibleVIF(c, id)
	if err != nil {
		return "", err
	}
	next := vif.AfterDelete(v.State, c.Account == v.Owner)
	if next == v.State {
		return v.State, nil
	}
	if t := v.test; t != nil {
		// Deleting the VIF cancels its test; the VIF goes straight to its new state.
		t.Status, t.End, v.test = TestCancelled, now, nil
	}
	v.resume = ""
	r.setVIFState(v, next, now, CauseCall)
	if v.DXGatewayID != "" {
		r.store.detach(v.DXGatewayID, v.ID, bookNow)
	}
	r.scheduleVIF(v)
	return v.State, nil
}

// VIFUpdate is an UpdateVirtualInterfaceAttributes request; nil members stay as they are.
type VIFUpdate struct {
	MTU      *int32
	SiteLink *bool
	Name     *string
}

// UpdateVIF changes a VIF's MTU, SiteLink or name for its owner. A new MTU or SiteLink setting
// takes the VIF through pending for one dwell; a new name does not.
func (r *Region) UpdateVIF(c Caller, id string, u VIFUpdate) (VIFView, error) {
	now := r.lock()
	defer r.unlock()
	if err := checkVIFID(id); err != nil {
		return VIFView{}, err
	}
	if u.Name != nil {
		if err := vif.CheckName(*u.Name); err != nil {
			return VIFView{}, err
		}
	}
	v, err := r.ownVIF(c, id)
	if err != nil {
		return VIFView{}, err
	}
	mtu := v.MTU
	if u.MTU != nil {
		if mtu, err = vif.ResolveMTU(v.Type, u.MTU); err != nil {
			return VIFView{}, err
		}
	}
	siteLink := v.SiteLink
	if u.SiteLink != nil {
		siteLink = *u.SiteLink
		if err := checkSiteLink(v.Type, siteLink, gatewayChoice{vgw: v.VirtualGatewayID}); err != nil {
			return VIFView{}, err
		}
	}
	reprovision := mtu != v.MTU || siteLink != v.SiteLink
	if reprovision && !vif.Steady(v.State) {
		return VIFView{}, inState("Virtual interface", id, v.State)
	}
	if vif.Jumbo(mtu) && !v.Jumbo {
		return VIFView{}, dxerr.New(dxerr.Invalid, "Connection %s is not jumbo frame capable.", v.ConnectionID)
	}
	if u.Name != nil {
		v.Name = *u.Name
	}
	if reprovision {
		v.MTU, v.SiteLink = mtu, siteLink
		r.reprovision(v, now)
	}
	v.publish()
	return v.view(c.Account), nil
}

// reprovision takes a steady VIF through pending, back to its state after one dwell.
func (r *Region) reprovision(v *VIF, now time.Time) {
	v.resume = v.State
	r.setVIFState(v, vif.StatePending, now, CauseCall)
	r.scheduleVIF(v)
}

// AssociateVIF moves a VIF to another connection or LAG of the owner of its current one.
// The caller owns the VIF or its connection, and owns the target. VLAN, addresses, quotas
// and jumbo frames must fit on the target; VIFs of hosted connections do not move.
func (r *Region) AssociateVIF(c Caller, id, connID string) (VIFView, error) {
	now := r.lock()
	defer r.unlock()
	v, err := r.visibleVIF(c, id)
	if err != nil {
		return VIFView{}, err
	}
	if connID == "" {
		return VIFView{}, dxerr.New(dxerr.Invalid, "connectionId is required.")
	}
	p, err := r.vifParentOf(c, connID, now)
	if err != nil {
		return VIFView{}, err
	}
	if p.id == v.ConnectionID {
		return v.view(c.Account), nil
	}
	if p.owner != v.ConnOwner {
		return VIFView{}, connNotFound(connID)
	}
	if cur, ok := r.conns[v.ConnectionID]; ok && cur.Kind == Hosted {
		return VIFView{}, dxerr.New(dxerr.Invalid, "Virtual interface %s is on hosted connection %s; move the hosted connection instead.", id, cur.ID)
	}
	if p.hosted != nil {
		return VIFView{}, dxerr.New(dxerr.Invalid, "Virtual interface %s cannot move to hosted connection %s.", id, p.id)
	}
	if !vif.Steady(v.State) {
		return VIFView{}, inState("Virtual interface", id, v.State)
	}
	if err := p.usable(); err != nil {
		return VIFView{}, err
	}
	if err := r.checkVIFsFit(p, []*VIF{v}); err != nil {
		return VIFView{}, err
	}
	r.moveVIF(v, p)
	r.reprovision(v, now)
	return v.view(c.Account), nil
}

// checkVIFsFit refuses moving vifs onto p on a VLAN clash, an address clash, a jumbo MTU p
// cannot carry or beyond p's quotas.
func (r *Region) checkVIFsFit(p vifParent, vifs []*VIF) error {
	slots := make([]vifSlot, 0, len(vifs))
	there := r.vifsHolding(p.id)
	for _, v := range vifs {
		if !holdsVLAN(v) {
			continue
		}
		slots = append(slots, vifSlot{v.Type, v.VLAN})
		if vif.Jumbo(v.MTU) && !p.jumbo {
			return dxerr.New(dxerr.Invalid, "Connection %s is not jumbo frame capable; virtual interface %s has MTU %d.", p.id, v.ID, v.MTU)
		}
		for _, mine := range v.livePeers() {
			if mine.AddressFamily != vif.IPv4 {
				continue
			}
			if other, op := r.peerClash(there, mine.net, v); other != nil {
				return dxerr.New(dxerr.Conflict, "Address %s of virtual interface %s overlaps %s of virtual interface %s on %s.", mine.CustomerAddress, v.ID, op.CustomerAddress, other.ID, p.id)
			}
		}
	}
	return r.checkVIFRoom(p, slots, nil)
}

// moveVIF puts v on p.
func (r *Region) moveVIF(v *VIF, p vifParent) {
	b := &r.vifs
	b.onParent.remove(v.ConnectionID, v)
	b.onDevice.remove(v.Device, v)
	v.ConnectionID, v.Location, v.Device, v.Jumbo = p.id, p.loc, p.device, p.jumbo
	b.onParent.add(p.id, v)
	b.onDevice.add(p.device, v)
	v.publish()
}

// lagAsParent is l as a VIF parent, for VIFs that follow their connection into it.
func (r *Region) lagAsParent(l *Lag, now time.Time) vifParent {
	view := r.view(l, now)
	return vifParent{id: l.ID, owner: l.Owner, loc: l.Location, device: l.Device, state: view.State, jumbo: view.JumboFrameCapable()}
}

// checkVIFsFollow refuses a connection joining l when its VIFs, which move with it, do not fit.
func (r *Region) checkVIFsFollow(conn *Connection, l *Lag, now time.Time) error {
	vifs := slices.Collect(r.vifs.onParent.get(conn.ID).all())
	if len(vifs) == 0 {
		return nil
	}
	return r.checkVIFsFit(r.lagAsParent(l, now), vifs)
}

// moveVIFsWith moves the VIFs of conn (deleted ones too, until purged) onto l.
func (r *Region) moveVIFsWith(conn *Connection, l *Lag, now time.Time) {
	p := r.lagAsParent(l, now)
	for _, v := range slices.Collect(r.vifs.onParent.get(conn.ID).all()) {
		r.moveVIF(v, p)
	}
}

// refuseLiveVIFs refuses deleting a connection, LAG or hosted connection that has live VIFs.
func (r *Region) refuseLiveVIFs(kind, id string) error {
	if n := r.liveVIFs(id); n > 0 {
		return dxerr.New(dxerr.Conflict, "%s %s has virtual interfaces (%d live); delete them first.", kind, id, n)
	}
	return nil
}
