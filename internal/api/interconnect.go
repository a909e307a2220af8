package api

import (
	"context"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/store"
)

// interconnectOut translates a stored interconnect; the model's Interconnect has no ownerAccount.
func interconnectOut(c *store.Connection) model.Interconnect {
	out := model.Interconnect{
		InterconnectId:       &c.ID,
		InterconnectName:     &c.Name,
		InterconnectState:    &c.State,
		Region:               &c.Region,
		Location:             &c.Location.Code,
		Bandwidth:            &c.Bandwidth,
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
	if !c.LoaIssueTime.IsZero() {
		out.LoaIssueTime = model.Time(c.LoaIssueTime)
	}
	if c.MacSecCapable {
		out.EncryptionMode = nonEmpty(&c.EncryptionMode)
		out.PortEncryptionStatus = encryption[c.PortEncryptionStatus()]
		out.MacSecKeys = macSecKeysOut(c.MacSecKeys)
	}
	return out
}

func (s *service) CreateInterconnect(ctx context.Context, in *model.CreateInterconnectRequest) (*model.Interconnect, error) {
	c, r := s.region(ctx)
	ic, err := r.CreateInterconnect(c, store.NewInterconnect{
		Location:      str(in.Location),
		Bandwidth:     str(in.Bandwidth),
		Name:          str(in.InterconnectName),
		LagID:         str(in.LagId),
		ProviderName:  str(in.ProviderName),
		RequestMACSec: flag(in.RequestMACSec),
		Tags:          tagsIn(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	out := interconnectOut(&ic)
	return &out, nil
}

func (s *service) DescribeInterconnects(ctx context.Context, in *model.DescribeInterconnectsRequest) (*model.Interconnects, error) {
	c, r := s.region(ctx)
	id := str(in.InterconnectId)
	ics, next, err := r.DescribeInterconnects(c, id, pageOf(c, in.MaxResults, in.NextToken, "DescribeInterconnects", id))
	if err != nil {
		return nil, err
	}
	out := &model.Interconnects{Interconnects: make([]model.Interconnect, len(ics)), NextToken: nonEmpty(&next)}
	for i := range ics {
		out.Interconnects[i] = interconnectOut(&ics[i])
	}
	return out, nil
}

func (s *service) DeleteInterconnect(ctx context.Context, in *model.DeleteInterconnectRequest) (*model.DeleteInterconnectResponse, error) {
	c, r := s.region(ctx)
	ic, err := r.DeleteInterconnect(c, str(in.InterconnectId))
	if err != nil {
		return nil, err
	}
	return &model.DeleteInterconnectResponse{InterconnectState: &ic.State}, nil
}
