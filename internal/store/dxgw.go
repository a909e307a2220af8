package store

import (
	"container/heap"
	"slices"
	"sync"
	"time"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/dxgw"
	"github.com/dxlocal/dxlocal/internal/page"
	"github.com/dxlocal/dxlocal/internal/tag"
)

// gatewayBook is the global state of Direct Connect gateways: the gateways themselves, their
// associations with VGWs and TGWs, the proposals of such associations from other accounts, and
// the attachments of VIFs. AWS keeps gateways outside every region (behaviour.md §5.6), so the
// book is one for the whole store, beside the regions.
type gatewayBook struct {
	// mu guards every field below.
	//
	// LOCK ORDER: the book's mu is always taken BEFORE any Region's mu, never after. An operation
	// that needs both (a VIF create or delete that names a DX gateway; a gateway operation that
	// must read VIFs) takes the book first (Store.lockGateways), then the region(s). Store.mu
	// (the region map) may be taken briefly while the book is held; Reset therefore resets the
	// book without holding Store.mu. The EC2 gateway registry's own lock is taken while the book
	// is held (lookups, auto-registration), never the other way round.
	mu sync.Mutex

	gateways map[string]*DXGateway
	// gatewaysByOwner lists each account's gateways in creation order; deleted ones are gone.
	gatewaysByOwner map[string][]*DXGateway

	associations map[string]*Association
	// associationsByGateway and associationsByAssociated list the associations of each DX
	// gateway and of each VGW/TGW in creation order, disassociated ones until purged.
	associationsByGateway    map[string][]*Association
	associationsByAssociated map[string][]*Association

	proposals map[string]*Proposal
	// proposalList holds every proposal in creation order, until purged.
	proposalList ordered[*Proposal]

	// attachmentsByGateway and attachmentsByVIF list attachments in creation order, detached
	// ones until purged.
	attachmentsByGateway orderedIndex[string, *attachment]
	attachmentsByVIF     orderedIndex[string, *attachment]

	// due holds the automatic changes still to come, soonest first.
	due bookQueue
	seq uint64 // orders due entries of the same time by scheduling order
	// attached counts the attachments ever made; it orders them in the state snapshot.
	attached uint64
}

func newGatewayBook() *gatewayBook {
	b := &gatewayBook{}
	b.clear()
	return b
}

// clear empties the book; the caller holds mu or is the only one who can see b.
func (b *gatewayBook) clear() {
	b.gateways = map[string]*DXGateway{}
	b.gatewaysByOwner = map[string][]*DXGateway{}
	b.associations = map[string]*Association{}
	b.associationsByGateway = map[string][]*Association{}
	b.associationsByAssociated = map[string][]*Association{}
	b.proposals = map[string]*Proposal{}
	b.proposalList = ordered[*Proposal]{}
	b.attachmentsByGateway = orderedIndex[string, *attachment]{}
	b.attachmentsByVIF = orderedIndex[string, *attachment]{}
	b.due = nil
	b.seq = 0
	b.attached = 0
}

// replaceWith moves the content of nb, a book built aside from a state snapshot, into b; the
// caller holds b.mu. b itself stays, since Store.dxgws is made once and its mutex is held.
func (b *gatewayBook) replaceWith(nb *gatewayBook) {
	b.gateways, b.gatewaysByOwner = nb.gateways, nb.gatewaysByOwner
	b.associations, b.associationsByGateway, b.associationsByAssociated = nb.associations, nb.associationsByGateway, nb.associationsByAssociated
	b.proposals, b.proposalList = nb.proposals, nb.proposalList
	b.attachmentsByGateway, b.attachmentsByVIF = nb.attachmentsByGateway, nb.attachmentsByVIF
	b.due, b.seq, b.attached = nb.due, nb.seq, nb.attached
}

