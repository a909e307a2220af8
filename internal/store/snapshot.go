package store

import (
	"cmp"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/dxlocal/dxlocal/internal/account"
	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/gateway"
	"github.com/dxlocal/dxlocal/internal/id"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/snapshot"
	"github.com/dxlocal/dxlocal/internal/tag"
)

// settableClock is a clock that a restored state can set (the manual clock; the admin API's clock).
type settableClock interface{ Set(time.Time) }

// Snapshot returns the whole state: every resource of every account and region with the ports,
// VLANs and bandwidth they hold, the gateway registry, partner settings, agreements, quotas, the
// clock and the id sequence. It is taken with every lock held, so it is one moment's state.
func (s *Store) Snapshot() *snapshot.State {
	for _, g := range globalFamilies {
		g.lock(s)
		defer g.unlock(s)
	}
	now := s.opts.Clock.Now()
	regions := s.lockRegions()
	defer func() {
		for _, r := range regions {
			r.mu.Unlock()
		}
	}()
	for _, r := range regions {
		r.settle(now)
	}
	st := &snapshot.State{
		Format:     snapshot.Format,
		Clock:      now,
		IDs:        snapshot.IDs{RNG: s.opts.IDs.State()},
		Sequence:   s.created.Load(),
		Quotas:     quotasOut(s.Quotas()),
		Partners:   []snapshot.Partner{},
		Agreements: []snapshot.Agreement{},
		Gateways:   []snapshot.Gateway{},
		Regions:    []snapshot.Region{},
	}
	for _, g := range globalFamilies {
		g.save(s, st)
	}
	for _, r := range regions {
		out := snapshot.Region{Name: r.name}
		for _, fam := range regionalFamilies {
			fam.save(r, &out)
		}
		// A region with nothing in it (one that was only read) is left out.
		if !reflect.DeepEqual(out, snapshot.Region{Name: r.name}) {
			st.Regions = append(st.Regions, out)
		}
	}
	s.mu.Lock()
	for _, p := range s.partners {
		st.Partners = append(st.Partners, snapshot.Partner{Account: p.Account, NNIPartnerType: p.NNIType, PartnerName: p.Name})
	}
	for acct, names := range s.agreements {
		st.Agreements = append(st.Agreements, snapshot.Agreement{Account: acct, Names: slices.Clone(names)})
	}
	s.mu.Unlock()
	slices.SortFunc(st.Partners, func(a, b snapshot.Partner) int { return strings.Compare(a.Account, b.Account) })
	slices.SortFunc(st.Agreements, func(a, b snapshot.Agreement) int { return strings.Compare(a.Account, b.Account) })
	for _, g := range s.gateways.List() {
		st.Gateways = append(st.Gateways, snapshot.Gateway{GatewayID: g.ID, OwnerAccount: g.OwnerAccount, Region: g.Region, AmazonSideAsn: g.ASN, VpcCidrs: g.VPCCIDRs})
	}
	return st
}

