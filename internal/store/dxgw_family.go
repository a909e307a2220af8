package store

import (
	"cmp"
	"slices"
	"time"

	"github.com/dxlocal/dxlocal/internal/account"
	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/dxgw"
	"github.com/dxlocal/dxlocal/internal/gateway"
	"github.com/dxlocal/dxlocal/internal/snapshot"
)

// dxgwFamily joins the gateway book (Direct Connect gateways, their associations and the
// association proposals) to the admin API's resource control and to the state snapshot.
// Attachments have no id: they are saved and restored with the book, not listed.
//
// Regions as the resource list reports them: a Direct Connect gateway is global, so its region is
// empty (AWS gives it no region, its ARN has none); an association and a proposal carry the
// region of their VGW or TGW, the region in which they were made and are accepted.
type dxgwFamily struct{}

func init() { globalFamilies = append(globalFamilies, dxgwFamily{}) }

func (dxgwFamily) lock(s *Store) time.Time { return s.lockGateways() }
func (dxgwFamily) unlock(s *Store)         { s.unlockGateways() }

func gatewayResource(g *DXGateway) Resource {
	return Resource{ID: g.ID, Type: TypeDirectConnectGateway, Owner: g.Owner, State: g.State, Hold: g.held, order: g.order}
}

func associationResource(a *Association) Resource {
	return Resource{ID: a.ID, Type: TypeGatewayAssociation, Owner: a.GatewayOwner, Region: a.Associated.Region, State: a.State, Hold: a.held, order: a.order}
}

// proposalResource names the proposer as the owner, as the proposal's changes are reported.
func proposalResource(p *Proposal) Resource {
	return Resource{ID: p.ID, Type: TypeAssociationProposal, Owner: p.Associated.OwnerAccount, Region: p.Associated.Region, State: p.State, Hold: p.held, order: p.order}
}

func (dxgwFamily) list(s *Store, now time.Time, out []Resource) []Resource {
	b := s.dxgws
	for _, g := range b.gateways {
		out = append(out, gatewayResource(g))
	}
	for _, a := range b.associations {
		out = append(out, associationResource(a))
	}
	for p := range b.proposalList.all() {
		out = append(out, proposalResource(p))
	}
	return out
}

func (dxgwFamily) find(s *Store, id string, now time.Time) (Resource, bool) {
	b := s.dxgws
	if g, ok := b.gateways[id]; ok {
		return gatewayResource(g), true
	}
	if a, ok := b.associations[id]; ok {
		return associationResource(a), true
	}
	if p, ok := b.proposals[id]; ok {
		return proposalResource(p), true
	}
	return Resource{}, false
}

// control applies the table's row "DX gateway, association: a passing state -> the state it is
// heading to; finishes now", and holds. A proposal takes a hold only (it stops its expiry).
func (dxgwFamily) control(s *Store, id string, ch Control, now time.Time) error {
	b := s.dxgws
	switch g, a, p := b.gateways[id], b.associations[id], b.proposals[id]; {
	case g != nil:
		if err := noBGP(ch, TypeDirectConnectGateway, id); err != nil {
			return err
		}
		finish := false
		if ch.State != nil {
			to := *ch.State
			if to != dxgw.GatewayAvailable && to != dxgw.GatewayDeleted {
				return dxerr.New(dxerr.Invalid, "state %s cannot be set on a %s: want available or deleted", to, TypeDirectConnectGateway)
			}
			if g.State != to {
				next, auto := s.gatewayHeading(g)
				if !auto || next != to {
					return headingConflict(TypeDirectConnectGateway, g.ID, g.State, to, next, auto)
				}
				finish = true
			}
		}
		if ch.Hold != nil {
			s.holdGateway(g, *ch.Hold, now)
		}
		if finish {
			s.advanceGateway(g, now, CauseControl)
		}
	case a != nil:
		if err := noBGP(ch, TypeGatewayAssociation, id); err != nil {
			return err
		}
		finish := false
		if ch.State != nil {
			to := *ch.State
			if to != dxgw.AssociationAssociated && to != dxgw.AssociationDisassociated {
				return dxerr.New(dxerr.Invalid, "state %s cannot be set on a %s: want associated or disassociated", to, TypeGatewayAssociation)
			}
			if a.State != to {
				next, auto := dxgw.AssociationNext(a.State)
				if !auto || next != to {
					return headingConflict(TypeGatewayAssociation, a.ID, a.State, to, next, auto)
				}
				finish = true
			}
		}
		if ch.Hold != nil {
			s.holdAssociation(a, *ch.Hold, now)
		}
		if finish {
			s.setAssociationState(a, *ch.State, now, CauseControl)
		}
	case p != nil:
		if err := noBGP(ch, TypeAssociationProposal, id); err != nil {
			return err
		}
		if ch.State != nil {
			return dxerr.New(dxerr.Invalid, "state %s cannot be set on an %s: accept or delete it through the API; hold stops its expiry", *ch.State, TypeAssociationProposal)
		}
		if ch.Hold != nil {
			s.holdProposal(p, *ch.Hold, now)
		}
	}
	return nil
}

