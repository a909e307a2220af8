package store

import (
	"errors"
	"net/netip"
	"regexp"
	"strings"
	"time"

	"github.com/dxlocal/dxlocal/internal/account"
	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/gateway"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/tag"
	"github.com/dxlocal/dxlocal/internal/vif"
)

// NewVIF is a Create*VirtualInterface or Allocate*VirtualInterface request; absent members
// are nil.
type NewVIF struct {
	Type         vif.Type
	ConnectionID string
	// Allocate is set by Allocate*: the VIF is for OwnerAccount, who confirms it.
	Allocate     bool
	OwnerAccount string
	Name         *string
	VLAN         *int32
	ASN          *int32
	ASNLong      *int64
	MTU          *int32
	AuthKey      *string
	// AmazonAddress and CustomerAddress are given together or not at all.
	AmazonAddress   *string
	CustomerAddress *string
	AddressFamily   *string
	// VirtualGatewayID and DXGatewayID are the gateway of a Create* (Allocate* has none).
	VirtualGatewayID    *string
	DXGatewayID         *string
	RouteFilterPrefixes []string
	SiteLink            *bool
	Tags                []tag.Tag
}

// vifParent is the connection, LAG or hosted connection a VIF is on.
type vifParent struct {
	id     string
	owner  string
	hosted *Connection
	loc    *location.Location
	device string
	state  string
	jumbo  bool
}

// vifParentOf finds the caller's connection, LAG or hosted connection that can carry VIFs.
func (r *Region) vifParentOf(c Caller, id string, now time.Time) (vifParent, error) {
	if err := checkConnectionID(id); err != nil {
		return vifParent{}, err
	}
	if conn, ok := r.conns[id]; ok && conn.Owner == c.Account {
		switch {
		case conn.Kind == Interconnect:
			return vifParent{}, dxerr.New(dxerr.Invalid, "Connection %s is an interconnect; virtual interfaces go on its hosted connections.", id)
		case conn.LagID != "" && conn.Kind == Dedicated:
			return vifParent{}, dxerr.New(dxerr.Invalid, "Connection %s is a member of Lag %s; create virtual interfaces on the LAG.", id, conn.LagID)
		}
		p := vifParent{id: id, owner: conn.Owner, loc: conn.Location, device: conn.Device, state: conn.State, jumbo: conn.JumboFrameCapable()}
		if conn.Kind == Hosted {
			p.hosted = conn
		}
		return p, nil
	}
	if l, ok := r.lags[id]; ok && l.Owner == c.Account {
		if l.AllowsHostedConnections {
			return vifParent{}, dxerr.New(dxerr.Invalid, "Lag %s is a LAG of interconnects; virtual interfaces go on its hosted connections.", id)
		}
		v := r.view(l, now)
		return vifParent{id: id, owner: l.Owner, loc: l.Location, device: l.Device, state: v.State, jumbo: v.JumboFrameCapable()}, nil
	}
	return vifParent{}, connNotFound(id)
}

// usable refuses a parent that is not up (available or down).
func (p vifParent) usable() error {
	if p.state != StateAvailable && p.state != StateDown {
		return dxerr.New(dxerr.Conflict, "The specified Connection ID is not available: %s is in state %s.", p.id, p.state)
	}
	return nil
}

// vifSlot is what a VIF takes on a parent: a VLAN and a share of its quota.
type vifSlot struct {
	typ  vif.Type
	vlan int
}