// resetGateways forgets every gateway, association, proposal and attachment.
func (s *Store) resetGateways() {
	s.dxgws.mu.Lock()
	defer s.dxgws.mu.Unlock()
	s.dxgws.clear()
}

// lockGateways takes the book's mutex and settles the book's due changes; it returns now, the
// time the operation uses for every change it makes.
func (s *Store) lockGateways() time.Time {
	s.dxgws.mu.Lock()
	now := s.opts.Clock.Now()
	s.settleGateways(now)
	return now
}

func (s *Store) unlockGateways() { s.dxgws.mu.Unlock() }

// settleGateways applies every automatic change of the book due by now, in time order.
func (s *Store) settleGateways(now time.Time) {
	s.dxgws.due.popDue(now, func(e bookEntry) { e.fire(e.at) })
}

// later schedules fire to run at the first settling at or after at; fire is told at.
func (s *Store) later(at time.Time, fire func(at time.Time)) { s.dxgws.later(at, fire) }

// later schedules fire in b, which may be a book built aside that is not in place yet: fire
// runs only once b's content is the store's. It returns the entry's place in the queue: of two
// entries due at the same time, the one scheduled first fires first.
func (b *gatewayBook) later(at time.Time, fire func(at time.Time)) uint64 {
	b.seq++
	heap.Push(&b.due, bookEntry{at: at, seq: b.seq, fire: fire})
	return b.seq
}

// bookQueue orders the book's automatic changes by due time, then by scheduling order. An
// entry may be stale (its resource moved on meanwhile); each fire checks before it acts.
type bookQueue []bookEntry

type bookEntry struct {
	at   time.Time
	seq  uint64
	fire func(at time.Time)
}

func (q bookQueue) Len() int { return len(q) }
func (q bookQueue) Less(i, j int) bool {
	if q[i].at.Equal(q[j].at) {
		return q[i].seq < q[j].seq
	}
	return q[i].at.Before(q[j].at)
}
func (q bookQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *bookQueue) Push(x any)   { *q = append(*q, x.(bookEntry)) }
func (q *bookQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

func (q *bookQueue) popDue(now time.Time, visit func(bookEntry)) {
	for q.Len() > 0 && !now.Before((*q)[0].at) {
		visit(heap.Pop(q).(bookEntry))
	}
}

// newUUID makes a lowercase version-4 UUID from the store's id source, so that a seed
// reproduces gateway, association and proposal ids as it does every other id.
func (s *Store) newUUID() string {
	const hex = "0123456789abcdef"
	t := s.opts.IDs.Token(32)
	b := make([]byte, 0, 36)
	for i := 0; i < 32; i++ {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			b = append(b, '-')
		}
		d := hex[int(t[i])%16]
		switch i {
		case 12:
			d = '4' // version 4
		case 16:
			d = hex[8+int(t[i])%4] // variant 10xx
		}
		b = append(b, d)
	}
	return string(b)
}

// DXGateway is a Direct Connect gateway. Values handed out of the store are copies.
type DXGateway struct {
	ID    string
	Name  string
	Owner string
	ASN   int64
	State string
	// StateChangeError says why the last change did not happen (a delete refused at its end).
	StateChangeError string
	Tags             []tag.Tag

	// order is the gateway's place in the creation order of every resource; since is when
	// its current dwell began (the state was entered, or a hold released); held stops its
	// automatic changes (the admin API's hold).
	order uint64
	since time.Time
	held  bool
	// queued is the place in the due queue of its next automatic change (gatewayBook.later),
	// which a state snapshot keeps so that changes due at the same time keep their order.
	queued uint64
}

func (g *DXGateway) clone() DXGateway {
	out := *g
	out.Tags = slices.Clone(g.Tags)
	return out
}

func (g *DXGateway) ref() DXGatewayRef {
	return DXGatewayRef{ID: g.ID, Owner: g.Owner, AmazonSideAsn: g.ASN}
}

