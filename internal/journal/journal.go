// Package journal is the record of what happened in the emulator: every Direct Connect call and
// every state change of every resource, in one sequence numbered from 1. It keeps the latest
// events in a ring of fixed size and wakes readers that wait for the next event.
//
// A call's event must come before the changes the call causes, yet its outcome is known only
// after them. So a call reserves its sequence number before it runs (Begin) and fills it in
// when it is answered (Call.End); changes take the next numbers as they happen. Readers see
// events up to the highest number below which every number is filled in (the watermark), so
// a reader never skips a call that was still running when it read, and numbers are seen once
// and in order.
package journal

import (
	"bytes"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dxlocal/dxlocal/internal/clock"
	"github.com/dxlocal/dxlocal/internal/store"
)

// Kinds of event.
const (
	KindCall   = "call"
	KindChange = "change"
)

// DefaultCapacity is how many events the journal keeps.
const DefaultCapacity = 100_000

// MaxLimit is the most events one read answers.
const MaxLimit = 10_000

// DefaultBodyBytes bounds the request bodies the journal holds, counted by the bytes their
// buffers take. A typical call's body is a few hundred bytes, so 100,000 of them fit many times
// over; but every body may be up to 1 MiB, and 100,000 of those would be 100 GB. Past the
// bound the oldest events lose their bodies (they keep the ids the body named, so reads by
// resource still find them): the journal answers such an event with requestDropped, the
// size of the body it no longer has.
const DefaultBodyBytes = 64 << 20

// maxNamedKept bounds the ids kept of a dropped body.
const maxNamedKept = 16

// maxInterned bounds the table of interned account and region names.
const maxInterned = 10_000

// Event is one call or one state change. Fields that do not apply to the kind are empty.
type Event struct {
	Seq     uint64
	Time    time.Time
	Kind    string
	Account string
	Region  string

	// A call.
	RequestID string
	Operation string
	Status    int
	ErrorType string
	FaultID   string
	// Request is the body as received; the journal keeps the caller's bytes, which must not
	// change afterwards.
	Request []byte
	// RequestDropped is the size of the body the journal dropped to stay within its bound of
	// body bytes (Request is nil then); 0 when it has the body.
	RequestDropped int
	// Created are the ids the call's answer made (see IDs); the ids the request names are
	// read from Request when the event is read. When the body was dropped, the first ids it
	// named come first here instead.
	Created []string

	// A change.
	ResourceID string
	Type       string
	From, To   string
	Cause      string
}

// ResourceIDs are the ids a call named or created, in the order they appear, or the one id a
// change is about.
func (e *Event) ResourceIDs() []string {
	if e.Kind == KindChange {
		return []string{e.ResourceID}
	}
	out := IDs(make([]string, 0, 2), e.Request)
	for _, id := range e.Created {
		out = appendNew(out, id)
	}
	return out
}

// slot is an event as the ring holds it. The ring is the largest thing the garbage collector
// scans while dxlocal runs, and every call writes one: so a slot is small and holds few pointers.
// Names from small sets (operation, error type, resource type, states, cause) are numbers in
// the journal's table of symbols, and the request id is kept in place.
type slot struct {
	seq       uint64
	at        int64 // Unix nanoseconds
	status    int32
	dropped   int32 // the size of the request body dropped, if it was
	change    bool
	operation uint16
	errorType uint16
	typ       uint16
	from, to  uint16
	cause     uint16
	requestID [36]byte
	reqIDLen  uint8
	account   string
	region    string
	faultID   string
	request   []byte
	created   []string
	// resourceID is the id a change is about.
	resourceID string
}

// about reports whether the event is about resource id.
func (e *slot) about(id string) bool {
	if e.change {
		return e.resourceID == id
	}
	for _, c := range e.created {
		if c == id {
			return true
		}
	}
	// Cheap test first: most calls do not mention the id at all.
	if !bytes.Contains(e.request, []byte(id)) {
		return false
	}
	for _, n := range IDs(nil, e.request) {
		if n == id {
			return true
		}
	}
	return false
}

// Query selects events; zero fields select everything.
type Query struct {
	After     uint64 // events with a larger seq
	Kind      string
	Operation string // calls of this operation
	Resource  string // events about this id
	Account   string
	Limit     int // at most this many (MaxLimit when 0 or more)
}

// match reports whether e is selected by q, whose operation is the symbol op (0: any).
func (q *Query) match(e *slot, op uint16) bool {
	return (q.Kind == "" || e.change == (q.Kind == KindChange)) &&
		(op == 0 || (!e.change && e.operation == op)) &&
		(q.Account == "" || e.account == q.Account) &&
		(q.Resource == "" || e.about(q.Resource))
}