// checkVIFRoom refuses slots whose VLAN is in use on the parent, or that would take it beyond
// its VIF quotas. skip does not count (the VIF being moved).
func (r *Region) checkVIFRoom(p vifParent, add []vifSlot, skip *VIF) error {
	q := r.store.Quotas()
	all, transit := 0, 0
	used := map[int]bool{}
	for _, v := range r.vifsHolding(p.id) {
		if v == skip {
			continue
		}
		used[v.VLAN] = true
		all++
		if v.Type == vif.Transit {
			transit++
		}
	}
	for _, s := range add {
		if used[s.vlan] {
			return dxerr.New(dxerr.Conflict, "VLAN %d is already in use on %s.", s.vlan, p.id)
		}
		used[s.vlan] = true
		all++
		if s.typ == vif.Transit {
			transit++
		}
	}
	switch {
	case p.hosted != nil && all > q.VifsPerHostedConnection:
		return dxerr.New(dxerr.Limit, "Connection %s has reached its limit of %d virtual interfaces.", p.id, q.VifsPerHostedConnection)
	case p.hosted != nil:
		return nil
	case transit > q.TransitVifsPerConnection:
		return dxerr.New(dxerr.Limit, "Connection %s has reached its limit of %d transit virtual interfaces.", p.id, q.TransitVifsPerConnection)
	case all-transit > q.VifsPerConnection:
		return dxerr.New(dxerr.Limit, "Connection %s has reached its limit of %d private and public virtual interfaces.", p.id, q.VifsPerConnection)
	case all > q.VifsPerConnection+1:
		// AWS allows 51 VIFs of all types together with 50 private and public ones.
		return dxerr.New(dxerr.Limit, "Connection %s has reached its limit of %d virtual interfaces.", p.id, q.VifsPerConnection+1)
	}
	return nil
}

// newPeer is a checked peer request: its family, ASN, key (empty: generate) and the
// addresses given (nil: assign).
type newPeer struct {
	family  string
	asn     int64
	authKey string
	given   *vif.Pair
}

// checkPeer applies the rules of a peer's members that do not depend on stored state.
func checkPeer(t vif.Type, asn *int32, asnLong *int64, af, authKey, amazon, customer *string) (newPeer, error) {
	family, err := vif.AddressFamily(af)
	if err != nil {
		return newPeer{}, err
	}
	n := newPeer{family: family}
	if n.asn, err = vif.ResolveASN(asn, asnLong); err != nil {
		return newPeer{}, err
	}
	if authKey != nil {
		if err := vif.CheckAuthKey(*authKey); err != nil {
			return newPeer{}, err
		}
		n.authKey = *authKey
	}
	hasA, hasC := amazon != nil && *amazon != "", customer != nil && *customer != ""
	switch {
	case family == vif.IPv6 && (hasA || hasC):
		return newPeer{}, dxerr.New(dxerr.Invalid, "Custom IPv6 addresses are not supported.")
	case family == vif.IPv6:
	case hasA != hasC:
		return newPeer{}, dxerr.New(dxerr.Invalid, "amazonAddress and customerAddress must be given together or not at all.")
	case !hasA && t == vif.Public:
		return newPeer{}, dxerr.New(dxerr.Invalid, "amazonAddress and customerAddress are required for an IPv4 public virtual interface: give public addresses you own.")
	case hasA:
		pair, err := vif.ParsePair(*amazon, *customer)
		if err != nil {
			return newPeer{}, err
		}
		n.given = &pair
	}
	return n, nil
}

// peerAddresses are the addresses a new peer gets; v6 tells that a block of the IPv6 pool is
// used (the book's counter moves on when the peer is stored).
type peerAddresses struct {
	pair vif.Pair
	v6   bool
}

