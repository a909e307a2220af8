package store

import (
	"fmt"
	"time"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/lag"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/page"
	"github.com/dxlocal/dxlocal/internal/tag"
)

// NewLag is a CreateLag request.
type NewLag struct {
	NumberOfConnections int
	Location            string
	Bandwidth           string
	Name                string
	// ConnectionID is an existing dedicated connection or interconnect to build the LAG around.
	ConnectionID  string
	ProviderName  string
	RequestMACSec bool
	Tags          []tag.Tag
	ChildTags     []tag.Tag
}

func (r *Region) ownLag(c Caller, id string) (*Lag, error) {
	l, ok := r.lags[id]
	if !ok || l.Owner != c.Account {
		return nil, lagNotFound(id)
	}
	return l, nil
}

// attach makes conn the newest member of l.
func (r *Region) attach(l *Lag, conn *Connection) {
	l.members = append(l.members, conn.ID)
	conn.LagID = l.ID
	r.touchLag(l, r.now, CauseCall)
	if l.MacSecCapable {
		// A member drops its own keys and takes the LAG's.
		conn.EncryptionMode = l.EncryptionMode
		conn.MacSecKeys = append([]MacSecKey(nil), l.MacSecKeys...)
		r.watchKeys(&conn.MacSecKeys)
	}
}

// detach takes conn out of l.
func (r *Region) detach(l *Lag, conn *Connection) {
	for i, id := range l.members {
		if id == conn.ID {
			l.members = append(l.members[:i:i], l.members[i+1:]...)
			break
		}
	}
	conn.LagID = ""
	r.touchLag(l, r.now, CauseCall)
}

// view copies l with its state and members as of now.
func (r *Region) view(l *Lag, now time.Time) LagView {
	v := LagView{Lag: *l, Members: make([]Connection, 0, len(l.members))}
	v.Tags = append([]tag.Tag(nil), l.Tags...)
	v.MacSecKeys = append([]MacSecKey(nil), l.MacSecKeys...)
	v.members = nil
	for _, id := range l.members {
		v.Members = append(v.Members, r.conns[id].clone())
	}
	v.State = r.lagState(l, now)
	return v
}

// lagState derives l's state at now: pending through its first dwell (restarted when a hold
// taken while pending is released, and kept while held), then from its members.
func (r *Region) lagState(l *Lag, now time.Time) string {
	switch {
	case !l.Deleted.IsZero():
		return StateDeleted
	case l.held && l.heldPending:
		return StatePending
	case now.Before(l.pendingStart().Add(r.dwell())):
		return StatePending
	}
	up := 0
	for _, id := range l.members {
		if r.conns[id].State == StateAvailable {
			up++
		}
	}
	return lag.Settled(up, l.MinimumLinks)
}

