package store

import (
	"slices"
	"time"

	"github.com/dxlocal/dxlocal/internal/account"
	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/dxgw"
	"github.com/dxlocal/dxlocal/internal/gateway"
	"github.com/dxlocal/dxlocal/internal/page"
)

// Proposal is another account's proposal to associate its VGW or TGW with a DX gateway, or to
// change the allowed prefixes of such an association. Values handed out are copies.
type Proposal struct {
	ID           string
	GatewayID    string
	GatewayOwner string
	Associated   gateway.Record
	State        string
	// Add and Remove are the prefixes the proposer asked to add and remove.
	Add, Remove dxgw.Prefixes
	// Existing are the prefixes of the association the proposal would update; nil for a
	// proposal of a new association.
	Existing dxgw.Prefixes

	// order, since, held and queued are as a DXGateway's. expires is when a requested proposal is
	// deleted by itself: seven days after it was made, or later after a hold.
	order   uint64
	since   time.Time
	expires time.Time
	held    bool
	queued  uint64
}

func (p *Proposal) clone() Proposal {
	out := *p
	out.Add = slices.Clone(p.Add)
	out.Remove = slices.Clone(p.Remove)
	out.Existing = slices.Clone(p.Existing)
	out.Associated.VPCCIDRs = slices.Clone(p.Associated.VPCCIDRs)
	return out
}

// setProposalState is the one way a proposal's state changes: it records the change and reports
// it. An accepted or deleted proposal stays visible for dxgw.ProposalRetention, then is forgotten.
func (s *Store) setProposalState(p *Proposal, state string, at time.Time, cause string) {
	from := p.State
	p.State = state
	p.since = at
	if state == dxgw.ProposalRequested {
		// Unless accepted or deleted first, AWS deletes a proposal seven days after it was made.
		p.expires = dxgw.ProposalExpiry(at)
	}
	s.emit(Change{At: at, ResourceID: p.ID, Type: TypeAssociationProposal, Account: p.Associated.OwnerAccount, From: from, To: state, Cause: cause})
	s.scheduleProposal(s.dxgws, p)
}

// scheduleProposal puts p's expiry (unless it is held), or the end of its retention, in b's due
// queue. The entry does nothing if p has moved on, been held, or had its expiry moved meanwhile.
func (s *Store) scheduleProposal(b *gatewayBook, p *Proposal) {
	switch state, since, expires := p.State, p.since, p.expires; state {
	case dxgw.ProposalRequested:
		if p.held {
			return
		}
		p.queued = b.later(expires, func(due time.Time) {
			if p.State == dxgw.ProposalRequested && p.expires.Equal(expires) && !p.held {
				s.setProposalState(p, dxgw.ProposalDeleted, due, CauseClock)
			}
		})
	case dxgw.ProposalAccepted, dxgw.ProposalDeleted:
		b.later(since.Add(dxgw.ProposalRetention), func(time.Time) {
			if p.State == state && p.since.Equal(since) {
				b := s.dxgws
				delete(b.proposals, p.ID)
				b.proposalList.remove(p)
			}
		})
	}
}

func proposalNotFound(id string) error {
	return dxerr.New(dxerr.NotFound, "Direct Connect gateway association proposal %s is not found", id)
}

// NewProposal is a CreateDirectConnectGatewayAssociationProposal request.
type NewProposal struct {
	GatewayID    string
	GatewayOwner string
	AssociatedID string
	Add, Remove  []string
}