// assignAddresses checks given IPv4 addresses against the live peers on the parent, or picks
// free ones: a /30 that no live peer on the device overlaps, or the next IPv6 block.
func (r *Region) assignAddresses(n newPeer, parentID, device string) (peerAddresses, error) {
	if n.given != nil {
		if v, p := r.peerClash(r.vifsHolding(parentID), n.given.Net(), nil); v != nil {
			return peerAddresses{}, dxerr.New(dxerr.Conflict, "Address %s overlaps %s of BGP peer %s on virtual interface %s.", n.given.Customer, p.CustomerAddress, p.ID, v.ID)
		}
		return peerAddresses{pair: *n.given}, nil
	}
	if n.family == vif.IPv6 {
		pair, ok := vif.V6Block(vif.DefaultIPv6Pool, r.vifs.v6Next)
		if !ok {
			return peerAddresses{}, dxerr.New(dxerr.Limit, "The IPv6 peer address pool %s is used up.", vif.DefaultIPv6Pool)
		}
		return peerAddresses{pair: pair, v6: true}, nil
	}
	var used []netip.Prefix
	for v := range r.vifs.onDevice.get(device).all() {
		if !holdsVLAN(v) {
			continue
		}
		for _, p := range v.livePeers() {
			if p.AddressFamily == vif.IPv4 {
				used = append(used, p.net)
			}
		}
	}
	pair, ok := vif.AllocV4(used)
	if !ok {
		return peerAddresses{}, dxerr.New(dxerr.Limit, "No peer addresses are left in %s on device %s.", vif.LinkLocal, device)
	}
	return peerAddresses{pair: pair}, nil
}

// peerClash finds a live IPv4 peer among vifs (skip aside) whose subnet overlaps net.
func (r *Region) peerClash(vifs []*VIF, net netip.Prefix, skip *VIF) (*VIF, *Peer) {
	for _, v := range vifs {
		if v == skip {
			continue
		}
		for _, p := range v.livePeers() {
			if p.AddressFamily == vif.IPv4 && p.net.Overlaps(net) {
				return v, p
			}
		}
	}
	return nil, nil
}

// makePeer builds a stored peer from a checked request and its addresses, taking its id and,
// when none was given, its auth key from the store's id source.
func (r *Region) makePeer(t vif.Type, n newPeer, a peerAddresses, now time.Time) Peer {
	p := Peer{
		ID:              r.store.opts.IDs.New("dxpeer"),
		ASN:             n.asn,
		AuthKey:         n.authKey,
		AddressFamily:   n.family,
		AmazonAddress:   a.pair.Amazon.String(),
		CustomerAddress: a.pair.Customer.String(),
		State:           vif.PeerEntry(t),
		net:             a.pair.Net(),
		since:           now,
	}
	if p.AuthKey == "" {
		p.AuthKey = "0x" + r.store.opts.IDs.Token(22)
	}
	if a.v6 {
		r.vifs.v6Next++
	}
	return p
}

// gatewayChoice is the gateway a private or transit VIF binds to, as checked.
type gatewayChoice struct {
	vgw  string
	dxgw string
	asn  int64
	kind AttachmentKind
	// register is a VGW to auto-register when the call succeeds.
	register *gateway.Record
}

var (
	uuidForm = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	dxgwARN  = regexp.MustCompile(`^arn:aws:directconnect::\d{12}:dx-gateway/(.+)$`)
)

// dxGatewayID accepts a Direct Connect gateway id or its ARN and answers the id.
func dxGatewayID(v string) (string, error) {
	if m := dxgwARN.FindStringSubmatch(v); m != nil {
		v = m[1]
	}
	if !uuidForm.MatchString(v) {
		return "", dxerr.New(dxerr.Invalid, "directConnectGatewayId %s is not valid.", v)
	}
	return strings.ToLower(v), nil
}

func given(p *string) bool { return p != nil && *p != "" }

// checkGatewayForms applies the per-type gateway rules of a create or confirm that need no
// lookup: a private VIF names exactly one gateway, a transit VIF a Direct Connect gateway.
func checkGatewayForms(t vif.Type, vgwID, dxgwID *string) error {
	switch t {
	case vif.Private:
		if given(vgwID) == given(dxgwID) {
			return dxerr.New(dxerr.Invalid, "Exactly one of virtualGatewayId and directConnectGatewayId is required for a private virtual interface.")
		}
		if given(vgwID) && (!gateway.ValidID(*vgwID) || !strings.HasPrefix(*vgwID, "vgw-")) {
			return dxerr.New(dxerr.Invalid, "virtualGatewayId %s is not valid.", *vgwID)
		}
	case vif.Transit:
		if !given(dxgwID) {
			return dxerr.New(dxerr.Invalid, "directConnectGatewayId is required for a transit virtual interface.")
		}
	}
	if given(dxgwID) {
		if _, err := dxGatewayID(*dxgwID); err != nil {
			return err
		}
	}
	return nil
}