// headingConflict refuses to set a resource to a state its automatic change does not lead to.
func headingConflict(kind, id, from, to, next string, auto bool) error {
	if !auto {
		return dxerr.New(dxerr.Conflict, "%s %s is %s, which is not a passing state; it cannot be set %s", kind, id, from, to)
	}
	return dxerr.New(dxerr.Conflict, "%s %s is %s and heading to %s; it cannot be set %s", kind, id, from, next, to)
}

// holdGateway holds or releases g. Released, its next automatic change comes one dwell after now.
func (s *Store) holdGateway(g *DXGateway, hold bool, now time.Time) {
	if g.held == hold {
		return
	}
	g.held = hold
	if _, auto := dxgw.GatewayNext(g.State); !hold && auto {
		g.since = now
		s.scheduleGateway(s.dxgws, g)
	}
}

// holdAssociation holds or releases a, as holdGateway does a gateway.
func (s *Store) holdAssociation(a *Association, hold bool, now time.Time) {
	if a.held == hold {
		return
	}
	a.held = hold
	if _, auto := dxgw.AssociationNext(a.State); !hold && auto {
		a.since = now
		s.scheduleAssociation(s.dxgws, a)
	}
}

// holdProposal holds or releases p. A held requested proposal does not expire; released, it
// expires at its seven-day mark, or one dwell after the release if that mark has passed by then
// (so that a hold never makes it vanish at the moment of its release).
func (s *Store) holdProposal(p *Proposal, hold bool, now time.Time) {
	if p.held == hold {
		return
	}
	p.held = hold
	if !hold && p.State == dxgw.ProposalRequested {
		if soonest := now.Add(s.opts.Dwell); p.expires.Before(soonest) {
			p.expires = soonest
		}
		s.scheduleProposal(s.dxgws, p)
	}
}

// save writes the whole book, each list in creation order.
func (dxgwFamily) save(s *Store, out *snapshot.State) {
	b := s.dxgws
	if len(b.gateways)+len(b.associations)+len(b.proposals)+len(b.attachmentsByGateway) > 0 {
		out.GatewayQueue = b.seq
	}
	for _, g := range b.gatewaysInOrder() {
		sg := snapshot.DXGateway{
			Order: g.order, ID: g.ID, Name: g.Name, OwnerAccount: g.Owner, AmazonSideAsn: g.ASN, State: g.State,
			StateChangeError: g.StateChangeError, Tags: tagsOut(g.Tags), Since: g.since, Hold: g.held,
		}
		if _, auto := dxgw.GatewayNext(g.State); auto && !g.held {
			sg.Queued = g.queued
		}
		out.DirectConnectGateways = append(out.DirectConnectGateways, sg)
	}
	for _, a := range b.associationsInOrder() {
		sa := snapshot.GatewayAssociation{
			Order: a.order, ID: a.ID, DirectConnectGatewayID: a.GatewayID, GatewayOwnerAccount: a.GatewayOwner,
			AssociatedGatewayID: a.Associated.ID, State: a.State, StateChangeError: a.StateChangeError,
			AllowedPrefixes: slices.Clone([]string(a.Prefixes)), Since: a.since, Hold: a.held,
		}
		if len(sa.AllowedPrefixes) == 0 {
			sa.AllowedPrefixes = nil
		}
		if _, auto := dxgw.AssociationNext(a.State); auto && !a.held {
			sa.Queued = a.queued
		}
		out.GatewayAssociations = append(out.GatewayAssociations, sa)
	}
	for p := range b.proposalList.all() {
		sp := snapshot.AssociationProposal{
			Order: p.order, ID: p.ID, DirectConnectGatewayID: p.GatewayID, GatewayOwnerAccount: p.GatewayOwner,
			AssociatedGatewayID: p.Associated.ID, State: p.State, Add: slices.Clone([]string(p.Add)),
			Remove: slices.Clone([]string(p.Remove)), Since: p.since, Hold: p.held,
		}
		if len(sp.Add) == 0 {
			sp.Add = nil
		}
		if len(sp.Remove) == 0 {
			sp.Remove = nil
		}
		if p.Existing != nil {
			existing := slices.Clone([]string(p.Existing))
			if existing == nil {
				existing = []string{}
			}
			sp.Existing = &existing
		}
		if p.State == dxgw.ProposalRequested {
			sp.Expires = p.expires
			if !p.held {
				sp.Queued = p.queued
			}
		}
		out.AssociationProposals = append(out.AssociationProposals, sp)
	}
	var attachments []*attachment
	for _, list := range b.attachmentsByGateway {
		attachments = slices.AppendSeq(attachments, list.all())
	}
	slices.SortFunc(attachments, func(x, y *attachment) int { return cmp.Compare(x.order, y.order) })
	for _, at := range attachments {
		sa := snapshot.GatewayAttachment{
			DirectConnectGatewayID: at.GatewayID, VirtualInterfaceID: at.VirtualInterfaceID, Region: at.Region,
			OwnerAccount: at.Owner, Kind: attachmentKindName[at.Kind], State: at.State, Since: at.since,
		}
		if _, auto := dxgw.AttachmentNext(at.State); auto {
			sa.Queued = at.queued
		}
		out.GatewayAttachments = append(out.GatewayAttachments, sa)
	}
}

