package store

import (
	"container/heap"
	"net/netip"
	"regexp"
	"slices"
	"sync/atomic"
	"time"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/tag"
	"github.com/dxlocal/dxlocal/internal/vif"
)

// VIFRetention is how long a deleted or rejected VIF stays visible to Describe, as in AWS.
const VIFRetention = 15 * time.Minute

// VIF is a virtual interface. Readers never see the record itself: they get its published,
// immutable snapshot (VIFView).
type VIF struct {
	ID   string
	Type vif.Type
	Name string
	// Owner is the ownerAccount: the creator, or the account an allocated VIF is for.
	Owner string
	// ConnOwner owns the connection, LAG or hosted connection the VIF is on; it equals Owner
	// unless the VIF was allocated to another account.
	ConnOwner    string
	Allocated    bool
	Region       string
	ConnectionID string
	Location     *location.Location
	Device       string
	VLAN         int
	// AmazonSideAsn is the gateway's ASN; 7224 for public VIFs and before a gateway is chosen.
	AmazonSideAsn       int64
	VirtualGatewayID    string
	DXGatewayID         string
	RouteFilterPrefixes []string
	MTU                 int
	SiteLink            bool
	// Jumbo is the jumboFrameCapable of the connection the VIF is on.
	Jumbo bool
	State string
	Peers []Peer
	Tags  []tag.Tag

	since time.Time // when State was entered
	// resume is the steady state a VIF in pending (after an update or a move) or testing
	// goes back to.
	resume string
	// test is the failover test running on the VIF, nil when none.
	test *FailoverTest
	// dueAt is the time of the VIF's one valid entry in the due queue; zero when none.
	dueAt time.Time
	// routerIn is what customerRouterConfig shows, as of the last change to it (refresh): the
	// text is made from it when it is read (VIFSnapshot.RouterConfig). Kept as text, it was
	// the largest part of a VIF (some 560 bytes; 5.6 MB over 10,000 VIFs), and reads hardly
	// need it again: a Describe keeps the snapshot's whole encoding, text included (Wire).
	// It is frozen, not made from the live values, because the text keeps the peers the VIF
	// had at the last refresh (a deleted VIF's peers go deleted without one). A refresh makes
	// a new value, so snapshots share the old one safely.
	routerIn *vif.Logical
	// snap is what readers see: the values as of the last change (publish).
	snap *VIFSnapshot
	// order is the VIF's place in the creation order of every resource.
	order uint64
	// held stops the VIF's automatic changes (its own, its peers' and its test's end): the
	// resource control's hold.
	held bool
	// linkResume is the state a VIF its link took down (the resource control set its
	// connection or LAG down) comes back to with the link; empty when the link did not.
	linkResume string
}

// Peer is one BGP peer of a VIF.
type Peer struct {
	ID              string
	ASN             int64
	AuthKey         string
	AddressFamily   string
	AmazonAddress   string
	CustomerAddress string
	State           string
	// Status is bgpStatus, derived when the VIF is read.
	Status string
	net    netip.Prefix // the peering subnet, for clash checks
	since  time.Time
	// bgpDown is set when the resource control set the session down; it stays down until
	// the control sets it up.
	bgpDown bool
}

// holdsVLAN reports whether a VIF keeps its VLAN, addresses and quota share: every live state
// but deleting, so that a deleted VIF's VLAN can be used again at once, as a deleting hosted
// connection gives back its VLAN.
func holdsVLAN(v *VIF) bool { return vif.Live(v.State) && v.State != vif.StateDeleting }

// livePeers are the peers not on their way out.
func (v *VIF) livePeers() []*Peer {
	out := make([]*Peer, 0, len(v.Peers))
	for i := range v.Peers {
		if p := &v.Peers[i]; p.State != vif.PeerDeleting && p.State != vif.PeerDeleted {
			out = append(out, p)
		}
	}
	return out
}

// refresh records what is derived from the VIF's values: the inputs of its
// customerRouterConfig.
func (v *VIF) refresh() {
	l := v.logical()
	v.routerIn = &l
}

func (v *VIF) logical() vif.Logical {
	l := vif.Logical{ID: v.ID, Type: v.Type, VLAN: v.VLAN, AmazonASN: v.AmazonSideAsn}
	for _, p := range v.livePeers() {
		l.Peers = append(l.Peers, vif.Peering{Family: p.AddressFamily, Customer: p.CustomerAddress, Amazon: p.AmazonAddress, ASN: p.ASN, AuthKey: p.AuthKey})
	}
	return l
}

