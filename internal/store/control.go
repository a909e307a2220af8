package store

import (
	"slices"
	"strings"
	"time"

	"github.com/dxlocal/dxlocal/internal/dxerr"
)

// Resource is one resource as the admin API's resource control shows it.
type Resource struct {
	ID     string
	Type   string // one of the Type* names of change.go
	Owner  string
	Region string
	State  string
	Hold   bool
	// order is the resource's place in the creation order of every resource.
	order uint64
}

// Control is a change asked of one resource by the admin API; nil members are left alone.
type Control struct {
	// State is the state to set; which ones a resource takes, and from where, is the table of
	// contract.md's Test control section.
	State *string
	// Hold stops (true) or releases (false) the resource's automatic changes.
	Hold *bool
	// BGPStatus sets the BGP status (up or down) of every peer of a VIF, or of BGPPeerID's.
	BGPStatus *string
	BGPPeerID *string
}

// ResourceFilter narrows Resources; empty members match everything.
type ResourceFilter struct {
	Account, Region, Type string
}

// ResourceTypes are the types the admin API lists and filters by.
var ResourceTypes = []string{TypeConnection, TypeHostedConnection, TypeInterconnect, TypeLag,
	TypeVirtualInterface, TypeDirectConnectGateway, TypeGatewayAssociation, TypeAssociationProposal}

// regionList returns the regions that exist, by name.
func (s *Store) regionList() []*Region {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Region, 0, len(s.regions))
	for _, r := range s.regions {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *Region) int { return strings.Compare(a.name, b.name) })
	return out
}

