package api

import (
	"context"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/store"
)

// attachmentTypes holds the attachmentType values, shared by every answer.
var attachmentTypes = map[store.AttachmentKind]*string{
	store.AttachPrivate: model.String(model.DirectConnectGatewayAttachmentTypePrivateVirtualInterface),
	store.AttachTransit: model.String(model.DirectConnectGatewayAttachmentTypeTransitVirtualInterface),
}

func (s *service) DescribeDirectConnectGatewayAttachments(ctx context.Context, in *model.DescribeDirectConnectGatewayAttachmentsRequest) (*model.DescribeDirectConnectGatewayAttachmentsResult, error) {
	c := callerFrom(ctx)
	gw, vif := str(in.DirectConnectGatewayId), str(in.VirtualInterfaceId)
	list, next, err := s.store.DescribeDirectConnectGatewayAttachments(c, gw, vif, pageOf(c, in.MaxResults, in.NextToken, "DescribeDirectConnectGatewayAttachments", gw, vif))
	if err != nil {
		return nil, err
	}
	out := &model.DescribeDirectConnectGatewayAttachmentsResult{
		DirectConnectGatewayAttachments: make([]model.DirectConnectGatewayAttachment, len(list)),
		NextToken:                       nonEmpty(&next),
	}
	for i := range list {
		a := &list[i]
		out.DirectConnectGatewayAttachments[i] = model.DirectConnectGatewayAttachment{
			DirectConnectGatewayId:       &a.GatewayID,
			VirtualInterfaceId:           &a.VirtualInterfaceID,
			VirtualInterfaceRegion:       &a.Region,
			VirtualInterfaceOwnerAccount: &a.Owner,
			AttachmentState:              &a.State,
			AttachmentType:               attachmentTypes[a.Kind],
		}
	}
	return out, nil
}

// virtualGatewayAvailable is the state of every registered VGW.
var virtualGatewayAvailable = model.String("available")

func (s *service) DescribeVirtualGateways(ctx context.Context) (*model.VirtualGateways, error) {
	list := s.store.VirtualGateways(callerFrom(ctx))
	out := &model.VirtualGateways{VirtualGateways: make([]model.VirtualGateway, len(list))}
	for i := range list {
		out.VirtualGateways[i] = model.VirtualGateway{VirtualGatewayId: &list[i].ID, VirtualGatewayState: virtualGatewayAvailable}
	}
	return out, nil
}
