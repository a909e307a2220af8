package store

import (
	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/page"
	"github.com/dxlocal/dxlocal/internal/tag"
)

// interconnectSpeeds are the port speeds AWS offers for interconnects.
var interconnectSpeeds = []location.Speed{location.Speed1G, location.Speed10G, location.Speed100G}

// NewInterconnect is a CreateInterconnect request.
type NewInterconnect struct {
	Location      string
	Bandwidth     string
	Name          string
	LagID         string
	ProviderName  string
	RequestMACSec bool
	Tags          []tag.Tag
}

// interconnectBandwidth accepts the plain numbers of Gbps the model's text allows ("10") as
// well as the usual spelling, and returns the usual spelling.
func interconnectBandwidth(bw string) string {
	switch bw {
	case "1", "10", "100":
		return bw + "Gbps"
	}
	return bw
}

// checkPartner refuses partner operations to non-partners in strict mode.
func (r *Region) checkPartner(c Caller) error {
	if r.store.opts.StrictPartners && !r.store.IsPartner(c.Account) {
		return dxerr.New(dxerr.Invalid, "Account %s is not an authorized Direct Connect partner in %s.", c.Account, r.name)
	}
	return nil
}

// CreateInterconnect takes a port for a new interconnect, on the LAG's device when LagID is
// given, or refuses and creates nothing.
func (r *Region) CreateInterconnect(c Caller, spec NewInterconnect) (Connection, error) {
	now := r.lock()
	defer r.unlock()
	if err := r.checkPartner(c); err != nil {
		return Connection{}, err
	}
	place, err := r.resolvePlace(spec.Location, interconnectBandwidth(spec.Bandwidth), spec.RequestMACSec, interconnectSpeeds)
	if err != nil {
		return Connection{}, err
	}
	if err := r.checkNewTags(spec.Tags); err != nil {
		return Connection{}, err
	}
	var l *Lag
	if spec.LagID != "" {
		if l, err = r.joinableLag(c, spec.LagID, Interconnect, place); err != nil {
			return Connection{}, err
		}
	}
	ic := r.newMember(c, Interconnect, place, spec.Name, spec.ProviderName, spec.Tags, now)
	if err := r.placePorts(place, l, []*Connection{ic}, r.lagDevices(c, Interconnect, place)...); err != nil {
		return Connection{}, err
	}
	r.addConn(ic)
	if l != nil {
		r.attach(l, ic)
	}
	return ic.clone(), nil
}

func (r *Region) ownInterconnect(c Caller, id string) (*Connection, error) {
	if err := checkInterconnectID(id); err != nil {
		return nil, err
	}
	ic, ok := r.ownConn(c, id, Interconnect)
	if !ok {
		return nil, interconnectNotFound(id)
	}
	return ic, nil
}

// DescribeInterconnects lists the caller's interconnects, or the one named.
func (r *Region) DescribeInterconnects(c Caller, id string, pg page.Request) ([]Connection, string, error) {
	r.lock()
	defer r.unlock()
	if id != "" {
		ic, err := r.ownInterconnect(c, id)
		if err != nil {
			return nil, "", err
		}
		return pageOne(ic, pg)
	}
	return pageOf(r.interconnectsByOwner.get(c.Account), pg)
}

// DeleteInterconnect deletes an interconnect at once and frees its port; it is refused while
// hosted connections live on it.
func (r *Region) DeleteInterconnect(c Caller, id string) (Connection, error) {
	now := r.lock()
	defer r.unlock()
	ic, err := r.ownInterconnect(c, id)
	if err != nil {
		return Connection{}, err
	}
	if err := r.deletePort(ic, now); err != nil {
		return Connection{}, err
	}
	// AWS answers deleted at once for interconnects, unlike dedicated connections.
	if ic.State == StateDeleting {
		r.setState(ic, StateDeleted, now, CauseCall)
	}
	return ic.clone(), nil
}
