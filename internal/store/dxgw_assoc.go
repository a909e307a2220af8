package store

import (
	"errors"
	"slices"
	"time"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/dxgw"
	"github.com/dxlocal/dxlocal/internal/gateway"
	"github.com/dxlocal/dxlocal/internal/page"
)

// Association is a DX gateway's association with a VGW or TGW. Values handed out are copies.
type Association struct {
	ID           string
	GatewayID    string
	GatewayOwner string
	// Associated is the VGW's or TGW's registry record.
	Associated       gateway.Record
	State            string
	StateChangeError string
	Prefixes         dxgw.Prefixes

	// order, since, held and queued are as a DXGateway's.
	order  uint64
	since  time.Time
	held   bool
	queued uint64
}

func (a *Association) clone() Association {
	out := *a
	out.Prefixes = slices.Clone(a.Prefixes)
	out.Associated.VPCCIDRs = slices.Clone(a.Associated.VPCCIDRs)
	return out
}

// isTransit reports whether the association is with a transit gateway.
func (a *Association) isTransit() bool { return a.Associated.Type() == gateway.TransitGateway }

// setAssociationState is the one way an association's state changes: it records the change,
// reports it and schedules the next automatic one. A disassociated association stays visible for
// the retention time, then is forgotten.
func (s *Store) setAssociationState(a *Association, state string, at time.Time, cause string) {
	from := a.State
	a.State = state
	a.since = at
	s.emit(Change{At: at, ResourceID: a.ID, Type: TypeGatewayAssociation, Account: a.GatewayOwner, Region: a.Associated.Region, From: from, To: state, Cause: cause})
	s.scheduleAssociation(s.dxgws, a)
}

// scheduleAssociation puts a's next automatic change (unless it is held), or the end of its
// retention, in b's due queue. The entry does nothing if a has moved on or been held meanwhile.
// A hold does not stop the retention: a disassociated association changes no more.
func (s *Store) scheduleAssociation(b *gatewayBook, a *Association) {
	state, since := a.State, a.since
	if next, auto := dxgw.AssociationNext(state); auto && !a.held {
		a.queued = b.later(since.Add(s.opts.Dwell), func(due time.Time) {
			if a.State == state && a.since.Equal(since) && !a.held {
				s.setAssociationState(a, next, due, CauseClock)
			}
		})
	}
	if state == dxgw.AssociationDisassociated {
		b.later(since.Add(s.opts.Retention), func(time.Time) { s.purgeAssociation(a) })
	}
}

func (s *Store) purgeAssociation(a *Association) {
	b := s.dxgws
	delete(b.associations, a.ID)
	b.associationsByGateway[a.GatewayID] = without(b.associationsByGateway[a.GatewayID], a)
	b.associationsByAssociated[a.Associated.ID] = without(b.associationsByAssociated[a.Associated.ID], a)
}

func associationNotFound(id string) error {
	return dxerr.New(dxerr.NotFound, "Direct Connect gateway association %s does not exist", id)
}

func checkAssociationID(id string) error {
	if !dxgw.ValidID(id) {
		return dxerr.New(dxerr.Invalid, "Association ID %s has an invalid format.", id)
	}
	return nil
}

// current reports whether an association still binds its two gateways (it is not gone).
func current(a *Association) bool { return a.State != dxgw.AssociationDisassociated }

// resolveAssociated finds the VGW or TGW that member names for the caller: a registered gateway
// of the caller in the request region, or, when the id is not registered, the record that
// auto-registration would make (fresh is true; the caller registers it only once the call has
// succeeded). Another account's or region's gateway answers as unknown.
func (s *Store) resolveAssociated(c Caller, member, id string) (rec gateway.Record, fresh bool, err error) {
	if !gateway.ValidID(id) {
		return rec, false, dxerr.New(dxerr.Invalid, "%s %s has an invalid format.", member, id)
	}
	rec, ok := s.gateways.Lookup(id)
	if !ok {
		rec = gateway.Record{ID: id, OwnerAccount: c.Account, Region: c.Region}
		if rec.Type() == gateway.VirtualPrivateGateway {
			// An auto-registered TGW's ASN stays unknown (contract.md), a VGW's is EC2's default.
			asn := int64(gateway.DefaultASN)
			rec.ASN = &asn
			rec.VPCCIDRs = []string{gateway.DefaultVPCCIDR}
		}
		return rec, true, nil
	}
	if rec.OwnerAccount != c.Account || rec.Region != c.Region {
		return gateway.Record{}, false, associatedNotFound(id)
	}
	return rec, false, nil
}

