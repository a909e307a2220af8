package api

import (
	"context"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/store"
)

// lagOut translates a LAG as read; its members answer as connections.
func lagOut(v *store.LagView) model.Lag {
	out := model.Lag{
		ConnectionsBandwidth:    &v.Bandwidth,
		NumberOfConnections:     model.Int32(int32(len(v.Members))),
		LagId:                   &v.ID,
		OwnerAccount:            &v.Owner,
		LagName:                 &v.Name,
		LagState:                &v.State,
		Location:                &v.Location.Code,
		Region:                  &v.Region,
		MinimumLinks:            model.Int32(int32(v.MinimumLinks)),
		AwsDevice:               &v.Device,
		AwsDeviceV2:             &v.Device,
		AwsLogicalDeviceId:      &v.Device,
		Connections:             make([]model.Connection, len(v.Members)),
		AllowsHostedConnections: boolPtr(v.AllowsHostedConnections),
		JumboFrameCapable:       boolPtr(v.JumboFrameCapable()),
		HasLogicalRedundancy:    redundancy[v.HasLogicalRedundancy()],
		Tags:                    tagsOut(v.Tags),
		ProviderName:            nonEmpty(&v.ProviderName),
		MacSecCapable:           boolPtr(v.MacSecCapable),
	}
	for i := range v.Members {
		out.Connections[i] = connectionOut(&v.Members[i])
	}
	if v.MacSecCapable {
		out.EncryptionMode = nonEmpty(&v.EncryptionMode)
		out.MacSecKeys = macSecKeysOut(v.MacSecKeys)
	}
	return out
}

func (s *service) CreateLag(ctx context.Context, in *model.CreateLagRequest) (*model.Lag, error) {
	c, r := s.region(ctx)
	n := 0
	if in.NumberOfConnections != nil {
		n = int(*in.NumberOfConnections)
	}
	v, err := r.CreateLag(c, store.NewLag{
		NumberOfConnections: n,
		Location:            str(in.Location),
		Bandwidth:           str(in.ConnectionsBandwidth),
		Name:                str(in.LagName),
		ConnectionID:        str(in.ConnectionId),
		ProviderName:        str(in.ProviderName),
		RequestMACSec:       flag(in.RequestMACSec),
		Tags:                tagsIn(in.Tags),
		ChildTags:           tagsIn(in.ChildConnectionTags),
	})
	if err != nil {
		return nil, err
	}
	out := lagOut(&v)
	return &out, nil
}

func (s *service) DescribeLags(ctx context.Context, in *model.DescribeLagsRequest) (*model.Lags, error) {
	c, r := s.region(ctx)
	id := str(in.LagId)
	lags, next, err := r.DescribeLags(c, id, pageOf(c, in.MaxResults, in.NextToken, "DescribeLags", id))
	if err != nil {
		return nil, err
	}
	out := &model.Lags{Lags: make([]model.Lag, len(lags)), NextToken: nonEmpty(&next)}
	for i := range lags {
		out.Lags[i] = lagOut(&lags[i])
	}
	return out, nil
}

func (s *service) UpdateLag(ctx context.Context, in *model.UpdateLagRequest) (*model.Lag, error) {
	c, r := s.region(ctx)
	u := store.LagUpdate{Name: in.LagName, EncryptionMode: in.EncryptionMode}
	if in.MinimumLinks != nil {
		n := int(*in.MinimumLinks)
		u.MinimumLinks = &n
	}
	v, err := r.UpdateLag(c, str(in.LagId), u)
	if err != nil {
		return nil, err
	}
	out := lagOut(&v)
	return &out, nil
}

func (s *service) DeleteLag(ctx context.Context, in *model.DeleteLagRequest) (*model.Lag, error) {
	c, r := s.region(ctx)
	v, err := r.DeleteLag(c, str(in.LagId))
	if err != nil {
		return nil, err
	}
	out := lagOut(&v)
	return &out, nil
}

func (s *service) AssociateConnectionWithLag(ctx context.Context, in *model.AssociateConnectionWithLagRequest) (*model.Connection, error) {
	c, r := s.region(ctx)
	conn, err := r.AssociateConnectionWithLag(c, str(in.ConnectionId), str(in.LagId))
	if err != nil {
		return nil, err
	}
	out := connectionOut(&conn)
	return &out, nil
}

func (s *service) DisassociateConnectionFromLag(ctx context.Context, in *model.DisassociateConnectionFromLagRequest) (*model.Connection, error) {
	c, r := s.region(ctx)
	conn, err := r.DisassociateConnectionFromLag(c, str(in.ConnectionId), str(in.LagId))
	if err != nil {
		return nil, err
	}
	out := connectionOut(&conn)
	return &out, nil
}
