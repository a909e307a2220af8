package api

import (
	"context"
	"slices"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/store"
	"github.com/dxlocal/dxlocal/internal/vif"
)

// vifTypes holds every virtualInterfaceType value, shared by all answers.
var vifTypes = map[vif.Type]*string{
	vif.Private: model.String(string(vif.Private)),
	vif.Public:  model.String(string(vif.Public)),
	vif.Transit: model.String(string(vif.Transit)),
}

// outArena holds the numbers and peers of a list of VIFs in a few large slices, so that a
// list of 10,000 does not allocate each one.
type outArena struct {
	strs  []string
	i32   []int32
	i64   []int64
	peers []model.BGPPeer
}

// newOutArena sizes an arena for vifs VIFs with peers peers in all.
func newOutArena(vifs, peers int) *outArena {
	return &outArena{strs: make([]string, 0, vifs), i32: make([]int32, 0, 2*vifs+peers), i64: make([]int64, 0, peers), peers: make([]model.BGPPeer, 0, peers)}
}

func (a *outArena) str(v string) *string {
	a.strs = append(a.strs, v)
	return &a.strs[len(a.strs)-1]
}

func (a *outArena) int32(v int32) *int32 {
	a.i32 = append(a.i32, v)
	return &a.i32[len(a.i32)-1]
}

func (a *outArena) int64(v int64) *int64 {
	a.i64 = append(a.i64, v)
	return &a.i64[len(a.i64)-1]
}

// vifOut translates a VIF as read. It points into v's snapshot, which nobody changes.
// The VIF-level ASN, addresses and key are those of its first peer, as AWS shows them.
func vifOut(v *store.VIFView) model.VirtualInterface {
	return vifOutIn(v, newOutArena(1, len(v.Peers)))
}

func vifOutIn(v *store.VIFView, a *outArena) model.VirtualInterface {
	out := model.VirtualInterface{
		OwnerAccount:           &v.Owner,
		VirtualInterfaceId:     &v.ID,
		Location:               &v.Location.Code,
		ConnectionId:           &v.ConnectionID,
		VirtualInterfaceType:   vifTypes[v.Type],
		VirtualInterfaceName:   &v.Name,
		Vlan:                   a.int32(int32(v.VLAN)),
		AmazonSideAsn:          &v.AmazonSideAsn,
		VirtualInterfaceState:  &v.State,
		CustomerRouterConfig:   a.str(v.RouterConfig()),
		Mtu:                    a.int32(int32(v.MTU)),
		JumboFrameCapable:      boolPtr(v.Jumbo),
		VirtualGatewayId:       &v.VirtualGatewayID,
		DirectConnectGatewayId: &v.DXGatewayID,
		RouteFilterPrefixes:    make([]model.RouteFilterPrefix, len(v.RouteFilterPrefixes)),
		Region:                 &v.Region,
		AwsDeviceV2:            &v.Device,
		AwsLogicalDeviceId:     &v.Device,
		Tags:                   tagsOut(v.Tags),
		SiteLinkEnabled:        boolPtr(v.SiteLink),
	}
	for i := range v.RouteFilterPrefixes {
		out.RouteFilterPrefixes[i] = model.RouteFilterPrefix{Cidr: &v.RouteFilterPrefixes[i]}
	}
	start := len(a.peers)
	first := v.First()
	for i := range v.Peers {
		p := &v.Peers[i]
		a.peers = append(a.peers, peerOut(p, &v.Device, a))
		if p == first {
			wire := &a.peers[len(a.peers)-1]
			out.Asn, out.AsnLong = wire.Asn, wire.AsnLong
			out.AuthKey, out.AmazonAddress, out.CustomerAddress, out.AddressFamily = &p.AuthKey, &p.AmazonAddress, &p.CustomerAddress, &p.AddressFamily
		}
	}
	out.BgpPeers = a.peers[start:len(a.peers):len(a.peers)]
	return out
}

