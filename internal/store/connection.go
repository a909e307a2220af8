package store

import (
	"time"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/lag"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/page"
	"github.com/dxlocal/dxlocal/internal/port"
	"github.com/dxlocal/dxlocal/internal/tag"
)

// dedicatedSpeeds are the bandwidths of dedicated connections and LAG members.
var dedicatedSpeeds = []location.Speed{location.Speed1G, location.Speed10G, location.Speed100G, location.Speed400G}

// NewConnection is a CreateConnection request.
type NewConnection struct {
	Location      string
	Bandwidth     string
	Name          string
	LagID         string
	ProviderName  string
	RequestMACSec bool
	Tags          []tag.Tag
}

// CreateConnection takes a port for a new dedicated connection, on the LAG's device when
// LagID is given, or refuses and creates nothing.
func (r *Region) CreateConnection(c Caller, spec NewConnection) (Connection, error) {
	now := r.lock()
	defer r.unlock()
	place, err := r.resolvePlace(spec.Location, spec.Bandwidth, spec.RequestMACSec, dedicatedSpeeds)
	if err != nil {
		return Connection{}, err
	}
	if err := r.checkNewTags(spec.Tags); err != nil {
		return Connection{}, err
	}
	var l *Lag
	if spec.LagID != "" {
		if l, err = r.joinableLag(c, spec.LagID, Dedicated, place); err != nil {
			return Connection{}, err
		}
	}
	if err := r.checkQuota(c.Account, place.loc, 1); err != nil {
		return Connection{}, err
	}
	conn := r.newMember(c, Dedicated, place, spec.Name, spec.ProviderName, spec.Tags, now)
	if err := r.placePorts(place, l, []*Connection{conn}, r.lagDevices(c, Dedicated, place)...); err != nil {
		return Connection{}, err
	}
	r.addConn(conn)
	if l != nil {
		r.attach(l, conn)
	}
	return conn.clone(), nil
}

// joinableLag finds the caller's LAG that a new member of kind at place may join.
func (r *Region) joinableLag(c Caller, lagID string, kind Kind, place portPlace) (*Lag, error) {
	if err := checkLagID(lagID); err != nil {
		return nil, err
	}
	l, err := r.ownLag(c, lagID)
	if err != nil {
		return nil, err
	}
	if !l.Deleted.IsZero() {
		return nil, inState("Lag", l.ID, StateDeleted)
	}
	if kind == Interconnect && !l.AllowsHostedConnections {
		return nil, notALagOfInterconnects(c, l, r.store.IsPartner(c.Account))
	}
	if kind == Dedicated && l.AllowsHostedConnections {
		return nil, dxerr.New(dxerr.Invalid, "Lag %s is a LAG of interconnects; add members to it with CreateInterconnect.", l.ID)
	}
	if l.Location != place.loc {
		return nil, dxerr.New(dxerr.Invalid, "Location %s does not match location %s of Lag %s.", place.loc.Code, l.Location.Code, l.ID)
	}
	if l.Bandwidth != string(place.speed) {
		return nil, dxerr.New(dxerr.Invalid, "Bandwidth %s does not match bandwidth %s of Lag %s.", place.speed, l.Bandwidth, l.ID)
	}
	if l.MacSecCapable != place.macSec {
		return nil, dxerr.New(dxerr.Invalid, "Connection and lag should be requested MacSec at the same time (Lag %s).", l.ID)
	}
	if err := lag.CheckRoom(l.ID, len(l.members), place.speed); err != nil {
		return nil, err
	}
	return l, nil
}

// notALagOfInterconnects refuses an interconnect on a LAG of dedicated connections, saying how
// to get a LAG that takes interconnects: the first thing people try is CreateLag then
// CreateInterconnect with its id, as an account that dxlocal was not told is a partner.
func notALagOfInterconnects(c Caller, l *Lag, partner bool) error {
	if partner {
		return dxerr.New(dxerr.Invalid, "Lag %s does not allow hosted connections: it is a LAG of dedicated connections (it was built around a dedicated connection) and cannot take an interconnect. Create a LAG of interconnects with CreateLag without a connectionId, or around an interconnect.", l.ID)
	}
	return dxerr.New(dxerr.Invalid, "Lag %s does not allow hosted connections: it is a LAG of dedicated connections, since account %s is not a Direct Connect partner, and only a partner's LAG takes interconnects. Start dxlocal with -partners %s (or DXLOCAL_PARTNERS=%s), or make it one with PUT /_dxlocal/partners/%s, then create the LAG as that account.", l.ID, c.Account, c.Account, c.Account, c.Account)
}

// newMember builds a connection record in state requested; it is not stored yet.
func (r *Region) newMember(c Caller, kind Kind, place portPlace, name, provider string, tags []tag.Tag, now time.Time) *Connection {
	conn := &Connection{
		ID:           r.store.opts.IDs.New("dxcon"),
		Kind:         kind,
		Name:         name,
		Owner:        c.Account,
		Region:       r.name,
		Location:     place.loc,
		Bandwidth:    string(place.speed),
		State:        StateRequested,
		ProviderName: provider,
		Tags:         tags,
		created:      now,
		since:        now,
	}
	if place.macSec {
		conn.MacSecCapable = true
		conn.EncryptionMode = "no_encrypt"
	}
	return conn
}

