package store

import (
	"slices"
	"strings"
	"time"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/limit"
	"github.com/dxlocal/dxlocal/internal/page"
	"github.com/dxlocal/dxlocal/internal/vif"
)

// NewBGPPeer is a CreateBGPPeer request's newBGPPeer; absent members are nil.
type NewBGPPeer struct {
	ASN             *int32
	ASNLong         *int64
	AuthKey         *string
	AddressFamily   *string
	AmazonAddress   *string
	CustomerAddress *string
}

// CreateBGPPeer adds a peer to the caller's VIF: one per address family.
func (r *Region) CreateBGPPeer(c Caller, id string, np *NewBGPPeer) (VIFView, error) {
	now := r.lock()
	defer r.unlock()
	if err := checkVIFID(id); err != nil {
		return VIFView{}, err
	}
	if np == nil {
		return VIFView{}, dxerr.New(dxerr.Invalid, "newBGPPeer is required.")
	}
	if np.AddressFamily == nil {
		return VIFView{}, dxerr.New(dxerr.Invalid, "newBGPPeer.addressFamily is required.")
	}
	v, err := r.ownVIF(c, id)
	if err != nil {
		return VIFView{}, err
	}
	n, err := checkPeer(v.Type, np.ASN, np.ASNLong, np.AddressFamily, np.AuthKey, np.AmazonAddress, np.CustomerAddress)
	if err != nil {
		return VIFView{}, err
	}
	if !vif.TakesPeers(v.State) {
		return VIFView{}, inState("Virtual interface", id, v.State)
	}
	// Connections report hasLogicalRedundancy "no", so one peer per family is the limit.
	for _, p := range v.livePeers() {
		if p.AddressFamily == n.family {
			return VIFView{}, dxerr.New(dxerr.Conflict, "A BGP peer for address family %s already exists on %s.", n.family, id)
		}
	}
	if v.Type == vif.Public && !vif.IsPrivateASN(n.asn) && !slices.ContainsFunc(v.livePeers(), func(p *Peer) bool { return p.ASN == n.asn }) {
		return VIFView{}, dxerr.New(dxerr.Invalid, "BGP ASN %d of a public virtual interface's peer must be private or one of its peers' ASN.", n.asn)
	}
	addrs, err := r.assignAddresses(n, v.ConnectionID, v.Device)
	if err != nil {
		return VIFView{}, err
	}
	v.Peers = append(v.Peers, r.makePeer(v.Type, n, addrs, now))
	v.refresh()
	v.publish()
	r.scheduleVIF(v)
	return v.view(c.Account), nil
}

// PeerRef names a peer to delete: by id, or by ASN and customer address.
type PeerRef struct {
	ID              string
	ASN             *int32
	ASNLong         *int64
	CustomerAddress string
}

// DeleteBGPPeer starts the deletion of one of the caller's VIF's peers; the last live peer
// stays. The peer is listed deleting for one dwell and is then gone.
func (r *Region) DeleteBGPPeer(c Caller, id string, ref PeerRef) (VIFView, error) {
	now := r.lock()
	defer r.unlock()
	if err := checkVIFID(id); err != nil {
		return VIFView{}, err
	}
	byAddress := (ref.ASN != nil || ref.ASNLong != nil) && ref.CustomerAddress != ""
	if ref.ID == "" && !byAddress {
		return VIFView{}, dxerr.New(dxerr.Invalid, "bgpPeerId, or asn and customerAddress, is required.")
	}
	v, err := r.ownVIF(c, id)
	if err != nil {
		return VIFView{}, err
	}
	var asn int64
	if ref.ID == "" {
		if asn, err = vif.ResolveASN(ref.ASN, ref.ASNLong); err != nil {
			return VIFView{}, err
		}
	}
	live := v.livePeers()
	i := slices.IndexFunc(live, func(p *Peer) bool {
		if ref.ID != "" {
			return p.ID == ref.ID
		}
		return p.ASN == asn && sameAddress(p.CustomerAddress, ref.CustomerAddress)
	})
	if i < 0 {
		if ref.ID != "" {
			return VIFView{}, dxerr.New(dxerr.NotFound, "BGP peer %s does not exist", ref.ID)
		}
		return VIFView{}, dxerr.New(dxerr.NotFound, "BGP peer with ASN %d and customer address %s does not exist on %s", asn, ref.CustomerAddress, id)
	}
	if !vif.TakesPeers(v.State) {
		return VIFView{}, inState("Virtual interface", id, v.State)
	}
	if len(live) == 1 {
		return VIFView{}, dxerr.New(dxerr.Invalid, "The last BGP Peer on a Virtual Interface cannot be deleted")
	}
	live[i].State, live[i].since = vif.PeerDeleting, now
	v.refresh()
	v.publish()
	r.scheduleVIF(v)
	return v.view(c.Account), nil
}

