package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"

	"github.com/dxlocal/dxlocal/internal/gateway"
)

func seedVGW(t *testing.T, e *env, id, account, region string) {
	t.Helper()
	rec, err := gateway.Normalize(gateway.Record{ID: id, OwnerAccount: account, Region: region}, account, region)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.Gateways().Register(rec); err != nil {
		t.Fatal(err)
	}
}

func TestVIFCreateRefusals(t *testing.T) {
	e := newEnv(t, withPartners(partner))
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	const foreignVGW, farVGW, freshVGW = "vgw-000000000000000f1", "vgw-000000000000000f2", "vgw-000000000000000f3"
	seedVGW(t, e, foreignVGW, other, usEast)
	seedVGW(t, e, farVGW, owner, euWest)
	ic := createInterconnect(t, e.client(partner), "TstB1", "10Gbps")
	lag, err := dx.CreateLag(ctx, &directconnect.CreateLagInput{LagName: aws.String("l"), Location: aws.String("TstB1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 1})
	if err != nil {
		t.Fatal(err)
	}
	member := aws.ToString(lag.Connections[0].ConnectionId)
	if _, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: privateVIF(101, vgwA)}); err != nil {
		t.Fatal(err)
	}
	clash := privateVIF(102, vgwA)
	clash.AmazonAddress, clash.CustomerAddress = aws.String("169.254.9.1/30"), aws.String("169.254.9.2/30")
	if _, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: clash}); err != nil {
		t.Fatal(err)
	}
	priv := func(mod func(*types.NewPrivateVirtualInterface)) func() error {
		return func() error {
			in := privateVIF(300, freshVGW)
			mod(in)
			_, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: in})
			return err
		}
	}
	privOn := func(connID string) func() error {
		return func() error {
			_, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(connID), NewPrivateVirtualInterface: privateVIF(300, freshVGW)})
			return err
		}
	}
	pub := func(mod func(*types.NewPublicVirtualInterface)) func() error {
		return func() error {
			in := publicVIF(301)
			mod(in)
			_, err := dx.CreatePublicVirtualInterface(ctx, &directconnect.CreatePublicVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPublicVirtualInterface: in})
			return err
		}
	}
	cases := []struct {
		name  string
		call  func() error
		code  string
		parts []string
	}{
		{"vlan out of range", priv(func(in *types.NewPrivateVirtualInterface) { in.Vlan = 4095 }), clientErr, []string{"vlan 4095"}},
		{"vlan in use", priv(func(in *types.NewPrivateVirtualInterface) { in.Vlan = 101 }), clientErr, []string{"VLAN 101 is already in use on " + conn}},
		{"bad name", priv(func(in *types.NewPrivateVirtualInterface) { in.VirtualInterfaceName = aws.String("bad!") }), clientErr, []string{"virtualInterfaceName", "bad!"}},
		{"asn too large", priv(func(in *types.NewPrivateVirtualInterface) { in.AsnLong = aws.Int64(4294967295) }), clientErr, []string{"BGP ASN 4294967295 must have value less than or equal to 4294967294"}},
		{"asn below one", priv(func(in *types.NewPrivateVirtualInterface) { in.Asn = -3 }), clientErr, []string{"BGP ASN -3 must have value greater than or equal to 1"}},
		{"mtu for transit", priv(func(in *types.NewPrivateVirtualInterface) { in.Mtu = aws.Int32(8500) }), clientErr, []string{"MTU 8500 is not supported for private virtual interfaces."}},
		{"short auth key", priv(func(in *types.NewPrivateVirtualInterface) { in.AuthKey = aws.String("abc") }), clientErr, []string{"authKey", "abc"}},
		{"no gateway", priv(func(in *types.NewPrivateVirtualInterface) { in.VirtualGatewayId = nil }), clientErr, []string{"Exactly one of virtualGatewayId and directConnectGatewayId"}},
		{"two gateways", priv(func(in *types.NewPrivateVirtualInterface) {
			in.DirectConnectGatewayId = aws.String("5f294f92-bafb-4011-916d-9b0bde000001")
		}), clientErr, []string{"Exactly one of virtualGatewayId and directConnectGatewayId"}},
		{"malformed vgw", priv(func(in *types.NewPrivateVirtualInterface) { in.VirtualGatewayId = aws.String("vgw-xyz") }), clientErr, []string{"virtualGatewayId vgw-xyz is not valid."}},
		{"tgw as vgw", priv(func(in *types.NewPrivateVirtualInterface) { in.VirtualGatewayId = aws.String("tgw-0123456789abcdef0") }), clientErr, []string{"virtualGatewayId tgw-0123456789abcdef0"}},
		{"foreign vgw", priv(func(in *types.NewPrivateVirtualInterface) { in.VirtualGatewayId = aws.String(foreignVGW) }), clientErr, []string{"The VirtualGateway " + foreignVGW + " does not exist."}},
		{"vgw of another region", priv(func(in *types.NewPrivateVirtualInterface) { in.VirtualGatewayId = aws.String(farVGW) }), clientErr, []string{"The VirtualGateway " + farVGW + " does not exist."}},
		{"unknown dx gateway", priv(func(in *types.NewPrivateVirtualInterface) {
			in.VirtualGatewayId, in.DirectConnectGatewayId = nil, aws.String("5f294f92-bafb-4011-916d-9b0bde000001")
		}), clientErr, []string{"Direct Connect gateway 5f294f92-bafb-4011-916d-9b0bde000001 does not exist"}},
		{"malformed dx gateway", priv(func(in *types.NewPrivateVirtualInterface) {
			in.VirtualGatewayId, in.DirectConnectGatewayId = nil, aws.String("gw-1")
		}), clientErr, []string{"directConnectGatewayId gw-1 is not valid."}},
		{"one address", priv(func(in *types.NewPrivateVirtualInterface) { in.AmazonAddress = aws.String("169.254.7.1/30") }), clientErr, []string{"amazonAddress and customerAddress must be given together"}},
		{"addresses apart", priv(func(in *types.NewPrivateVirtualInterface) {
			in.AmazonAddress, in.CustomerAddress = aws.String("169.254.7.1/30"), aws.String("169.254.8.2/30")
		}), clientErr, []string{"same subnet", "169.254.7.1/30", "169.254.8.2/30"}},
		{"address clash", priv(func(in *types.NewPrivateVirtualInterface) {
			in.AmazonAddress, in.CustomerAddress = aws.String("169.254.9.2/31"), aws.String("169.254.9.3/31")
		}), clientErr, []string{"169.254.9.3/31", "overlaps", "169.254.9.2/30"}},
		{"custom ipv6", priv(func(in *types.NewPrivateVirtualInterface) {
			in.AddressFamily, in.AmazonAddress, in.CustomerAddress = types.AddressFamilyIPv6, aws.String("2001:db8::1/125"), aws.String("2001:db8::6/125")
		}), clientErr, []string{"Custom IPv6 addresses are not supported."}},
		{"sitelink on a vgw", priv(func(in *types.NewPrivateVirtualInterface) { in.EnableSiteLink = aws.Bool(true) }), clientErr, []string{"enableSiteLink", "virtual private gateway"}},
		{"duplicate tag keys", priv(func(in *types.NewPrivateVirtualInterface) {
			in.Tags = []types.Tag{{Key: aws.String("k")}, {Key: aws.String("k")}}
		}), "DuplicateTagKeysException", []string{"k"}},
		{"reserved tag key", priv(func(in *types.NewPrivateVirtualInterface) { in.Tags = []types.Tag{{Key: aws.String("aws:x")}} }), clientErr, []string{"aws:x"}},
		{"unknown connection", privOn("dxcon-fzzzzzzz"), clientErr, []string{"Could not find Connection with ID dxcon-fzzzzzzz"}},
		{"malformed connection", privOn("bogus"), clientErr, []string{"ConnectionID bogus has an invalid format."}},
		{"someone else's connection", func() error {
			_, err := e.client(other).CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: privateVIF(300, freshVGW)})
			return err
		}, clientErr, []string{"Could not find Connection with ID " + conn}},
		{"interconnect", func() error {
			_, err := e.client(partner).CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: ic.InterconnectId, NewPrivateVirtualInterface: privateVIF(300, freshVGW)})
			return err
		}, clientErr, []string{aws.ToString(ic.InterconnectId), "interconnect"}},
		{"lag member", privOn(member), clientErr, []string{member, "member of Lag " + aws.ToString(lag.LagId)}},
		{"public without prefixes", pub(func(in *types.NewPublicVirtualInterface) { in.RouteFilterPrefixes = nil }), clientErr, []string{"routeFilterPrefixes"}},
		{"public long ipv6 prefix", pub(func(in *types.NewPublicVirtualInterface) {
			in.RouteFilterPrefixes = []types.RouteFilterPrefix{{Cidr: aws.String("2001:db8::/96")}}
		}), clientErr, []string{"2001:db8::/96", "/64"}},
		{"public prefix not a network", pub(func(in *types.NewPublicVirtualInterface) {
			in.RouteFilterPrefixes = []types.RouteFilterPrefix{{Cidr: aws.String("198.51.100.7/24")}}
		}), clientErr, []string{"198.51.100.7/24"}},
		{"public without addresses", pub(func(in *types.NewPublicVirtualInterface) { in.AmazonAddress, in.CustomerAddress = nil, nil }), clientErr, []string{"amazonAddress and customerAddress are required"}},
		{"transit without dx gateway", func() error {
			_, err := dx.CreateTransitVirtualInterface(ctx, &directconnect.CreateTransitVirtualInterfaceInput{ConnectionId: aws.String(conn), NewTransitVirtualInterface: &types.NewTransitVirtualInterface{VirtualInterfaceName: aws.String("t"), Vlan: 302, Asn: 65000}})
			return err
		}, clientErr, []string{"directConnectGatewayId is required for a transit virtual interface."}},
		{"transit mtu", func() error {
			_, err := dx.CreateTransitVirtualInterface(ctx, &directconnect.CreateTransitVirtualInterfaceInput{ConnectionId: aws.String(conn), NewTransitVirtualInterface: &types.NewTransitVirtualInterface{VirtualInterfaceName: aws.String("t"), Vlan: 302, Asn: 65000, Mtu: aws.Int32(9001), DirectConnectGatewayId: aws.String("5f294f92-bafb-4011-916d-9b0bde000001")}})
			return err
		}, clientErr, []string{"MTU 9001 is not supported for transit virtual interfaces."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantAPIError(t, c.call(), c.code, c.parts...)
		})
	}
	// Nothing refused was created, and the VGW named only by refused calls is not registered.
	all, err := dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{})
	if err != nil || len(all.VirtualInterfaces) != 2 {
		t.Fatalf("%d VIFs after the refusals, want 2 (%v)", len(all.VirtualInterfaces), err)
	}
	if _, ok := e.store.Gateways().Lookup(freshVGW); ok {
		t.Fatalf("a refused call registered %s", freshVGW)
	}
	for _, rec := range e.store.Gateways().List() {
		if rec.ID == foreignVGW && rec.OwnerAccount != other {
			t.Fatalf("seeded gateway changed owner: %+v", rec)
		}
	}
}