func associatedNotFound(id string) error {
	if len(id) > 3 && id[:3] == "tgw" {
		return dxerr.New(dxerr.NotFound, "The TransitGateway %s does not exist.", id)
	}
	return dxerr.New(dxerr.NotFound, "The VirtualGateway %s does not exist.", id)
}

// register stores an auto-registered record once its call has succeeded. The book's lock keeps
// other Direct Connect calls out, but the admin API may have registered the id meanwhile: then
// the call is refused before it changes anything.
func (s *Store) register(rec gateway.Record, fresh bool) error {
	if !fresh {
		return nil
	}
	if err := s.gateways.Register(rec); errors.Is(err, gateway.ErrFull) {
		return registryFull(rec.ID)
	} else if err != nil {
		return dxerr.New(dxerr.Conflict, "Gateway %s was registered while the request ran; try again.", rec.ID)
	}
	return nil
}

// checkNewAssociation applies the rules of §5.7 to a new association of g with rec and returns
// the allowed prefixes it will have: add, or for a VGW without any the VPC's CIDRs.
func (s *Store) checkNewAssociation(g *DXGateway, rec gateway.Record, add dxgw.Prefixes) (dxgw.Prefixes, error) {
	b := s.dxgws
	// A pending gateway takes associations: clients (the Ansible directconnect_gateway module)
	// associate in the call after the create without waiting, as AWS lets them.
	if g.State != dxgw.GatewayAvailable && g.State != dxgw.GatewayPending {
		return nil, inState("Direct Connect gateway", g.ID, g.State)
	}
	q := s.Quotas()
	var vgws, tgws int
	for _, a := range b.associationsByGateway[g.ID] {
		if !current(a) {
			continue
		}
		if a.Associated.ID == rec.ID {
			return nil, dxerr.New(dxerr.Conflict, "Gateway %s is already associated with Direct Connect gateway %s (association %s).", rec.ID, g.ID, a.ID)
		}
		if a.isTransit() {
			tgws++
		} else {
			vgws++
		}
	}
	var attached [3]int // by AttachmentKind
	for at := range b.attachmentsByGateway.get(g.ID).all() {
		if dxgw.LiveAttachment(at.State) {
			attached[at.Kind]++
		}
	}
	prefixes := add
	if rec.Type() == gateway.VirtualPrivateGateway {
		for _, a := range b.associationsByAssociated[rec.ID] {
			if current(a) {
				return nil, dxerr.New(dxerr.Conflict, "Virtual private gateway %s is already associated with Direct Connect gateway %s.", rec.ID, a.GatewayID)
			}
		}
		if tgws > 0 {
			return nil, dxerr.New(dxerr.Invalid, "Direct Connect gateway %s is associated with a transit gateway; it cannot also be associated with virtual private gateway %s.", g.ID, rec.ID)
		}
		if attached[AttachTransit] > 0 {
			return nil, dxerr.New(dxerr.Invalid, "Direct Connect gateway %s has transit virtual interfaces attached; it cannot be associated with virtual private gateway %s.", g.ID, rec.ID)
		}
		if vgws >= q.VgwAssociationsPerGateway {
			return nil, dxerr.New(dxerr.Limit, "Virtual private gateway association limit of %d exceeded for Direct Connect gateway %s.", q.VgwAssociationsPerGateway, g.ID)
		}
		if len(prefixes) == 0 {
			prefixes = dxgw.Prefixes(slices.Clone(rec.VPCCIDRs))
		}
	} else {
		if len(add) == 0 {
			return nil, dxerr.New(dxerr.Invalid, "addAllowedPrefixesToDirectConnectGateway is required for transit gateway %s.", rec.ID)
		}
		if rec.ASN != nil && *rec.ASN == g.ASN {
			return nil, dxerr.New(dxerr.Invalid, "Transit gateway %s has ASN %d, the amazonSideAsn of Direct Connect gateway %s; they must differ.", rec.ID, *rec.ASN, g.ID)
		}
		if vgws > 0 {
			return nil, dxerr.New(dxerr.Invalid, "Direct Connect gateway %s is associated with a virtual private gateway; it cannot also be associated with transit gateway %s.", g.ID, rec.ID)
		}
		if attached[AttachPrivate] > 0 {
			return nil, dxerr.New(dxerr.Invalid, "Direct Connect gateway %s has private virtual interfaces attached; it cannot be associated with transit gateway %s.", g.ID, rec.ID)
		}
		if tgws >= q.TgwAssociationsPerGateway {
			return nil, dxerr.New(dxerr.Limit, "Transit gateway association limit of %d exceeded for Direct Connect gateway %s.", q.TgwAssociationsPerGateway, g.ID)
		}
		n := 0
		for _, a := range b.associationsByAssociated[rec.ID] {
			if current(a) {
				n++
			}
		}
		if n >= q.GatewaysPerTransitGateway {
			return nil, dxerr.New(dxerr.Limit, "Direct Connect gateway limit of %d exceeded for transit gateway %s.", q.GatewaysPerTransitGateway, rec.ID)
		}
	}
	if err := s.checkPrefixes(g, rec, prefixes, nil); err != nil {
		return nil, err
	}
	return prefixes, nil
}