// CreateDirectConnectGatewayAssociationProposal proposes to another account's DX gateway an
// association with the caller's VGW or TGW in the request region, or, when the two are
// associated already, a change of its allowed prefixes. A refused call changes nothing, the
// registry included.
func (s *Store) CreateDirectConnectGatewayAssociationProposal(c Caller, spec NewProposal) (Proposal, error) {
	now := s.lockGateways()
	defer s.unlockGateways()
	add, err := dxgw.ParsePrefixes("addAllowedPrefixesToDirectConnectGateway", spec.Add)
	if err != nil {
		return Proposal{}, err
	}
	remove, err := dxgw.ParsePrefixes("removeAllowedPrefixesToDirectConnectGateway", spec.Remove)
	if err != nil {
		return Proposal{}, err
	}
	if !account.IsID(spec.GatewayOwner) {
		return Proposal{}, dxerr.New(dxerr.Invalid, "directConnectGatewayOwnerAccount %s is not a 12-digit account id.", spec.GatewayOwner)
	}
	if spec.AssociatedID == "" {
		return Proposal{}, dxerr.New(dxerr.Invalid, "gatewayId is required.")
	}
	if !gateway.ValidID(spec.AssociatedID) {
		return Proposal{}, dxerr.New(dxerr.Invalid, "gatewayId %s has an invalid format.", spec.AssociatedID)
	}
	// The gateway must exist and belong to the account the proposer named.
	g, err := s.ownGateway(Caller{Account: spec.GatewayOwner}, spec.GatewayID)
	if err != nil {
		return Proposal{}, err
	}
	rec, fresh, err := s.resolveAssociated(c, "gatewayId", spec.AssociatedID)
	if err != nil {
		return Proposal{}, err
	}
	b := s.dxgws
	for p := range b.proposalList.all() {
		if p.State == dxgw.ProposalRequested && p.GatewayID == g.ID && p.Associated.ID == rec.ID {
			return Proposal{}, dxerr.New(dxerr.Conflict, "Proposal %s to associate %s with Direct Connect gateway %s is already requested.", p.ID, rec.ID, g.ID)
		}
	}
	if max := s.Quotas().AllowedPrefixesPerAssociation; len(add) > max {
		return Proposal{}, dxerr.New(dxerr.Limit, "Allowed prefix limit of %d exceeded for the association of %s with Direct Connect gateway %s: %d given.", max, rec.ID, g.ID, len(add))
	}
	var existing dxgw.Prefixes
	if a := s.pairAssociation(g.ID, rec.ID); a != nil {
		existing = slices.Clone(a.Prefixes)
		if existing == nil {
			existing = dxgw.Prefixes{}
		}
	}
	if err := s.register(rec, fresh); err != nil {
		return Proposal{}, err
	}
	p := &Proposal{ID: s.newUUID(), GatewayID: g.ID, GatewayOwner: g.Owner, Associated: rec, Add: add, Remove: remove, Existing: existing, order: s.created.Add(1)}
	b.proposals[p.ID] = p
	b.proposalList.add(p)
	s.setProposalState(p, dxgw.ProposalRequested, now, CauseCall)
	return p.clone(), nil
}

// pairAssociation is the current association of DX gateway gatewayID with associatedID, if any.
func (s *Store) pairAssociation(gatewayID, associatedID string) *Association {
	for _, a := range s.dxgws.associationsByGateway[gatewayID] {
		if a.Associated.ID == associatedID && current(a) {
			return a
		}
	}
	return nil
}

// ProposalFilter is what DescribeDirectConnectGatewayAssociationProposals filters by; empty
// members do not filter.
type ProposalFilter struct {
	GatewayID, ProposalID, AssociatedGatewayID string
}

// DescribeDirectConnectGatewayAssociationProposals lists the proposals that match every filter
// and that the caller is a party to (proposer or DX gateway owner), from every region. Ids that
// name nothing, malformed ones included, answer an empty list: the AWS provider reads a proposal
// with an empty id at plan time.
func (s *Store) DescribeDirectConnectGatewayAssociationProposals(c Caller, f ProposalFilter, pg page.Request) ([]Proposal, string, error) {
	s.lockGateways()
	defer s.unlockGateways()
	if f.GatewayID != "" {
		if id, err := dxgw.GatewayID(f.GatewayID); err == nil {
			f.GatewayID = id
		}
	}
	list := s.dxgws.proposalList.all()
	if f.ProposalID != "" {
		list = func(yield func(*Proposal) bool) {
			if p, ok := s.dxgws.proposals[f.ProposalID]; ok {
				yield(p)
			}
		}
	}
	var visible []*Proposal
	for p := range list {
		if f.GatewayID != "" && p.GatewayID != f.GatewayID || f.AssociatedGatewayID != "" && p.Associated.ID != f.AssociatedGatewayID {
			continue
		}
		if p.GatewayOwner == c.Account || p.Associated.OwnerAccount == c.Account {
			visible = append(visible, p)
		}
	}
	start, end, next, err := pg.Window(len(visible))
	if err != nil {
		return nil, "", err
	}
	out := make([]Proposal, 0, end-start)
	for _, p := range visible[start:end] {
		out = append(out, p.clone())
	}
	return out, next, nil
}