// setGatewayState is the one way a gateway's state changes: it records the change, reports it
// and schedules the next automatic one.
func (s *Store) setGatewayState(g *DXGateway, state string, at time.Time, cause string) {
	from := g.State
	g.State = state
	g.since = at
	s.emit(Change{At: at, ResourceID: g.ID, Type: TypeDirectConnectGateway, Account: g.Owner, From: from, To: state, Cause: cause})
	if state == dxgw.GatewayDeleted {
		b := s.dxgws
		delete(b.gateways, g.ID)
		b.gatewaysByOwner[g.Owner] = without(b.gatewaysByOwner[g.Owner], g)
		return
	}
	s.scheduleGateway(s.dxgws, g)
}

// scheduleGateway puts g's next automatic change, if it has one and is not held, in b's due
// queue: one dwell after since. The entry does nothing if g has moved on or been held meanwhile.
func (s *Store) scheduleGateway(b *gatewayBook, g *DXGateway) {
	if _, auto := dxgw.GatewayNext(g.State); !auto || g.held {
		return
	}
	state, since := g.State, g.since
	g.queued = b.later(since.Add(s.opts.Dwell), func(due time.Time) {
		if g.State == state && g.since.Equal(since) && !g.held {
			s.advanceGateway(g, due, CauseClock)
		}
	})
}

// gatewayHeading is the state g's automatic change takes it to, and false when it has none. A
// deleting gateway whose associations remain goes back to available, as AWS does.
func (s *Store) gatewayHeading(g *DXGateway) (string, bool) {
	next, auto := dxgw.GatewayNext(g.State)
	if auto && next == dxgw.GatewayDeleted && s.gatewayHeld(g.ID) {
		return dxgw.GatewayAvailable, true
	}
	return next, auto
}

// advanceGateway makes g's automatic change now (at), for the clock or the resource control.
func (s *Store) advanceGateway(g *DXGateway, at time.Time, cause string) {
	next, _ := s.gatewayHeading(g)
	if g.State == dxgw.GatewayDeleting && next == dxgw.GatewayAvailable {
		g.StateChangeError = "Direct Connect gateway " + g.ID + " has associations and cannot be deleted."
	}
	s.setGatewayState(g, next, at, cause)
}

// gatewayHeld reports whether an association of gateway id keeps it from being deleted.
func (s *Store) gatewayHeld(id string) bool {
	for _, a := range s.dxgws.associationsByGateway[id] {
		if dxgw.HoldsGateway(a.State) {
			return true
		}
	}
	return false
}

func gatewayNotFound(id string) error {
	return dxerr.New(dxerr.NotFound, "Direct Connect gateway %s does not exist", id)
}

// ownGateway finds the caller's gateway named by v (an id or an ARN).
func (s *Store) ownGateway(c Caller, v string) (*DXGateway, error) {
	id, err := dxgw.GatewayID(v)
	if err != nil {
		return nil, err
	}
	g, ok := s.dxgws.gateways[id]
	if !ok || g.Owner != c.Account {
		return nil, gatewayNotFound(id)
	}
	return g, nil
}

// NewDXGateway is a CreateDirectConnectGateway request.
type NewDXGateway struct {
	Name string
	// ASN is the Amazon-side ASN; nil takes the default.
	ASN  *int64
	Tags []tag.Tag
}