// sameAddress compares two addresses with or without their prefix length.
func sameAddress(a, b string) bool {
	strip := func(s string) string {
		if i := strings.IndexByte(s, '/'); i >= 0 {
			return s[:i]
		}
		return s
	}
	return a == b || strip(a) == strip(b)
}

// Failover test statuses. AWS does not document the strings; failed is never produced.
const (
	TestInProgress = "in_progress"
	TestCompleted  = "completed"
	TestCancelled  = "cancelled"
)

// Bounds of a test's duration, in minutes.
const (
	MinTestMinutes     = 1
	MaxTestMinutes     = 4320
	DefaultTestMinutes = 180
)

// FailoverTest is a BGP failover test of one VIF.
type FailoverTest struct {
	ID       string
	VIFID    string
	Peers    []string
	Status   string
	Owner    string
	Duration int // minutes
	Start    time.Time
	End      time.Time // zero while in progress
	// endsAt is set when the release of a hold pushed the end past Start + Duration.
	endsAt time.Time
}

// due is when the running test ends: after its duration, or later when a hold held it.
func (t *FailoverTest) due() time.Time {
	d := t.Start.Add(time.Duration(t.Duration) * time.Minute)
	if t.endsAt.After(d) {
		return t.endsAt
	}
	return d
}

func (t *FailoverTest) clone() FailoverTest {
	out := *t
	out.Peers = slices.Clone(t.Peers)
	return out
}

// StartFailoverTest takes some or all of the caller's available VIF's peers down for a while:
// the VIF is testing until the test ends or is stopped.
func (r *Region) StartFailoverTest(c Caller, id string, peers []string, minutes *int32) (FailoverTest, error) {
	now := r.lock()
	defer r.unlock()
	if err := checkVIFID(id); err != nil {
		return FailoverTest{}, err
	}
	d := DefaultTestMinutes
	if minutes != nil {
		if d = int(*minutes); d < MinTestMinutes || d > MaxTestMinutes {
			return FailoverTest{}, dxerr.New(dxerr.Invalid, "testDurationInMinutes %d is not valid: it must be between %d and %d.", d, MinTestMinutes, MaxTestMinutes)
		}
	}
	if len(peers) > limit.BGPPeerIDs {
		return FailoverTest{}, dxerr.New(dxerr.Limit, "bgpPeers has %d ids; at most %d are taken.", len(peers), limit.BGPPeerIDs)
	}
	v, err := r.ownVIF(c, id)
	if err != nil {
		return FailoverTest{}, err
	}
	if v.test != nil {
		return FailoverTest{}, dxerr.New(dxerr.Conflict, "A BGP failover test %s is already running on %s.", v.test.ID, id)
	}
	if v.State != vif.StateAvailable {
		return FailoverTest{}, inState("Virtual interface", id, v.State)
	}
	live := v.livePeers()
	chosen := make([]string, 0, len(live))
	if len(peers) == 0 {
		for _, p := range live {
			chosen = append(chosen, p.ID)
		}
	}
	for _, pid := range peers {
		if !slices.ContainsFunc(live, func(p *Peer) bool { return p.ID == pid }) {
			return FailoverTest{}, dxerr.New(dxerr.NotFound, "BGP peer %s does not exist on %s", pid, id)
		}
		if !slices.Contains(chosen, pid) {
			chosen = append(chosen, pid)
		}
	}
	t := &FailoverTest{ID: newUUID(r.store), VIFID: id, Peers: chosen, Status: TestInProgress, Owner: v.Owner, Duration: d, Start: now}
	history := append(r.vifs.tests[v.Owner], t)
	if len(history) > limit.TestHistory {
		if i := slices.IndexFunc(history, func(o *FailoverTest) bool { return o.Status != TestInProgress }); i >= 0 {
			history = slices.Delete(history, i, i+1)
		}
	}
	r.vifs.tests[v.Owner] = history
	v.test = t
	v.resume = v.State
	r.setVIFState(v, vif.StateTesting, now, CauseCall)
	r.scheduleVIF(v)
	return t.clone(), nil
}