// Resources lists every resource of every account and region that f matches, in creation order.
func (s *Store) Resources(f ResourceFilter) []Resource {
	var all []Resource
	for _, g := range globalFamilies {
		now := g.lock(s)
		all = g.list(s, now, all)
		g.unlock(s)
	}
	for _, r := range s.regionList() {
		if f.Region != "" && r.name != f.Region {
			continue
		}
		now := r.lock()
		for _, fam := range regionalFamilies {
			all = fam.list(r, now, all)
		}
		r.unlock()
	}
	out := all[:0]
	for _, res := range all {
		if (f.Account == "" || res.Owner == f.Account) && (f.Region == "" || res.Region == f.Region) && (f.Type == "" || res.Type == f.Type) {
			out = append(out, res)
		}
	}
	slices.SortStableFunc(out, func(a, b Resource) int {
		switch {
		case a.order < b.order:
			return -1
		case a.order > b.order:
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Resource returns the resource id names.
func (s *Store) Resource(id string) (Resource, error) {
	return s.ControlResource(id, Control{})
}

// ControlResource applies ch to the resource id and returns it after the change; an empty ch
// only reads it. A refused change changes nothing.
func (s *Store) ControlResource(id string, ch Control) (Resource, error) {
	if err := ch.check(); err != nil {
		return Resource{}, err
	}
	for _, g := range globalFamilies {
		now := g.lock(s)
		res, ok := g.find(s, id, now)
		if ok {
			defer g.unlock(s)
			if err := g.control(s, id, ch, now); err != nil {
				return Resource{}, err
			}
			if after, ok := g.find(s, id, now); ok {
				res = after
			} else if ch.State != nil {
				res.State = *ch.State // the change removed it (a deleted DX gateway is gone at once)
			}
			return res, nil
		}
		g.unlock(s)
	}
	for _, r := range s.regionList() {
		if res, ok, err := r.control(id, ch); ok {
			return res, err
		}
	}
	return Resource{}, dxerr.New(dxerr.NotFound, "no resource has id %s", id)
}

// control applies ch to id when a family of r has it, all under r's lock.
func (r *Region) control(id string, ch Control) (Resource, bool, error) {
	now := r.lock()
	defer r.unlock()
	for _, fam := range regionalFamilies {
		if _, ok := fam.find(r, id, now); !ok {
			continue
		}
		if ch != (Control{}) {
			if err := fam.control(r, id, ch, now); err != nil {
				return Resource{}, true, err
			}
		}
		res, _ := fam.find(r, id, now)
		return res, true, nil
	}
	return Resource{}, false, nil
}

// check applies the rules that do not depend on the resource.
func (ch Control) check() error {
	if ch.BGPStatus != nil && *ch.BGPStatus != "up" && *ch.BGPStatus != "down" {
		return dxerr.New(dxerr.Invalid, "bgpStatus %s is not valid: want up or down", *ch.BGPStatus)
	}
	if ch.BGPPeerID != nil && ch.BGPStatus == nil {
		return dxerr.New(dxerr.Invalid, "bgpPeerId %s needs a bgpStatus to set", *ch.BGPPeerID)
	}
	if ch.State != nil && *ch.State == "" {
		return dxerr.New(dxerr.Invalid, "state is empty")
	}
	return nil
}

// noBGP refuses a BGP change on a resource that has no BGP peers of its own.
func noBGP(ch Control, kind, id string) error {
	if ch.BGPStatus != nil {
		return dxerr.New(dxerr.Invalid, "bgpStatus applies to virtual interfaces; %s is a %s", id, kind)
	}
	return nil
}

// typeName is the resource type of a connection, as the admin API and the journal name it.
// connectionFamily is the dedicated connections, hosted connections and interconnects.
type connectionFamily struct{}

func (connectionFamily) record(c *Connection) Resource {
	return Resource{ID: c.ID, Type: c.Kind.resourceType(), Owner: c.Owner, Region: c.Region, State: c.State, Hold: c.held, order: c.order}
}

func (f connectionFamily) list(r *Region, now time.Time, out []Resource) []Resource {
	for _, c := range r.conns {
		out = append(out, f.record(c))
	}
	return out
}

func (f connectionFamily) find(r *Region, id string, now time.Time) (Resource, bool) {
	c, ok := r.conns[id]
	if !ok {
		return Resource{}, false
	}
	return f.record(c), true
}

func (connectionFamily) control(r *Region, id string, ch Control, now time.Time) error {
	c := r.conns[id]
	if err := noBGP(ch, c.Kind.resourceType(), id); err != nil {
		return err
	}
	if ch.State != nil {
		if err := checkLinkState(*ch.State, c.Kind.resourceType()); err != nil {
			return err
		}
		if err := linkChangeAllowed(c, *ch.State); err != nil {
			return err
		}
		r.setLink(c, *ch.State, now)
	}
	if ch.Hold != nil {
		r.holdConn(c, *ch.Hold, now)
	}
	return nil
}

// checkLinkState refuses a state the resource control cannot set on a connection or LAG.
func checkLinkState(state, kind string) error {
	if state != StateAvailable && state != StateDown {
		return dxerr.New(dxerr.Invalid, "state %s cannot be set on a %s: want available or down", state, kind)
	}
	return nil
}

// linkChangeAllowed applies the table: available <-> down, and requested or pending ->
// available (provisioning finishes now). Setting the state a connection is in changes nothing.
func linkChangeAllowed(c *Connection, to string) error {
	switch {
	case c.State == to:
	case to == StateDown && c.State == StateAvailable:
	case to == StateAvailable && (c.State == StateDown || c.State == StateRequested || c.State == StatePending):
	default:
		return dxerr.New(dxerr.Conflict, "%s %s is %s; it cannot be set %s", c.Kind.resourceType(), c.ID, c.State, to)
	}
	return nil
}

// setLink moves c to available or down for the resource control (the change is allowed) and
// tells the link hooks when the link goes down or comes back. A LAG's state follows on its
// next read, since it is derived from its members.
func (r *Region) setLink(c *Connection, to string, now time.Time) {
	from := c.State
	if from == to {
		return
	}
	r.setState(c, to, now, CauseControl)
	switch {
	case to == StateDown:
		for _, hook := range linkHooks {
			hook(r, c, false, now)
		}
	case from == StateDown:
		for _, hook := range linkHooks {
			hook(r, c, true, now)
		}
	}
}

// holdConn holds or releases c. Released, its next automatic change comes one dwell after now.
func (r *Region) holdConn(c *Connection, hold bool, now time.Time) {
	if c.held == hold {
		return
	}
	c.held = hold
	if hold {
		return // its due entry, when it comes, finds it held and is dropped
	}
	if _, auto := autoNext(c.State); auto {
		c.since = now
		r.due.schedule(c, now.Add(r.dwell()))
	}
}

// lagFamily is the LAGs.
type lagFamily struct{}

func (lagFamily) record(r *Region, l *Lag, now time.Time) Resource {
	return Resource{ID: l.ID, Type: TypeLag, Owner: l.Owner, Region: l.Region, State: r.lagState(l, now), Hold: l.held, order: l.order}
}

func (f lagFamily) list(r *Region, now time.Time, out []Resource) []Resource {
	for _, l := range r.lags {
		out = append(out, f.record(r, l, now))
	}
	return out
}

func (f lagFamily) find(r *Region, id string, now time.Time) (Resource, bool) {
	l, ok := r.lags[id]
	if !ok {
		return Resource{}, false
	}
	return f.record(r, l, now), true
}

// control sets every live member of a live LAG available or down, each as far as the
// connection table allows (a pending member is not set down), or holds the LAG.
func (lagFamily) control(r *Region, id string, ch Control, now time.Time) error {
	l := r.lags[id]
	if err := noBGP(ch, TypeLag, id); err != nil {
		return err
	}
	if ch.State != nil {
		if err := checkLinkState(*ch.State, TypeLag); err != nil {
			return err
		}
		if !l.Deleted.IsZero() {
			return dxerr.New(dxerr.Conflict, "lag %s is deleted; it cannot be set %s", id, *ch.State)
		}
		if len(l.members) == 0 {
			return dxerr.New(dxerr.Conflict, "lag %s has no members to set %s", id, *ch.State)
		}
	}
	if ch.State != nil {
		for _, m := range l.members {
			if c := r.conns[m]; linkChangeAllowed(c, *ch.State) == nil {
				r.setLink(c, *ch.State, now)
			}
		}
	}
	if ch.Hold != nil && *ch.Hold != l.held {
		if *ch.Hold {
			l.heldPending = r.lagState(l, now) == StatePending
		} else if l.heldPending {
			l.pendingFrom = now
		}
		l.held = *ch.Hold
		if !l.held {
			l.heldPending = false
		}
	}
	return nil
}

// pendingStart is when the LAG's pending dwell began.
func (l *Lag) pendingStart() time.Time {
	if !l.pendingFrom.IsZero() {
		return l.pendingFrom
	}
	return l.created
}
