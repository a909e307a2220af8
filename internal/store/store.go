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
	"sync"
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
	s := &Store{opts: opts, regions: map[string]*Region{}, gateways: gateway.New()}
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

// Reset forgets every resource of every account and region; every port is free again.
// Requests already holding a region finish against the old state, which nobody sees again.
func (s *Store) Reset() {
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

	mu sync.Mutex // guards everything below
	// ports holds the ports of the region's locations.
	ports *port.Pool
	// conns holds dedicated connections, hosted connections and interconnects by id: they
	// share one id space.
	conns map[string]*Connection
	lags  map[string]*Lag
	// hosted lists the hosted connections of each interconnect or LAG in creation order,
	// deleted ones included until purged.
	hosted map[string][]*Connection
	// connsByOwner lists each account's dedicated and hosted connections in creation order.
	connsByOwner map[string][]*Connection
	// interconnectsByOwner lists each account's interconnects in creation order.
	interconnectsByOwner map[string][]*Connection
	// lagsByOwner lists each account's LAGs in creation order.
	lagsByOwner map[string][]*Lag
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
	graveyard []grave
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

func newRegion(s *Store, name string) *Region {
	return &Region{
		store:                s,
		name:                 name,
		ports:                port.NewPool(s.opts.Catalog.InRegion(name)),
		conns:                map[string]*Connection{},
		lags:                 map[string]*Lag{},
		hosted:               map[string][]*Connection{},
		dedicated:            map[quotaKey]int{},
		connsByOwner:         map[string][]*Connection{},
		interconnectsByOwner: map[string][]*Connection{},
		lagsByOwner:          map[string][]*Lag{},
		dueKeys:              map[*[]MacSecKey]struct{}{},
		secrets:              map[string]secret{},
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
	keep := r.store.opts.Retention
	for len(r.graveyard) > 0 && !now.Before(r.graveyard[0].at.Add(keep)) {
		g := r.graveyard[0]
		r.graveyard = r.graveyard[1:]
		if g.conn != nil {
			r.purgeConn(g.conn)
		} else {
			r.purgeLag(g.lag)
		}
	}
}

// advanceConn applies c's automatic changes due by now; each change schedules the next.
func (r *Region) advanceConn(c *Connection, now time.Time) {
	for {
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

// setState moves c to state at time at, for cause; reaching deleted frees its port and starts
// its retention.
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
	if _, auto := autoNext(state); auto {
		r.due.schedule(c, at.Add(r.dwell()))
	}
	if state == StateDeleted || state == StateRejected {
		if c.Kind == Dedicated {
			r.dedicated[quotaKey{c.Owner, c.Location}]--
		}
		r.ports.Release(c.ID)
		r.graveyard = append(r.graveyard, grave{at: at, conn: c})
	}
}

func (r *Region) purgeConn(c *Connection) {
	delete(r.conns, c.ID)
	if c.Kind == Hosted {
		r.hosted[c.ParentID] = without(r.hosted[c.ParentID], c)
	}
	if c.Kind == Interconnect {
		r.interconnectsByOwner[c.Owner] = without(r.interconnectsByOwner[c.Owner], c)
	} else {
		r.connsByOwner[c.Owner] = without(r.connsByOwner[c.Owner], c)
	}
}

func (r *Region) purgeLag(l *Lag) {
	delete(r.lags, l.ID)
	r.lagsByOwner[l.Owner] = without(r.lagsByOwner[l.Owner], l)
}

func without[T comparable](list []T, v T) []T {
	for i, x := range list {
		if x == v {
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}

func (r *Region) portSnapshot() []port.DeviceSnapshot {
	r.lock()
	defer r.unlock()
	return r.ports.Snapshot()
}
