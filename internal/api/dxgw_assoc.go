package api

import (
	"context"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/gateway"
	"github.com/dxlocal/dxlocal/internal/store"
)

// gatewayTypes holds the two associatedGateway.type values, shared by every answer.
var gatewayTypes = map[string]*string{
	gateway.VirtualPrivateGateway: model.String(gateway.VirtualPrivateGateway),
	gateway.TransitGateway:        model.String(gateway.TransitGateway),
}

// associatedGatewayOut is the associatedGateway member; the provider dereferences it on every
// read, so it is always there.
func associatedGatewayOut(rec *gateway.Record) *model.AssociatedGateway {
	return &model.AssociatedGateway{Id: &rec.ID, Type: gatewayTypes[rec.Type()], OwnerAccount: &rec.OwnerAccount, Region: &rec.Region}
}

// prefixesOut always answers a list, [] when empty.
func prefixesOut(in []string) []model.RouteFilterPrefix {
	out := make([]model.RouteFilterPrefix, len(in))
	for i := range in {
		out[i] = model.RouteFilterPrefix{Cidr: &in[i]}
	}
	return out
}

func prefixesIn(in []model.RouteFilterPrefix) []string {
	out := make([]string, len(in))
	for i, p := range in {
		out[i] = str(p.Cidr)
	}
	return out
}

// associationOut translates an association; it points into a, the caller's own copy. A VGW's
// association also carries the legacy virtualGateway* members, as AWS's do.
func associationOut(a *store.Association) *model.DirectConnectGatewayAssociation {
	out := &model.DirectConnectGatewayAssociation{
		DirectConnectGatewayId:                &a.GatewayID,
		DirectConnectGatewayOwnerAccount:      &a.GatewayOwner,
		AssociationState:                      &a.State,
		StateChangeError:                      nonEmpty(&a.StateChangeError),
		AssociatedGateway:                     associatedGatewayOut(&a.Associated),
		AssociationId:                         &a.ID,
		AllowedPrefixesToDirectConnectGateway: prefixesOut(a.Prefixes),
	}
	if a.Associated.Type() == gateway.VirtualPrivateGateway {
		out.VirtualGatewayId = &a.Associated.ID
		out.VirtualGatewayRegion = &a.Associated.Region
		out.VirtualGatewayOwnerAccount = &a.Associated.OwnerAccount
	}
	return out
}

func (s *service) CreateDirectConnectGatewayAssociation(ctx context.Context, in *model.CreateDirectConnectGatewayAssociationRequest) (*model.CreateDirectConnectGatewayAssociationResult, error) {
	a, err := s.store.CreateDirectConnectGatewayAssociation(callerFrom(ctx), store.NewAssociation{
		GatewayID:        str(in.DirectConnectGatewayId),
		AssociatedID:     str(in.GatewayId),
		VirtualGatewayID: str(in.VirtualGatewayId),
		Add:              prefixesIn(in.AddAllowedPrefixesToDirectConnectGateway),
	})
	if err != nil {
		return nil, err
	}
	return &model.CreateDirectConnectGatewayAssociationResult{DirectConnectGatewayAssociation: associationOut(&a)}, nil
}

func (s *service) DescribeDirectConnectGatewayAssociations(ctx context.Context, in *model.DescribeDirectConnectGatewayAssociationsRequest) (*model.DescribeDirectConnectGatewayAssociationsResult, error) {
	c := callerFrom(ctx)
	f := store.AssociationFilter{
		AssociationID:       str(in.AssociationId),
		AssociatedGatewayID: str(in.AssociatedGatewayId),
		GatewayID:           str(in.DirectConnectGatewayId),
		VirtualGatewayID:    str(in.VirtualGatewayId),
	}
	pg := pageOf(c, in.MaxResults, in.NextToken, "DescribeDirectConnectGatewayAssociations", f.AssociationID, f.AssociatedGatewayID, f.GatewayID, f.VirtualGatewayID)
	list, next, err := s.store.DescribeDirectConnectGatewayAssociations(c, f, pg)
	if err != nil {
		return nil, err
	}
	out := &model.DescribeDirectConnectGatewayAssociationsResult{DirectConnectGatewayAssociations: make([]model.DirectConnectGatewayAssociation, len(list)), NextToken: nonEmpty(&next)}
	for i := range list {
		out.DirectConnectGatewayAssociations[i] = *associationOut(&list[i])
	}
	return out, nil
}

func (s *service) UpdateDirectConnectGatewayAssociation(ctx context.Context, in *model.UpdateDirectConnectGatewayAssociationRequest) (*model.UpdateDirectConnectGatewayAssociationResult, error) {
	a, err := s.store.UpdateDirectConnectGatewayAssociation(callerFrom(ctx), str(in.AssociationId),
		prefixesIn(in.AddAllowedPrefixesToDirectConnectGateway), prefixesIn(in.RemoveAllowedPrefixesToDirectConnectGateway))
	if err != nil {
		return nil, err
	}
	return &model.UpdateDirectConnectGatewayAssociationResult{DirectConnectGatewayAssociation: associationOut(&a)}, nil
}

func (s *service) DeleteDirectConnectGatewayAssociation(ctx context.Context, in *model.DeleteDirectConnectGatewayAssociationRequest) (*model.DeleteDirectConnectGatewayAssociationResult, error) {
	a, err := s.store.DeleteDirectConnectGatewayAssociation(callerFrom(ctx), str(in.AssociationId), str(in.DirectConnectGatewayId), str(in.VirtualGatewayId))
	if err != nil {
		return nil, err
	}
	return &model.DeleteDirectConnectGatewayAssociationResult{DirectConnectGatewayAssociation: associationOut(&a)}, nil
}