// Journal is safe for concurrent use.
type Journal struct {
	clock clock.Clock
	// issued is the last number handed out; a call takes its number without the lock.
	issued atomic.Uint64

	mu sync.Mutex // guards everything below
	// ring holds event seq at index seq % capacity, in chunks made on first use, so that an idle
	// emulator holds no large ring and a filling one never copies it. A slot whose seq is not
	// the one looked for holds an older event, or none yet.
	ring     [][]slot
	capacity int
	// visible is the watermark: every event up to it is filled in, or dropped by the ring.
	visible uint64
	// floor is the last number cleared: events up to it are not shown.
	floor uint64
	// wake is closed when visible moves; made only when a reader waits, so that appending
	// costs nothing more while nobody does.
	wake chan struct{}
	// interned holds account and region names, so that an event keeps a short string of its
	// own instead of the request header it was cut from.
	interned map[string]string
	// symbols are the names a slot holds as numbers; 0 is "".
	symbols  []string
	symbolOf map[string]uint16
	// bodyBytes is the sum of the capacities of the request bodies in the ring; above
	// bodyBudget the oldest bodies are dropped, walking up from bodyFloor, the last event
	// looked at, so that each body is looked at once (amortized O(1) a call).
	bodyBytes  int
	bodyBudget int
	bodyFloor  uint64
}

// New returns an empty journal that keeps the latest capacity events (DefaultCapacity when 0),
// timing calls by clk.
func New(capacity int, clk clock.Clock) *Journal {
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	return &Journal{clock: clk, capacity: capacity, ring: make([][]slot, (capacity+chunkLen-1)/chunkLen), interned: map[string]string{},
		symbols: []string{""}, symbolOf: map[string]uint16{"": 0}, bodyBudget: DefaultBodyBytes}
}

// LimitBodies sets the bound of the request bodies held (DefaultBodyBytes when 0 or less).
func (j *Journal) LimitBodies(n int) {
	if n <= 0 {
		n = DefaultBodyBytes
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.bodyBudget = n
	j.dropBodies()
}

// BodyBytes is how many bytes of request bodies the journal holds.
func (j *Journal) BodyBytes() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.bodyBytes
}

// dropBodies drops the oldest bodies until those held fit the budget.
func (j *Journal) dropBodies() {
	if j.bodyBytes <= j.bodyBudget {
		return
	}
	top := j.issued.Load()
	if n := uint64(j.capacity); top > n && j.bodyFloor < top-n {
		j.bodyFloor = top - n // older events are out of the ring
	}
	for j.bodyBytes > j.bodyBudget && j.bodyFloor < top {
		j.bodyFloor++
		if s := j.slotAt(j.bodyFloor, false); s != nil && s.seq == j.bodyFloor {
			j.dropBody(s)
		}
	}
	// What is still over is bodies of calls answered after newer ones were dropped (their
	// numbers are at or below the floor): put drops those as they come.
}

// dropBody forgets s's request body, keeping the first ids it named.
func (j *Journal) dropBody(s *slot) {
	if s.request == nil {
		return
	}
	named := IDs(nil, s.request)
	if len(named) > maxNamedKept {
		named = named[:maxNamedKept]
	}
	for _, id := range s.created {
		named = appendNew(named, id)
	}
	j.bodyBytes -= cap(s.request)
	s.dropped = int32(len(s.request))
	s.request, s.created = nil, named
}

// Call is a call's reserved place in the journal; End fills it in.
type Call struct {
	j   *Journal
	seq uint64
	at  time.Time
}

// Begin reserves the next number for a call that is about to run.
func (j *Journal) Begin() Call {
	return Call{j: j, seq: j.issued.Add(1), at: j.clock.Now()}
}

// End records the call's event in its reserved place. e's Seq, Time and Kind are set here.
func (c Call) End(e Event) {
	e.Seq, e.Time, e.Kind = c.seq, c.at, KindCall
	j := c.j
	j.mu.Lock()
	j.put(j.slotOf(&e))
	j.mu.Unlock()
}

// Record appends a call that needs no reserved place: it changed nothing (refused before it
// ran, or failed by an injected fault).
func (j *Journal) Record(e Event) { j.Begin().End(e) }

// Change appends a state change; it is quick and calls nothing, so the store may call it with
// its locks held.
func (j *Journal) Change(at time.Time, resourceID, typ, account, region, from, to, cause string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	seq := j.issued.Add(1)
	j.put(slot{seq: seq, at: at.UnixNano(), change: true, resourceID: resourceID, typ: j.symbol(typ),
		account: account, region: region, from: j.symbol(from), to: j.symbol(to), cause: j.symbol(cause)})
}

// maxSymbols bounds the table of symbols: names beyond it (only unknown operation names can be
// that many) are journaled as "?".
const maxSymbols = 4096

// symbol is the number of name, given one on first use.
func (j *Journal) symbol(name string) uint16 {
	if n, ok := j.symbolOf[name]; ok {
		return n
	}
	if len(j.symbols) >= maxSymbols {
		return j.symbol("?")
	}
	name = string([]byte(name))
	n := uint16(len(j.symbols))
	j.symbols = append(j.symbols, name)
	j.symbolOf[name] = n
	return n
}