func peerOut(p *store.Peer, device *string, a *outArena) model.BGPPeer {
	asn, asnLong := vif.SplitASN(p.ASN)
	return model.BGPPeer{
		BgpPeerId:          &p.ID,
		Asn:                a.int32(asn),
		AsnLong:            a.int64(asnLong),
		AuthKey:            &p.AuthKey,
		AddressFamily:      &p.AddressFamily,
		AmazonAddress:      &p.AmazonAddress,
		CustomerAddress:    &p.CustomerAddress,
		BgpPeerState:       &p.State,
		BgpStatus:          &p.Status,
		AwsDeviceV2:        device,
		AwsLogicalDeviceId: device,
	}
}

func (s *service) createVIF(ctx context.Context, spec store.NewVIF) (*model.VirtualInterface, error) {
	c, r := s.region(ctx)
	v, err := r.CreateVIF(c, spec)
	if err != nil {
		return nil, err
	}
	out := vifOut(&v)
	return &out, nil
}

func routeFiltersIn(in []model.RouteFilterPrefix) []string {
	out := make([]string, len(in))
	for i, p := range in {
		out[i] = str(p.Cidr)
	}
	return out
}

func (s *service) CreatePrivateVirtualInterface(ctx context.Context, in *model.CreatePrivateVirtualInterfaceRequest) (*model.VirtualInterface, error) {
	n := in.NewPrivateVirtualInterface
	return s.createVIF(ctx, store.NewVIF{
		Type: vif.Private, ConnectionID: str(in.ConnectionId),
		Name: n.VirtualInterfaceName, VLAN: n.Vlan, ASN: n.Asn, ASNLong: n.AsnLong, MTU: n.Mtu, AuthKey: n.AuthKey,
		AmazonAddress: n.AmazonAddress, CustomerAddress: n.CustomerAddress, AddressFamily: n.AddressFamily,
		VirtualGatewayID: n.VirtualGatewayId, DXGatewayID: n.DirectConnectGatewayId, SiteLink: n.EnableSiteLink,
		Tags: tagsIn(n.Tags),
	})
}

func (s *service) CreatePublicVirtualInterface(ctx context.Context, in *model.CreatePublicVirtualInterfaceRequest) (*model.VirtualInterface, error) {
	n := in.NewPublicVirtualInterface
	return s.createVIF(ctx, store.NewVIF{
		Type: vif.Public, ConnectionID: str(in.ConnectionId),
		Name: n.VirtualInterfaceName, VLAN: n.Vlan, ASN: n.Asn, ASNLong: n.AsnLong, AuthKey: n.AuthKey,
		AmazonAddress: n.AmazonAddress, CustomerAddress: n.CustomerAddress, AddressFamily: n.AddressFamily,
		RouteFilterPrefixes: routeFiltersIn(n.RouteFilterPrefixes), Tags: tagsIn(n.Tags),
	})
}

func (s *service) CreateTransitVirtualInterface(ctx context.Context, in *model.CreateTransitVirtualInterfaceRequest) (*model.CreateTransitVirtualInterfaceResult, error) {
	n := in.NewTransitVirtualInterface
	v, err := s.createVIF(ctx, store.NewVIF{
		Type: vif.Transit, ConnectionID: str(in.ConnectionId),
		Name: n.VirtualInterfaceName, VLAN: n.Vlan, ASN: n.Asn, ASNLong: n.AsnLong, MTU: n.Mtu, AuthKey: n.AuthKey,
		AmazonAddress: n.AmazonAddress, CustomerAddress: n.CustomerAddress, AddressFamily: n.AddressFamily,
		DXGatewayID: n.DirectConnectGatewayId, SiteLink: n.EnableSiteLink, Tags: tagsIn(n.Tags),
	})
	if err != nil {
		return nil, err
	}
	return &model.CreateTransitVirtualInterfaceResult{VirtualInterface: v}, nil
}