// CreateDirectConnectGateway makes a gateway for the caller, pending, or refuses and makes nothing.
func (s *Store) CreateDirectConnectGateway(c Caller, spec NewDXGateway) (DXGateway, error) {
	now := s.lockGateways()
	defer s.unlockGateways()
	if err := dxgw.CheckName("directConnectGatewayName", spec.Name); err != nil {
		return DXGateway{}, err
	}
	asn := int64(dxgw.DefaultASN)
	if spec.ASN != nil {
		asn = *spec.ASN
	}
	if err := dxgw.CheckASN(asn); err != nil {
		return DXGateway{}, err
	}
	if err := s.checkNewTags(spec.Tags); err != nil {
		return DXGateway{}, err
	}
	b := s.dxgws
	if max := s.Quotas().GatewaysPerAccount; len(b.gatewaysByOwner[c.Account]) >= max {
		return DXGateway{}, dxerr.New(dxerr.Limit, "Direct Connect gateway limit of %d exceeded for account %s.", max, c.Account)
	}
	g := &DXGateway{ID: s.newUUID(), Name: spec.Name, Owner: c.Account, ASN: asn, Tags: spec.Tags, order: s.created.Add(1)}
	b.gateways[g.ID] = g
	b.gatewaysByOwner[c.Account] = append(b.gatewaysByOwner[c.Account], g)
	s.setGatewayState(g, dxgw.GatewayPending, now, CauseCall)
	return g.clone(), nil
}

// DescribeDirectConnectGateways lists the caller's gateways, or the one named (none when it is
// unknown or another account's: AWS answers an empty list, which the provider's waiters need).
func (s *Store) DescribeDirectConnectGateways(c Caller, id string, pg page.Request) ([]DXGateway, string, error) {
	s.lockGateways()
	defer s.unlockGateways()
	list := s.dxgws.gatewaysByOwner[c.Account]
	if id != "" {
		g, err := s.ownGateway(c, id)
		switch {
		case dxerr.KindOf(err) == dxerr.NotFound:
			list = nil
		case err != nil:
			return nil, "", err
		default:
			list = []*DXGateway{g}
		}
	}
	start, end, next, err := pg.Window(len(list))
	if err != nil {
		return nil, "", err
	}
	out := make([]DXGateway, 0, end-start)
	for _, g := range list[start:end] {
		out = append(out, g.clone())
	}
	return out, next, nil
}

// UpdateDirectConnectGateway renames the caller's gateway; the name is all it can change.
func (s *Store) UpdateDirectConnectGateway(c Caller, id, name string) (DXGateway, error) {
	s.lockGateways()
	defer s.unlockGateways()
	if err := dxgw.CheckName("newDirectConnectGatewayName", name); err != nil {
		return DXGateway{}, err
	}
	g, err := s.ownGateway(c, id)
	if err != nil {
		return DXGateway{}, err
	}
	if g.State == dxgw.GatewayDeleting {
		return DXGateway{}, inState("Direct Connect gateway", g.ID, g.State)
	}
	g.Name = name
	return g.clone(), nil
}

// DeleteDirectConnectGateway starts deleting the caller's gateway. VIFs attached refuse it at
// once; associations let it start and send it back to available when its dwell ends (§3.8).
func (s *Store) DeleteDirectConnectGateway(c Caller, id string) (DXGateway, error) {
	now := s.lockGateways()
	defer s.unlockGateways()
	g, err := s.ownGateway(c, id)
	if err != nil {
		return DXGateway{}, err
	}
	if g.State == dxgw.GatewayDeleting {
		return DXGateway{}, inState("Direct Connect gateway", g.ID, g.State)
	}
	for a := range s.dxgws.attachmentsByGateway.get(g.ID).all() {
		if dxgw.LiveAttachment(a.State) {
			return DXGateway{}, dxerr.New(dxerr.Conflict, "Direct Connect gateway %s has virtual interfaces attached.", g.ID)
		}
	}
	g.StateChangeError = ""
	s.setGatewayState(g, dxgw.GatewayDeleting, now, CauseCall)
	return g.clone(), nil
}

// without returns list less v. It serves only the lists of gateways per owner and of
// associations per gateway or VGW: short, bounded by the gateway and association quotas (plus
// associations disassociated within the retention), so copying the rest of a list on a removal
// costs little. Longer lists (VIFs, proposals, attachments) are ordered indexes.
func without[T comparable](list []T, v T) []T {
	for i, x := range list {
		if x == v {
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}