func TestVIFRawRefusals(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	auth := "AWS4-HMAC-SHA256 Credential=" + owner + "/20261125/us-east-1/directconnect/aws4_request"
	for _, c := range []struct {
		name, body, want string
	}{
		{"no asn", `{"connectionId":"` + conn + `","newPrivateVirtualInterface":{"virtualInterfaceName":"v","vlan":5,"virtualGatewayId":"` + vgwA + `"}}`, "asn is required."},
		{"asn zero", `{"connectionId":"` + conn + `","newPrivateVirtualInterface":{"virtualInterfaceName":"v","vlan":5,"asn":0,"virtualGatewayId":"` + vgwA + `"}}`, "BGP ASN 0 must have value greater than or equal to 1"},
		{"vlan zero", `{"connectionId":"` + conn + `","newPrivateVirtualInterface":{"virtualInterfaceName":"v","vlan":0,"asn":1,"virtualGatewayId":"` + vgwA + `"}}`, "vlan 0 is not valid"},
		{"no vlan", `{"connectionId":"` + conn + `","newPrivateVirtualInterface":{"virtualInterfaceName":"v","asn":1,"virtualGatewayId":"` + vgwA + `"}}`, "vlan is required."},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, _, body := e.raw("OvertureService.CreatePrivateVirtualInterface", c.body, "Authorization", auth)
			if status != 400 || body["__type"] != clientErr || !strings.Contains(fmt.Sprint(body["message"]), c.want) {
				t.Fatalf("%d %v, want %q", status, body, c.want)
			}
		})
	}
	if _, ok := e.store.Gateways().Lookup(vgwA); ok {
		t.Fatal("a refused call registered the VGW")
	}
}

