// Package store is the one owner of mutable state. Each region has its own lock; an operation
// takes it once, brings every resource it reads up to date, checks every rule, and only then
// allocates ports and ids and stores the result, so a refused request changes nothing.
//
// Automatic state changes (requested -> pending -> available, deleting -> deleted) are not
// driven by timers: each region keeps the set of resources with a change still due and applies
// every change whose time has come at the start of each operation. A dwell of zero therefore
// means "settled at the next request".
package store

import (
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dxlocal/dxlocal/internal/clock"
	"github.com/dxlocal/dxlocal/internal/gateway"
	"github.com/dxlocal/dxlocal/internal/id"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/port"
)

// Defaults of the knobs in Options.
const (
	DefaultRetention = time.Hour
)

// Options configures a Store. Zero values take the defaults.
type Options struct {
	Catalog *location.Catalog
	Clock   clock.Clock
	IDs     *id.Source
	// Dwell is how long each automatic state change waits.
	Dwell time.Duration
	// Partners are the accounts that are Direct Connect Partners.
	Partners []Partner
	// StrictPartners refuses partner operations to every other account.
	StrictPartners bool
	// Retention is how long deleted connections, interconnects and LAGs stay visible.
	Retention time.Duration
	// ConnectionsPerLocation, when set, replaces the default quota of live dedicated
	// connections (LAG members included) one account may have at one location.
	ConnectionsPerLocation int
	// OnChange, when set, observes every state change of every resource (the journal).
	OnChange func(Change)
}

// Store holds every account's resources, region by region.
type Store struct {
	opts     Options
	gateways *gateway.Registry
	quotas   quotaBox
	// created counts the resources ever created, over every family, account and region: each
	// resource takes the next number as its place in the creation order the admin API lists.
	created atomic.Uint64
	// dxgws is the global book of Direct Connect gateways. LOCK ORDER: its mutex is taken
	// before any Region's mutex, never after.
	dxgws *gatewayBook

	mu       sync.Mutex // guards regions, partners and agreements
	regions  map[string]*Region
	partners map[string]Partner
	// agreements are the customer agreements each account has signed, in signing order.
	agreements map[string][]string
}

// New returns an empty store.
func New(opts Options) *Store {
	if opts.Catalog == nil {
		opts.Catalog = location.Default()
	}
	if opts.Clock == nil {
		opts.Clock = clock.NewShifted()
	}
	if opts.IDs == nil {
		opts.IDs = id.NewSource(0)
	}
	if opts.Retention == 0 {
		opts.Retention = DefaultRetention
	}
	s := &Store{opts: opts, regions: map[string]*Region{}, gateways: gateway.New(), dxgws: newGatewayBook()}
	s.quotas.store(s.initialQuotas())
	s.resetAccounts()
	return s
}

// resetAccounts restores partner settings to the configured ones and forgets agreements.
func (s *Store) resetAccounts() {
	s.partners = map[string]Partner{}
	for _, p := range s.opts.Partners {
		s.partners[p.Account] = p
	}
	s.agreements = map[string][]string{}
}

// Catalog returns the immutable catalog the store allocates from.
func (s *Store) Catalog() *location.Catalog { return s.opts.Catalog }

// IsPartner reports whether account is a Direct Connect Partner.
func (s *Store) IsPartner(account string) bool {
	_, ok := s.Partner(account)
	return ok
}

// Region returns the state of one region, creating it on first use.
func (s *Store) Region(name string) *Region {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.regions[name]
	if !ok {
		r = newRegion(s, name)
		s.regions[name] = r
	}
	return r
}

// HasRegion reports whether the state of region name has been made.
func (s *Store) HasRegion(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.regions[name]
	return ok
}

// Reset forgets every resource of every account and region; every port is free again.
// Requests already holding a region finish against the old state, which nobody sees again.
func (s *Store) Reset() {
	// The gateway book is taken before Store.mu by those who hold both, so it is reset apart.
	s.resetGateways()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.regions = map[string]*Region{}
	s.resetAccounts()
	s.gateways.Reset()
	s.quotas.store(s.initialQuotas())
	// The id sequence restarts (a seed gives the same ids again) and the clock goes back to
	// where it started (real time, for the default clock).
	s.opts.IDs.Reset()
	if c, ok := s.opts.Clock.(clock.Adjustable); ok {
		c.Reset()
	}
}

// Gateways is the registry of EC2 gateways.
func (s *Store) Gateways() *gateway.Registry { return s.gateways }