// CreateLag creates a LAG with new members on one device, or around an existing connection
// with the rest of its members on that connection's device. Nothing is created unless every
// port is free.
func (r *Region) CreateLag(c Caller, spec NewLag) (LagView, error) {
	now := r.lock()
	defer r.unlock()
	place, err := r.resolvePlace(spec.Location, spec.Bandwidth, spec.RequestMACSec, dedicatedSpeeds)
	if err != nil {
		return LagView{}, err
	}
	if err := lag.CheckNumberOfConnections(spec.NumberOfConnections, place.speed); err != nil {
		return LagView{}, err
	}
	if err := r.checkNewTags(spec.Tags); err != nil {
		return LagView{}, err
	}
	if err := r.checkNewTags(spec.ChildTags); err != nil {
		return LagView{}, err
	}
	if n, max := r.liveLags(c.Account), r.store.Quotas().LagsPerRegion; n >= max {
		return LagView{}, dxerr.New(dxerr.Limit, "Lag limit of %d exceeded for account %s in %s.", max, c.Account, r.name)
	}
	l := &Lag{
		ID:                      r.store.opts.IDs.New("dxlag"),
		Name:                    spec.Name,
		Owner:                   c.Account,
		Region:                  r.name,
		Location:                place.loc,
		Bandwidth:               string(place.speed),
		AllowsHostedConnections: r.store.IsPartner(c.Account),
		ProviderName:            spec.ProviderName,
		MacSecCapable:           spec.RequestMACSec,
		Tags:                    spec.Tags,
		created:                 now,
	}
	if l.MacSecCapable {
		l.EncryptionMode = "no_encrypt"
	}
	var existing *Connection
	if spec.ConnectionID != "" {
		if existing, err = r.lagSeed(c, spec.ConnectionID, place, now); err != nil {
			return LagView{}, err
		}
		// A LAG built around an interconnect is a LAG of interconnects, whoever builds it.
		l.AllowsHostedConnections = existing.Kind == Interconnect
		l.Device = existing.Device
	}
	memberKind := Dedicated
	if l.AllowsHostedConnections {
		memberKind = Interconnect
	}
	fresh := spec.NumberOfConnections
	if existing != nil {
		fresh--
	}
	if memberKind == Dedicated {
		if err := r.checkQuota(c.Account, place.loc, fresh); err != nil {
			return LagView{}, err
		}
	}
	members := make([]*Connection, fresh)
	first := 1
	if existing != nil {
		first = 2
	}
	for i := range members {
		name := fmt.Sprintf("Requested Connection %d for Lag %s", first+i, l.ID)
		members[i] = r.newMember(c, memberKind, place, name, spec.ProviderName, spec.ChildTags, now)
	}
	var onDevice *Lag
	var prefer []string
	if existing != nil {
		onDevice = l
	} else {
		prefer = r.standaloneDevices(c, memberKind, place)
	}
	if err := r.placePorts(place, onDevice, members, prefer...); err != nil {
		return LagView{}, err
	}
	if fresh > 0 && l.Device == "" {
		l.Device = members[0].Device
	}
	l.order = r.store.created.Add(1)
	r.lags[l.ID] = l
	r.lagsPeak = max(r.lagsPeak, len(r.lags))
	r.lagsByOwner.add(c.Account, l)
	r.addLag(l)
	if existing != nil {
		if old, ok := r.lags[existing.LagID]; ok {
			r.detach(old, existing)
		}
		r.attach(l, existing)
		existing.transitionUntil = now.Add(r.dwell())
		// The connection's VIFs move to the new LAG, which has none of its own to clash with.
		r.moveVIFsWith(existing, l, now)
	}
	for _, m := range members {
		r.addConn(m)
		r.attach(l, m)
	}
	v := r.view(l, now)
	// A create answers the entry state even with a zero dwell; the next read derives it.
	v.State = StatePending
	return v, nil
}

// lagSeed checks the connection a new LAG is built around.
func (r *Region) lagSeed(c Caller, id string, place portPlace, now time.Time) (*Connection, error) {
	if err := checkConnectionID(id); err != nil {
		return nil, err
	}
	conn, ok := r.ownConn(c, id, Dedicated, Interconnect)
	if !ok {
		return nil, connNotFound(id)
	}
	if !live(conn.State) || conn.State == StateDeleting {
		return nil, inState("Connection", id, conn.State)
	}
	if now.Before(conn.transitionUntil) {
		return nil, dxerr.New(dxerr.Conflict, "Connection %s is in a transitioning state.", id)
	}
	if conn.Location != place.loc {
		return nil, dxerr.New(dxerr.Invalid, "Connection %s is at location %s, not %s.", id, conn.Location.Code, place.loc.Code)
	}
	if conn.Bandwidth != string(place.speed) {
		return nil, dxerr.New(dxerr.Invalid, "Connection %s has bandwidth %s, not %s.", id, conn.Bandwidth, place.speed)
	}
	if conn.MacSecCapable != place.macSec {
		return nil, dxerr.New(dxerr.Invalid, "Connection %s and lag should be requested MacSec at the same time", id)
	}
	if old, ok := r.lags[conn.LagID]; ok {
		if err := lag.CheckRemoval(id, old.ID, len(old.members), old.MinimumLinks); err != nil {
			return nil, err
		}
		if err := r.checkMemberRemoval(old, id); err != nil {
			return nil, err
		}
	}
	return conn, nil
}

func (r *Region) liveLags(account string) int {
	n := 0
	for l := range r.lagsByOwner.get(account).all() {
		if l.Deleted.IsZero() {
			n++
		}
	}
	return n
}