func TestVIFOnAConnectionNotYetAvailable(t *testing.T) {
	e := newEnv(t, withDwell(time.Minute))
	dx := e.client(owner)
	c, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"), ConnectionName: aws.String("c")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: c.ConnectionId, NewPrivateVirtualInterface: privateVIF(5, vgwA)})
	wantAPIError(t, err, clientErr, "The specified Connection ID is not available", aws.ToString(c.ConnectionId), "requested")
	if _, ok := e.store.Gateways().Lookup(vgwA); ok {
		t.Fatal("a refused call registered the VGW")
	}
}

func TestVIFQuotas(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	q := e.store.Quotas()
	q.VifsPerConnection, q.RouteFilterPrefixes = 2, 2
	e.store.SetQuotas(q)
	for vlan := int32(1); vlan <= 2; vlan++ {
		if _, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: privateVIF(vlan, vgwA)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := dx.CreatePublicVirtualInterface(ctx, &directconnect.CreatePublicVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPublicVirtualInterface: publicVIF(3)})
	wantAPIError(t, err, clientErr, "Connection "+conn+" has reached its limit of 2")
	in := publicVIF(3)
	in.RouteFilterPrefixes = []types.RouteFilterPrefix{{Cidr: aws.String("198.51.100.0/24")}, {Cidr: aws.String("198.51.101.0/24")}, {Cidr: aws.String("198.51.102.0/24")}}
	_, err = dx.CreatePublicVirtualInterface(ctx, &directconnect.CreatePublicVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPublicVirtualInterface: in})
	wantAPIError(t, err, clientErr, "routeFilterPrefixes limit of 2")
}

