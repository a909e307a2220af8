package api

import (
	"context"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/store"
)

// proposalOut translates a proposal; it points into p, the caller's own copy. The requested
// prefixes echo what the proposer asked to add ([] when nothing); the existing ones are sent
// only for a proposal that changes an association.
func proposalOut(p *store.Proposal) *model.DirectConnectGatewayAssociationProposal {
	out := &model.DirectConnectGatewayAssociationProposal{
		ProposalId:                       &p.ID,
		DirectConnectGatewayId:           &p.GatewayID,
		DirectConnectGatewayOwnerAccount: &p.GatewayOwner,
		ProposalState:                    &p.State,
		AssociatedGateway:                associatedGatewayOut(&p.Associated),
		RequestedAllowedPrefixesToDirectConnectGateway: prefixesOut(p.Add),
	}
	if p.Existing != nil {
		out.ExistingAllowedPrefixesToDirectConnectGateway = prefixesOut(p.Existing)
	}
	return out
}

func (s *service) CreateDirectConnectGatewayAssociationProposal(ctx context.Context, in *model.CreateDirectConnectGatewayAssociationProposalRequest) (*model.CreateDirectConnectGatewayAssociationProposalResult, error) {
	p, err := s.store.CreateDirectConnectGatewayAssociationProposal(callerFrom(ctx), store.NewProposal{
		GatewayID:    str(in.DirectConnectGatewayId),
		GatewayOwner: str(in.DirectConnectGatewayOwnerAccount),
		AssociatedID: str(in.GatewayId),
		Add:          prefixesIn(in.AddAllowedPrefixesToDirectConnectGateway),
		Remove:       prefixesIn(in.RemoveAllowedPrefixesToDirectConnectGateway),
	})
	if err != nil {
		return nil, err
	}
	return &model.CreateDirectConnectGatewayAssociationProposalResult{DirectConnectGatewayAssociationProposal: proposalOut(&p)}, nil
}

func (s *service) DescribeDirectConnectGatewayAssociationProposals(ctx context.Context, in *model.DescribeDirectConnectGatewayAssociationProposalsRequest) (*model.DescribeDirectConnectGatewayAssociationProposalsResult, error) {
	c := callerFrom(ctx)
	f := store.ProposalFilter{GatewayID: str(in.DirectConnectGatewayId), ProposalID: str(in.ProposalId), AssociatedGatewayID: str(in.AssociatedGatewayId)}
	pg := pageOf(c, in.MaxResults, in.NextToken, "DescribeDirectConnectGatewayAssociationProposals", f.GatewayID, f.ProposalID, f.AssociatedGatewayID)
	list, next, err := s.store.DescribeDirectConnectGatewayAssociationProposals(c, f, pg)
	if err != nil {
		return nil, err
	}
	out := &model.DescribeDirectConnectGatewayAssociationProposalsResult{
		DirectConnectGatewayAssociationProposals: make([]model.DirectConnectGatewayAssociationProposal, len(list)),
		NextToken:                                nonEmpty(&next),
	}
	for i := range list {
		out.DirectConnectGatewayAssociationProposals[i] = *proposalOut(&list[i])
	}
	return out, nil
}

func (s *service) AcceptDirectConnectGatewayAssociationProposal(ctx context.Context, in *model.AcceptDirectConnectGatewayAssociationProposalRequest) (*model.AcceptDirectConnectGatewayAssociationProposalResult, error) {
	a, err := s.store.AcceptDirectConnectGatewayAssociationProposal(callerFrom(ctx), store.AcceptProposal{
		GatewayID:       str(in.DirectConnectGatewayId),
		ProposalID:      str(in.ProposalId),
		AssociatedOwner: str(in.AssociatedGatewayOwnerAccount),
		Override:        prefixesIn(in.OverrideAllowedPrefixesToDirectConnectGateway),
	})
	if err != nil {
		return nil, err
	}
	return &model.AcceptDirectConnectGatewayAssociationProposalResult{DirectConnectGatewayAssociation: associationOut(&a)}, nil
}

func (s *service) DeleteDirectConnectGatewayAssociationProposal(ctx context.Context, in *model.DeleteDirectConnectGatewayAssociationProposalRequest) (*model.DeleteDirectConnectGatewayAssociationProposalResult, error) {
	p, err := s.store.DeleteDirectConnectGatewayAssociationProposal(callerFrom(ctx), str(in.ProposalId))
	if err != nil {
		return nil, err
	}
	return &model.DeleteDirectConnectGatewayAssociationProposalResult{DirectConnectGatewayAssociationProposal: proposalOut(&p)}, nil
}