// Restore replaces the whole state with st, or refuses it with an Invalid error that names the
// first problem (a location, device or port speed the catalog lacks, a port held twice, a
// reference to a resource that is not there, ...) and changes nothing. Everything is checked
// and built aside first; the swap then happens with every lock held.
func (s *Store) Restore(st *snapshot.State) error {
	if st.Format != snapshot.Format {
		return invalidState("format %d is not supported: want %d", st.Format, snapshot.Format)
	}
	if err := id.CheckState(st.IDs.RNG); err != nil {
		return invalidState("ids: %v", err)
	}
	quotas, err := quotasIn(st.Quotas)
	if err != nil {
		return err
	}
	partners := map[string]Partner{}
	for _, p := range st.Partners {
		if !account.IsID(p.Account) {
			return invalidState("partner account %s is not a 12-digit account id", p.Account)
		}
		if p.NNIPartnerType != "" && p.NNIPartnerType != NNIPartnerV1 && p.NNIPartnerType != NNIPartnerV2 {
			return invalidState("partner %s: nniPartnerType %s is not v1 or v2", p.Account, p.NNIPartnerType)
		}
		if _, dup := partners[p.Account]; dup {
			return invalidState("partner %s appears twice", p.Account)
		}
		partners[p.Account] = Partner{Account: p.Account, NNIType: p.NNIPartnerType, Name: p.PartnerName}
	}
	agreements := map[string][]string{}
	for _, a := range st.Agreements {
		if !account.IsID(a.Account) {
			return invalidState("agreements: account %s is not a 12-digit account id", a.Account)
		}
		if _, dup := agreements[a.Account]; dup {
			return invalidState("agreements of %s appear twice", a.Account)
		}
		agreements[a.Account] = slices.Clone(a.Names)
	}
	gateways := make([]gateway.Record, 0, len(st.Gateways))
	seenGW := map[string]bool{}
	for _, g := range st.Gateways {
		rec := gateway.Record{ID: g.GatewayID, OwnerAccount: g.OwnerAccount, Region: g.Region, ASN: g.AmazonSideAsn, VPCCIDRs: g.VpcCidrs}
		if err := gateway.Check(rec); err != nil {
			return invalidState("gateways: %v", err)
		}
		if seenGW[rec.ID] {
			return invalidState("gateways: %s appears twice", rec.ID)
		}
		seenGW[rec.ID] = true
		gateways = append(gateways, rec)
	}
	ids := &loadedIDs{seen: map[string]bool{}}
	var commits []func()
	for _, g := range globalFamilies {
		commit, err := g.prepare(s, st, ids)
		if err != nil {
			return err
		}
		commits = append(commits, commit)
	}
	regions := map[string]*Region{}
	for i := range st.Regions {
		in := &st.Regions[i]
		if in.Name == "" {
			return invalidState("a region has no name")
		}
		if _, dup := regions[in.Name]; dup {
			return invalidState("region %s appears twice", in.Name)
		}
		r := newRegion(s, in.Name)
		for _, fam := range regionalFamilies {
			if err := fam.load(r, in, ids); err != nil {
				return err
			}
		}
		regions[in.Name] = r
	}
	for _, check := range restoreChecks {
		if err := check(st, regions); err != nil {
			return err
		}
	}

	// Everything fits: swap it in with every lock held, in the lock order (global families,
	// then regions, then the store's own).
	for _, g := range globalFamilies {
		g.lock(s)
		defer g.unlock(s)
	}
	for _, r := range s.lockRegions() {
		defer r.mu.Unlock()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, commit := range commits {
		commit()
	}
	s.regions = regions
	s.partners = partners
	s.agreements = agreements
	s.gateways.Replace(gateways)
	s.quotas.store(quotas)
	s.created.Store(max(st.Sequence, ids.maxOrder))
	s.opts.IDs.Restore(st.IDs.RNG, ids.list) // checked above: cannot fail
	if c, ok := s.opts.Clock.(settableClock); ok {
		c.Set(st.Clock)
	}
	return nil
}

// lockRegions locks every region, by name, and returns them. It retries when a restore swapped
// the regions, or a request made a new one, meanwhile, so that it holds every region there is.
func (s *Store) lockRegions() []*Region {
	for {
		regions := s.regionList()
		for _, r := range regions {
			r.mu.Lock()
		}
		s.mu.Lock()
		same := len(s.regions) == len(regions) // a region made meanwhile is not locked
		for _, r := range regions {
			if s.regions[r.name] != r {
				same = false
				break
			}
		}
		s.mu.Unlock()
		if same {
			return regions
		}
		for _, r := range regions {
			r.mu.Unlock()
		}
	}
}

func invalidState(format string, args ...any) error {
	return dxerr.New(dxerr.Invalid, "state: "+format, args...)
}

// loadedIDs collects, while a state loads, every resource id (ids are unique over every family
// and region) and the highest creation order.
type loadedIDs struct {
	seen     map[string]bool
	list     []string
	maxOrder uint64
}

// add records one resource id and its creation order; an id seen before is refused.
func (l *loadedIDs) add(id string, order uint64) error {
	if l.seen[id] {
		return invalidState("id %s appears twice", id)
	}
	l.seen[id] = true
	l.list = append(l.list, id)
	l.maxOrder = max(l.maxOrder, order)
	return nil
}

func quotasOut(q Quotas) snapshot.Quotas {
	return snapshot.Quotas{
		ConnectionsPerLocation: q.ConnectionsPerLocation, LagsPerRegion: q.LagsPerRegion,
		VifsPerConnection: q.VifsPerConnection, TransitVifsPerConnection: q.TransitVifsPerConnection,
		VifsPerHostedConnection: q.VifsPerHostedConnection, GatewaysPerAccount: q.GatewaysPerAccount,
		VgwAssociationsPerGateway: q.VgwAssociationsPerGateway, TgwAssociationsPerGateway: q.TgwAssociationsPerGateway,
		AttachmentsPerGateway: q.AttachmentsPerGateway, GatewaysPerTransitGateway: q.GatewaysPerTransitGateway,
		RouteFilterPrefixes: q.RouteFilterPrefixes, AllowedPrefixesPerAssociation: q.AllowedPrefixesPerAssociation,
		TagsPerResource: q.TagsPerResource,
	}
}

// quotasIn takes the quotas of a state; each must be at least 1.
func quotasIn(in snapshot.Quotas) (Quotas, error) {
	q := Quotas{
		ConnectionsPerLocation: in.ConnectionsPerLocation, LagsPerRegion: in.LagsPerRegion,
		VifsPerConnection: in.VifsPerConnection, TransitVifsPerConnection: in.TransitVifsPerConnection,
		VifsPerHostedConnection: in.VifsPerHostedConnection, GatewaysPerAccount: in.GatewaysPerAccount,
		VgwAssociationsPerGateway: in.VgwAssociationsPerGateway, TgwAssociationsPerGateway: in.TgwAssociationsPerGateway,
		AttachmentsPerGateway: in.AttachmentsPerGateway, GatewaysPerTransitGateway: in.GatewaysPerTransitGateway,
		RouteFilterPrefixes: in.RouteFilterPrefixes, AllowedPrefixesPerAssociation: in.AllowedPrefixesPerAssociation,
		TagsPerResource: in.TagsPerResource,
	}
	for name, v := range map[string]int{
		"connectionsPerLocation": q.ConnectionsPerLocation, "lagsPerRegion": q.LagsPerRegion,
		"vifsPerConnection": q.VifsPerConnection, "transitVifsPerConnection": q.TransitVifsPerConnection,
		"vifsPerHostedConnection": q.VifsPerHostedConnection, "gatewaysPerAccount": q.GatewaysPerAccount,
		"vgwAssociationsPerGateway": q.VgwAssociationsPerGateway, "tgwAssociationsPerGateway": q.TgwAssociationsPerGateway,
		"attachmentsPerGateway": q.AttachmentsPerGateway, "gatewaysPerTransitGateway": q.GatewaysPerTransitGateway,
		"routeFilterPrefixes": q.RouteFilterPrefixes, "allowedPrefixesPerAssociation": q.AllowedPrefixesPerAssociation,
		"tagsPerResource": q.TagsPerResource,
	} {
		if v < 1 {
			return q, invalidState("quotas: %s %d is below 1", name, v)
		}
	}
	return q, nil
}

func tagsOut(in []tag.Tag) []snapshot.Tag {
	if len(in) == 0 {
		return nil
	}
	out := make([]snapshot.Tag, len(in))
	for i, t := range in {
		out[i] = snapshot.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

func tagsIn(in []snapshot.Tag) []tag.Tag {
	if len(in) == 0 {
		return nil
	}
	out := make([]tag.Tag, len(in))
	for i, t := range in {
		out[i] = tag.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

func keysOut(in []MacSecKey) []snapshot.MacSecKey {
	if len(in) == 0 {
		return nil
	}
	out := make([]snapshot.MacSecKey, len(in))
	for i, k := range in {
		out[i] = snapshot.MacSecKey{SecretARN: k.SecretARN, CKN: k.CKN, State: k.State, StartOn: k.StartOn, Since: k.since}
	}
	return out
}

func keysIn(owner string, in []snapshot.MacSecKey) ([]MacSecKey, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make([]MacSecKey, len(in))
	for i, k := range in {
		if k.State != KeyAssociating && k.State != KeyAssociated && k.State != KeyDisassociating {
			return nil, invalidState("%s: MACsec key %s has state %q: want associating, associated or disassociating", owner, k.SecretARN, k.State)
		}
		out[i] = MacSecKey{SecretARN: k.SecretARN, CKN: k.CKN, State: k.State, StartOn: k.StartOn, since: k.Since}
	}
	return out, nil
}

var (
	dxconIDForm = regexp.MustCompile(`^dxcon-[A-Za-z0-9]{8,21}$`)
	connKinds   = map[string]Kind{TypeConnection: Dedicated, TypeHostedConnection: Hosted, TypeInterconnect: Interconnect}
	connStates  = []string{StateOrdering, StateRequested, StatePending, StateAvailable, StateDown, StateDeleting, StateDeleted, StateRejected}
)

// save writes the region's connections in creation order, each with the port it holds, the
// hosted connections of each parent, and the MACsec secrets.
func (connectionFamily) save(r *Region, out *snapshot.Region) {
	conns := make([]*Connection, 0, len(r.conns))
	for _, c := range r.conns {
		conns = append(conns, c)
	}
	slices.SortFunc(conns, func(a, b *Connection) int { return cmp.Compare(a.order, b.order) })
	for _, c := range conns {
		sc := snapshot.Connection{
			Order: c.order, ID: c.ID, Type: c.Kind.resourceType(), Name: c.Name, OwnerAccount: c.Owner,
			Bandwidth: c.Bandwidth, Device: c.Device, State: c.State, LagID: c.LagID,
			Partner: c.Partner, ParentID: c.ParentID, VLAN: c.VLAN, ParentMacSec: c.ParentMacSec,
			ProviderName: c.ProviderName, PartnerName: c.PartnerName, MacSecCapable: c.MacSecCapable,
			EncryptionMode: c.EncryptionMode, MacSecKeys: keysOut(c.MacSecKeys), LoaIssueTime: c.LoaIssueTime,
			Tags: tagsOut(c.Tags), Created: c.created, Since: c.since, TransitionUntil: c.transitionUntil, Hold: c.held,
		}
		if c.Location != nil {
			sc.Location = c.Location.Code
		}
		if p, ok := r.ports.Holder(c.ID); ok {
			sc.Port = &snapshot.Port{Device: p.Device, Speed: string(p.Speed), Index: p.Index}
		}
		out.Connections = append(out.Connections, sc)
	}
	for parent, list := range r.hosted {
		if list.len() == 0 {
			continue
		}
		if out.Hosted == nil {
			out.Hosted = map[string][]string{}
		}
		ids := make([]string, 0, list.len())
		for h := range list.all() {
			ids = append(ids, h.ID)
		}
		out.Hosted[parent] = ids
	}
	for arn, sec := range r.secrets {
		out.Secrets = append(out.Secrets, snapshot.Secret{ARN: arn, OwnerAccount: sec.owner, CKN: sec.ckn})
	}
	slices.SortFunc(out.Secrets, func(a, b snapshot.Secret) int { return strings.Compare(a.ARN, b.ARN) })
}

// load rebuilds the region's connections: each takes back its port; the quota counts, due
// changes, MACsec key changes and retention follow from the records. References to LAGs and
// hosted parents are checked by the LAG family, which loads next.
func (connectionFamily) load(r *Region, in *snapshot.Region, ids *loadedIDs) error {
	cat := r.store.opts.Catalog
	list := slices.Clone(in.Connections)
	slices.SortStableFunc(list, func(a, b snapshot.Connection) int { return cmp.Compare(a.Order, b.Order) })
	for _, sc := range list {
		if err := ids.add(sc.ID, sc.Order); err != nil {
			return err
		}
		c, err := connIn(r, cat, sc)
		if err != nil {
			return err
		}
		r.conns[c.ID] = c
		if c.Kind == Interconnect {
			r.interconnectsByOwner.add(c.Owner, c)
		} else {
			r.connsByOwner.add(c.Owner, c)
		}
		if c.Kind == Dedicated && live(c.State) {
			r.dedicated[quotaKey{c.Owner, c.Location}]++
		}
		if _, auto := autoNext(c.State); auto && !c.held {
			r.due.schedule(c, c.since.Add(r.dwell()))
		}
		if !live(c.State) {
			r.graveyard.push(grave{at: c.since, conn: c})
		}
		r.watchKeys(&c.MacSecKeys)
	}
	for parent, hosted := range in.Hosted {
		for _, hid := range hosted {
			h, ok := r.conns[hid]
			if !ok || h.Kind != Hosted || h.ParentID != parent {
				return invalidState("hosted connections of %s: %s is not a hosted connection on it", parent, hid)
			}
			if r.hosted.get(parent).has(h) {
				return invalidState("hosted connections of %s: %s appears twice", parent, hid)
			}
			r.hosted.add(parent, h)
		}
	}
	for _, c := range r.conns {
		if c.Kind == Hosted && !r.hosted.get(c.ParentID).has(c) {
			return invalidState("hosted connection %s is not listed among the hosted connections of its parent %s", c.ID, c.ParentID)
		}
	}
	for _, sec := range in.Secrets {
		if !account.IsID(sec.OwnerAccount) || !hex64.MatchString(sec.CKN) {
			return invalidState("secret %s: ownerAccount %s or ckn is not valid", sec.ARN, sec.OwnerAccount)
		}
		if _, dup := r.secrets[sec.ARN]; dup {
			return invalidState("secret %s appears twice", sec.ARN)
		}
		r.secrets[sec.ARN] = secret{owner: sec.OwnerAccount, ckn: sec.CKN}
	}
	return nil
}

// connIn checks one connection record against the catalog and builds it; a live dedicated
// connection or interconnect takes its port back.
func connIn(r *Region, cat *location.Catalog, sc snapshot.Connection) (*Connection, error) {
	where := fmt.Sprintf("connection %s in %s", sc.ID, r.name)
	if !dxconIDForm.MatchString(sc.ID) {
		return nil, invalidState("%s: the id is not dxcon- and 8 to 21 letters and digits", where)
	}
	kind, ok := connKinds[sc.Type]
	if !ok {
		return nil, invalidState("%s: type %q is not connection, hostedConnection or interconnect", where, sc.Type)
	}
	if !account.IsID(sc.OwnerAccount) {
		return nil, invalidState("%s: ownerAccount %s is not a 12-digit account id", where, sc.OwnerAccount)
	}
	hosted := kind == Hosted
	if !slices.Contains(connStates, sc.State) || (!hosted && (sc.State == StateOrdering || sc.State == StateRejected)) {
		return nil, invalidState("%s: state %q is not a state of a %s", where, sc.State, sc.Type)
	}
	loc, ok := cat.Lookup(r.name, sc.Location)
	if !ok {
		return nil, invalidState("%s: location %s is not in the catalog in region %s", where, sc.Location, r.name)
	}
	if !slices.ContainsFunc(loc.Endpoints, func(e *location.Endpoint) bool { return e.Device == sc.Device }) {
		return nil, invalidState("%s: device %s is not an endpoint of location %s in the catalog", where, sc.Device, loc.Code)
	}
	if hosted {
		if _, ok := hostedMbps[sc.Bandwidth]; !ok {
			return nil, invalidState("%s: bandwidth %s is not a hosted connection bandwidth", where, sc.Bandwidth)
		}
		if !account.IsID(sc.Partner) || sc.ParentID == "" || sc.VLAN < 1 || sc.VLAN > 4094 || sc.Port != nil {
			return nil, invalidState("%s: a hosted connection needs a partnerAccount, a parentId and a vlan from 1 to 4094, and holds no port", where)
		}
	} else if sp, ok := location.ParseSpeed(sc.Bandwidth); !ok || !slices.Contains(loc.PortSpeeds(), sp) {
		return nil, invalidState("%s: port speed %s is not in the catalog at location %s", where, sc.Bandwidth, loc.Code)
	}
	c := &Connection{
		ID: sc.ID, Kind: kind, Name: sc.Name, Owner: sc.OwnerAccount, Region: r.name, Location: loc,
		Bandwidth: sc.Bandwidth, Device: sc.Device, State: sc.State, LagID: sc.LagID,
		Partner: sc.Partner, ParentID: sc.ParentID, VLAN: sc.VLAN, ParentMacSec: sc.ParentMacSec,
		ProviderName: sc.ProviderName, PartnerName: sc.PartnerName, MacSecCapable: sc.MacSecCapable,
		EncryptionMode: sc.EncryptionMode, LoaIssueTime: sc.LoaIssueTime, Tags: tagsIn(sc.Tags),
		created: sc.Created, since: sc.Since, transitionUntil: sc.TransitionUntil, order: sc.Order, held: sc.Hold,
	}
	var err error
	if c.MacSecKeys, err = keysIn(where, sc.MacSecKeys); err != nil {
		return nil, err
	}
	if err := checkEncryptionMode(&c.EncryptionMode); c.EncryptionMode != "" && err != nil {
		return nil, invalidState("%s: %v", where, err)
	}
	holdsPort := !hosted && live(c.State)
	switch {
	case holdsPort && sc.Port == nil:
		return nil, invalidState("%s: a %s %s holds a port; the record has none", where, c.State, sc.Type)
	case !holdsPort && sc.Port != nil:
		return nil, invalidState("%s: a %s %s holds no port; the record has one", where, c.State, sc.Type)
	case holdsPort:
		if sc.Port.Device != c.Device || sc.Port.Speed != c.Bandwidth {
			return nil, invalidState("%s: its port %s/%s is not on its device %s at its bandwidth %s", where, sc.Port.Device, sc.Port.Speed, c.Device, c.Bandwidth)
		}
		if err := r.ports.Take(sc.Port.Device, location.Speed(sc.Port.Speed), sc.Port.Index, c.ID); err != nil {
			return nil, invalidState("%s: %v", where, err)
		}
	}
	return c, nil
}

var dxlagIDForm = regexp.MustCompile(`^dxlag-[A-Za-z0-9]{8,21}$`)

// save writes the region's LAGs in creation order.
func (lagFamily) save(r *Region, out *snapshot.Region) {
	lags := make([]*Lag, 0, len(r.lags))
	for _, l := range r.lags {
		lags = append(lags, l)
	}
	slices.SortFunc(lags, func(a, b *Lag) int { return cmp.Compare(a.order, b.order) })
	for _, l := range lags {
		sl := snapshot.Lag{
			Order: l.order, ID: l.ID, Name: l.Name, OwnerAccount: l.Owner, Bandwidth: l.Bandwidth, Device: l.Device,
			MinimumLinks: l.MinimumLinks, AllowsHostedConnections: l.AllowsHostedConnections, ProviderName: l.ProviderName,
			MacSecCapable: l.MacSecCapable, EncryptionMode: l.EncryptionMode, MacSecKeys: keysOut(l.MacSecKeys),
			LoaIssueTime: l.LoaIssueTime, Tags: tagsOut(l.Tags), Deleted: l.Deleted, Members: slices.Clone(l.members),
			Created: l.created, PendingFrom: l.pendingFrom, Hold: l.held, HeldPending: l.heldPending,
		}
		if l.Location != nil {
			sl.Location = l.Location.Code
		}
		out.Lags = append(out.Lags, sl)
	}
}

// load rebuilds the region's LAGs and checks that LAGs and connections name each other
// consistently: each member is a dedicated connection or interconnect of the LAG's kind, in
// one LAG only, and every connection that names a LAG is its member.
func (lagFamily) load(r *Region, in *snapshot.Region, ids *loadedIDs) error {
	cat := r.store.opts.Catalog
	list := slices.Clone(in.Lags)
	slices.SortStableFunc(list, func(a, b snapshot.Lag) int { return cmp.Compare(a.Order, b.Order) })
	memberOf := map[string]string{}
	for _, sl := range list {
		where := fmt.Sprintf("lag %s in %s", sl.ID, r.name)
		if !dxlagIDForm.MatchString(sl.ID) {
			return invalidState("%s: the id is not dxlag- and 8 to 21 letters and digits", where)
		}
		if !account.IsID(sl.OwnerAccount) {
			return invalidState("%s: ownerAccount %s is not a 12-digit account id", where, sl.OwnerAccount)
		}
		loc, ok := cat.Lookup(r.name, sl.Location)
		if !ok {
			return invalidState("%s: location %s is not in the catalog in region %s", where, sl.Location, r.name)
		}
		if sp, ok := location.ParseSpeed(sl.Bandwidth); !ok || !slices.Contains(loc.PortSpeeds(), sp) {
			return invalidState("%s: port speed %s is not in the catalog at location %s", where, sl.Bandwidth, loc.Code)
		}
		if sl.Device != "" && !slices.ContainsFunc(loc.Endpoints, func(e *location.Endpoint) bool { return e.Device == sl.Device }) {
			return invalidState("%s: device %s is not an endpoint of location %s in the catalog", where, sl.Device, loc.Code)
		}
		if sl.MinimumLinks < 0 {
			return invalidState("%s: minimumLinks %d is below 0", where, sl.MinimumLinks)
		}
		l := &Lag{
			ID: sl.ID, Name: sl.Name, Owner: sl.OwnerAccount, Region: r.name, Location: loc, Bandwidth: sl.Bandwidth,
			Device: sl.Device, MinimumLinks: sl.MinimumLinks, AllowsHostedConnections: sl.AllowsHostedConnections,
			ProviderName: sl.ProviderName, MacSecCapable: sl.MacSecCapable, EncryptionMode: sl.EncryptionMode,
			LoaIssueTime: sl.LoaIssueTime, Tags: tagsIn(sl.Tags), Deleted: sl.Deleted, members: slices.Clone(sl.Members),
			created: sl.Created, order: sl.Order, pendingFrom: sl.PendingFrom, held: sl.Hold, heldPending: sl.HeldPending,
		}
		var err error
		if l.MacSecKeys, err = keysIn(where, sl.MacSecKeys); err != nil {
			return err
		}
		if err := ids.add(l.ID, l.order); err != nil {
			return err
		}
		wantKind := Dedicated
		if l.AllowsHostedConnections {
			wantKind = Interconnect
		}
		for _, m := range l.members {
			c, ok := r.conns[m]
			if !ok || c.Kind != wantKind || c.LagID != l.ID || !live(c.State) || c.Device != l.Device {
				return invalidState("%s: member %s is not a live %s on device %s that names the LAG", where, m, map[Kind]string{Dedicated: TypeConnection, Interconnect: TypeInterconnect}[wantKind], l.Device)
			}
			if other, dup := memberOf[m]; dup {
				return invalidState("%s: member %s is a member of %s too", where, m, other)
			}
			memberOf[m] = l.ID
		}
		r.lags[l.ID] = l
		r.lagsByOwner.add(l.Owner, l)
		if !l.Deleted.IsZero() {
			r.graveyard.push(grave{at: l.Deleted, lag: l})
		}
		r.watchKeys(&l.MacSecKeys)
	}
	for _, c := range r.conns {
		if c.Kind != Hosted && c.LagID != "" && memberOf[c.ID] != c.LagID {
			return invalidState("connection %s in %s names lag %s, which does not list it as a member", c.ID, r.name, c.LagID)
		}
	}
	// Retention ends in the order things were deleted.
	slices.SortStableFunc(r.graveyard.items[r.graveyard.head:], func(a, b grave) int { return a.at.Compare(b.at) })
	return nil
}