// resolveGateway looks the gateway of a private or transit VIF of owner up: a VGW in this
// region of owner's (or one to register for owner), or owner's Direct Connect gateway with room
// for the attachment. The gateway book is locked when dxgwID is given.
func (r *Region) resolveGateway(owner string, t vif.Type, vgwID, dxgwID *string) (gatewayChoice, error) {
	if t == vif.Public {
		return gatewayChoice{asn: vif.PublicAmazonASN}, nil
	}
	if given(dxgwID) {
		id, _ := dxGatewayID(*dxgwID)
		kind := AttachPrivate
		if t == vif.Transit {
			kind = AttachTransit
		}
		ref, err := r.store.checkAttach(id, owner, kind)
		if err != nil {
			return gatewayChoice{}, err
		}
		return gatewayChoice{dxgw: ref.ID, asn: ref.AmazonSideAsn, kind: kind}, nil
	}
	id := *vgwID
	rec, ok := r.store.gateways.Lookup(id)
	if ok {
		if err := r.checkVGW(rec, owner); err != nil {
			return gatewayChoice{}, err
		}
		return gatewayChoice{vgw: id, asn: *rec.ASN}, nil
	}
	rec, err := gateway.Normalize(gateway.Record{ID: id, OwnerAccount: owner, Region: r.name}, owner, r.name)
	if err != nil {
		return gatewayChoice{}, dxerr.New(dxerr.Invalid, "virtualGatewayId %s is not valid.", id)
	}
	return gatewayChoice{vgw: id, asn: *rec.ASN, register: &rec}, nil
}

// checkVGW refuses a registered gateway that is not a VGW of owner's in this region.
func (r *Region) checkVGW(rec gateway.Record, owner string) error {
	if rec.Type() != gateway.VirtualPrivateGateway || rec.OwnerAccount != owner || rec.Region != r.name {
		return dxerr.New(dxerr.NotFound, "The VirtualGateway %s does not exist.", rec.ID)
	}
	return nil
}

// registryFull refuses a call that would auto-register a gateway into a full registry.
func registryFull(id string) error {
	return dxerr.New(dxerr.Limit, "Gateway %s cannot be registered: dxlocal holds at most %d EC2 gateways.", id, gateway.MaxRecords)
}

// registerGateway auto-registers the VGW a succeeding call binds to. Another region may have
// registered the id meanwhile; then the record found must still fit, or the call is refused.
func (r *Region) registerGateway(g gatewayChoice, owner string) error {
	if g.register == nil {
		return nil
	}
	err := r.store.gateways.Register(*g.register)
	if errors.Is(err, gateway.ErrFull) {
		return registryFull(g.vgw)
	}
	if err == nil || !errors.Is(err, gateway.ErrExists) {
		return err
	}
	rec, ok := r.store.gateways.Lookup(g.vgw)
	if !ok { // a reset came between
		return dxerr.New(dxerr.NotFound, "The VirtualGateway %s does not exist.", g.vgw)
	}
	return r.checkVGW(rec, owner)
}

// checkSiteLink refuses SiteLink where AWS does not offer it: public VIFs and private VIFs
// on a virtual private gateway.
func checkSiteLink(t vif.Type, on bool, g gatewayChoice) error {
	if on && (t == vif.Public || g.vgw != "") {
		what := "public virtual interfaces"
		if t == vif.Private {
			what = "private virtual interfaces attached to a virtual private gateway"
		}
		return dxerr.New(dxerr.Invalid, "enableSiteLink is not supported on %s.", what)
	}
	return nil
}