func TestVIFTransitQuotaDXGateway(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	gw := e.newDXGateway(owner, 64700)
	q := e.store.Quotas()
	q.TransitVifsPerConnection = 1
	e.store.SetQuotas(q)
	transit := func(vlan int32) (*directconnect.CreateTransitVirtualInterfaceOutput, error) {
		return dx.CreateTransitVirtualInterface(ctx, &directconnect.CreateTransitVirtualInterfaceInput{ConnectionId: aws.String(conn), NewTransitVirtualInterface: &types.NewTransitVirtualInterface{
			VirtualInterfaceName: aws.String("t"), Vlan: vlan, Asn: 65000, Mtu: aws.Int32(8500), EnableSiteLink: aws.Bool(true), DirectConnectGatewayId: aws.String(gw)}})
	}
	out, err := transit(1)
	if err != nil {
		t.Fatal(err)
	}
	v := out.VirtualInterface
	if aws.ToString(v.VirtualInterfaceType) != "transit" || aws.ToString(v.DirectConnectGatewayId) != gw || aws.ToString(v.VirtualGatewayId) != "" ||
		aws.ToInt64(v.AmazonSideAsn) != 64700 || aws.ToInt32(v.Mtu) != 8500 || !aws.ToBool(v.SiteLinkEnabled) {
		t.Fatalf("transit VIF %+v", v)
	}
	if got := e.attachedVIFs(owner, gw); len(got) != 1 || got[0] != aws.ToString(v.VirtualInterfaceId) {
		t.Fatalf("attachments %v", got)
	}
	_, err = transit(2)
	wantAPIError(t, err, clientErr, "Connection "+conn+" has reached its limit of 1 transit virtual interfaces.")
	// Private VIFs still fit beside it.
	if _, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: privateVIF(2, vgwA)}); err != nil {
		t.Fatal(err)
	}
	if _, err := dx.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: v.VirtualInterfaceId}); err != nil {
		t.Fatal(err)
	}
	if got := e.attachedVIFs(owner, gw); len(got) != 0 {
		t.Fatalf("attachments after delete %v", got)
	}
}

