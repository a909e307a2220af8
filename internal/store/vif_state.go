package store

import (
	"cmp"
	"fmt"
	"net/netip"
	"regexp"
	"slices"

	"github.com/dxlocal/dxlocal/internal/account"
	"github.com/dxlocal/dxlocal/internal/dxgw"
	"github.com/dxlocal/dxlocal/internal/gateway"
	"github.com/dxlocal/dxlocal/internal/snapshot"
	"github.com/dxlocal/dxlocal/internal/vif"
)

func byVIFOrder(x, y *VIF) int { return cmp.Compare(x.order, y.order) }

// vifsInOrder lists every VIF of the book in creation order.
func (b *vifBook) vifsInOrder() []*VIF {
	out := make([]*VIF, 0, len(b.byID))
	for _, v := range b.byID {
		out = append(out, v)
	}
	slices.SortFunc(out, byVIFOrder)
	return out
}

// save writes the region's VIFs in creation order (deleted and rejected ones while retained),
// the parents whose list is not in creation order, the failover tests per owner and the
// IPv6 pool's next block. Due times follow from each one's since, hold and test.
func (vifFamily) save(r *Region, out *snapshot.Region) {
	b := &r.vifs
	for _, v := range b.vifsInOrder() {
		out.VirtualInterfaces = append(out.VirtualInterfaces, vifOut(v))
	}
	for parent, on := range b.onParent {
		list := slices.Collect(on.all())
		if !slices.IsSortedFunc(list, byVIFOrder) {
			if out.VIFParents == nil {
				out.VIFParents = map[string][]string{}
			}
			for _, v := range list {
				out.VIFParents[parent] = append(out.VIFParents[parent], v.ID)
			}
		}
	}
	accounts := make([]string, 0, len(b.tests))
	for a := range b.tests {
		accounts = append(accounts, a)
	}
	slices.Sort(accounts)
	for _, a := range accounts {
		for _, t := range b.tests[a] {
			out.FailoverTests = append(out.FailoverTests, snapshot.FailoverTest{
				ID: t.ID, VirtualInterfaceID: t.VIFID, Peers: slices.Clone(t.Peers), Status: t.Status, OwnerAccount: t.Owner,
				TestDurationInMinutes: t.Duration, StartTime: t.Start, EndTime: t.End, EndsAt: t.endsAt,
			})
		}
	}
	out.IPv6Next = b.v6Next
}

func vifOut(v *VIF) snapshot.VirtualInterface {
	sv := snapshot.VirtualInterface{
		Order: v.order, ID: v.ID, Type: string(v.Type), Name: v.Name, OwnerAccount: v.Owner, ConnectionOwnerAccount: v.ConnOwner,
		Allocated: v.Allocated, ConnectionID: v.ConnectionID, Location: v.Location.Code, Device: v.Device, VLAN: v.VLAN,
		AmazonSideAsn: v.AmazonSideAsn, VirtualGatewayID: v.VirtualGatewayID, DirectConnectGatewayID: v.DXGatewayID,
		RouteFilterPrefixes: slices.Clone(v.RouteFilterPrefixes), MTU: v.MTU, SiteLink: v.SiteLink, JumboFrameCapable: v.Jumbo,
		State: v.State, Peers: make([]snapshot.BGPPeer, 0, len(v.Peers)), Tags: tagsOut(v.Tags), Since: v.since,
		Resume: v.resume, LinkResume: v.linkResume, Hold: v.held,
	}
	for _, p := range v.Peers {
		sv.Peers = append(sv.Peers, snapshot.BGPPeer{
			ID: p.ID, ASN: p.ASN, AuthKey: p.AuthKey, AddressFamily: p.AddressFamily, AmazonAddress: p.AmazonAddress,
			CustomerAddress: p.CustomerAddress, State: p.State, BGPDown: p.bgpDown, Since: p.since,
		})
	}
	return sv
}