// CreateVIF creates a VIF on the caller's connection, LAG or hosted connection, for the caller
// (Create*) or for another account to confirm (Allocate*). It checks every rule before it takes
// a VLAN, addresses or an id, so a refused call changes nothing.
func (r *Region) CreateVIF(c Caller, spec NewVIF) (VIFView, error) {
	var bookNow time.Time
	if given(spec.DXGatewayID) {
		bookNow = r.store.lockGateways()
		defer r.store.unlockGateways()
	}
	now := r.lock()
	defer r.unlock()
	v, g, err := r.checkNewVIF(c, spec, now)
	if err != nil {
		return VIFView{}, err
	}
	r.storeVIF(v, g, now, bookNow)
	return v.view(c.Account), nil
}

// checkNewVIF applies every rule of a create and builds the VIF; it stores nothing but the
// auto-registered gateway, the last check.
func (r *Region) checkNewVIF(c Caller, spec NewVIF, now time.Time) (*VIF, gatewayChoice, error) {
	fail := func(err error) (*VIF, gatewayChoice, error) { return nil, gatewayChoice{}, err }
	owner := c.Account
	if spec.Allocate {
		if !account.IsID(spec.OwnerAccount) {
			return fail(dxerr.New(dxerr.Invalid, "ownerAccount %s is not a valid account id.", spec.OwnerAccount))
		}
		if spec.OwnerAccount == c.Account {
			return fail(dxerr.New(dxerr.Invalid, "Cannot allocate VirtualInterface for the connection owner."))
		}
		owner = spec.OwnerAccount
	}
	if spec.Name == nil {
		return fail(dxerr.New(dxerr.Invalid, "virtualInterfaceName is required."))
	}
	if err := vif.CheckName(*spec.Name); err != nil {
		return fail(err)
	}
	if spec.VLAN == nil {
		return fail(dxerr.New(dxerr.Invalid, "vlan is required."))
	}
	vlan := int(*spec.VLAN)
	if err := vif.CheckVLAN(vlan); err != nil {
		return fail(err)
	}
	np, err := checkPeer(spec.Type, spec.ASN, spec.ASNLong, spec.AddressFamily, spec.AuthKey, spec.AmazonAddress, spec.CustomerAddress)
	if err != nil {
		return fail(err)
	}
	mtu, err := vif.ResolveMTU(spec.Type, spec.MTU)
	if err != nil {
		return fail(err)
	}
	if err := r.checkNewTags(spec.Tags); err != nil {
		return fail(err)
	}
	var prefixes []string
	if spec.Type == vif.Public {
		if prefixes, err = vif.RouteFilterPrefixes(spec.RouteFilterPrefixes, r.store.Quotas().RouteFilterPrefixes); err != nil {
			return fail(err)
		}
	}
	if !spec.Allocate {
		if err := checkGatewayForms(spec.Type, spec.VirtualGatewayID, spec.DXGatewayID); err != nil {
			return fail(err)
		}
	}
	p, err := r.vifParentOf(c, spec.ConnectionID, now)
	if err != nil {
		return fail(err)
	}
	if spec.Allocate && p.hosted != nil {
		return fail(dxerr.New(dxerr.Invalid, "Virtual interfaces cannot be allocated on hosted connection %s.", p.id))
	}
	if err := p.usable(); err != nil {
		return fail(err)
	}
	if p.hosted != nil && vlan != p.hosted.VLAN {
		return fail(dxerr.New(dxerr.Invalid, "vlan %d does not match VLAN %d of hosted connection %s.", vlan, p.hosted.VLAN, p.id))
	}
	if vif.Jumbo(mtu) && !p.jumbo {
		return fail(dxerr.New(dxerr.Invalid, "Connection %s is not jumbo frame capable.", p.id))
	}
	if err := r.checkVIFRoom(p, []vifSlot{{spec.Type, vlan}}, nil); err != nil {
		return fail(err)
	}
	g := gatewayChoice{asn: vif.PublicAmazonASN}
	if !spec.Allocate {
		if g, err = r.resolveGateway(owner, spec.Type, spec.VirtualGatewayID, spec.DXGatewayID); err != nil {
			return fail(err)
		}
	}
	if err := checkSiteLink(spec.Type, spec.SiteLink != nil && *spec.SiteLink, g); err != nil {
		return fail(err)
	}
	addrs, err := r.assignAddresses(np, p.id, p.device)
	if err != nil {
		return fail(err)
	}
	if err := r.registerGateway(g, owner); err != nil {
		return fail(err)
	}
	// Every rule holds: from here on nothing can fail.
	v := &VIF{
		ID:                  r.store.opts.IDs.New("dxvif"),
		Type:                spec.Type,
		Name:                *spec.Name,
		Owner:               owner,
		ConnOwner:           c.Account,
		Allocated:           spec.Allocate,
		Region:              r.name,
		ConnectionID:        p.id,
		Location:            p.loc,
		Device:              p.device,
		VLAN:                vlan,
		AmazonSideAsn:       g.asn,
		VirtualGatewayID:    g.vgw,
		DXGatewayID:         g.dxgw,
		RouteFilterPrefixes: prefixes,
		MTU:                 mtu,
		SiteLink:            spec.SiteLink != nil && *spec.SiteLink,
		Jumbo:               p.jumbo,
		State:               vif.Entry(spec.Type, spec.Allocate),
		Tags:                spec.Tags,
		since:               now,
	}
	v.Peers = []Peer{r.makePeer(spec.Type, np, addrs, now)}
	return v, g, nil
}