func TestVIFPrivateDXGateway(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	gw := e.newDXGateway(owner, 64800)
	e.newDXGateway(other, 64800)
	in := privateVIF(1, "")
	in.VirtualGatewayId, in.DirectConnectGatewayId, in.EnableSiteLink = nil, aws.String("arn:aws:directconnect::"+owner+":dx-gateway/"+gw), aws.Bool(true)
	v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: in})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(v.DirectConnectGatewayId) != gw || aws.ToInt64(v.AmazonSideAsn) != 64800 || !aws.ToBool(v.SiteLinkEnabled) {
		t.Fatalf("private VIF on a DX gateway: %+v", v)
	}
	in.Vlan, in.DirectConnectGatewayId = 2, aws.String("5f294f92-bafb-4011-916d-9b0bde000003")
	_, err = dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: in})
	wantAPIError(t, err, clientErr, "Direct Connect gateway 5f294f92-bafb-4011-916d-9b0bde000003 does not exist")
}

func TestVIFHostedConnection(t *testing.T) {
	e := newEnv(t, withPartners(partner))
	p, cu := e.client(partner), e.client(customer)
	ic := createInterconnect(t, p, "TstB1", "10Gbps")
	h, err := allocate(p, ic.InterconnectId, "500Mbps", 77)
	if err != nil {
		t.Fatal(err)
	}
	hid := aws.ToString(h.ConnectionId)
	if _, err := cu.ConfirmConnection(ctx, &directconnect.ConfirmConnectionInput{ConnectionId: &hid}); err != nil {
		t.Fatal(err)
	}
	e.raw("OvertureService.DescribeLocations", `{}`) // settle
	_, err = cu.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &hid, NewPrivateVirtualInterface: privateVIF(78, vgwA)})
	wantAPIError(t, err, clientErr, "vlan 78 does not match VLAN 77 of hosted connection "+hid)
	v, err := cu.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &hid, NewPrivateVirtualInterface: privateVIF(77, vgwA)})
	if err != nil {
		t.Fatal(err)
	}
	if v.Vlan != 77 || aws.ToString(v.ConnectionId) != hid {
		t.Fatalf("VIF on the hosted connection: %+v", v)
	}
	_, err = cu.CreatePublicVirtualInterface(ctx, &directconnect.CreatePublicVirtualInterfaceInput{ConnectionId: &hid, NewPublicVirtualInterface: publicVIF(77)})
	wantAPIError(t, err, clientErr, "VLAN 77 is already in use on "+hid)
	// The hosted connection cannot go while its VIF lives, by either side.
	for _, dx := range []*directconnect.Client{cu, p} {
		_, err = dx.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: &hid})
		wantAPIError(t, err, clientErr, "Connection "+hid+" has virtual interfaces")
	}
	// Nor can a VIF be allocated on it.
	_, err = cu.AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{ConnectionId: &hid, OwnerAccount: aws.String(stranger), NewPrivateVirtualInterfaceAllocation: &types.NewPrivateVirtualInterfaceAllocation{VirtualInterfaceName: aws.String("x"), Vlan: 77, Asn: 65000}})
	wantAPIError(t, err, clientErr, "cannot be allocated on hosted connection "+hid)
	if _, err := cu.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: v.VirtualInterfaceId}); err != nil {
		t.Fatal(err)
	}
	// The VLAN is free again at once.
	if _, err := cu.CreatePublicVirtualInterface(ctx, &directconnect.CreatePublicVirtualInterfaceInput{ConnectionId: &hid, NewPublicVirtualInterface: publicVIF(77)}); err != nil {
		t.Fatal(err)
	}
}

