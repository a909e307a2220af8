package api

import (
	"context"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/store"
)

// Values shared by many answers, so that a list of 10,000 does not allocate each one;
// encoders only read them.
var (
	yes = true
	no  = false
	// redundancy holds every hasLogicalRedundancy value.
	redundancy = map[string]*string{"unknown": model.String("unknown"), "yes": model.String("yes"), "no": model.String("no")}
	// encryption holds every portEncryptionStatus value.
	encryption = map[string]*string{"Encryption Up": model.String("Encryption Up"), "Encryption Down": model.String("Encryption Down")}
)

func boolPtr(b bool) *bool {
	if b {
		return &yes
	}
	return &no
}

// connectionOut translates a stored connection (dedicated or hosted) to the wire. It points
// into c, which must be the caller's own copy.
func connectionOut(c *store.Connection) model.Connection {
	out := model.Connection{
		OwnerAccount:         &c.Owner,
		ConnectionId:         &c.ID,
		ConnectionName:       &c.Name,
		ConnectionState:      &c.State,
		Region:               &c.Region,
		Location:             &c.Location.Code,
		Bandwidth:            &c.Bandwidth,
		PartnerName:          nonEmpty(&c.PartnerName),
		LagId:                nonEmpty(&c.LagID),
		AwsDevice:            &c.Device,
		JumboFrameCapable:    boolPtr(c.JumboFrameCapable()),
		AwsDeviceV2:          &c.Device,
		AwsLogicalDeviceId:   &c.Device,
		HasLogicalRedundancy: redundancy[c.HasLogicalRedundancy()],
		Tags:                 tagsOut(c.Tags),
		ProviderName:         nonEmpty(&c.ProviderName),
		MacSecCapable:        boolPtr(c.MacSecCapable),
	}
	if c.VLAN > 0 {
		out.Vlan = model.Int32(int32(c.VLAN))
	}
	if !c.LoaIssueTime.IsZero() {
		out.LoaIssueTime = model.Time(c.LoaIssueTime)
	}
	if c.MacSecCapable {
		out.EncryptionMode = nonEmpty(&c.EncryptionMode)
		out.PortEncryptionStatus = encryption[c.PortEncryptionStatus()]
		out.MacSecKeys = macSecKeysOut(c.MacSecKeys)
	}
	if c.Kind == store.Hosted {
		out.PartnerInterconnectMacSecCapable = boolPtr(c.ParentMacSec)
	}
	return out
}

func (s *service) CreateConnection(ctx context.Context, in *model.CreateConnectionRequest) (*model.Connection, error) {
	c, r := s.region(ctx)
	conn, err := r.CreateConnection(c, store.NewConnection{
		Location:      str(in.Location),
		Bandwidth:     str(in.Bandwidth),
		Name:          str(in.ConnectionName),
		LagID:         str(in.LagId),
		ProviderName:  str(in.ProviderName),
		RequestMACSec: flag(in.RequestMACSec),
		Tags:          tagsIn(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	out := connectionOut(&conn)
	return &out, nil
}

func (s *service) DescribeConnections(ctx context.Context, in *model.DescribeConnectionsRequest) (*model.Connections, error) {
	c, r := s.region(ctx)
	id := str(in.ConnectionId)
	conns, next, err := r.DescribeConnections(c, id, pageOf(c, in.MaxResults, in.NextToken, "DescribeConnections", id))
	if err != nil {
		return nil, err
	}
	return connectionsOut(conns, next), nil
}

func (s *service) UpdateConnection(ctx context.Context, in *model.UpdateConnectionRequest) (*model.Connection, error) {
	c, r := s.region(ctx)
	conn, err := r.UpdateConnection(c, str(in.ConnectionId), in.ConnectionName, in.EncryptionMode)
	if err != nil {
		return nil, err
	}
	out := connectionOut(&conn)
	return &out, nil
}

func (s *service) DeleteConnection(ctx context.Context, in *model.DeleteConnectionRequest) (*model.Connection, error) {
	c, r := s.region(ctx)
	conn, err := r.DeleteConnection(c, str(in.ConnectionId))
	if err != nil {
		return nil, err
	}
	out := connectionOut(&conn)
	return &out, nil
}

func (s *service) DescribeLoa(ctx context.Context, in *model.DescribeLoaRequest) (*model.Loa, error) {
	return s.loa(ctx, store.LoaAny, str(in.ConnectionId), str(in.ProviderName))
}

func (s *service) DescribeConnectionLoa(ctx context.Context, in *model.DescribeConnectionLoaRequest) (*model.DescribeConnectionLoaResponse, error) {
	loa, err := s.loa(ctx, store.LoaConnection, str(in.ConnectionId), str(in.ProviderName))
	if err != nil {
		return nil, err
	}
	return &model.DescribeConnectionLoaResponse{Loa: loa}, nil
}

func (s *service) DescribeInterconnectLoa(ctx context.Context, in *model.DescribeInterconnectLoaRequest) (*model.DescribeInterconnectLoaResponse, error) {
	loa, err := s.loa(ctx, store.LoaInterconnect, str(in.InterconnectId), str(in.ProviderName))
	if err != nil {
		return nil, err
	}
	return &model.DescribeInterconnectLoaResponse{Loa: loa}, nil
}

func (s *service) loa(ctx context.Context, target store.LoaTarget, id, provider string) (*model.Loa, error) {
	c, r := s.region(ctx)
	pdf, err := r.Loa(c, target, id, provider)
	if err != nil {
		return nil, err
	}
	return &model.Loa{LoaContent: pdf, LoaContentType: model.String(model.LoaContentTypeApplicationPdf)}, nil
}