func (s *service) AllocatePrivateVirtualInterface(ctx context.Context, in *model.AllocatePrivateVirtualInterfaceRequest) (*model.VirtualInterface, error) {
	n := in.NewPrivateVirtualInterfaceAllocation
	return s.createVIF(ctx, store.NewVIF{
		Type: vif.Private, ConnectionID: str(in.ConnectionId), Allocate: true, OwnerAccount: str(in.OwnerAccount),
		Name: n.VirtualInterfaceName, VLAN: n.Vlan, ASN: n.Asn, ASNLong: n.AsnLong, MTU: n.Mtu, AuthKey: n.AuthKey,
		AmazonAddress: n.AmazonAddress, CustomerAddress: n.CustomerAddress, AddressFamily: n.AddressFamily,
		Tags: tagsIn(n.Tags),
	})
}

func (s *service) AllocatePublicVirtualInterface(ctx context.Context, in *model.AllocatePublicVirtualInterfaceRequest) (*model.VirtualInterface, error) {
	n := in.NewPublicVirtualInterfaceAllocation
	return s.createVIF(ctx, store.NewVIF{
		Type: vif.Public, ConnectionID: str(in.ConnectionId), Allocate: true, OwnerAccount: str(in.OwnerAccount),
		Name: n.VirtualInterfaceName, VLAN: n.Vlan, ASN: n.Asn, ASNLong: n.AsnLong, AuthKey: n.AuthKey,
		AmazonAddress: n.AmazonAddress, CustomerAddress: n.CustomerAddress, AddressFamily: n.AddressFamily,
		RouteFilterPrefixes: routeFiltersIn(n.RouteFilterPrefixes), Tags: tagsIn(n.Tags),
	})
}

func (s *service) AllocateTransitVirtualInterface(ctx context.Context, in *model.AllocateTransitVirtualInterfaceRequest) (*model.AllocateTransitVirtualInterfaceResult, error) {
	n := in.NewTransitVirtualInterfaceAllocation
	v, err := s.createVIF(ctx, store.NewVIF{
		Type: vif.Transit, ConnectionID: str(in.ConnectionId), Allocate: true, OwnerAccount: str(in.OwnerAccount),
		Name: n.VirtualInterfaceName, VLAN: n.Vlan, ASN: n.Asn, ASNLong: n.AsnLong, MTU: n.Mtu, AuthKey: n.AuthKey,
		AmazonAddress: n.AmazonAddress, CustomerAddress: n.CustomerAddress, AddressFamily: n.AddressFamily,
		Tags: tagsIn(n.Tags),
	})
	if err != nil {
		return nil, err
	}
	return &model.AllocateTransitVirtualInterfaceResult{VirtualInterface: v}, nil
}

func (s *service) confirmVIF(ctx context.Context, t vif.Type, id string, vgw, dxgw *string) (*string, error) {
	c, r := s.region(ctx)
	state, err := r.ConfirmVIF(c, t, id, vgw, dxgw)
	if err != nil {
		return nil, err
	}
	return &state, nil
}

func (s *service) ConfirmPrivateVirtualInterface(ctx context.Context, in *model.ConfirmPrivateVirtualInterfaceRequest) (*model.ConfirmPrivateVirtualInterfaceResponse, error) {
	state, err := s.confirmVIF(ctx, vif.Private, str(in.VirtualInterfaceId), in.VirtualGatewayId, in.DirectConnectGatewayId)
	if err != nil {
		return nil, err
	}
	return &model.ConfirmPrivateVirtualInterfaceResponse{VirtualInterfaceState: state}, nil
}

func (s *service) ConfirmPublicVirtualInterface(ctx context.Context, in *model.ConfirmPublicVirtualInterfaceRequest) (*model.ConfirmPublicVirtualInterfaceResponse, error) {
	state, err := s.confirmVIF(ctx, vif.Public, str(in.VirtualInterfaceId), nil, nil)
	if err != nil {
		return nil, err
	}
	return &model.ConfirmPublicVirtualInterfaceResponse{VirtualInterfaceState: state}, nil
}