// checkPrefixes applies the prefix quota, and for a TGW the rule that its prefixes overlap none
// of the gateway's other TGW associations (self, when not nil, is the association being changed).
func (s *Store) checkPrefixes(g *DXGateway, rec gateway.Record, prefixes dxgw.Prefixes, self *Association) error {
	if max := s.Quotas().AllowedPrefixesPerAssociation; len(prefixes) > max {
		return dxerr.New(dxerr.Limit, "Allowed prefix limit of %d exceeded for the association of %s with Direct Connect gateway %s: %d given.", max, rec.ID, g.ID, len(prefixes))
	}
	if rec.Type() != gateway.TransitGateway {
		return nil
	}
	for _, a := range s.dxgws.associationsByGateway[g.ID] {
		if a == self || !current(a) || !a.isTransit() {
			continue
		}
		if x, y, ok := dxgw.Overlap(prefixes, a.Prefixes); ok {
			return dxerr.New(dxerr.Invalid, "The allowed prefixes overlap one or more existing allowed prefixes on the Direct Connect gateway. %s overlaps %s of transit gateway %s.", x, y, a.Associated.ID)
		}
	}
	return nil
}

// addAssociation stores a new association of g, associating; it cannot fail.
func (s *Store) addAssociation(g *DXGateway, rec gateway.Record, prefixes dxgw.Prefixes, now time.Time) *Association {
	b := s.dxgws
	a := &Association{ID: s.newUUID(), GatewayID: g.ID, GatewayOwner: g.Owner, Associated: rec, Prefixes: prefixes, order: s.created.Add(1)}
	b.associations[a.ID] = a
	b.associationsByGateway[g.ID] = append(b.associationsByGateway[g.ID], a)
	b.associationsByAssociated[rec.ID] = append(b.associationsByAssociated[rec.ID], a)
	s.setAssociationState(a, dxgw.AssociationAssociating, now, CauseCall)
	return a
}

// NewAssociation is a CreateDirectConnectGatewayAssociation request.
type NewAssociation struct {
	GatewayID string
	// AssociatedID is gatewayId; VirtualGatewayID the legacy member that may name a VGW instead.
	AssociatedID     string
	VirtualGatewayID string
	Add              []string
}

