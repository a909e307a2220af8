package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

// readyVIF makes an available private VIF of owner's and answers its id.
func (e *env) readyVIF(dx *directconnect.Client, dwell time.Duration) string {
	e.t.Helper()
	conn := e.readyConnection(dx, dwell)
	v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &conn, NewPrivateVirtualInterface: privateVIF(100, vgwA)})
	if err != nil {
		e.t.Fatal(err)
	}
	e.clock.Advance(dwell)
	id := aws.ToString(v.VirtualInterfaceId)
	if s := e.state(dx, id); s != types.VirtualInterfaceStateAvailable {
		e.t.Fatalf("VIF %s", s)
	}
	return id
}

func peerOf(v *types.VirtualInterface, af types.AddressFamily) *types.BGPPeer {
	for i := range v.BgpPeers {
		if v.BgpPeers[i].AddressFamily == af {
			return &v.BgpPeers[i]
		}
	}
	return nil
}

func TestBGPPeerLifecycle(t *testing.T) {
	for _, dwell := range []time.Duration{0, time.Minute} {
		t.Run(dwell.String(), func(t *testing.T) {
			e := newEnv(t, withDwell(dwell))
			dx := e.client(owner)
			id := e.readyVIF(dx, dwell)
			out, err := dx.CreateBGPPeer(ctx, &directconnect.CreateBGPPeerInput{VirtualInterfaceId: &id, NewBGPPeer: &types.NewBGPPeer{AddressFamily: types.AddressFamilyIPv6, Asn: 65000}})
			if err != nil {
				t.Fatal(err)
			}
			v := out.VirtualInterface
			p6 := peerOf(v, types.AddressFamilyIPv6)
			if len(v.BgpPeers) != 2 || p6 == nil || p6.BgpPeerState != types.BGPPeerStatePending || p6.BgpStatus != types.BGPStatusDown ||
				aws.ToString(p6.AmazonAddress) != "2001:db8::1/125" || aws.ToString(p6.CustomerAddress) != "2001:db8::6/125" ||
				!strings.HasPrefix(aws.ToString(p6.AuthKey), "0x") || aws.ToString(p6.AwsDeviceV2) != aws.ToString(v.AwsDeviceV2) {
				t.Fatalf("new IPv6 peer: %+v", p6)
			}
			if !strings.Contains(aws.ToString(v.CustomerRouterConfig), "<ipv6_customer_address>2001:db8::6/125</ipv6_customer_address>") {
				t.Fatalf("router XML lacks the IPv6 peer:\n%s", aws.ToString(v.CustomerRouterConfig))
			}
			_, err = dx.CreateBGPPeer(ctx, &directconnect.CreateBGPPeerInput{VirtualInterfaceId: &id, NewBGPPeer: &types.NewBGPPeer{AddressFamily: types.AddressFamilyIPv6, Asn: 65001}})
			wantAPIError(t, err, clientErr, "A BGP peer for address family ipv6 already exists on "+id)
			e.clock.Advance(dwell)
			got := e.describeVIF(dx, id)
			if p := peerOf(&got, types.AddressFamilyIPv6); p.BgpPeerState != types.BGPPeerStateAvailable || p.BgpStatus != types.BGPStatusUp {
				t.Fatalf("settled peer %s/%s", p.BgpPeerState, p.BgpStatus)
			}
			// Deleted by ASN and customer address, as the AWS provider for Terraform does.
			p4 := peerOf(&got, types.AddressFamilyIPv4)
			del, err := dx.DeleteBGPPeer(ctx, &directconnect.DeleteBGPPeerInput{VirtualInterfaceId: &id, Asn: 65000, CustomerAddress: p4.CustomerAddress})
			if err != nil {
				t.Fatal(err)
			}
			if p := peerOf(del.VirtualInterface, types.AddressFamilyIPv4); p == nil || p.BgpPeerState != types.BGPPeerStateDeleting {
				t.Fatalf("deleted peer reads %+v", p)
			}
			// The VIF-level members now mirror the peer that stays.
			if del.VirtualInterface.AddressFamily != types.AddressFamilyIPv6 {
				t.Fatalf("VIF mirrors %s", del.VirtualInterface.AddressFamily)
			}
			_, err = dx.DeleteBGPPeer(ctx, &directconnect.DeleteBGPPeerInput{VirtualInterfaceId: &id, BgpPeerId: p6.BgpPeerId})
			wantAPIError(t, err, clientErr, "The last BGP Peer on a Virtual Interface cannot be deleted")
			e.clock.Advance(dwell)
			got = e.describeVIF(dx, id)
			if len(got.BgpPeers) != 1 || got.BgpPeers[0].AddressFamily != types.AddressFamilyIPv6 {
				t.Fatalf("peers after the delete: %+v", got.BgpPeers)
			}
			// A new IPv4 peer may be added again, with addresses of its own.
			if _, err := dx.CreateBGPPeer(ctx, &directconnect.CreateBGPPeerInput{VirtualInterfaceId: &id, NewBGPPeer: &types.NewBGPPeer{AddressFamily: types.AddressFamilyIPv4, Asn: 65000, AmazonAddress: aws.String("169.254.100.1/30"), CustomerAddress: aws.String("169.254.100.2/30"), AuthKey: aws.String("sesame1")}}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestBGPPeerRefusals(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	id := e.readyVIF(dx, 0)
	conn := aws.ToString(e.describeVIF(dx, id).ConnectionId)
	pub, err := dx.CreatePublicVirtualInterface(ctx, &directconnect.CreatePublicVirtualInterfaceInput{ConnectionId: &conn, NewPublicVirtualInterface: publicVIF(200)})
	if err != nil {
		t.Fatal(err)
	}
	pubID := aws.ToString(pub.VirtualInterfaceId)
	for _, c := range []struct {
		name string
		in   directconnect.CreateBGPPeerInput
		want []string
	}{
		{"custom ipv6", directconnect.CreateBGPPeerInput{VirtualInterfaceId: &id, NewBGPPeer: &types.NewBGPPeer{AddressFamily: types.AddressFamilyIPv6, Asn: 1, CustomerAddress: aws.String("2001:db8::6/125"), AmazonAddress: aws.String("2001:db8::1/125")}}, []string{"Custom IPv6 addresses are not supported."}},
		{"second ipv4", directconnect.CreateBGPPeerInput{VirtualInterfaceId: &id, NewBGPPeer: &types.NewBGPPeer{AddressFamily: types.AddressFamilyIPv4, Asn: 1}}, []string{"address family ipv4 already exists on " + id}},
		{"no family", directconnect.CreateBGPPeerInput{VirtualInterfaceId: &id, NewBGPPeer: &types.NewBGPPeer{Asn: 1}}, []string{"addressFamily is required."}},
		{"no peer", directconnect.CreateBGPPeerInput{VirtualInterfaceId: &id}, []string{"newBGPPeer is required."}},
		{"unknown vif", directconnect.CreateBGPPeerInput{VirtualInterfaceId: aws.String("dxvif-fzzzzzzz"), NewBGPPeer: &types.NewBGPPeer{AddressFamily: types.AddressFamilyIPv6, Asn: 1}}, []string{"Virtual interface dxvif-fzzzzzzz does not exist"}},
		{"malformed vif", directconnect.CreateBGPPeerInput{VirtualInterfaceId: aws.String("vif-1"), NewBGPPeer: &types.NewBGPPeer{AddressFamily: types.AddressFamilyIPv6, Asn: 1}}, []string{"Virtual interface ID vif-1 has an invalid format."}},
		{"public asn", directconnect.CreateBGPPeerInput{VirtualInterfaceId: &pubID, NewBGPPeer: &types.NewBGPPeer{AddressFamily: types.AddressFamilyIPv6, Asn: 7018}}, []string{"BGP ASN 7018"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := dx.CreateBGPPeer(ctx, &c.in)
			wantAPIError(t, err, clientErr, c.want...)
		})
	}
	_, err = dx.DeleteBGPPeer(ctx, &directconnect.DeleteBGPPeerInput{VirtualInterfaceId: &id, Asn: 65000, CustomerAddress: aws.String("10.9.9.9/30")})
	wantAPIError(t, err, clientErr, "does not exist", "10.9.9.9/30")
	_, err = dx.DeleteBGPPeer(ctx, &directconnect.DeleteBGPPeerInput{VirtualInterfaceId: &id})
	wantAPIError(t, err, clientErr, "bgpPeerId, or asn and customerAddress, is required.")
	_, err = e.client(other).CreateBGPPeer(ctx, &directconnect.CreateBGPPeerInput{VirtualInterfaceId: &id, NewBGPPeer: &types.NewBGPPeer{AddressFamily: types.AddressFamilyIPv6, Asn: 1}})
	wantAPIError(t, err, clientErr, "Virtual interface "+id+" does not exist")
	if got := e.describeVIF(dx, id); len(got.BgpPeers) != 1 {
		t.Fatalf("refusals added peers: %+v", got.BgpPeers)
	}
}

func TestBGPPeerOnAVerifyingPublicVIF(t *testing.T) {
	e := newEnv(t, withDwell(time.Minute))
	dx := e.client(owner)
	conn := e.readyConnection(dx, time.Minute)
	pub, err := dx.CreatePublicVirtualInterface(ctx, &directconnect.CreatePublicVirtualInterfaceInput{ConnectionId: &conn, NewPublicVirtualInterface: publicVIF(200)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = dx.CreateBGPPeer(ctx, &directconnect.CreateBGPPeerInput{VirtualInterfaceId: pub.VirtualInterfaceId, NewBGPPeer: &types.NewBGPPeer{AddressFamily: types.AddressFamilyIPv6, Asn: 65001}})
	wantAPIError(t, err, clientErr, "Virtual interface "+aws.ToString(pub.VirtualInterfaceId)+" is in state verifying.")
	e.clock.Advance(time.Minute)
	out, err := dx.CreateBGPPeer(ctx, &directconnect.CreateBGPPeerInput{VirtualInterfaceId: pub.VirtualInterfaceId, NewBGPPeer: &types.NewBGPPeer{AddressFamily: types.AddressFamilyIPv6, Asn: 65001}})
	if err != nil {
		t.Fatal(err)
	}
	if p := peerOf(out.VirtualInterface, types.AddressFamilyIPv6); p.BgpPeerState != types.BGPPeerStateVerifying {
		t.Fatalf("public peer starts %s", p.BgpPeerState)
	}
}

func TestBGPFailoverStopListAndRefusals(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	id := e.readyVIF(dx, 0)
	if _, err := dx.CreateBGPPeer(ctx, &directconnect.CreateBGPPeerInput{VirtualInterfaceId: &id, NewBGPPeer: &types.NewBGPPeer{AddressFamily: types.AddressFamilyIPv6, Asn: 65000}}); err != nil {
		t.Fatal(err)
	}
	v := e.describeVIF(dx, id)
	p4, p6 := peerOf(&v, types.AddressFamilyIPv4), peerOf(&v, types.AddressFamilyIPv6)
	_, err := dx.StartBgpFailoverTest(ctx, &directconnect.StartBgpFailoverTestInput{VirtualInterfaceId: &id, TestDurationInMinutes: aws.Int32(4321)})
	wantAPIError(t, err, clientErr, "testDurationInMinutes 4321")
	_, err = dx.StartBgpFailoverTest(ctx, &directconnect.StartBgpFailoverTestInput{VirtualInterfaceId: &id, BgpPeers: []string{"dxpeer-fzzzzzzz"}})
	wantAPIError(t, err, clientErr, "BGP peer dxpeer-fzzzzzzz does not exist on "+id)
	_, err = e.client(other).StartBgpFailoverTest(ctx, &directconnect.StartBgpFailoverTestInput{VirtualInterfaceId: &id})
	wantAPIError(t, err, clientErr, "Virtual interface "+id+" does not exist")
	_, err = dx.StopBgpFailoverTest(ctx, &directconnect.StopBgpFailoverTestInput{VirtualInterfaceId: &id})
	wantAPIError(t, err, clientErr, "No BGP failover test is running on "+id)

	st, err := dx.StartBgpFailoverTest(ctx, &directconnect.StartBgpFailoverTestInput{VirtualInterfaceId: &id, BgpPeers: []string{aws.ToString(p6.BgpPeerId)}})
	if err != nil {
		t.Fatal(err)
	}
	testID := aws.ToString(st.VirtualInterfaceTest.TestId)
	if len(testID) != 36 || aws.ToInt32(st.VirtualInterfaceTest.TestDurationInMinutes) != 180 {
		t.Fatalf("test %+v", st.VirtualInterfaceTest)
	}
	v = e.describeVIF(dx, id)
	if v.VirtualInterfaceState != types.VirtualInterfaceStateTesting || peerOf(&v, types.AddressFamilyIPv6).BgpStatus != types.BGPStatusDown || peerOf(&v, types.AddressFamilyIPv4).BgpStatus != types.BGPStatusUp {
		t.Fatalf("testing one peer: %s %+v", v.VirtualInterfaceState, v.BgpPeers)
	}
	_, err = dx.StartBgpFailoverTest(ctx, &directconnect.StartBgpFailoverTestInput{VirtualInterfaceId: &id})
	wantAPIError(t, err, clientErr, "already running on "+id)
	_, err = dx.CreateBGPPeer(ctx, &directconnect.CreateBGPPeerInput{VirtualInterfaceId: &id, NewBGPPeer: &types.NewBGPPeer{AddressFamily: types.AddressFamilyIPv4, Asn: 65000}})
	wantAPIError(t, err, clientErr, "is in state testing.")
	e.clock.Advance(10 * time.Minute)
	stop, err := dx.StopBgpFailoverTest(ctx, &directconnect.StopBgpFailoverTestInput{VirtualInterfaceId: &id})
	if err != nil || aws.ToString(stop.VirtualInterfaceTest.Status) != "cancelled" || !aws.ToTime(stop.VirtualInterfaceTest.EndTime).Equal(e.clock.Now()) {
		t.Fatalf("stop: %+v %v", stop, err)
	}
	if s := e.state(dx, id); s != types.VirtualInterfaceStateAvailable {
		t.Fatalf("after stop: %s", s)
	}
	// A second test on all peers, then the history with its filters.
	if _, err := dx.StartBgpFailoverTest(ctx, &directconnect.StartBgpFailoverTestInput{VirtualInterfaceId: &id}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		in   directconnect.ListVirtualInterfaceTestHistoryInput
		want int
	}{
		{directconnect.ListVirtualInterfaceTestHistoryInput{}, 2},
		{directconnect.ListVirtualInterfaceTestHistoryInput{TestId: &testID}, 1},
		{directconnect.ListVirtualInterfaceTestHistoryInput{Status: aws.String("in_progress")}, 1},
		{directconnect.ListVirtualInterfaceTestHistoryInput{BgpPeers: []string{aws.ToString(p4.BgpPeerId)}}, 1},
		{directconnect.ListVirtualInterfaceTestHistoryInput{BgpPeers: []string{aws.ToString(p6.BgpPeerId)}}, 2},
		{directconnect.ListVirtualInterfaceTestHistoryInput{VirtualInterfaceId: aws.String("dxvif-fzzzzzzz")}, 0},
	} {
		out, err := dx.ListVirtualInterfaceTestHistory(ctx, &c.in)
		if err != nil || len(out.VirtualInterfaceTestHistory) != c.want {
			t.Fatalf("filter %+v: %d tests, want %d (%v)", c.in, len(out.VirtualInterfaceTestHistory), c.want, err)
		}
	}
	page, err := dx.ListVirtualInterfaceTestHistory(ctx, &directconnect.ListVirtualInterfaceTestHistoryInput{MaxResults: aws.Int32(1)})
	if err != nil || len(page.VirtualInterfaceTestHistory) != 1 || page.NextToken == nil || aws.ToString(page.VirtualInterfaceTestHistory[0].TestId) != testID {
		t.Fatalf("first page %+v %v", page, err)
	}
	if out, _ := e.client(other).ListVirtualInterfaceTestHistory(ctx, &directconnect.ListVirtualInterfaceTestHistoryInput{}); len(out.VirtualInterfaceTestHistory) != 0 {
		t.Fatal("another account sees the tests")
	}
	// Deleting the VIF cancels its running test.
	if _, err := dx.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: &id}); err != nil {
		t.Fatal(err)
	}
	out, _ := dx.ListVirtualInterfaceTestHistory(ctx, &directconnect.ListVirtualInterfaceTestHistoryInput{Status: aws.String("cancelled")})
	if len(out.VirtualInterfaceTestHistory) != 2 {
		t.Fatalf("%d cancelled tests, want 2", len(out.VirtualInterfaceTestHistory))
	}
}

func TestDescribeRouterConfiguration(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	id := e.readyVIF(dx, 0)
	out, err := dx.DescribeRouterConfiguration(ctx, &directconnect.DescribeRouterConfigurationInput{VirtualInterfaceId: &id, RouterTypeIdentifier: aws.String("CiscoSystemsInc-2900SeriesRouters-IOS124")})
	if err != nil {
		t.Fatal(err)
	}
	r := out.Router
	if r == nil || aws.ToString(r.Vendor) != "Cisco Systems, Inc." || aws.ToString(r.Platform) != "2900 Series Routers" || aws.ToString(r.Software) != "IOS 12.4+" ||
		aws.ToString(r.XsltTemplateName) != "customer-router-cisco-generic.xslt" || aws.ToString(r.RouterTypeIdentifier) != "CiscoSystemsInc-2900SeriesRouters-IOS124" ||
		aws.ToString(out.VirtualInterfaceId) != id || aws.ToString(out.VirtualInterfaceName) != "vif" {
		t.Fatalf("router configuration %+v", out)
	}
	cfg := aws.ToString(out.CustomerRouterConfig)
	for _, want := range []string{"encapsulation dot1Q 100", "router bgp 65000", "neighbor 169.254.0.1 remote-as 64512"} {
		if !strings.Contains(cfg, want) {
			t.Errorf("configuration lacks %q:\n%s", want, cfg)
		}
	}
	_, err = dx.DescribeRouterConfiguration(ctx, &directconnect.DescribeRouterConfigurationInput{VirtualInterfaceId: &id, RouterTypeIdentifier: aws.String("Acme-1")})
	wantAPIError(t, err, clientErr, "routerTypeIdentifier Acme-1 is not valid.")
	_, err = dx.DescribeRouterConfiguration(ctx, &directconnect.DescribeRouterConfigurationInput{VirtualInterfaceId: &id})
	wantAPIError(t, err, clientErr, "routerTypeIdentifier is required.")
	_, err = e.client(other).DescribeRouterConfiguration(ctx, &directconnect.DescribeRouterConfigurationInput{VirtualInterfaceId: &id, RouterTypeIdentifier: aws.String("CiscoSystemsInc-2900SeriesRouters-IOS124")})
	wantAPIError(t, err, clientErr, "Virtual interface "+id+" does not exist")
}