// placePorts takes one port for each connection, all on one device (the LAG's when l is not
// nil), and records the device on them. It takes nothing when they do not all fit. Without a
// LAG it takes them on the first device of prefer that has them free, else on the device the
// pool chooses (the least used).
func (r *Region) placePorts(place portPlace, l *Lag, conns []*Connection, prefer ...string) error {
	if len(conns) == 0 {
		return nil
	}
	req := port.Request{Location: place.loc, Speed: place.speed, MacSec: place.macSec, Count: len(conns)}
	if l != nil {
		req.Device = l.Device
		prefer = nil
	}
	holders := make([]string, len(conns))
	for i, c := range conns {
		holders[i] = c.ID
	}
	device, err := "", port.ErrNoCapacity
	for _, d := range prefer {
		on := req
		on.Device = d
		if device, err = r.ports.Allocate(on, holders); err == nil {
			break
		}
	}
	if err != nil {
		device, err = r.ports.Allocate(req, holders)
	}
	if err != nil {
		switch {
		case l != nil:
			return dxerr.New(dxerr.Limit, "No ports are available on device %s of Lag %s for bandwidth %s.", l.Device, l.ID, place.speed)
		case len(conns) > 1:
			return dxerr.New(dxerr.Limit, "No single device at location %s has %d free ports for bandwidth %s.", place.loc.Code, len(conns), place.speed)
		default:
			return dxerr.New(dxerr.Limit, "No ports are available at location %s for bandwidth %s.", place.loc.Code, place.speed)
		}
	}
	for _, c := range conns {
		c.Device = device
	}
	return nil
}

// Ports meant to be aggregated land on one device, so that AssociateConnectionWithLag can join
// them (the AWS provider for Terraform creates a LAG and a connection side by side, then
// associates them): a new connection or interconnect goes to the device of a LAG of the
// caller's that it could join, and a new LAG to the device of a standalone connection of the
// caller's that could join it. Oldest first; ports elsewhere when those devices are full.

// lagDevices lists the devices of the caller's live LAGs that a new member of kind at place
// could join, oldest LAG first.
func (r *Region) lagDevices(c Caller, kind Kind, place portPlace) []string {
	var out []string
	for l := range r.lagsByOwner.get(c.Account).all() {
		if !l.Deleted.IsZero() || l.Device == "" || l.Location != place.loc || l.Bandwidth != string(place.speed) ||
			l.MacSecCapable != place.macSec || l.AllowsHostedConnections != (kind == Interconnect) ||
			lag.CheckRoom(l.ID, len(l.members), place.speed) != nil {
			continue
		}
		out = append(out, l.Device)
	}
	return out
}

// standaloneDevices lists the devices of the caller's live connections of kind at place that
// are in no LAG, oldest first.
func (r *Region) standaloneDevices(c Caller, kind Kind, place portPlace) []string {
	list := r.connsByOwner.get(c.Account)
	if kind == Interconnect {
		list = r.interconnectsByOwner.get(c.Account)
	}
	var out []string
	for conn := range list.all() {
		if conn.Kind != kind || conn.LagID != "" || !live(conn.State) || conn.State == StateDeleting ||
			conn.Location != place.loc || conn.Bandwidth != string(place.speed) || conn.MacSecCapable != place.macSec {
			continue
		}
		out = append(out, conn.Device)
	}
	return out
}

// addConn stores a new connection record, made by a call.
func (r *Region) addConn(conn *Connection) {
	conn.order = r.store.created.Add(1)
	r.conns[conn.ID] = conn
	r.connsPeak = max(r.connsPeak, len(r.conns))
	r.store.emit(Change{At: conn.since, ResourceID: conn.ID, Type: conn.Kind.resourceType(), Account: conn.Owner, Region: r.name, To: conn.State, Cause: CauseCall})
	if conn.Kind == Dedicated {
		r.dedicated[quotaKey{conn.Owner, conn.Location}]++
	}
	if conn.Kind == Interconnect {
		r.interconnectsByOwner.add(conn.Owner, conn)
	} else {
		r.connsByOwner.add(conn.Owner, conn)
	}
	if _, auto := autoNext(conn.State); auto {
		r.due.schedule(conn, conn.since.Add(r.dwell()))
	}
}

// ownConn finds a connection of one of kinds owned by the caller.
func (r *Region) ownConn(c Caller, id string, kinds ...Kind) (*Connection, bool) {
	conn, ok := r.conns[id]
	if !ok || conn.Owner != c.Account {
		return nil, false
	}
	for _, k := range kinds {
		if conn.Kind == k {
			return conn, true
		}
	}
	return nil, false
}