func TestVIFDeleteFreesTheVLANAndUnblocksTheConnection(t *testing.T) {
	for _, dwell := range []time.Duration{0, time.Minute} {
		t.Run(dwell.String(), func(t *testing.T) {
			e := newEnv(t, withDwell(dwell))
			dx := e.client(owner)
			conn := e.readyConnection(dx, dwell)
			v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: privateVIF(42, vgwA)})
			if err != nil {
				t.Fatal(err)
			}
			id := aws.ToString(v.VirtualInterfaceId)
			_, err = dx.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: aws.String(conn)})
			wantAPIError(t, err, clientErr, "Connection "+conn+" has virtual interfaces")
			if _, err := dx.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: &id}); err != nil {
				t.Fatal(err)
			}
			again, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: privateVIF(42, vgwA)})
			if err != nil {
				t.Fatalf("VLAN 42 not free after the delete: %v", err)
			}
			if _, err := dx.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: again.VirtualInterfaceId}); err != nil {
				t.Fatal(err)
			}
			if dwell > 0 {
				// Deleting VIFs are still live: they hold the connection.
				_, err = dx.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: aws.String(conn)})
				wantAPIError(t, err, clientErr, "has virtual interfaces")
				e.clock.Advance(dwell)
			}
			if s := e.state(dx, id); s != types.VirtualInterfaceStateDeleted {
				t.Fatalf("deleted VIF reads %s", s)
			}
			if _, err := dx.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: aws.String(conn)}); err != nil {
				t.Fatal(err)
			}
			// Deleted VIFs are shown for 15 minutes, then gone.
			e.clock.Advance(15 * time.Minute)
			_, err = dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{VirtualInterfaceId: &id})
			wantAPIError(t, err, clientErr, "Virtual interface "+id+" does not exist")
		})
	}
}

