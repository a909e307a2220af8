package api

import (
	"context"
	"errors"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/dxerr"
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

// tagErrorsAsClient answers a repeated tag key or too many tags as a
// DirectConnectClientException, for operations whose model error list names neither
// DuplicateTagKeysException nor TooManyTagsException (CreateDirectConnectGateway): an SDK that
// types errors by the operation's list would otherwise hand its caller an unknown error.
func tagErrorsAsClient(err error) error {
	var de *dxerr.Error
	if errors.As(err, &de) && (de.Kind == dxerr.DuplicateTagKeys || de.Kind == dxerr.TooManyTags) {
		return &dxerr.Error{Kind: dxerr.Invalid, Message: de.Message}
	}
	return err
}

func (s *service) CreateDirectConnectGateway(ctx context.Context, in *model.CreateDirectConnectGatewayRequest) (*model.CreateDirectConnectGatewayResult, error) {
	g, err := s.store.CreateDirectConnectGateway(callerFrom(ctx), store.NewDXGateway{
		Name: str(in.DirectConnectGatewayName),
		ASN:  in.AmazonSideAsn,
		Tags: tagsIn(in.Tags),
	})
	if err != nil {
		return nil, tagErrorsAsClient(err)
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
