package api

import (
	"context"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/store"
)

// dxGatewayOut translates a Direct Connect gateway; it points into g, the caller's own copy.
// stateChangeError is sent only when set; tags always, [] when there are none.
func dxGatewayOut(g *store.DXGateway) model.DirectConnectGateway {
	return model.DirectConnectGateway{
		DirectConnectGatewayId:    &g.ID,
		DirectConnectGatewayName:  &g.Name,
		AmazonSideAsn:             &g.ASN,
		OwnerAccount:              &g.Owner,
		DirectConnectGatewayState: &g.State,
		StateChangeError:          nonEmpty(&g.StateChangeError),
		Tags:                      tagsOut(g.Tags),
	}
}

func (s *service) CreateDirectConnectGateway(ctx context.Context, in *model.CreateDirectConnectGatewayRequest) (*model.CreateDirectConnectGatewayResult, error) {
	g, err := s.store.CreateDirectConnectGateway(callerFrom(ctx), store.NewDXGateway{
		Name: str(in.DirectConnectGatewayName),
		ASN:  in.AmazonSideAsn,
		Tags: tagsIn(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	out := dxGatewayOut(&g)
	return &model.CreateDirectConnectGatewayResult{DirectConnectGateway: &out}, nil
}

func (s *service) DescribeDirectConnectGateways(ctx context.Context, in *model.DescribeDirectConnectGatewaysRequest) (*model.DescribeDirectConnectGatewaysResult, error) {
	c := callerFrom(ctx)
	id := str(in.DirectConnectGatewayId)
	list, next, err := s.store.DescribeDirectConnectGateways(c, id, pageOf(c, in.MaxResults, in.NextToken, "DescribeDirectConnectGateways", id))
	if err != nil {
		return nil, err
	}
	out := &model.DescribeDirectConnectGatewaysResult{DirectConnectGateways: make([]model.DirectConnectGateway, len(list)), NextToken: nonEmpty(&next)}
	for i := range list {
		out.DirectConnectGateways[i] = dxGatewayOut(&list[i])
	}
	return out, nil
}

func (s *service) UpdateDirectConnectGateway(ctx context.Context, in *model.UpdateDirectConnectGatewayRequest) (*model.UpdateDirectConnectGatewayResponse, error) {
	g, err := s.store.UpdateDirectConnectGateway(callerFrom(ctx), str(in.DirectConnectGatewayId), str(in.NewDirectConnectGatewayName))
	if err != nil {
		return nil, err
	}
	out := dxGatewayOut(&g)
	return &model.UpdateDirectConnectGatewayResponse{DirectConnectGateway: &out}, nil
}

func (s *service) DeleteDirectConnectGateway(ctx context.Context, in *model.DeleteDirectConnectGatewayRequest) (*model.DeleteDirectConnectGatewayResult, error) {
	g, err := s.store.DeleteDirectConnectGateway(callerFrom(ctx), str(in.DirectConnectGatewayId))
	if err != nil {
		return nil, err
	}
	out := dxGatewayOut(&g)
	return &model.DeleteDirectConnectGatewayResult{DirectConnectGateway: &out}, nil
}