func (s *service) ConfirmTransitVirtualInterface(ctx context.Context, in *model.ConfirmTransitVirtualInterfaceRequest) (*model.ConfirmTransitVirtualInterfaceResponse, error) {
	state, err := s.confirmVIF(ctx, vif.Transit, str(in.VirtualInterfaceId), nil, in.DirectConnectGatewayId)
	if err != nil {
		return nil, err
	}
	return &model.ConfirmTransitVirtualInterfaceResponse{VirtualInterfaceState: state}, nil
}

func (s *service) DescribeVirtualInterfaces(ctx context.Context, in *model.DescribeVirtualInterfacesRequest) (*model.VirtualInterfaces, error) {
	c, r := s.region(ctx)
	connID, id := str(in.ConnectionId), str(in.VirtualInterfaceId)
	vifs, next, err := r.DescribeVIFs(c, connID, id, pageOf(c, in.MaxResults, in.NextToken, "DescribeVirtualInterfaces", connID, id))
	if err != nil {
		return nil, err
	}
	out := &model.VirtualInterfaces{VirtualInterfaces: make([]model.VirtualInterface, len(vifs)), NextToken: nonEmpty(&next)}
	peers := 0
	for i := range vifs {
		peers += len(vifs[i].Peers)
	}
	a := newOutArena(len(vifs), peers)
	var scratch []byte
	for i := range vifs {
		out.VirtualInterfaces[i] = vifWire(&vifs[i], a, &scratch)
	}
	return out, nil
}

// vifWire is v for a Describe answer. Without tags to show (the reader is not the owner, or
// there are none), the answer depends only on v's snapshot, which never changes: its JSON is
// made by the first reader, kept with the snapshot, and copied as is by every later answer, so
// that a list of 10,000 VIFs copies bytes instead of encoding some 300,000 strings again.
// A change of the VIF publishes a new snapshot, which starts without it.
// scratch is the caller's buffer for encoding, reused from one VIF to the next.
func vifWire(v *store.VIFView, a *outArena, scratch *[]byte) model.VirtualInterface {
	if len(v.Tags) > 0 {
		return vifOutIn(v, a)
	}
	if b := v.Wire(); b != nil {
		return model.VirtualInterface{Encoded: b}
	}
	out := vifOutIn(v, a)
	*scratch = out.AppendJSON((*scratch)[:0])
	return model.VirtualInterface{Encoded: v.SetWire(slices.Clone(*scratch))}
}

func (s *service) DeleteVirtualInterface(ctx context.Context, in *model.DeleteVirtualInterfaceRequest) (*model.DeleteVirtualInterfaceResponse, error) {
	c, r := s.region(ctx)
	state, err := r.DeleteVIF(c, str(in.VirtualInterfaceId))
	if err != nil {
		return nil, err
	}
	return &model.DeleteVirtualInterfaceResponse{VirtualInterfaceState: &state}, nil
}

func (s *service) UpdateVirtualInterfaceAttributes(ctx context.Context, in *model.UpdateVirtualInterfaceAttributesRequest) (*model.VirtualInterface, error) {
	c, r := s.region(ctx)
	v, err := r.UpdateVIF(c, str(in.VirtualInterfaceId), store.VIFUpdate{MTU: in.Mtu, SiteLink: in.EnableSiteLink, Name: in.VirtualInterfaceName})
	if err != nil {
		return nil, err
	}
	out := vifOut(&v)
	return &out, nil
}

func (s *service) AssociateVirtualInterface(ctx context.Context, in *model.AssociateVirtualInterfaceRequest) (*model.VirtualInterface, error) {
	c, r := s.region(ctx)
	v, err := r.AssociateVIF(c, str(in.VirtualInterfaceId), str(in.ConnectionId))
	if err != nil {
		return nil, err
	}
	out := vifOut(&v)
	return &out, nil
}