// PortSnapshot returns the ports of every location in catalog order, with their holders.
func (s *Store) PortSnapshot() map[string][]port.DeviceSnapshot {
	out := map[string][]port.DeviceSnapshot{}
	seen := map[string]bool{}
	for _, loc := range s.opts.Catalog.Locations {
		if seen[loc.Region] {
			continue
		}
		seen[loc.Region] = true
		out[loc.Region] = s.Region(loc.Region).portSnapshot()
	}
	return out
}

// Caller is who makes a request: the account from the access key and the region of the
// request's credential scope.
type Caller struct {
	Account string
	Region  string
}

// Region is the state of one region. Every exported method takes mu for its whole run.
type Region struct {
	store *Store
	name  string

	// mu guards everything below. LOCK ORDER: the gateway book's lock (Store.lockGateways) is
	// always taken before a Region's mu, never while holding it.
	mu sync.Mutex
	// ports holds the ports of the region's locations.
	ports *port.Pool
	// conns holds dedicated connections, hosted connections and interconnects by id: they
	// share one id space.
	conns map[string]*Connection
	lags  map[string]*Lag
	// connsPeak and lagsPeak are the most entries conns and lags have had since they were
	// last rebuilt: Go maps never shrink, so after a purge leaves a map far below its peak it
	// is copied into one of the right size (see shrinkMaps).
	connsPeak, lagsPeak int
	// hosted lists the hosted connections of each interconnect or LAG in creation order,
	// deleted ones included until purged.
	hosted orderedIndex[string, *Connection]
	// connsByOwner lists each account's dedicated and hosted connections in creation order.
	connsByOwner orderedIndex[string, *Connection]
	// interconnectsByOwner lists each account's interconnects in creation order.
	interconnectsByOwner orderedIndex[string, *Connection]
	// lagsByOwner lists each account's LAGs in creation order.
	lagsByOwner orderedIndex[string, *Lag]
	// dedicated counts the live dedicated connections (LAG members included) of each account
	// at each location, for the quota.
	dedicated map[quotaKey]int
	// due holds the connections with an automatic state change still to come, soonest first.
	// A LAG's state is derived from its members and its age on every read, so it needs none.
	due dueQueue
	// dueKeys are the MACsec key lists with a key still associating or disassociating.
	dueKeys map[*[]MacSecKey]struct{}
	// secrets are the MACsec secrets made from a CKN and CAK, by ARN.
	secrets map[string]secret
	// graveyard holds deleted resources in deletion order until their retention ends.
	graveyard graveQueue
	// vifs holds the region's virtual interfaces, their peers and failover tests.
	vifs vifBook
	// settlingLags are the LAGs still in their first dwell, in creation order (which, with
	// one dwell for all, is the order their first dwell ends in).
	settlingLags []*Lag
	// touched are the LAGs whose derived state may have changed since it was last reported
	// (see flushLags).
	touched []lagTouch
	// now is the time of the operation holding the lock.
	now time.Time
}

type grave struct {
	at   time.Time
	conn *Connection
	lag  *Lag
}

// graveQueue is a first-in first-out queue of graves. Popping clears the slot and the
// storage is renewed once the popped part is the larger half, so the records of purged
// resources are not kept reachable by a backing array (re-slicing a slice from the front
// keeps all of it).
type graveQueue struct {
	items []grave
	head  int // items[:head] are popped
}

func (q *graveQueue) push(g grave) { q.items = append(q.items, g) }

// first returns the oldest grave.
func (q *graveQueue) first() (grave, bool) {
	if q.head == len(q.items) {
		return grave{}, false
	}
	return q.items[q.head], true
}

// pop drops the oldest grave.
func (q *graveQueue) pop() {
	q.items[q.head] = grave{}
	q.head++
	switch {
	case q.head == len(q.items):
		*q = graveQueue{}
	case q.head*2 >= len(q.items):
		*q = graveQueue{items: append([]grave(nil), q.items[q.head:]...)}
	}
}

func newRegion(s *Store, name string) *Region {
	return &Region{
		store:                s,
		name:                 name,
		ports:                port.NewPool(s.opts.Catalog.InRegion(name)),
		conns:                map[string]*Connection{},
		lags:                 map[string]*Lag{},
		hosted:               orderedIndex[string, *Connection]{},
		dedicated:            map[quotaKey]int{},
		connsByOwner:         orderedIndex[string, *Connection]{},
		interconnectsByOwner: orderedIndex[string, *Connection]{},
		lagsByOwner:          orderedIndex[string, *Lag]{},
		dueKeys:              map[*[]MacSecKey]struct{}{},
		secrets:              map[string]secret{},
		vifs:                 newVIFBook(),
	}
}