// StopFailoverTest cancels the test running on the caller's VIF; the VIF is as before it.
func (r *Region) StopFailoverTest(c Caller, id string) (FailoverTest, error) {
	now := r.lock()
	defer r.unlock()
	v, err := r.ownVIF(c, id)
	if err != nil {
		return FailoverTest{}, err
	}
	if v.test == nil {
		return FailoverTest{}, dxerr.New(dxerr.Conflict, "No BGP failover test is running on %s.", id)
	}
	t := v.test
	r.endTest(v, TestCancelled, now, CauseCall)
	r.scheduleVIF(v)
	return t.clone(), nil
}

// endTest ends v's running test at time at with status; a testing VIF goes back to the state
// it had before the test.
func (r *Region) endTest(v *VIF, status string, at time.Time, cause string) {
	t := v.test
	t.Status, t.End = status, at
	v.test = nil
	if v.State == vif.StateTesting {
		back := v.resume
		if back == "" {
			back = vif.StateAvailable
		}
		v.resume = ""
		r.setVIFState(v, back, at, cause)
	}
}

// TestFilter is a ListVirtualInterfaceTestHistory request's filters; empty ones match all.
type TestFilter struct {
	TestID string
	VIFID  string
	Peers  []string
	Status string
}

// ListFailoverTests lists the caller's tests, oldest first, that match every filter given
// (peers: any overlap).
func (r *Region) ListFailoverTests(c Caller, f TestFilter, pg page.Request) ([]FailoverTest, string, error) {
	r.lock()
	defer r.unlock()
	if f.VIFID != "" {
		if err := checkVIFID(f.VIFID); err != nil {
			return nil, "", err
		}
	}
	if len(f.Peers) > limit.BGPPeerIDs {
		return nil, "", dxerr.New(dxerr.Limit, "bgpPeers has %d ids; at most %d are taken.", len(f.Peers), limit.BGPPeerIDs)
	}
	var list []*FailoverTest
	for _, t := range r.vifs.tests[c.Account] {
		if (f.TestID != "" && t.ID != f.TestID) || (f.VIFID != "" && t.VIFID != f.VIFID) || (f.Status != "" && t.Status != f.Status) {
			continue
		}
		if len(f.Peers) > 0 && !slices.ContainsFunc(f.Peers, func(p string) bool { return slices.Contains(t.Peers, p) }) {
			continue
		}
		list = append(list, t)
	}
	start, end, next, err := pg.Window(len(list))
	if err != nil {
		return nil, "", err
	}
	out := make([]FailoverTest, end-start)
	for i, t := range list[start:end] {
		out[i] = t.clone()
	}
	return out, next, nil
}

// RouterConfiguration is what DescribeRouterConfiguration answers.
type RouterConfiguration struct {
	Config  string
	Router  vif.Router
	VIFID   string
	VIFName string
}

// DescribeRouterConfiguration renders the configuration of a customer router of routerType for
// a VIF. The router belongs to the owner of the VIF's connection: the owner of a VIF it made
// itself, or the connection owner of an allocated one; the invited account gets not-found.
func (r *Region) DescribeRouterConfiguration(c Caller, id, routerType string) (RouterConfiguration, error) {
	r.lock()
	defer r.unlock()
	if err := checkVIFID(id); err != nil {
		return RouterConfiguration{}, err
	}
	if routerType == "" {
		return RouterConfiguration{}, dxerr.New(dxerr.Invalid, "routerTypeIdentifier is required.")
	}
	router, ok := vif.LookupRouter(routerType)
	if !ok {
		return RouterConfiguration{}, dxerr.New(dxerr.Invalid, "routerTypeIdentifier %s is not valid.", routerType)
	}
	v, err := r.visibleVIF(c, id)
	if err != nil {
		return RouterConfiguration{}, err
	}
	if v.ConnOwner != c.Account {
		return RouterConfiguration{}, vifNotFound(id)
	}
	return RouterConfiguration{Config: vif.RouterConfig(router, v.logical()), Router: router, VIFID: v.ID, VIFName: v.Name}, nil
}

// newUUID makes a version-4 style UUID from the store's id source, so that -seed reproduces it.
func newUUID(s *Store) string {
	const hex = "0123456789abcdef"
	raw := s.opts.IDs.Token(32)
	b := make([]byte, 0, 36)
	for i := range 32 {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			b = append(b, '-')
		}
		d := hex[strings.IndexByte("abcdefghijklmnopqrstuvwxyz0123456789", raw[i])%16]
		switch i {
		case 12:
			d = '4'
		case 16:
			d = hex[8+strings.IndexByte(hex, d)%4]
		}
		b = append(b, d)
	}
	return string(b)
}