var (
	vifStates  = []string{vif.StateConfirming, vif.StateVerifying, vif.StatePending, vif.StateAvailable, vif.StateDown, vif.StateTesting, vif.StateDeleting, vif.StateDeleted, vif.StateRejected}
	peerStates = []string{vif.PeerVerifying, vif.PeerPending, vif.PeerAvailable, vif.PeerDeleting, vif.PeerDeleted}
	testStates = []string{TestInProgress, TestCompleted, TestCancelled}
)

// load checks the region's VIFs, peers and tests and rebuilds the book: its indexes, the due
// queue, the retention of deleted VIFs and the IPv6 pool. Connections and LAGs are loaded.
func (vifFamily) load(r *Region, in *snapshot.Region, ids *loadedIDs) error {
	list := slices.Clone(in.VirtualInterfaces)
	slices.SortStableFunc(list, func(a, b snapshot.VirtualInterface) int { return cmp.Compare(a.Order, b.Order) })
	b := &r.vifs
	for _, sv := range list {
		if !vifIDForm.MatchString(sv.ID) {
			return invalidState("virtualInterfaces: id %s is not a virtual interface id", sv.ID)
		}
		if err := ids.add(sv.ID, sv.Order); err != nil {
			return err
		}
		v, err := r.vifIn(sv, ids)
		if err != nil {
			return err
		}
		r.addVIF(v)
	}
	if err := r.checkVIFSlots(); err != nil {
		return err
	}
	for parent, order := range in.VIFParents {
		on := slices.Collect(b.onParent.get(parent).all())
		sorted := slices.Clone(order)
		slices.Sort(sorted)
		have := make([]string, len(on))
		for i, v := range on {
			have[i] = v.ID
		}
		slices.Sort(have)
		if !slices.Equal(sorted, have) {
			return invalidState("vifParents: the list of %s is not exactly its virtual interfaces", parent)
		}
		// The saved order replaces the creation order the load gave the list.
		delete(b.onParent, parent)
		for _, id := range order {
			b.onParent.add(parent, b.byID[id])
		}
	}
	for _, st := range in.FailoverTests {
		if err := r.testIn(st); err != nil {
			return err
		}
	}
	for _, v := range b.byID {
		if v.State == vif.StateTesting && v.test == nil {
			return invalidState("virtualInterface %s: it is testing with no failover test in progress", v.ID)
		}
	}
	b.v6Next = in.IPv6Next
	for _, v := range b.byID {
		for _, p := range v.Peers {
			if p.AddressFamily != vif.IPv6 {
				continue
			}
			if n, ok := v6Index(p.AmazonAddress); !ok || n >= b.v6Next {
				return invalidState("virtualInterface %s: IPv6 address %s of BGP peer %s is not a block of the pool below ipv6Next %d", v.ID, p.AmazonAddress, p.ID, b.v6Next)
			}
		}
	}
	// Retention and the due queue, from each VIF's state, since, hold and test.
	for _, v := range b.vifsInOrder() {
		if !vif.Live(v.State) {
			b.graveyard = append(b.graveyard, v)
		}
		v.refresh()
		v.publish()
		r.scheduleVIF(v)
	}
	slices.SortStableFunc(b.graveyard, func(x, y *VIF) int { return x.since.Compare(y.since) })
	for _, v := range b.graveyard {
		b.graveyardAt = append(b.graveyardAt, v.since)
	}
	return nil
}

// v6Index is the block of the IPv6 pool whose Amazon address is addr.
func v6Index(addr string) (uint64, bool) {
	p, err := netip.ParsePrefix(addr)
	if err != nil || !p.Addr().Is6() || !vif.DefaultIPv6Pool.Contains(p.Addr()) {
		return 0, false
	}
	a := p.Addr().As16()
	var off uint64
	for _, x := range a[4:] {
		off = off<<8 | uint64(x)
	}
	n := off / 8
	want, ok := vif.V6Block(vif.DefaultIPv6Pool, n)
	return n, ok && want.Amazon == p
}