// CreateDirectConnectGatewayAssociation associates the caller's DX gateway with the caller's VGW
// or TGW in the request region, or refuses and changes nothing (the registry included).
func (s *Store) CreateDirectConnectGatewayAssociation(c Caller, spec NewAssociation) (Association, error) {
	now := s.lockGateways()
	defer s.unlockGateways()
	member, target := "gatewayId", spec.AssociatedID
	switch {
	case spec.AssociatedID != "" && spec.VirtualGatewayID != "":
		return Association{}, dxerr.New(dxerr.Invalid, "Specify gatewayId %s or virtualGatewayId %s, not both.", spec.AssociatedID, spec.VirtualGatewayID)
	case spec.VirtualGatewayID != "":
		member, target = "virtualGatewayId", spec.VirtualGatewayID
	case target == "":
		return Association{}, dxerr.New(dxerr.Invalid, "gatewayId is required.")
	}
	// Every format first, then existence (behaviour.md §0).
	if !gateway.ValidID(target) {
		return Association{}, dxerr.New(dxerr.Invalid, "%s %s has an invalid format.", member, target)
	}
	if member == "virtualGatewayId" && target[:3] != "vgw" {
		return Association{}, dxerr.New(dxerr.Invalid, "virtualGatewayId %s is not a virtual private gateway.", target)
	}
	if _, err := dxgw.GatewayID(spec.GatewayID); err != nil {
		return Association{}, err
	}
	add, err := dxgw.ParsePrefixes("addAllowedPrefixesToDirectConnectGateway", spec.Add)
	if err != nil {
		return Association{}, err
	}
	g, err := s.ownGateway(c, spec.GatewayID)
	if err != nil {
		return Association{}, err
	}
	rec, fresh, err := s.resolveAssociated(c, member, target)
	if err != nil {
		return Association{}, err
	}
	prefixes, err := s.checkNewAssociation(g, rec, add)
	if err != nil {
		return Association{}, err
	}
	if err := s.register(rec, fresh); err != nil {
		return Association{}, err
	}
	return s.addAssociation(g, rec, prefixes, now).clone(), nil
}

// AssociationFilter is what DescribeDirectConnectGatewayAssociations filters by; empty members
// do not filter.
type AssociationFilter struct {
	AssociationID, AssociatedGatewayID, GatewayID, VirtualGatewayID string
}

// DescribeDirectConnectGatewayAssociations lists the associations that match every filter given
// and that the caller may see: the DX gateway's owner and the VGW's or TGW's owner both see one.
func (s *Store) DescribeDirectConnectGatewayAssociations(c Caller, f AssociationFilter, pg page.Request) ([]Association, string, error) {
	s.lockGateways()
	defer s.unlockGateways()
	b := s.dxgws
	var list []*Association
	switch {
	case f.AssociationID != "":
		if err := checkAssociationID(f.AssociationID); err != nil {
			return nil, "", err
		}
		if a, ok := b.associations[f.AssociationID]; ok {
			list = []*Association{a}
		}
	case f.GatewayID != "":
		id, err := dxgw.GatewayID(f.GatewayID)
		if err != nil {
			return nil, "", err
		}
		f.GatewayID = id
		list = b.associationsByGateway[id]
	case f.AssociatedGatewayID != "":
		list = b.associationsByAssociated[f.AssociatedGatewayID]
	case f.VirtualGatewayID != "":
		list = b.associationsByAssociated[f.VirtualGatewayID]
	default:
		return nil, "", dxerr.New(dxerr.Invalid, "Must specify a Direct Connect gateway, a virtual gateway, a transit gateway or an association id.")
	}
	visible := make([]*Association, 0, len(list))
	for _, a := range list {
		if f.AssociationID != "" && a.ID != f.AssociationID ||
			f.GatewayID != "" && a.GatewayID != f.GatewayID ||
			f.AssociatedGatewayID != "" && a.Associated.ID != f.AssociatedGatewayID ||
			f.VirtualGatewayID != "" && (a.Associated.ID != f.VirtualGatewayID || a.isTransit()) {
			continue
		}
		if a.GatewayOwner == c.Account || a.Associated.OwnerAccount == c.Account {
			visible = append(visible, a)
		}
	}
	start, end, next, err := pg.Window(len(visible))
	if err != nil {
		return nil, "", err
	}
	out := make([]Association, 0, end-start)
	for _, a := range visible[start:end] {
		out = append(out, a.clone())
	}
	return out, next, nil
}