// AcceptProposal is an AcceptDirectConnectGatewayAssociationProposal request.
type AcceptProposal struct {
	GatewayID       string
	ProposalID      string
	AssociatedOwner string
	// Override, when not empty, replaces the prefixes the proposal asked for.
	Override []string
}

// AcceptDirectConnectGatewayAssociationProposal is the DX gateway owner's yes to a proposal:
// it makes the association (or changes the prefixes of the existing one) under the rules of a
// same-account association, and answers it. The call must be made in the VGW's or TGW's region.
func (s *Store) AcceptDirectConnectGatewayAssociationProposal(c Caller, spec AcceptProposal) (Association, error) {
	now := s.lockGateways()
	defer s.unlockGateways()
	override, err := dxgw.ParsePrefixes("overrideAllowedPrefixesToDirectConnectGateway", spec.Override)
	if err != nil {
		return Association{}, err
	}
	if spec.ProposalID == "" {
		return Association{}, dxerr.New(dxerr.Invalid, "proposalId is required.")
	}
	g, err := s.ownGateway(c, spec.GatewayID)
	if err != nil {
		return Association{}, err
	}
	p, ok := s.dxgws.proposals[spec.ProposalID]
	if !ok || p.GatewayID != g.ID || p.State == dxgw.ProposalDeleted {
		return Association{}, proposalNotFound(spec.ProposalID)
	}
	if p.State == dxgw.ProposalAccepted {
		// AWS's words, with the double space where the id should have been.
		return Association{}, dxerr.New(dxerr.Conflict, "Direct Connect Gateway Association Proposal  has been accepted!")
	}
	if spec.AssociatedOwner != p.Associated.OwnerAccount {
		return Association{}, dxerr.New(dxerr.Invalid, "associatedGatewayOwnerAccount %s is not the owner of gateway %s in proposal %s.", spec.AssociatedOwner, p.Associated.ID, p.ID)
	}
	if c.Region != p.Associated.Region {
		return Association{}, dxerr.New(dxerr.NotFound, "The Virtual Gateway in the Direct Connect Gateway Association Proposal %s is not found", p.ID)
	}
	var a *Association
	if existing := s.pairAssociation(g.ID, p.Associated.ID); existing != nil {
		prefixes := existing.Prefixes.Apply(p.Add, p.Remove)
		if len(override) > 0 {
			prefixes = override
		}
		if err := s.changePrefixes(existing, prefixes, now); err != nil {
			return Association{}, err
		}
		a = existing
	} else {
		prefixes := p.Add
		if len(override) > 0 {
			prefixes = override
		}
		prefixes, err = s.checkNewAssociation(g, p.Associated, prefixes)
		if err != nil {
			return Association{}, err
		}
		a = s.addAssociation(g, p.Associated, prefixes, now)
	}
	s.setProposalState(p, dxgw.ProposalAccepted, now, CauseCall)
	return a.clone(), nil
}

// DeleteDirectConnectGatewayAssociationProposal withdraws (the proposer) or rejects (the DX
// gateway's owner) a proposal, requested or accepted; an association it made stays.
func (s *Store) DeleteDirectConnectGatewayAssociationProposal(c Caller, id string) (Proposal, error) {
	now := s.lockGateways()
	defer s.unlockGateways()
	if id == "" {
		return Proposal{}, dxerr.New(dxerr.Invalid, "proposalId is required.")
	}
	p, ok := s.dxgws.proposals[id]
	if !ok || p.State == dxgw.ProposalDeleted || p.GatewayOwner != c.Account && p.Associated.OwnerAccount != c.Account {
		return Proposal{}, proposalNotFound(id)
	}
	s.setProposalState(p, dxgw.ProposalDeleted, now, CauseCall)
	return p.clone(), nil
}