// vifIn checks one saved VIF against the region's connections and LAGs and the rules of its
// members, and builds it.
func (r *Region) vifIn(sv snapshot.VirtualInterface, ids *loadedIDs) (*VIF, error) {
	where := "virtualInterface " + sv.ID
	fail := func(format string, args ...any) (*VIF, error) {
		return nil, invalidState("%s: %s", where, fmt.Sprintf(format, args...))
	}
	t := vif.Type(sv.Type)
	switch {
	case t != vif.Private && t != vif.Public && t != vif.Transit:
		return fail("type %s is not private, public or transit", sv.Type)
	case !account.IsID(sv.OwnerAccount):
		return fail("ownerAccount %s is not a 12-digit account id", sv.OwnerAccount)
	case !account.IsID(sv.ConnectionOwnerAccount):
		return fail("connectionOwnerAccount %s is not a 12-digit account id", sv.ConnectionOwnerAccount)
	case sv.Allocated == (sv.OwnerAccount == sv.ConnectionOwnerAccount):
		return fail("allocated %v does not fit ownerAccount %s and connectionOwnerAccount %s", sv.Allocated, sv.OwnerAccount, sv.ConnectionOwnerAccount)
	case !slices.Contains(vifStates, sv.State):
		return fail("state %s is not a virtual interface state", sv.State)
	case sv.Resume != "" && !vif.Steady(sv.Resume):
		return fail("resume %s is not available or down", sv.Resume)
	case sv.LinkResume != "" && (sv.State != vif.StateDown && sv.State != vif.StatePending || sv.LinkResume != vif.StateAvailable && sv.LinkResume != vif.StateTesting):
		return fail("linkResume %s does not fit state %s", sv.LinkResume, sv.State)
	case sv.VirtualGatewayID != "" && !gateway.ValidID(sv.VirtualGatewayID):
		return fail("virtualGatewayId %s is not valid", sv.VirtualGatewayID)
	case sv.DirectConnectGatewayID != "" && !dxgw.ValidID(sv.DirectConnectGatewayID):
		return fail("directConnectGatewayId %s is not valid", sv.DirectConnectGatewayID)
	case t == vif.Public && (sv.VirtualGatewayID != "" || sv.DirectConnectGatewayID != ""):
		return fail("a public virtual interface has no gateway")
	case t != vif.Public && len(sv.RouteFilterPrefixes) > 0:
		return fail("routeFilterPrefixes are for public virtual interfaces")
	}
	if err := vif.CheckName(sv.Name); err != nil {
		return fail("%v", err)
	}
	if err := vif.CheckVLAN(sv.VLAN); err != nil {
		return fail("%v", err)
	}
	mtu := int32(sv.MTU)
	if _, err := vif.ResolveMTU(t, &mtu); err != nil {
		return fail("%v", err)
	}
	if len(sv.RouteFilterPrefixes) > 0 {
		canon, err := vif.RouteFilterPrefixes(sv.RouteFilterPrefixes, len(sv.RouteFilterPrefixes))
		if err != nil {
			return fail("%v", err)
		}
		if !slices.Equal(canon, sv.RouteFilterPrefixes) {
			return fail("routeFilterPrefixes are not in their canonical form %v", canon)
		}
	}
	tags := tagsIn(sv.Tags)
	if err := r.checkNewTags(tags); err != nil {
		return fail("%v", err)
	}
	loc, ok := r.store.opts.Catalog.Lookup(r.name, sv.Location)
	if !ok {
		return fail("location %s is not in the catalog in region %s", sv.Location, r.name)
	}
	if err := r.checkVIFParent(sv); err != nil {
		return nil, invalidState("%s: %v", where, err)
	}
	v := &VIF{
		ID: sv.ID, Type: t, Name: sv.Name, Owner: sv.OwnerAccount, ConnOwner: sv.ConnectionOwnerAccount, Allocated: sv.Allocated,
		Region: r.name, ConnectionID: sv.ConnectionID, Location: loc, Device: sv.Device, VLAN: sv.VLAN,
		AmazonSideAsn: sv.AmazonSideAsn, VirtualGatewayID: sv.VirtualGatewayID, DXGatewayID: sv.DirectConnectGatewayID,
		RouteFilterPrefixes: slices.Clone(sv.RouteFilterPrefixes), MTU: sv.MTU, SiteLink: sv.SiteLink, Jumbo: sv.JumboFrameCapable,
		State: sv.State, Tags: tags, since: sv.Since, resume: sv.Resume, linkResume: sv.LinkResume, held: sv.Hold, order: sv.Order,
	}
	if len(sv.RouteFilterPrefixes) == 0 {
		v.RouteFilterPrefixes = nil
	}
	if len(sv.Peers) == 0 {
		return fail("it has no BGP peers")
	}
	families := map[string]bool{}
	for _, sp := range sv.Peers {
		p, err := peerIn(t, sv.State, sp)
		if err != nil {
			return fail("%v", err)
		}
		if err := ids.add(p.ID, 0); err != nil {
			return nil, err
		}
		if p.State != vif.PeerDeleting && p.State != vif.PeerDeleted {
			if families[p.AddressFamily] {
				return fail("it has two live BGP peers of address family %s", p.AddressFamily)
			}
			families[p.AddressFamily] = true
		}
		v.Peers = append(v.Peers, p)
	}
	if len(v.livePeers()) == 0 && vif.Live(v.State) {
		return fail("a live virtual interface needs a live BGP peer")
	}
	return v, nil
}