// DescribeLags lists the caller's LAGs, or the one named.
func (r *Region) DescribeLags(c Caller, id string, pg page.Request) ([]LagView, string, error) {
	now := r.lock()
	defer r.unlock()
	if id != "" {
		if err := checkLagID(id); err != nil {
			return nil, "", err
		}
		l, err := r.ownLag(c, id)
		if err != nil {
			return nil, "", err
		}
		// A one-item list is paged too, so that a token of another request is refused.
		start, end, _, err := pg.Window(1)
		if err != nil || start == end {
			return []LagView{}, "", err
		}
		return []LagView{r.view(l, now)}, "", nil
	}
	list := r.lagsByOwner.get(c.Account)
	start, end, next, err := pg.Window(list.len())
	if err != nil {
		return nil, "", err
	}
	out := make([]LagView, 0, end-start)
	for _, l := range list.window(start, end) {
		out = append(out, r.view(l, now))
	}
	return out, next, nil
}

// LagUpdate is an UpdateLag request; nil members are left as they are.
type LagUpdate struct {
	Name           *string
	MinimumLinks   *int
	EncryptionMode *string
}

// UpdateLag renames a LAG, sets its minimum links or its encryption mode (copied to every member).
func (r *Region) UpdateLag(c Caller, id string, u LagUpdate) (LagView, error) {
	now := r.lock()
	defer r.unlock()
	if err := checkLagID(id); err != nil {
		return LagView{}, err
	}
	if err := checkEncryptionMode(u.EncryptionMode); err != nil {
		return LagView{}, err
	}
	l, err := r.ownLag(c, id)
	if err != nil {
		return LagView{}, err
	}
	if !l.Deleted.IsZero() {
		return LagView{}, inState("Lag", id, StateDeleted)
	}
	if u.MinimumLinks != nil {
		if err := lag.CheckMinimumLinks(id, *u.MinimumLinks, len(l.members)); err != nil {
			return LagView{}, err
		}
	}
	if u.EncryptionMode != nil && !l.MacSecCapable {
		return LagView{}, dxerr.New(dxerr.Invalid, "%s is not MACsec capable.", id)
	}
	if u.Name != nil {
		l.Name = *u.Name
	}
	if u.MinimumLinks != nil {
		l.MinimumLinks = *u.MinimumLinks
		r.touchLag(l, now, CauseCall)
	}
	if u.EncryptionMode != nil {
		l.EncryptionMode = *u.EncryptionMode
		for _, m := range l.members {
			r.conns[m].EncryptionMode = l.EncryptionMode
		}
	}
	return r.view(l, now), nil
}

// DeleteLag deletes a LAG at once. Its members are not deleted: they leave it and stand alone.
// It is refused while hosted connections live on the LAG.
func (r *Region) DeleteLag(c Caller, id string) (LagView, error) {
	now := r.lock()
	defer r.unlock()
	if err := checkLagID(id); err != nil {
		return LagView{}, err
	}
	l, err := r.ownLag(c, id)
	if err != nil {
		return LagView{}, err
	}
	if !l.Deleted.IsZero() {
		return r.view(l, now), nil
	}
	if n := len(r.hostedOn(id)); n > 0 {
		return LagView{}, dxerr.New(dxerr.Conflict, "Lag %s has %d hosted connections; delete them first.", id, n)
	}
	if err := r.refuseLiveVIFs("Lag", id); err != nil {
		return LagView{}, err
	}
	for _, m := range append([]string(nil), l.members...) {
		r.detach(l, r.conns[m])
	}
	l.Deleted = now
	r.touchLag(l, now, CauseCall)
	r.graveyard.push(grave{at: now, lag: l})
	return r.view(l, now), nil
}