// VIFSnapshot is a VIF's values as of its last change, with what is derived from them
// (bgpStatus, customerRouterConfig). It is never changed once published, so readers use it
// outside the region's lock, and a list of thousands copies no VIF. Tags are not in it.
type VIFSnapshot struct {
	VIF
	// wire is the API's encoded form of the snapshot, kept by its first reader (Wire, SetWire).
	// It can never go stale: a change publishes a new snapshot, which starts without one.
	wire atomic.Pointer[[]byte]
}

// RouterConfig is customerRouterConfig, made anew at each call from the inputs frozen at the
// VIF's last refresh; empty before any.
func (s *VIFSnapshot) RouterConfig() string {
	if s.routerIn == nil {
		return ""
	}
	return vif.CustomerRouterConfig(*s.routerIn)
}

// Wire is what SetWire kept, nil before.
func (s *VIFSnapshot) Wire() []byte {
	if p := s.wire.Load(); p != nil {
		return *p
	}
	return nil
}

// SetWire keeps b, the encoded form of the snapshot's values (without tags, which the
// snapshot does not hold), unless a concurrent reader kept its own first; it answers the
// bytes kept. Readers that race make the same bytes.
func (s *VIFSnapshot) SetWire(b []byte) []byte {
	if s.wire.CompareAndSwap(nil, &b) {
		return b
	}
	return *s.wire.Load()
}

// VIFView is a VIF as one account reads it: its snapshot, and its tags when the reader owns it.
type VIFView struct {
	*VIFSnapshot
	Tags []tag.Tag
}

// First is the peer the VIF-level ASN, address and key members mirror: the first live one,
// else the first.
func (v *VIFView) First() *Peer {
	for i := range v.Peers {
		if p := &v.Peers[i]; p.State != vif.PeerDeleting && p.State != vif.PeerDeleted {
			return p
		}
	}
	if len(v.Peers) > 0 {
		return &v.Peers[0]
	}
	return nil
}

// publish makes v's current values its snapshot. Every change of what a VIF shows ends with it.
func (v *VIF) publish() {
	s := &VIFSnapshot{VIF: *v}
	s.test, s.snap, s.Tags = nil, nil, nil
	s.RouteFilterPrefixes = slices.Clone(v.RouteFilterPrefixes)
	s.Peers = slices.Clone(v.Peers)
	for i := range s.Peers {
		s.Peers[i].Status = v.bgpStatus(&s.Peers[i])
	}
	v.snap = s
}

// view is v as account reads it: tags only for the VIF's owner.
func (v *VIF) view(account string) VIFView {
	out := VIFView{VIFSnapshot: v.snap}
	if account == v.Owner && len(v.Tags) > 0 {
		out.Tags = slices.Clone(v.Tags)
	}
	return out
}

// bgpStatus is up for an available peer of an available VIF, and for a testing VIF's peers
// that are not under test; down otherwise.
func (v *VIF) bgpStatus(p *Peer) string {
	if p.State != vif.PeerAvailable || p.bgpDown {
		return vif.BGPDown
	}
	switch {
	case v.State == vif.StateAvailable:
		return vif.BGPUp
	case v.State == vif.StateTesting && v.test != nil && !slices.Contains(v.test.Peers, p.ID):
		return vif.BGPUp
	}
	return vif.BGPDown
}

// vifBook is a region's VIFs and failover tests; it lives under the region's lock.
type vifBook struct {
	byID map[string]*VIF
	// onParent lists the VIFs of each connection, LAG or hosted connection in creation order,
	// deleted ones included until purged.
	onParent orderedIndex[string, *VIF]
	// visible lists, per account, the VIFs it sees (its own and those on its connections) in
	// creation order, deleted ones included until purged.
	visible orderedIndex[string, *VIF]
	// onDevice lists the VIFs of each AWS device, for peer address allocation.
	onDevice orderedIndex[string, *VIF]
	due      vifQueue
	// graveyard holds deleted and rejected VIFs in the order they got there, graveyardAt when.
	graveyard   []*VIF
	graveyardAt []time.Time
	// v6Next is the index of the next /125 of the IPv6 pool; blocks are never reused.
	v6Next uint64
	// tests are the failover tests of each account, oldest first.
	tests map[string][]*FailoverTest
}

