package api

import (
	"context"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/store"
)

func (s *service) AllocateHostedConnection(ctx context.Context, in *model.AllocateHostedConnectionRequest) (*model.Connection, error) {
	return s.allocateHosted(ctx, store.NewHosted{
		ParentID:     str(in.ConnectionId),
		OwnerAccount: str(in.OwnerAccount),
		Bandwidth:    str(in.Bandwidth),
		Name:         str(in.ConnectionName),
		VLAN:         int(deref(in.Vlan)),
		Tags:         tagsIn(in.Tags),
	})
}

func (s *service) AllocateConnectionOnInterconnect(ctx context.Context, in *model.AllocateConnectionOnInterconnectRequest) (*model.Connection, error) {
	return s.allocateHosted(ctx, store.NewHosted{
		ParentID:         str(in.InterconnectId),
		OwnerAccount:     str(in.OwnerAccount),
		Bandwidth:        str(in.Bandwidth),
		Name:             str(in.ConnectionName),
		VLAN:             int(deref(in.Vlan)),
		InterconnectOnly: true,
	})
}

func (s *service) allocateHosted(ctx context.Context, spec store.NewHosted) (*model.Connection, error) {
	c, r := s.region(ctx)
	h, err := r.AllocateHostedConnection(c, spec)
	if err != nil {
		return nil, err
	}
	out := connectionOut(&h)
	return &out, nil
}

func deref(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

func connectionsOut(conns []store.Connection, next string) *model.Connections {
	out := &model.Connections{Connections: make([]model.Connection, len(conns)), NextToken: nonEmpty(&next)}
	for i := range conns {
		out.Connections[i] = connectionOut(&conns[i])
	}
	return out
}

func (s *service) DescribeHostedConnections(ctx context.Context, in *model.DescribeHostedConnectionsRequest) (*model.Connections, error) {
	c, r := s.region(ctx)
	id := str(in.ConnectionId)
	conns, next, err := r.DescribeHostedConnections(c, id, pageOf(c, in.MaxResults, in.NextToken, "DescribeHostedConnections", id))
	if err != nil {
		return nil, err
	}
	return connectionsOut(conns, next), nil
}

func (s *service) DescribeConnectionsOnInterconnect(ctx context.Context, in *model.DescribeConnectionsOnInterconnectRequest) (*model.Connections, error) {
	c, r := s.region(ctx)
	conns, err := r.DescribeConnectionsOnInterconnect(c, str(in.InterconnectId))
	if err != nil {
		return nil, err
	}
	return connectionsOut(conns, ""), nil
}

func (s *service) AssociateHostedConnection(ctx context.Context, in *model.AssociateHostedConnectionRequest) (*model.Connection, error) {
	c, r := s.region(ctx)
	h, err := r.AssociateHostedConnection(c, str(in.ConnectionId), str(in.ParentConnectionId))
	if err != nil {
		return nil, err
	}
	h.Tags = nil // the partner moves it; the tags are the customer's
	out := connectionOut(&h)
	return &out, nil
}

func (s *service) ConfirmConnection(ctx context.Context, in *model.ConfirmConnectionRequest) (*model.ConfirmConnectionResponse, error) {
	c, r := s.region(ctx)
	state, err := r.ConfirmConnection(c, str(in.ConnectionId))
	if err != nil {
		return nil, err
	}
	return &model.ConfirmConnectionResponse{ConnectionState: &state}, nil
}

func (s *service) DescribeCustomerMetadata(ctx context.Context) (*model.DescribeCustomerMetadataResponse, error) {
	md := s.store.CustomerMetadata(callerFrom(ctx).Account)
	out := &model.DescribeCustomerMetadataResponse{Agreements: make([]model.CustomerAgreement, len(md.Agreements)), NniPartnerType: &md.NNIPartnerType}
	for i := range md.Agreements {
		out.Agreements[i] = model.CustomerAgreement{AgreementName: &md.Agreements[i], Status: model.String("signed")}
	}
	return out, nil
}

func (s *service) ConfirmCustomerAgreement(ctx context.Context, in *model.ConfirmCustomerAgreementRequest) (*model.ConfirmCustomerAgreementResponse, error) {
	if in.AgreementName == nil {
		return nil, dxerr.New(dxerr.Invalid, "agreementName is required.")
	}
	s.store.ConfirmCustomerAgreement(callerFrom(ctx).Account, *in.AgreementName)
	return &model.ConfirmCustomerAgreementResponse{Status: model.String("signed")}, nil
}