// AssociateConnectionWithLag moves a dedicated connection or interconnect into a LAG on its device.
func (r *Region) AssociateConnectionWithLag(c Caller, connID, lagID string) (Connection, error) {
	now := r.lock()
	defer r.unlock()
	if err := checkConnectionID(connID); err != nil {
		return Connection{}, err
	}
	if err := checkLagID(lagID); err != nil {
		return Connection{}, err
	}
	conn, ok := r.ownConn(c, connID, Dedicated, Interconnect)
	if !ok {
		return Connection{}, connNotFound(connID)
	}
	l, err := r.ownLag(c, lagID)
	if err != nil {
		return Connection{}, err
	}
	if !live(conn.State) || conn.State == StateDeleting {
		return Connection{}, inState("Connection", connID, conn.State)
	}
	if !l.Deleted.IsZero() {
		return Connection{}, inState("Lag", lagID, StateDeleted)
	}
	if conn.LagID == lagID {
		return conn.clone(), nil
	}
	if now.Before(conn.transitionUntil) {
		return Connection{}, dxerr.New(dxerr.Conflict, "Connection %s is in a transitioning state.", connID)
	}
	if (conn.Kind == Interconnect) != l.AllowsHostedConnections {
		if l.AllowsHostedConnections {
			return Connection{}, dxerr.New(dxerr.Invalid, "Lag %s is a LAG of interconnects; dedicated connection %s cannot join it.", lagID, connID)
		}
		return Connection{}, dxerr.New(dxerr.Invalid, "Lag %s is a LAG of dedicated connections; interconnect %s cannot join it.", lagID, connID)
	}
	if conn.Device != l.Device {
		return Connection{}, dxerr.New(dxerr.Invalid, "Connection %s is on device %s but Lag %s is on device %s.", connID, conn.Device, lagID, l.Device)
	}
	if conn.Bandwidth != l.Bandwidth {
		return Connection{}, dxerr.New(dxerr.Invalid, "Connection %s has bandwidth %s but Lag %s has %s.", connID, conn.Bandwidth, lagID, l.Bandwidth)
	}
	if conn.MacSecCapable != l.MacSecCapable {
		return Connection{}, dxerr.New(dxerr.Invalid, "Connection %s and lag should be requested MacSec at the same time", connID)
	}
	if err := lag.CheckRoom(lagID, len(l.members), location.Speed(l.Bandwidth)); err != nil {
		return Connection{}, err
	}
	old, inOld := r.lags[conn.LagID]
	if inOld {
		if err := lag.CheckRemoval(connID, old.ID, len(old.members), old.MinimumLinks); err != nil {
			return Connection{}, err
		}
		if err := r.checkMemberRemoval(old, connID); err != nil {
			return Connection{}, err
		}
	}
	// VIFs directly on a standalone connection move into the LAG with it; they must fit there.
	if err := r.checkVIFsFollow(conn, l, now); err != nil {
		return Connection{}, err
	}
	if inOld {
		r.detach(old, conn)
	}
	r.attach(l, conn)
	r.moveVIFsWith(conn, l, now)
	conn.transitionUntil = now.Add(r.dwell())
	return conn.clone(), nil
}

// DisassociateConnectionFromLag takes a member out of its LAG; it then stands alone.
func (r *Region) DisassociateConnectionFromLag(c Caller, connID, lagID string) (Connection, error) {
	now := r.lock()
	defer r.unlock()
	if err := checkConnectionID(connID); err != nil {
		return Connection{}, err
	}
	if err := checkLagID(lagID); err != nil {
		return Connection{}, err
	}
	conn, ok := r.ownConn(c, connID, Dedicated, Interconnect)
	if !ok {
		return Connection{}, dxerr.New(dxerr.NotFound, "Connection does not exist: %s.", connID)
	}
	l, ok := r.lags[lagID]
	if !ok || l.Owner != c.Account {
		return Connection{}, dxerr.New(dxerr.NotFound, "Lag does not exist: %s.", lagID)
	}
	if conn.LagID != lagID {
		return Connection{}, dxerr.New(dxerr.Invalid, "Connection %s is not a member of Lag %s.", connID, lagID)
	}
	if now.Before(conn.transitionUntil) {
		return Connection{}, dxerr.New(dxerr.Conflict, "Connection %s is in a transitioning state.", connID)
	}
	if err := lag.CheckRemoval(connID, lagID, len(l.members), l.MinimumLinks); err != nil {
		return Connection{}, err
	}
	if err := r.checkMemberRemoval(l, connID); err != nil {
		return Connection{}, err
	}
	r.detach(l, conn)
	conn.transitionUntil = now.Add(r.dwell())
	return conn.clone(), nil
}