// visibleAssociation finds an association that the caller is a party to.
func (s *Store) visibleAssociation(c Caller, id string) (*Association, error) {
	if err := checkAssociationID(id); err != nil {
		return nil, err
	}
	a, ok := s.dxgws.associations[id]
	if !ok || !current(a) || a.GatewayOwner != c.Account && a.Associated.OwnerAccount != c.Account {
		return nil, associationNotFound(id)
	}
	return a, nil
}

// UpdateDirectConnectGatewayAssociation adds and removes allowed prefixes of an associated
// association of the caller's DX gateway; it goes updating, then associated.
func (s *Store) UpdateDirectConnectGatewayAssociation(c Caller, id string, add, remove []string) (Association, error) {
	now := s.lockGateways()
	defer s.unlockGateways()
	if id == "" {
		return Association{}, dxerr.New(dxerr.Invalid, "associationId is required.")
	}
	addP, err := dxgw.ParsePrefixes("addAllowedPrefixesToDirectConnectGateway", add)
	if err != nil {
		return Association{}, err
	}
	removeP, err := dxgw.ParsePrefixes("removeAllowedPrefixesToDirectConnectGateway", remove)
	if err != nil {
		return Association{}, err
	}
	a, err := s.visibleAssociation(c, id)
	if err != nil {
		return Association{}, err
	}
	if a.GatewayOwner != c.Account {
		return Association{}, dxerr.New(dxerr.Invalid, "Only the owner %s of Direct Connect gateway %s can update association %s.", a.GatewayOwner, a.GatewayID, a.ID)
	}
	if err := s.changePrefixes(a, a.Prefixes.Apply(addP, removeP), now); err != nil {
		return Association{}, err
	}
	return a.clone(), nil
}

// changePrefixes gives an associated association new allowed prefixes; it goes updating.
func (s *Store) changePrefixes(a *Association, prefixes dxgw.Prefixes, now time.Time) error {
	if a.State != dxgw.AssociationAssociated {
		return inState("Direct Connect gateway association", a.ID, a.State)
	}
	if a.isTransit() && len(prefixes) == 0 {
		return dxerr.New(dxerr.Invalid, "The association %s of transit gateway %s needs at least one allowed prefix.", a.ID, a.Associated.ID)
	}
	if err := s.checkPrefixes(s.dxgws.gateways[a.GatewayID], a.Associated, prefixes, a); err != nil {
		return err
	}
	a.Prefixes = prefixes
	s.setAssociationState(a, dxgw.AssociationUpdating, now, CauseCall)
	return nil
}

// DeleteDirectConnectGatewayAssociation starts disassociating an association named by its id,
// which either party may do, or by a DX gateway and a VGW that the caller both owns.
func (s *Store) DeleteDirectConnectGatewayAssociation(c Caller, id, gatewayID, vgwID string) (Association, error) {
	now := s.lockGateways()
	defer s.unlockGateways()
	var a *Association
	switch {
	case id != "":
		var err error
		if a, err = s.visibleAssociation(c, id); err != nil {
			return Association{}, err
		}
	case gatewayID != "" && vgwID != "":
		g, err := s.ownGateway(c, gatewayID)
		if err != nil {
			return Association{}, err
		}
		for _, x := range s.dxgws.associationsByGateway[g.ID] {
			if x.Associated.ID == vgwID && current(x) && x.Associated.OwnerAccount == c.Account {
				a = x
			}
		}
		if a == nil {
			return Association{}, dxerr.New(dxerr.NotFound, "The association of Direct Connect gateway %s with virtual gateway %s does not exist", g.ID, vgwID)
		}
	default:
		return Association{}, dxerr.New(dxerr.Invalid, "Must specify an associationId, or a directConnectGatewayId and a virtualGatewayId.")
	}
	if a.State == dxgw.AssociationDisassociating {
		return Association{}, inState("Direct Connect gateway association", a.ID, a.State)
	}
	s.setAssociationState(a, dxgw.AssociationDisassociating, now, CauseCall)
	return a.clone(), nil
}