func newVIFBook() vifBook {
	return vifBook{
		byID:     map[string]*VIF{},
		onParent: orderedIndex[string, *VIF]{},
		visible:  orderedIndex[string, *VIF]{},
		onDevice: orderedIndex[string, *VIF]{},
		tests:    map[string][]*FailoverTest{},
	}
}

// vifQueue orders VIFs by when their next automatic change is due. A VIF has at most one
// valid entry (the one at its dueAt); others are stale and skipped.
type vifQueue []vifDue

type vifDue struct {
	at time.Time
	v  *VIF
}

func (q vifQueue) Len() int { return len(q) }
func (q vifQueue) Less(i, j int) bool {
	// Changes due at the same time happen in creation order, so that a restored region
	// makes them in the same order as the original.
	if q[i].at.Equal(q[j].at) {
		return q[i].v.order < q[j].v.order
	}
	return q[i].at.Before(q[j].at)
}
func (q vifQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *vifQueue) Push(x any)   { *q = append(*q, x.(vifDue)) }
func (q *vifQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// settleVIFs applies every automatic VIF change due by now and purges VIFs whose retention
// has ended.
func (r *Region) settleVIFs(now time.Time) {
	b := &r.vifs
	for b.due.Len() > 0 && !now.Before(b.due[0].at) {
		e := heap.Pop(&b.due).(vifDue)
		if !e.at.Equal(e.v.dueAt) {
			continue // stale
		}
		e.v.dueAt = time.Time{}
		r.advanceVIF(e.v, now, CauseClock)
	}
	for len(b.graveyard) > 0 {
		v := b.graveyard[0]
		// A rejected VIF that its connection's owner then deletes enters the graveyard twice;
		// its first entry is stale once it has moved on, and the later one purges it.
		if stale := vif.Live(v.State) || !v.since.Equal(b.graveyardAt[0]); !stale && now.Before(v.since.Add(VIFRetention)) {
			break
		} else if !stale {
			r.purgeVIF(v)
		}
		b.graveyard, b.graveyardAt = b.graveyard[1:], b.graveyardAt[1:]
	}
}

// nextChange is the earliest automatic change of v: its own state, a peer's or its test's end.
type nextChange struct {
	at   time.Time
	peer int // index of the peer, or -1
	test bool
}

func (r *Region) nextChange(v *VIF) (nextChange, bool) {
	var best nextChange
	found := false
	if v.held {
		return best, false
	}
	consider := func(c nextChange) {
		if !found || c.at.Before(best.at) {
			best, found = c, true
		}
	}
	if _, ok := vif.Next(v.State); ok {
		consider(nextChange{at: v.since.Add(r.dwell()), peer: -1})
	}
	if v.test != nil && v.test.Status == TestInProgress {
		consider(nextChange{at: v.test.due(), peer: -1, test: true})
	}
	// Peers wait while the VIF waits for its owner, and go with it when it goes.
	if v.State != vif.StateConfirming && vif.Live(v.State) {
		for i := range v.Peers {
			if _, _, ok := vif.PeerNext(v.Peers[i].State); ok {
				consider(nextChange{at: v.Peers[i].since.Add(r.dwell()), peer: i})
			}
		}
	}
	return best, found
}

// advanceVIF applies v's automatic changes due by now, in time order, then schedules the next.
func (r *Region) advanceVIF(v *VIF, now time.Time, cause string) {
	defer v.publish()
	for {
		c, ok := r.nextChange(v)
		if !ok || now.Before(c.at) {
			break
		}
		switch {
		case c.test:
			r.endTest(v, TestCompleted, v.test.due(), cause)
		case c.peer >= 0:
			p := &v.Peers[c.peer]
			next, gone, _ := vif.PeerNext(p.State)
			if gone {
				v.Peers = slices.Delete(v.Peers, c.peer, c.peer+1)
				v.refresh()
			} else {
				p.State, p.since = next, c.at
			}
		default:
			next, _ := vif.Next(v.State)
			if v.State == vif.StatePending && v.resume != "" {
				next, v.resume = v.resume, ""
			}
			if v.State == vif.StatePending {
				next = r.afterProvisioning(v, next, c.at)
			}
			r.setVIFState(v, next, c.at, cause)
		}
	}
	r.scheduleVIF(v)
}

// scheduleVIF records when v's next automatic change is due.
func (r *Region) scheduleVIF(v *VIF) {
	c, ok := r.nextChange(v)
	if !ok {
		v.dueAt = time.Time{}
		return
	}
	if c.at.Equal(v.dueAt) {
		return
	}
	v.dueAt = c.at
	heap.Push(&r.vifs.due, vifDue{at: c.at, v: v})
}

// setVIFState is the one place a VIF's state changes, its first included (from ""); it reports
// the change to the journal.
// Reaching deleted or rejected marks the peers deleted and starts the retention.
func (r *Region) setVIFState(v *VIF, state string, at time.Time, cause string) {
	from := v.State
	v.State, v.since = state, at
	if state != vif.StateDown && state != vif.StatePending {
		v.linkResume = "" // only a down VIF, or one provisioning on its way back down, waits for its link
	}
	if !vif.Live(state) {
		for i := range v.Peers {
			v.Peers[i].State = vif.PeerDeleted
		}
		r.vifs.graveyard = append(r.vifs.graveyard, v)
		r.vifs.graveyardAt = append(r.vifs.graveyardAt, at)
	}
	v.publish()
	r.store.emit(Change{At: at, ResourceID: v.ID, Type: TypeVirtualInterface, Account: v.Owner, Region: r.name, From: from, To: state, Cause: cause})
}

// addVIF stores a new VIF in every index.
func (r *Region) addVIF(v *VIF) {
	b := &r.vifs
	b.byID[v.ID] = v
	b.onParent.add(v.ConnectionID, v)
	b.visible.add(v.Owner, v)
	if v.ConnOwner != v.Owner {
		b.visible.add(v.ConnOwner, v)
	}
	b.onDevice.add(v.Device, v)
}

func (r *Region) purgeVIF(v *VIF) {
	b := &r.vifs
	delete(b.byID, v.ID)
	b.onParent.remove(v.ConnectionID, v)
	b.visible.remove(v.Owner, v)
	if v.ConnOwner != v.Owner {
		b.visible.remove(v.ConnOwner, v)
	}
	b.onDevice.remove(v.Device, v)
}

// vifsHolding lists the VIFs of a parent that hold their VLAN.
func (r *Region) vifsHolding(parentID string) []*VIF {
	var out []*VIF
	for v := range r.vifs.onParent.get(parentID).all() {
		if holdsVLAN(v) {
			out = append(out, v)
		}
	}
	return out
}

// liveVIFs counts the live VIFs (deleting ones included) of a parent: they block its deletion.
func (r *Region) liveVIFs(parentID string) int {
	n := 0
	for v := range r.vifs.onParent.get(parentID).all() {
		if vif.Live(v.State) {
			n++
		}
	}
	return n
}

var vifIDForm = regexp.MustCompile(`^dxvif-[A-Za-z0-9]{8,21}$`)

func checkVIFID(id string) error {
	if id == "" {
		return dxerr.New(dxerr.Invalid, "virtualInterfaceId is required.")
	}
	if !vifIDForm.MatchString(id) {
		return dxerr.New(dxerr.Invalid, "Virtual interface ID %s has an invalid format.", id)
	}
	return nil
}

func vifNotFound(id string) error {
	return dxerr.New(dxerr.NotFound, "Virtual interface %s does not exist", id)
}

// visibleVIF finds a VIF the caller sees: its own, or one on its connection.
func (r *Region) visibleVIF(c Caller, id string) (*VIF, error) {
	if err := checkVIFID(id); err != nil {
		return nil, err
	}
	v, ok := r.vifs.byID[id]
	if !ok || (v.Owner != c.Account && v.ConnOwner != c.Account) {
		return nil, vifNotFound(id)
	}
	return v, nil
}

// ownVIF finds a VIF the caller owns (ownerAccount).
func (r *Region) ownVIF(c Caller, id string) (*VIF, error) {
	v, err := r.visibleVIF(c, id)
	if err != nil {
		return nil, err
	}
	if v.Owner != c.Account {
		return nil, vifNotFound(id)
	}
	return v, nil
}
