package api

import (
	"context"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/store"
)

func (s *service) CreateBGPPeer(ctx context.Context, in *model.CreateBGPPeerRequest) (*model.CreateBGPPeerResponse, error) {
	c, r := s.region(ctx)
	var np *store.NewBGPPeer
	if p := in.NewBGPPeer; p != nil {
		np = &store.NewBGPPeer{ASN: p.Asn, ASNLong: p.AsnLong, AuthKey: p.AuthKey, AddressFamily: p.AddressFamily, AmazonAddress: p.AmazonAddress, CustomerAddress: p.CustomerAddress}
	}
	v, err := r.CreateBGPPeer(c, str(in.VirtualInterfaceId), np)
	if err != nil {
		return nil, err
	}
	out := vifOut(&v)
	return &model.CreateBGPPeerResponse{VirtualInterface: &out}, nil
}

func (s *service) DeleteBGPPeer(ctx context.Context, in *model.DeleteBGPPeerRequest) (*model.DeleteBGPPeerResponse, error) {
	c, r := s.region(ctx)
	v, err := r.DeleteBGPPeer(c, str(in.VirtualInterfaceId), store.PeerRef{ID: str(in.BgpPeerId), ASN: in.Asn, ASNLong: in.AsnLong, CustomerAddress: str(in.CustomerAddress)})
	if err != nil {
		return nil, err
	}
	out := vifOut(&v)
	return &model.DeleteBGPPeerResponse{VirtualInterface: &out}, nil
}

func testOut(t *store.FailoverTest) *model.VirtualInterfaceTestHistory {
	out := &model.VirtualInterfaceTestHistory{
		TestId:                &t.ID,
		VirtualInterfaceId:    &t.VIFID,
		BgpPeers:              t.Peers,
		Status:                &t.Status,
		OwnerAccount:          &t.Owner,
		TestDurationInMinutes: model.Int32(int32(t.Duration)),
		StartTime:             model.Time(t.Start),
	}
	if out.BgpPeers == nil {
		out.BgpPeers = []string{}
	}
	if !t.End.IsZero() {
		out.EndTime = model.Time(t.End)
	}
	return out
}

func (s *service) StartBgpFailoverTest(ctx context.Context, in *model.StartBgpFailoverTestRequest) (*model.StartBgpFailoverTestResponse, error) {
	c, r := s.region(ctx)
	t, err := r.StartFailoverTest(c, str(in.VirtualInterfaceId), in.BgpPeers, in.TestDurationInMinutes)
	if err != nil {
		return nil, err
	}
	return &model.StartBgpFailoverTestResponse{VirtualInterfaceTest: testOut(&t)}, nil
}

func (s *service) StopBgpFailoverTest(ctx context.Context, in *model.StopBgpFailoverTestRequest) (*model.StopBgpFailoverTestResponse, error) {
	c, r := s.region(ctx)
	t, err := r.StopFailoverTest(c, str(in.VirtualInterfaceId))
	if err != nil {
		return nil, err
	}
	return &model.StopBgpFailoverTestResponse{VirtualInterfaceTest: testOut(&t)}, nil
}

func (s *service) ListVirtualInterfaceTestHistory(ctx context.Context, in *model.ListVirtualInterfaceTestHistoryRequest) (*model.ListVirtualInterfaceTestHistoryResponse, error) {
	c, r := s.region(ctx)
	f := store.TestFilter{TestID: str(in.TestId), VIFID: str(in.VirtualInterfaceId), Peers: in.BgpPeers, Status: str(in.Status)}
	key := append([]string{"ListVirtualInterfaceTestHistory", f.TestID, f.VIFID, f.Status}, f.Peers...)
	tests, next, err := r.ListFailoverTests(c, f, pageOf(c, in.MaxResults, in.NextToken, key...))
	if err != nil {
		return nil, err
	}
	out := &model.ListVirtualInterfaceTestHistoryResponse{VirtualInterfaceTestHistory: make([]model.VirtualInterfaceTestHistory, len(tests)), NextToken: nonEmpty(&next)}
	for i := range tests {
		out.VirtualInterfaceTestHistory[i] = *testOut(&tests[i])
	}
	return out, nil
}

func (s *service) DescribeRouterConfiguration(ctx context.Context, in *model.DescribeRouterConfigurationRequest) (*model.DescribeRouterConfigurationResponse, error) {
	c, r := s.region(ctx)
	rc, err := r.DescribeRouterConfiguration(c, str(in.VirtualInterfaceId), str(in.RouterTypeIdentifier))
	if err != nil {
		return nil, err
	}
	rt := rc.Router
	return &model.DescribeRouterConfigurationResponse{
		CustomerRouterConfig: &rc.Config,
		Router: &model.RouterType{
			Vendor: &rt.Vendor, Platform: &rt.Platform, Software: &rt.Software,
			XsltTemplateName: &rt.XSLT, XsltTemplateNameForMacSec: &rt.XSLTMacSec, RouterTypeIdentifier: &rt.Identifier,
		},
		VirtualInterfaceId:   &rc.VIFID,
		VirtualInterfaceName: &rc.VIFName,
	}, nil
}