// lock takes the region's lock and brings every resource up to the current time; it returns
// that time, which the operation uses for every change it makes.
func (r *Region) lock() time.Time {
	r.mu.Lock()
	now := r.store.opts.Clock.Now()
	r.now = now
	r.settle(now)
	return now
}

// unlock reports the LAG state changes the operation made, then lets the next one in.
func (r *Region) unlock() {
	r.flushLags()
	r.mu.Unlock()
}

func (r *Region) dwell() time.Duration { return r.store.opts.Dwell }

// settle applies every automatic change due by now and forgets deleted resources whose
// retention has ended.
func (r *Region) settle(now time.Time) {
	r.due.popDue(now, func(c *Connection) { r.advanceConn(c, now) })
	dwell := r.dwell()
	for len(r.settlingLags) > 0 && !now.Before(r.settlingLags[0].created.Add(dwell)) {
		l := r.settlingLags[0]
		r.settlingLags = r.settlingLags[1:]
		l.settling = false
		r.touchLag(l, l.created.Add(dwell), CauseClock)
	}
	// The LAG changes due to the clock come before any the operation itself makes.
	r.flushLags()
	for keys := range r.dueKeys {
		if r.advanceKeys(keys, now) {
			delete(r.dueKeys, keys)
		}
	}
	r.settleVIFs(now)
	keep := r.store.opts.Retention
	purged := false
	for g, ok := r.graveyard.first(); ok && !now.Before(g.at.Add(keep)); g, ok = r.graveyard.first() {
		r.graveyard.pop()
		if g.conn != nil {
			r.purgeConn(g.conn)
		} else {
			r.purgeLag(g.lag)
		}
		purged = true
	}
	if purged {
		r.shrinkMaps()
	}
}

// shrinkMaps copies conns and lags into maps of their size once purges have left them at a
// quarter of their peak or less; the copies cost O(entries left), paid for by the removals.
func (r *Region) shrinkMaps() {
	const small = 64
	if r.connsPeak > small && len(r.conns)*4 <= r.connsPeak {
		r.conns = maps.Collect(maps.All(r.conns))
		r.connsPeak = len(r.conns)
	}
	if r.lagsPeak > small && len(r.lags)*4 <= r.lagsPeak {
		r.lags = maps.Collect(maps.All(r.lags))
		r.lagsPeak = len(r.lags)
	}
}

// advanceConn applies c's automatic changes due by now; each change schedules the next.
func (r *Region) advanceConn(c *Connection, now time.Time) {
	for !c.held {
		next, auto := autoNext(c.State)
		if !auto {
			return
		}
		at := c.since.Add(r.dwell())
		if now.Before(at) {
			return
		}
		r.setState(c, next, at, CauseClock)
	}
}

// setState moves c to state at time at for cause and reports the change (its LAG's too);
// reaching deleted frees its port and starts its retention. A held connection's next automatic
// change waits for its release.
func (r *Region) setState(c *Connection, state string, at time.Time, cause string) {
	from := c.State
	c.State = state
	r.store.emit(Change{At: at, ResourceID: c.ID, Type: c.Kind.resourceType(), Account: c.Owner, Region: r.name, From: from, To: state, Cause: cause})
	if c.LagID != "" {
		if l, ok := r.lags[c.LagID]; ok {
			r.touchLag(l, at, cause)
		}
	}
	c.since = at
	if _, auto := autoNext(state); auto && !c.held {
		r.due.schedule(c, at.Add(r.dwell()))
	}
	if state == StateDeleted || state == StateRejected {
		if c.Kind == Dedicated {
			r.dedicated[quotaKey{c.Owner, c.Location}]--
		}
		r.ports.Release(c.ID)
		r.graveyard.push(grave{at: at, conn: c})
	}
}

// purgeConn forgets a deleted connection whose retention has ended, in O(1) amortized time.
func (r *Region) purgeConn(c *Connection) {
	delete(r.conns, c.ID)
	if c.Kind == Hosted {
		r.hosted.remove(c.ParentID, c)
	}
	if c.Kind == Interconnect {
		r.interconnectsByOwner.remove(c.Owner, c)
	} else {
		r.connsByOwner.remove(c.Owner, c)
	}
	// A purged interconnect or LAG has no hosted connections left; forget its empty list.
	delete(r.hosted, c.ID)
}

func (r *Region) purgeLag(l *Lag) {
	delete(r.lags, l.ID)
	r.lagsByOwner.remove(l.Owner, l)
	delete(r.hosted, l.ID)
}

func (r *Region) portSnapshot() []port.DeviceSnapshot {
	r.lock()
	defer r.unlock()
	return r.ports.Snapshot()
}