func TestVIFLagRules(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	lag, err := dx.CreateLag(ctx, &directconnect.CreateLagInput{LagName: aws.String("l"), Location: aws.String("TstB1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 1})
	if err != nil {
		t.Fatal(err)
	}
	lagID := aws.ToString(lag.LagId)
	e.raw("OvertureService.DescribeLocations", `{}`)
	onLag, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &lagID, NewPrivateVirtualInterface: privateVIF(5, vgwA)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = dx.DeleteLag(ctx, &directconnect.DeleteLagInput{LagId: &lagID})
	wantAPIError(t, err, clientErr, "Lag "+lagID+" has virtual interfaces")
	// A VIF on the standalone connection with the same VLAN blocks the connection joining the LAG.
	onConn, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &conn, NewPrivateVirtualInterface: privateVIF(5, vgwA)})
	if err != nil {
		t.Fatal(err)
	}
	e.raw("OvertureService.DescribeLocations", `{}`)
	_, err = dx.AssociateConnectionWithLag(ctx, &directconnect.AssociateConnectionWithLagInput{ConnectionId: &conn, LagId: &lagID})
	wantAPIError(t, err, clientErr, "VLAN 5 is already in use on "+lagID)
	// Moving the VIF to the LAG is refused the same way; on another VLAN it moves.
	_, err = dx.AssociateVirtualInterface(ctx, &directconnect.AssociateVirtualInterfaceInput{VirtualInterfaceId: onConn.VirtualInterfaceId, ConnectionId: &lagID})
	wantAPIError(t, err, clientErr, "VLAN 5 is already in use on "+lagID)
	if _, err := dx.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: onLag.VirtualInterfaceId}); err != nil {
		t.Fatal(err)
	}
	moved, err := dx.AssociateVirtualInterface(ctx, &directconnect.AssociateVirtualInterfaceInput{VirtualInterfaceId: onConn.VirtualInterfaceId, ConnectionId: &lagID})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(moved.ConnectionId) != lagID || moved.VirtualInterfaceState != types.VirtualInterfaceStatePending {
		t.Fatalf("moved VIF: %s %s", aws.ToString(moved.ConnectionId), moved.VirtualInterfaceState)
	}
	if s := e.state(dx, aws.ToString(onConn.VirtualInterfaceId)); s != types.VirtualInterfaceStateAvailable {
		t.Fatalf("after the move: %s", s)
	}
	// A second VIF on the connection follows it into the LAG.
	follower, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &conn, NewPrivateVirtualInterface: privateVIF(6, vgwA)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dx.AssociateConnectionWithLag(ctx, &directconnect.AssociateConnectionWithLagInput{ConnectionId: &conn, LagId: &lagID}); err != nil {
		t.Fatal(err)
	}
	if got := e.describeVIF(dx, aws.ToString(follower.VirtualInterfaceId)); aws.ToString(got.ConnectionId) != lagID {
		t.Fatalf("VIF stayed on %s", aws.ToString(got.ConnectionId))
	}
	// Moves only between the owner's own connections.
	_, err = e.client(other).AssociateVirtualInterface(ctx, &directconnect.AssociateVirtualInterfaceInput{VirtualInterfaceId: follower.VirtualInterfaceId, ConnectionId: &conn})
	wantAPIError(t, err, clientErr, "does not exist")
}

func TestVIFUpdateAttributes(t *testing.T) {
	e := newEnv(t, withDwell(time.Minute))
	dx := e.client(owner)
	conn := e.readyConnection(dx, time.Minute)
	v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &conn, NewPrivateVirtualInterface: privateVIF(5, vgwA)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(v.VirtualInterfaceId)
	_, err = dx.UpdateVirtualInterfaceAttributes(ctx, &directconnect.UpdateVirtualInterfaceAttributesInput{VirtualInterfaceId: &id, Mtu: aws.Int32(9001)})
	wantAPIError(t, err, clientErr, "Virtual interface "+id+" is in state pending.")
	e.clock.Advance(time.Minute)
	for _, c := range []struct {
		in   directconnect.UpdateVirtualInterfaceAttributesInput
		want []string
	}{
		{directconnect.UpdateVirtualInterfaceAttributesInput{Mtu: aws.Int32(8500)}, []string{"MTU 8500 is not supported for private virtual interfaces."}},
		{directconnect.UpdateVirtualInterfaceAttributesInput{EnableSiteLink: aws.Bool(true)}, []string{"enableSiteLink", "virtual private gateway"}},
		{directconnect.UpdateVirtualInterfaceAttributesInput{VirtualInterfaceName: aws.String("no!")}, []string{"virtualInterfaceName", "no!"}},
	} {
		c.in.VirtualInterfaceId = &id
		_, err := dx.UpdateVirtualInterfaceAttributes(ctx, &c.in)
		wantAPIError(t, err, clientErr, c.want...)
	}
	u, err := dx.UpdateVirtualInterfaceAttributes(ctx, &directconnect.UpdateVirtualInterfaceAttributesInput{VirtualInterfaceId: &id, VirtualInterfaceName: aws.String("renamed")})
	if err != nil || aws.ToString(u.VirtualInterfaceName) != "renamed" || u.VirtualInterfaceState != types.VirtualInterfaceStateAvailable {
		t.Fatalf("rename: %v %v", u, err)
	}
	_, err = e.client(other).UpdateVirtualInterfaceAttributes(ctx, &directconnect.UpdateVirtualInterfaceAttributesInput{VirtualInterfaceId: &id, VirtualInterfaceName: aws.String("x")})
	wantAPIError(t, err, clientErr, "Virtual interface "+id+" does not exist")
}