var attachmentKindName = map[AttachmentKind]string{AttachPrivate: "private", AttachTransit: "transit"}

// prepare checks the book of in and builds it aside: every id well formed and unique, every
// state one of its family's, every association and proposal naming a gateway of the registry of
// in, every association that still binds (not disassociated) and every live attachment naming a
// Direct Connect gateway of in with the owner it names. It does not check the rules that calls
// keep (quotas, one association per VGW, prefix overlaps): a state is taken as it was.
func (dxgwFamily) prepare(s *Store, in *snapshot.State, ids *loadedIDs) (func(), error) {
	registry := map[string]gateway.Record{}
	for _, g := range in.Gateways {
		registry[g.GatewayID] = gateway.Record{ID: g.GatewayID, OwnerAccount: g.OwnerAccount, Region: g.Region, ASN: g.AmazonSideAsn, VPCCIDRs: slices.Clone(g.VpcCidrs)}
	}
	nb := newGatewayBook()
	queued := map[string]uint64{} // by id, the saved places in the due queue
	var attachments []*attachment

	gateways := slices.Clone(in.DirectConnectGateways)
	slices.SortStableFunc(gateways, func(x, y snapshot.DXGateway) int { return cmp.Compare(x.Order, y.Order) })
	for _, sg := range gateways {
		where := "directConnectGateway " + sg.ID
		if !dxgw.ValidID(sg.ID) {
			return nil, invalidState("directConnectGateways: id %s is not a Direct Connect gateway id", sg.ID)
		}
		if err := ids.add(sg.ID, sg.Order); err != nil {
			return nil, err
		}
		if !account.IsID(sg.OwnerAccount) {
			return nil, invalidState("%s: ownerAccount %s is not a 12-digit account id", where, sg.OwnerAccount)
		}
		if err := dxgw.CheckName("name", sg.Name); err != nil {
			return nil, invalidState("%s: %v", where, err)
		}
		if err := dxgw.CheckASN(sg.AmazonSideAsn); err != nil {
			return nil, invalidState("%s: %v", where, err)
		}
		if !slices.Contains([]string{dxgw.GatewayPending, dxgw.GatewayAvailable, dxgw.GatewayDeleting}, sg.State) {
			return nil, invalidState("%s: state %s is not pending, available or deleting", where, sg.State)
		}
		tags := tagsIn(sg.Tags)
		if err := s.checkNewTags(tags); err != nil {
			return nil, invalidState("%s: %v", where, err)
		}
		g := &DXGateway{ID: sg.ID, Name: sg.Name, Owner: sg.OwnerAccount, ASN: sg.AmazonSideAsn, State: sg.State,
			StateChangeError: sg.StateChangeError, Tags: tags, order: sg.Order, since: sg.Since, held: sg.Hold}
		queued[g.ID] = sg.Queued
		nb.gateways[g.ID] = g
		nb.gatewaysByOwner[g.Owner] = append(nb.gatewaysByOwner[g.Owner], g)
	}

	// gatewayRef checks what an association or proposal says of its Direct Connect gateway:
	// when the gateway is there, its owner; when it is not, whether it may be gone (must false).
	gatewayRef := func(where, id, owner string, must bool) error {
		if !account.IsID(owner) {
			return invalidState("%s: directConnectGatewayOwnerAccount %s is not a 12-digit account id", where, owner)
		}
		g, ok := nb.gateways[id]
		switch {
		case !ok && must:
			return invalidState("%s: Direct Connect gateway %s does not exist", where, id)
		case ok && g.Owner != owner:
			return invalidState("%s: Direct Connect gateway %s is owned by %s, not %s", where, id, g.Owner, owner)
		}
		return nil
	}
	associated := func(where, id string) (gateway.Record, error) {
		rec, ok := registry[id]
		if !ok {
			return gateway.Record{}, invalidState("%s: gateway %s is not in the gateway registry", where, id)
		}
		return rec, nil
	}
	prefixes := func(where, member string, in []string) (dxgw.Prefixes, error) {
		p, err := dxgw.ParsePrefixes(member, in)
		if err != nil {
			return nil, invalidState("%s: %v", where, err)
		}
		if len(p) != len(in) {
			return nil, invalidState("%s: %s repeats a prefix", where, member)
		}
		return p, nil
	}

	assocs := slices.Clone(in.GatewayAssociations)
	slices.SortStableFunc(assocs, func(x, y snapshot.GatewayAssociation) int { return cmp.Compare(x.Order, y.Order) })
	for _, sa := range assocs {
		where := "gatewayAssociation " + sa.ID
		if !dxgw.ValidID(sa.ID) {
			return nil, invalidState("gatewayAssociations: id %s is not an association id", sa.ID)
		}
		if err := ids.add(sa.ID, sa.Order); err != nil {
			return nil, err
		}
		if !slices.Contains([]string{dxgw.AssociationAssociating, dxgw.AssociationAssociated, dxgw.AssociationUpdating, dxgw.AssociationDisassociating, dxgw.AssociationDisassociated}, sa.State) {
			return nil, invalidState("%s: state %s is not associating, associated, updating, disassociating or disassociated", where, sa.State)
		}
		if err := gatewayRef(where, sa.DirectConnectGatewayID, sa.GatewayOwnerAccount, sa.State != dxgw.AssociationDisassociated); err != nil {
			return nil, err
		}
		rec, err := associated(where, sa.AssociatedGatewayID)
		if err != nil {
			return nil, err
		}
		allowed, err := prefixes(where, "allowedPrefixes", sa.AllowedPrefixes)
		if err != nil {
			return nil, err
		}
		a := &Association{ID: sa.ID, GatewayID: sa.DirectConnectGatewayID, GatewayOwner: sa.GatewayOwnerAccount, Associated: rec,
			State: sa.State, StateChangeError: sa.StateChangeError, Prefixes: allowed, order: sa.Order, since: sa.Since, held: sa.Hold}
		queued[a.ID] = sa.Queued
		nb.associations[a.ID] = a
		nb.associationsByGateway[a.GatewayID] = append(nb.associationsByGateway[a.GatewayID], a)
		nb.associationsByAssociated[rec.ID] = append(nb.associationsByAssociated[rec.ID], a)
	}

	proposals := slices.Clone(in.AssociationProposals)
	slices.SortStableFunc(proposals, func(x, y snapshot.AssociationProposal) int { return cmp.Compare(x.Order, y.Order) })
	for _, sp := range proposals {
		where := "associationProposal " + sp.ID
		if !dxgw.ValidID(sp.ID) {
			return nil, invalidState("associationProposals: id %s is not a proposal id", sp.ID)
		}
		if err := ids.add(sp.ID, sp.Order); err != nil {
			return nil, err
		}
		if !slices.Contains([]string{dxgw.ProposalRequested, dxgw.ProposalAccepted, dxgw.ProposalDeleted}, sp.State) {
			return nil, invalidState("%s: state %s is not requested, accepted or deleted", where, sp.State)
		}
		if sp.State == dxgw.ProposalRequested && sp.Expires.IsZero() {
			return nil, invalidState("%s: a requested proposal needs its expires time", where)
		}
		// A gateway may be deleted while proposals to it remain.
		if err := gatewayRef(where, sp.DirectConnectGatewayID, sp.GatewayOwnerAccount, false); err != nil {
			return nil, err
		}
		rec, err := associated(where, sp.AssociatedGatewayID)
		if err != nil {
			return nil, err
		}
		p := &Proposal{ID: sp.ID, GatewayID: sp.DirectConnectGatewayID, GatewayOwner: sp.GatewayOwnerAccount, Associated: rec,
			State: sp.State, order: sp.Order, since: sp.Since, held: sp.Hold}
		if p.Add, err = prefixes(where, "addPrefixes", sp.Add); err != nil {
			return nil, err
		}
		if p.Remove, err = prefixes(where, "removePrefixes", sp.Remove); err != nil {
			return nil, err
		}
		if sp.Existing != nil {
			if p.Existing, err = prefixes(where, "existingPrefixes", *sp.Existing); err != nil {
				return nil, err
			}
		}
		if sp.State == dxgw.ProposalRequested {
			p.expires = sp.Expires
		}
		queued[p.ID] = sp.Queued
		nb.proposals[p.ID] = p
		nb.proposalList.add(p)
	}

	for i, sa := range in.GatewayAttachments {
		where := "gatewayAttachment of " + sa.VirtualInterfaceID
		var kind AttachmentKind
		for k, name := range attachmentKindName {
			if name == sa.Kind {
				kind = k
			}
		}
		switch {
		case sa.VirtualInterfaceID == "" || sa.Region == "":
			return nil, invalidState("gatewayAttachments: attachment %d lacks its virtualInterfaceId or region", i+1)
		case !account.IsID(sa.OwnerAccount):
			return nil, invalidState("%s: ownerAccount %s is not a 12-digit account id", where, sa.OwnerAccount)
		case kind == 0:
			return nil, invalidState("%s: kind %s is not private or transit", where, sa.Kind)
		case !slices.Contains([]string{dxgw.AttachmentAttaching, dxgw.AttachmentAttached, dxgw.AttachmentDetaching, dxgw.AttachmentDetached}, sa.State):
			return nil, invalidState("%s: state %s is not attaching, attached, detaching or detached", where, sa.State)
		}
		if _, ok := nb.gateways[sa.DirectConnectGatewayID]; !ok && dxgw.LiveAttachment(sa.State) {
			return nil, invalidState("%s: Direct Connect gateway %s does not exist", where, sa.DirectConnectGatewayID)
		}
		nb.attached++
		at := &attachment{Attachment: Attachment{VirtualInterfaceID: sa.VirtualInterfaceID, Region: sa.Region, Owner: sa.OwnerAccount, Kind: kind},
			GatewayID: sa.DirectConnectGatewayID, State: sa.State, order: nb.attached, since: sa.Since}
		nb.attachmentsByGateway.add(at.GatewayID, at)
		nb.attachmentsByVIF.add(at.VirtualInterfaceID, at)
		attachments = append(attachments, at)
	}

	// The due queue, rebuilt from each one's state, since and hold. The entries of automatic
	// changes get back their places (queued), so that changes due at the same time keep their
	// order; a file that lacks them (written by hand) queues them after, in creation order.
	type pending struct {
		queued   uint64
		schedule func()
	}
	var todo []pending
	for _, g := range nb.gatewaysInOrder() {
		todo = append(todo, pending{queued[g.ID], func() { s.scheduleGateway(nb, g) }})
	}
	for _, a := range nb.associationsInOrder() {
		todo = append(todo, pending{queued[a.ID], func() { s.scheduleAssociation(nb, a) }})
	}
	for p := range nb.proposalList.all() {
		todo = append(todo, pending{queued[p.ID], func() { s.scheduleProposal(nb, p) }})
	}
	for i, at := range attachments {
		todo = append(todo, pending{in.GatewayAttachments[i].Queued, func() { s.scheduleAttachment(nb, at) }})
	}
	slices.SortStableFunc(todo, func(x, y pending) int {
		switch {
		case x.queued == y.queued:
			return 0
		case x.queued == 0:
			return 1
		case y.queued == 0:
			return -1
		}
		return cmp.Compare(x.queued, y.queued)
	})
	var top uint64
	for _, t := range todo {
		if t.queued != 0 {
			nb.seq = t.queued - 1 // the entry of its automatic change, scheduled first, gets it back
		} else {
			nb.seq = max(nb.seq, top)
		}
		t.schedule()
		top = max(top, nb.seq)
	}
	// The count goes on from where it stood. The ends of retention (which change no state)
	// may share a number with a later entry; only state changes need their order kept.
	nb.seq = top
	if in.GatewayQueue != 0 {
		nb.seq = in.GatewayQueue
	}
	return func() { s.dxgws.replaceWith(nb) }, nil
}

func (b *gatewayBook) gatewaysInOrder() []*DXGateway {
	out := make([]*DXGateway, 0, len(b.gateways))
	for _, g := range b.gateways {
		out = append(out, g)
	}
	slices.SortFunc(out, func(x, y *DXGateway) int { return cmp.Compare(x.order, y.order) })
	return out
}

func (b *gatewayBook) associationsInOrder() []*Association {
	out := make([]*Association, 0, len(b.associations))
	for _, a := range b.associations {
		out = append(out, a)
	}
	slices.SortFunc(out, func(x, y *Association) int { return cmp.Compare(x.order, y.order) })
	return out
}