// slotOf is a call event as the ring holds it.
func (j *Journal) slotOf(e *Event) slot {
	s := slot{seq: e.Seq, at: e.Time.UnixNano(), status: int32(e.Status), operation: j.symbol(e.Operation),
		errorType: j.symbol(e.ErrorType), account: j.intern(e.Account), region: j.intern(e.Region),
		faultID: e.FaultID, request: e.Request, created: e.Created}
	s.reqIDLen = uint8(copy(s.requestID[:], e.RequestID))
	return s
}

// event is a slot as readers get it.
func (j *Journal) event(s *slot) Event {
	e := Event{Seq: s.seq, Time: time.Unix(0, s.at).UTC(), Account: s.account, Region: s.region}
	if s.change {
		e.Kind, e.ResourceID, e.Type = KindChange, s.resourceID, j.symbols[s.typ]
		e.From, e.To, e.Cause = j.symbols[s.from], j.symbols[s.to], j.symbols[s.cause]
		return e
	}
	e.Kind, e.Operation, e.Status, e.ErrorType = KindCall, j.symbols[s.operation], int(s.status), j.symbols[s.errorType]
	e.RequestID, e.FaultID, e.Request, e.Created = string(s.requestID[:s.reqIDLen]), s.faultID, s.request, s.created
	e.RequestDropped = int(s.dropped)
	return e
}

// chunkLen is how many slots the ring makes at a time.
const chunkLen = 1024

// slotAt is the slot of event seq; nil when its chunk is not made yet and create is false.
func (j *Journal) slotAt(seq uint64, create bool) *slot {
	i := int(seq % uint64(j.capacity))
	c := i / chunkLen
	if j.ring[c] == nil {
		if !create {
			return nil
		}
		j.ring[c] = make([]slot, min(chunkLen, j.capacity-c*chunkLen))
	}
	return &j.ring[c][i%chunkLen]
}

// put stores e in its slot and moves the watermark over every filled-in event.
func (j *Journal) put(e slot) {
	// A call that ran while a whole ring of newer events came in finds its slot taken by a newer
	// event; it has been dropped already, as the oldest.
	if cur := j.slotAt(e.seq, true); cur.seq < e.seq {
		j.bodyBytes += cap(e.request) - cap(cur.request)
		*cur = e
		if e.seq <= j.bodyFloor && j.bodyBytes > j.bodyBudget {
			j.dropBody(cur)
		}
		j.dropBodies()
	}
	moved := false
	for j.visible < j.issued.Load() && j.filled(j.visible+1) {
		j.visible++
		moved = true
	}
	if moved && j.wake != nil {
		close(j.wake)
		j.wake = nil
	}
}

// filled reports whether event seq is in the ring, or was pushed out of it by newer events.
func (j *Journal) filled(seq uint64) bool {
	s := j.slotAt(seq, false)
	return s != nil && s.seq >= seq
}

func (j *Journal) intern(s string) string {
	if v, ok := j.interned[s]; ok {
		return v
	}
	if len(j.interned) >= maxInterned {
		return s
	}
	v := string([]byte(s)) // a copy of its own, not a view into the request
	j.interned[v] = v
	return v
}

// Read answers the events q selects, oldest first, and last: the number to read after next
// time (the last event answered when the limit cut the answer short, else the watermark).
// When nothing matched, wake is closed as soon as a newer event is in.
func (j *Journal) Read(q Query) (events []Event, last uint64, wake <-chan struct{}) {
	limit := q.Limit
	if limit <= 0 || limit > MaxLimit {
		limit = MaxLimit
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	n := uint64(j.capacity)
	from := max(q.After, j.floor)
	if j.visible > n && from < j.visible-n {
		from = j.visible - n
	}
	last = max(j.visible, q.After)
	op := uint16(0)
	if q.Operation != "" {
		var known bool
		if op, known = j.symbolOf[q.Operation]; !known {
			op = ^uint16(0) // no event has it
		}
	}
	for seq := from + 1; seq <= j.visible; seq++ {
		e := j.slotAt(seq, false)
		if e == nil || e.seq != seq || !q.match(e, op) {
			continue
		}
		events = append(events, j.event(e))
		if len(events) == limit {
			last = seq
			break
		}
	}
	if len(events) == 0 {
		if j.wake == nil {
			j.wake = make(chan struct{})
		}
		wake = j.wake
	}
	return events, last, wake
}

// Clear forgets every event so far; numbering goes on.
func (j *Journal) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.floor = j.issued.Load()
}

// Len is how many events a read from the start would see at most.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	lo := max(j.floor, j.visible-min(j.visible, uint64(j.capacity)))
	return int(j.visible - min(lo, j.visible))
}

// Observe is Change taking the store's change record; give it to store.Options.OnChange.
func (j *Journal) Observe(c store.Change) {
	j.Change(c.At, c.ResourceID, c.Type, c.Account, c.Region, c.From, c.To, c.Cause)
}