func TestVIFTags(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &conn, NewPrivateVirtualInterface: privateVIF(5, vgwA)})
	if err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:directconnect:us-east-1:" + owner + ":dxvif/" + aws.ToString(v.VirtualInterfaceId)
	if _, err := dx.TagResource(ctx, &directconnect.TagResourceInput{ResourceArn: &arn, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := dx.UntagResource(ctx, &directconnect.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"missing"}}); err != nil {
		t.Fatal(err)
	}
	out, err := dx.DescribeTags(ctx, &directconnect.DescribeTagsInput{ResourceArns: []string{arn}})
	if err != nil || len(out.ResourceTags) != 1 || len(out.ResourceTags[0].Tags) != 1 || aws.ToString(out.ResourceTags[0].Tags[0].Key) != "a" {
		t.Fatalf("tags %+v %v", out, err)
	}
	if got := e.describeVIF(dx, aws.ToString(v.VirtualInterfaceId)); len(got.Tags) != 1 {
		t.Fatalf("describe shows tags %v", got.Tags)
	}
	foreign := "arn:aws:directconnect:us-east-1:" + other + ":dxvif/" + aws.ToString(v.VirtualInterfaceId)
	_, err = e.client(other).DescribeTags(ctx, &directconnect.DescribeTagsInput{ResourceArns: []string{foreign}})
	wantAPIError(t, err, clientErr, "Resource "+foreign+" does not exist.")
}

func TestVIFDescribePages(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	for vlan := int32(1); vlan <= 5; vlan++ {
		if _, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &conn, NewPrivateVirtualInterface: privateVIF(vlan, vgwA)}); err != nil {
			t.Fatal(err)
		}
	}
	var vlans []int32
	var token *string
	for pages := 0; ; pages++ {
		out, err := dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{ConnectionId: &conn, MaxResults: aws.Int32(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range out.VirtualInterfaces {
			vlans = append(vlans, v.Vlan)
		}
		if token = out.NextToken; token == nil {
			if pages != 2 {
				t.Fatalf("%d pages", pages+1)
			}
			break
		}
	}
	if fmt.Sprint(vlans) != "[1 2 3 4 5]" {
		t.Fatalf("pages gave %v", vlans)
	}
	// A token belongs to its request: replayed with another filter, or by one VIF's id, it is refused.
	first, err := dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{MaxResults: aws.Int32(2)})
	if err != nil || first.NextToken == nil {
		t.Fatalf("first page %v %v", first, err)
	}
	_, err = dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{VirtualInterfaceId: first.VirtualInterfaces[0].VirtualInterfaceId, NextToken: first.NextToken})
	wantAPIError(t, err, clientErr, "Invalid pagination token.")
	_, err = dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{ConnectionId: &conn, MaxResults: aws.Int32(2), NextToken: first.NextToken})
	wantAPIError(t, err, clientErr, "Invalid pagination token.")
	_, err = e.client(other).DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{MaxResults: aws.Int32(2), NextToken: first.NextToken})
	wantAPIError(t, err, clientErr, "Invalid pagination token.")
	_, err = dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{MaxResults: aws.Int32(2), NextToken: aws.String("bogus")})
	wantAPIError(t, err, clientErr, "Invalid pagination token.")
	_, err = dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{MaxResults: aws.Int32(0)})
	wantAPIError(t, err, clientErr, "maxResults must be between 1 and 100.")
}