// storeVIF puts a checked new VIF in the book, attaches it to its Direct Connect gateway and
// reports its first state.
func (r *Region) storeVIF(v *VIF, g gatewayChoice, now, bookNow time.Time) {
	v.refresh()
	v.order = r.store.created.Add(1)
	r.addVIF(v)
	if g.dxgw != "" {
		r.store.attach(g.dxgw, Attachment{VirtualInterfaceID: v.ID, Region: r.name, Owner: v.Owner, Kind: g.kind}, bookNow)
	}
	entry := v.State
	v.State = ""
	r.setVIFState(v, entry, now, CauseCall)
	r.scheduleVIF(v)
}

// ConfirmVIF is the invited account accepting an allocated VIF of type t, choosing its gateway
// (private: a VGW or a Direct Connect gateway; transit: a Direct Connect gateway).
func (r *Region) ConfirmVIF(c Caller, t vif.Type, id string, vgwID, dxgwID *string) (string, error) {
	var bookNow time.Time
	if given(dxgwID) {
		bookNow = r.store.lockGateways()
		defer r.store.unlockGateways()
	}
	now := r.lock()
	defer r.unlock()
	if err := checkVIFID(id); err != nil {
		return "", err
	}
	if err := checkGatewayForms(t, vgwID, dxgwID); err != nil {
		return "", err
	}
	v, err := r.ownVIF(c, id)
	if err != nil {
		return "", err
	}
	if v.Type != t {
		return "", dxerr.New(dxerr.Invalid, "Virtual interface %s is a %s virtual interface, not a %s one.", id, v.Type, t)
	}
	if v.State != vif.StateConfirming {
		return "", inState("Virtual interface", id, v.State)
	}
	g, err := r.resolveGateway(v.Owner, t, vgwID, dxgwID)
	if err != nil {
		return "", err
	}
	if err := r.registerGateway(g, v.Owner); err != nil {
		return "", err
	}
	v.VirtualGatewayID, v.DXGatewayID, v.AmazonSideAsn = g.vgw, g.dxgw, g.asn
	for i := range v.Peers {
		v.Peers[i].since = now
	}
	v.refresh()
	r.setVIFState(v, vif.Confirmed(t), now, CauseCall)
	if g.dxgw != "" {
		r.store.attach(g.dxgw, Attachment{VirtualInterfaceID: v.ID, Region: r.name, Owner: v.Owner, Kind: g.kind}, bookNow)
	}
	r.scheduleVIF(v)
	return v.State, nil
}