var peerIDForm = regexp.MustCompile(`^dxpeer-[A-Za-z0-9]{8,21}$`)

// checkVIFParent checks the connection, LAG or hosted connection a saved VIF names: a live
// VIF's must be there, owned by its connection owner, able to carry VIFs, on the VIF's location
// and device (a hosted connection's VLAN is the VIF's). A deleted VIF's may be gone.
func (r *Region) checkVIFParent(sv snapshot.VirtualInterface) error {
	var owner, loc, device string
	switch c, l := r.conns[sv.ConnectionID], r.lags[sv.ConnectionID]; {
	case c != nil:
		switch {
		case c.Kind == Interconnect:
			return fmt.Errorf("connection %s is an interconnect", c.ID)
		case c.Kind == Dedicated && c.LagID != "":
			return fmt.Errorf("connection %s is a member of LAG %s", c.ID, c.LagID)
		case c.Kind == Hosted && vif.Live(sv.State) && c.VLAN != sv.VLAN:
			return fmt.Errorf("vlan %d is not VLAN %d of hosted connection %s", sv.VLAN, c.VLAN, c.ID)
		}
		owner, loc, device = c.Owner, c.Location.Code, c.Device
	case l != nil:
		if l.AllowsHostedConnections {
			return fmt.Errorf("LAG %s is a LAG of interconnects", l.ID)
		}
		owner, loc, device = l.Owner, l.Location.Code, l.Device
	case vif.Live(sv.State):
		return fmt.Errorf("connection %s does not exist", sv.ConnectionID)
	default:
		return nil
	}
	switch {
	case owner != sv.ConnectionOwnerAccount:
		return fmt.Errorf("connection %s is owned by %s, not %s", sv.ConnectionID, owner, sv.ConnectionOwnerAccount)
	case loc != sv.Location || device != sv.Device:
		return fmt.Errorf("location %s and device %s are not those of connection %s (%s, %s)", sv.Location, sv.Device, sv.ConnectionID, loc, device)
	}
	return nil
}

