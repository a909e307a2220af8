package store

import (
	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/vif"
	"slices"
)

// checkHostedVIFAddresses refuses moving hosted connection h to parent parentID when a peer of
// its VIF overlaps a peer of a VIF on another hosted connection of that parent.
func (r *Region) checkHostedVIFAddresses(h *Connection, parentID string) error {
	var there []*VIF
	for _, other := range r.hostedOn(parentID) {
		there = append(there, r.vifsHolding(other.ID)...)
	}
	for _, v := range r.vifsHolding(h.ID) {
		for _, p := range v.livePeers() {
			if p.AddressFamily != vif.IPv4 {
				continue
			}
			if other, op := r.peerClash(there, p.net, v); other != nil {
				return dxerr.New(dxerr.Conflict, "Address %s of virtual interface %s overlaps %s of virtual interface %s on %s.", p.CustomerAddress, v.ID, op.CustomerAddress, other.ID, parentID)
			}
		}
	}
	return nil
}

// followHosted keeps the VIFs of a moved hosted connection on its new device and location.
func (r *Region) followHosted(h *Connection) {
	p := vifParent{id: h.ID, owner: h.Owner, hosted: h, loc: h.Location, device: h.Device, state: h.State, jumbo: h.JumboFrameCapable()}
	for _, v := range slices.Collect(r.vifs.onParent.get(h.ID).all()) {
		r.moveVIF(v, p)
	}
}