// DescribeConnections lists the caller's dedicated and hosted connections, or the one named.
func (r *Region) DescribeConnections(c Caller, id string, pg page.Request) ([]Connection, string, error) {
	r.lock()
	defer r.unlock()
	if id != "" {
		if err := checkConnectionID(id); err != nil {
			return nil, "", err
		}
		conn, ok := r.ownConn(c, id, Dedicated, Hosted)
		if !ok {
			return nil, "", connNotFound(id)
		}
		// A one-item list is paged too, so that a token of another request is refused.
		return pageOne(conn, pg)
	}
	return pageOf(r.connsByOwner.get(c.Account), pg)
}

// pageOne pages a one-item answer (a request that names its resource), so that a token issued
// for another request is refused there too.
func pageOne(conn *Connection, pg page.Request) ([]Connection, string, error) {
	start, end, next, err := pg.Window(1)
	if err != nil || start >= end {
		return []Connection{}, next, err
	}
	return []Connection{conn.clone()}, next, nil
}

func pageOf(list *ordered[*Connection], pg page.Request) ([]Connection, string, error) {
	start, end, next, err := pg.Window(list.len())
	if err != nil {
		return nil, "", err
	}
	out := make([]Connection, 0, end-start)
	for _, conn := range list.window(start, end) {
		out = append(out, conn.clone())
	}
	return out, next, nil
}

// UpdateConnection renames a connection and, where it does MACsec, sets its encryption mode.
func (r *Region) UpdateConnection(c Caller, id string, name, encryptionMode *string) (Connection, error) {
	r.lock()
	defer r.unlock()
	if err := checkConnectionID(id); err != nil {
		return Connection{}, err
	}
	if err := checkEncryptionMode(encryptionMode); err != nil {
		return Connection{}, err
	}
	conn, ok := r.ownConn(c, id, Dedicated, Hosted)
	if !ok {
		return Connection{}, connNotFound(id)
	}
	if !live(conn.State) || conn.State == StateDeleting {
		return Connection{}, inState("Connection", id, conn.State)
	}
	if encryptionMode != nil {
		if !conn.MacSecCapable {
			return Connection{}, dxerr.New(dxerr.Invalid, "%s is not MACsec capable.", id)
		}
		if conn.LagID != "" {
			return Connection{}, dxerr.New(dxerr.Invalid, "Connection %s is a member of Lag %s; set its encryptionMode with UpdateLag.", id, conn.LagID)
		}
		conn.EncryptionMode = *encryptionMode
	}
	if name != nil {
		conn.Name = *name
	}
	return conn.clone(), nil
}

// DeleteConnection deletes a dedicated connection: at once while it is still requested,
// otherwise through deleting; its port is free when it reaches deleted. A hosted connection
// may be deleted by its customer or by its partner; its VLAN and bandwidth are free at once.
func (r *Region) DeleteConnection(c Caller, id string) (Connection, error) {
	now := r.lock()
	defer r.unlock()
	if err := checkConnectionID(id); err != nil {
		return Connection{}, err
	}
	if h, ok := r.conns[id]; ok && h.Kind == Hosted && (h.Owner == c.Account || h.Partner == c.Account) {
		if live(h.State) && h.State != StateDeleting {
			if err := r.refuseLiveVIFs("Connection", h.ID); err != nil {
				return Connection{}, err
			}
		}
		r.deleteHosted(c, h, now)
		out := h.clone()
		if c.Account != h.Owner {
			out.Tags = nil // the customer's tags are not the partner's to see
		}
		return out, nil
	}
	conn, ok := r.ownConn(c, id, Dedicated)
	if !ok {
		return Connection{}, connNotFound(id)
	}
	if err := r.deletePort(conn, now); err != nil {
		return Connection{}, err
	}
	return conn.clone(), nil
}

// deletePort starts the deletion of a connection or interconnect that holds a port.
// Deleting something already on its way out answers it as it is.
func (r *Region) deletePort(conn *Connection, now time.Time) error {
	if !live(conn.State) || conn.State == StateDeleting {
		return nil
	}
	if now.Before(conn.transitionUntil) {
		return dxerr.New(dxerr.Conflict, "Connection %s is in a transitioning state.", conn.ID)
	}
	if err := r.refuseLiveVIFs("Connection", conn.ID); err != nil {
		return err
	}
	if n := len(r.hostedOn(conn.ID)); n > 0 {
		return dxerr.New(dxerr.Conflict, "Interconnect %s has %d hosted connections; delete them first.", conn.ID, n)
	}
	if conn.LagID != "" {
		if l, ok := r.lags[conn.LagID]; ok {
			if err := lag.CheckRemoval(conn.ID, l.ID, len(l.members), l.MinimumLinks); err != nil {
				return err
			}
			if err := r.checkMemberRemoval(l, conn.ID); err != nil {
				return err
			}
			r.detach(l, conn)
		}
	}
	if conn.State == StateRequested {
		r.setState(conn, StateDeleted, now, CauseCall)
	} else {
		r.setState(conn, StateDeleting, now, CauseCall)
	}
	return nil
}