// peerIn checks one saved peer of a VIF of type t in vifState and builds it.
func peerIn(t vif.Type, vifState string, sp snapshot.BGPPeer) (Peer, error) {
	where := "BGP peer " + sp.ID
	fail := func(format string, args ...any) (Peer, error) {
		return Peer{}, fmt.Errorf("%s: %s", where, fmt.Sprintf(format, args...))
	}
	if !peerIDForm.MatchString(sp.ID) {
		return fail("id %s is not a BGP peer id", sp.ID)
	}
	if !slices.Contains(peerStates, sp.State) {
		return fail("state %s is not a BGP peer state", sp.State)
	}
	if (sp.State == vif.PeerDeleted) == vif.Live(vifState) {
		return fail("state %s does not fit its virtual interface's state %s", sp.State, vifState)
	}
	family := sp.AddressFamily
	if _, err := vif.AddressFamily(&family); err != nil {
		return fail("%v", err)
	}
	asn := sp.ASN
	if _, err := vif.ResolveASN(nil, &asn); err != nil {
		return fail("%v", err)
	}
	if err := vif.CheckAuthKey(sp.AuthKey); err != nil {
		return fail("%v", err)
	}
	p := Peer{ID: sp.ID, ASN: sp.ASN, AuthKey: sp.AuthKey, AddressFamily: family, AmazonAddress: sp.AmazonAddress,
		CustomerAddress: sp.CustomerAddress, State: sp.State, since: sp.Since, bgpDown: sp.BGPDown}
	if family == vif.IPv4 {
		pair, err := vif.ParsePair(sp.AmazonAddress, sp.CustomerAddress)
		if err != nil {
			return fail("%v", err)
		}
		if pair.Amazon.String() != sp.AmazonAddress || pair.Customer.String() != sp.CustomerAddress {
			return fail("addresses %s and %s are not in their canonical form", sp.AmazonAddress, sp.CustomerAddress)
		}
		p.net = pair.Net()
		return p, nil
	}
	n, ok := v6Index(sp.AmazonAddress)
	pair, _ := vif.V6Block(vif.DefaultIPv6Pool, n)
	if !ok || pair.Customer.String() != sp.CustomerAddress {
		return fail("IPv6 addresses %s and %s are not a block of the pool %s", sp.AmazonAddress, sp.CustomerAddress, vif.DefaultIPv6Pool)
	}
	p.net = pair.Net()
	return p, nil
}

// checkVIFSlots refuses two VIFs holding one VLAN of a parent, overlapping IPv4 peers of VIFs
// on one parent, and the same IPv6 block twice. Overlaps are found by sorting each parent's
// subnets (one pass, not every pair: a parent may have 50 VIFs, a region thousands).
func (r *Region) checkVIFSlots() error {
	type subnet struct {
		first, last uint32
		v           *VIF
		p           *Peer
	}
	v6 := map[string]string{}
	for parent, list := range r.vifs.onParent {
		vlans := map[int]string{}
		var nets []subnet
		for v := range list.all() {
			if !holdsVLAN(v) {
				continue
			}
			if other, dup := vlans[v.VLAN]; dup {
				return invalidState("virtualInterface %s: VLAN %d of %s is held by %s too", v.ID, v.VLAN, parent, other)
			}
			vlans[v.VLAN] = v.ID
			for i := range v.Peers {
				p := &v.Peers[i]
				if p.State == vif.PeerDeleting || p.State == vif.PeerDeleted {
					continue
				}
				if p.AddressFamily == vif.IPv6 {
					if other, dup := v6[p.AmazonAddress]; dup {
						return invalidState("virtualInterface %s: IPv6 address %s is held by %s too", v.ID, p.AmazonAddress, other)
					}
					v6[p.AmazonAddress] = v.ID
					continue
				}
				a := p.net.Masked().Addr().As4()
				first := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
				nets = append(nets, subnet{first, first + (1<<(32-p.net.Bits()) - 1), v, p})
			}
		}
		slices.SortFunc(nets, func(x, y subnet) int { return cmp.Compare(x.first, y.first) })
		for i := 1; i < len(nets); i++ {
			// nets[i-1] holds the subnet with the largest end so far (carried on below): a
			// subnet overlaps an earlier one exactly when it starts at or before that end.
			if widest := nets[i-1]; nets[i].first <= widest.last {
				a, b := nets[i], widest
				return invalidState("virtualInterface %s: address %s overlaps %s of virtual interface %s on %s", a.v.ID, a.p.CustomerAddress, b.p.CustomerAddress, b.v.ID, parent)
			}
			if nets[i].last < nets[i-1].last {
				nets[i] = subnet{nets[i].first, nets[i-1].last, nets[i-1].v, nets[i-1].p} // carry the widest on
			}
		}
	}
	return nil
}

// testIn checks a saved failover test and adds it to its owner's history; a test in progress
// is its VIF's running test (one per VIF, on a live VIF of that owner).
func (r *Region) testIn(st snapshot.FailoverTest) error {
	where := "failoverTest " + st.ID
	switch {
	case !uuidForm.MatchString(st.ID):
		return invalidState("failoverTests: testId %s is not a test id", st.ID)
	case !account.IsID(st.OwnerAccount):
		return invalidState("%s: ownerAccount %s is not a 12-digit account id", where, st.OwnerAccount)
	case !vifIDForm.MatchString(st.VirtualInterfaceID):
		return invalidState("%s: virtualInterfaceId %s is not a virtual interface id", where, st.VirtualInterfaceID)
	case !slices.Contains(testStates, st.Status):
		return invalidState("%s: status %s is not in_progress, completed or cancelled", where, st.Status)
	case st.TestDurationInMinutes < MinTestMinutes || st.TestDurationInMinutes > MaxTestMinutes:
		return invalidState("%s: testDurationInMinutes %d is not between %d and %d", where, st.TestDurationInMinutes, MinTestMinutes, MaxTestMinutes)
	case st.EndTime.IsZero() != (st.Status == TestInProgress):
		return invalidState("%s: a test has an endTime exactly when it is not in_progress", where)
	}
	t := &FailoverTest{ID: st.ID, VIFID: st.VirtualInterfaceID, Peers: slices.Clone(st.Peers), Status: st.Status, Owner: st.OwnerAccount,
		Duration: st.TestDurationInMinutes, Start: st.StartTime, End: st.EndTime, endsAt: st.EndsAt}
	if t.Status == TestInProgress {
		v, ok := r.vifs.byID[t.VIFID]
		switch {
		case !ok || !vif.Live(v.State) || v.Owner != t.Owner:
			return invalidState("%s: it is in progress on %s, which is not a live virtual interface of %s", where, t.VIFID, t.Owner)
		case v.test != nil:
			return invalidState("%s: virtual interface %s runs test %s already", where, t.VIFID, v.test.ID)
		}
		v.test = t
	}
	if slices.ContainsFunc(r.vifs.tests[t.Owner], func(o *FailoverTest) bool { return o.ID == t.ID }) {
		return invalidState("%s: it appears twice", where)
	}
	r.vifs.tests[t.Owner] = append(r.vifs.tests[t.Owner], t)
	return nil
}

// checkAttachmentsMatchVIFs checks that the gateway book and the VIFs of a state agree: every
// live attachment names a VIF of its region that is attached to that gateway with that owner,
// and every VIF that holds its VLAN and names a Direct Connect gateway has a live attachment to it.
func checkAttachmentsMatchVIFs(st *snapshot.State, regions map[string]*Region) error {
	live := map[string]string{} // VIF id -> gateway of its live attachment
	for _, sa := range st.GatewayAttachments {
		if !dxgw.LiveAttachment(sa.State) {
			continue
		}
		where := "gatewayAttachment of " + sa.VirtualInterfaceID
		if _, dup := live[sa.VirtualInterfaceID]; dup {
			return invalidState("%s: the virtual interface has two live attachments", where)
		}
		live[sa.VirtualInterfaceID] = sa.DirectConnectGatewayID
		var v *VIF
		if r := regions[sa.Region]; r != nil {
			v = r.vifs.byID[sa.VirtualInterfaceID]
		}
		switch {
		case v == nil:
			return invalidState("%s: virtual interface %s does not exist in region %s", where, sa.VirtualInterfaceID, sa.Region)
		case v.DXGatewayID != sa.DirectConnectGatewayID || !holdsVLAN(v):
			return invalidState("%s: virtual interface %s is %s and attached to %q, not to %s", where, v.ID, v.State, v.DXGatewayID, sa.DirectConnectGatewayID)
		case v.Owner != sa.OwnerAccount:
			return invalidState("%s: virtual interface %s is owned by %s, not %s", where, v.ID, v.Owner, sa.OwnerAccount)
		}
	}
	for _, r := range regions {
		for _, v := range r.vifs.byID {
			if v.DXGatewayID != "" && holdsVLAN(v) && live[v.ID] != v.DXGatewayID {
				return invalidState("virtualInterface %s: it is attached to Direct Connect gateway %s, which has no live attachment of it", v.ID, v.DXGatewayID)
			}
		}
	}
	return nil
}
