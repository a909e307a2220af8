package api_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"

	"github.com/dxlocal/dxlocal/internal/store"
)

const clientErr = "DirectConnectClientException"

// readyConnection creates a dedicated connection of account's and waits (one clock step of two
// dwells and a read) until it is available.
func (e *env) readyConnection(dx *directconnect.Client, dwell time.Duration) string {
	e.t.Helper()
	c, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"), ConnectionName: aws.String("c")})
	if err != nil {
		e.t.Fatal(err)
	}
	e.clock.Advance(2 * dwell)
	out, err := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: c.ConnectionId})
	if err != nil || out.Connections[0].ConnectionState != types.ConnectionStateAvailable {
		e.t.Fatalf("connection not available: %v %v", out, err)
	}
	return aws.ToString(c.ConnectionId)
}

func privateVIF(vlan int32, vgw string) *types.NewPrivateVirtualInterface {
	return &types.NewPrivateVirtualInterface{VirtualInterfaceName: aws.String("vif"), Vlan: vlan, Asn: 65000, VirtualGatewayId: aws.String(vgw), Mtu: aws.Int32(1500), EnableSiteLink: aws.Bool(false)}
}

func publicVIF(vlan int32) *types.NewPublicVirtualInterface {
	return &types.NewPublicVirtualInterface{
		VirtualInterfaceName: aws.String("pub"), Vlan: vlan, Asn: 65001,
		AmazonAddress: aws.String("203.0.113.1/30"), CustomerAddress: aws.String("203.0.113.2/30"),
		RouteFilterPrefixes: []types.RouteFilterPrefix{{Cidr: aws.String("198.51.100.0/24")}},
	}
}

func (e *env) describeVIF(dx *directconnect.Client, id string) types.VirtualInterface {
	e.t.Helper()
	out, err := dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{VirtualInterfaceId: aws.String(id)})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(out.VirtualInterfaces) != 1 {
		e.t.Fatalf("described %d VIFs", len(out.VirtualInterfaces))
	}
	return out.VirtualInterfaces[0]
}

const vgwA = "vgw-0123456789abcdef0"

func TestVIFPrivateToVGWHappyPath(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	in := privateVIF(101, vgwA)
	in.Tags = []types.Tag{{Key: aws.String("team"), Value: aws.String("net")}}
	v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: in})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(v.VirtualInterfaceId)
	if !strings.HasPrefix(id, "dxvif-f") || v.VirtualInterfaceState != types.VirtualInterfaceStatePending {
		t.Fatalf("created %s in %s", id, v.VirtualInterfaceState)
	}
	checks := map[string]bool{
		"owner":         aws.ToString(v.OwnerAccount) == owner,
		"type":          aws.ToString(v.VirtualInterfaceType) == "private",
		"connection":    aws.ToString(v.ConnectionId) == conn,
		"location":      aws.ToString(v.Location) == "TstB1",
		"vlan":          v.Vlan == 101,
		"asn":           v.Asn == 65000 && aws.ToInt64(v.AsnLong) == 65000,
		"amazon asn":    aws.ToInt64(v.AmazonSideAsn) == 64512,
		"vgw":           aws.ToString(v.VirtualGatewayId) == vgwA,
		"dxgw empty":    v.DirectConnectGatewayId != nil && *v.DirectConnectGatewayId == "",
		"addresses":     aws.ToString(v.AmazonAddress) == "169.254.0.1/30" && aws.ToString(v.CustomerAddress) == "169.254.0.2/30",
		"family":        v.AddressFamily == types.AddressFamilyIPv4,
		"auth key":      strings.HasPrefix(aws.ToString(v.AuthKey), "0x") && len(aws.ToString(v.AuthKey)) == 24,
		"mtu":           aws.ToInt32(v.Mtu) == 1500,
		"jumbo":         aws.ToBool(v.JumboFrameCapable),
		"sitelink":      v.SiteLinkEnabled != nil && !*v.SiteLinkEnabled,
		"region":        aws.ToString(v.Region) == usEast,
		"device":        aws.ToString(v.AwsDeviceV2) == "TstB1-cccccccccccc3" && aws.ToString(v.AwsLogicalDeviceId) == "TstB1-cccccccccccc3",
		"tags":          len(v.Tags) == 1 && aws.ToString(v.Tags[0].Key) == "team",
		"no prefixes":   v.RouteFilterPrefixes != nil && len(v.RouteFilterPrefixes) == 0,
		"one peer":      len(v.BgpPeers) == 1 && v.BgpPeers[0].BgpPeerState == types.BGPPeerStatePending && v.BgpPeers[0].BgpStatus == types.BGPStatusDown,
		"peer id":       len(v.BgpPeers) == 1 && strings.HasPrefix(aws.ToString(v.BgpPeers[0].BgpPeerId), "dxpeer-f"),
		"peer key":      len(v.BgpPeers) == 1 && aws.ToString(v.BgpPeers[0].AuthKey) == aws.ToString(v.AuthKey),
		"router xml":    strings.Contains(aws.ToString(v.CustomerRouterConfig), "<amazon_bgp_asn>64512</amazon_bgp_asn>") && strings.Contains(aws.ToString(v.CustomerRouterConfig), `<logical_connection id="`+id+`">`),
		"no ipv6 in it": !strings.Contains(aws.ToString(v.CustomerRouterConfig), "ipv6"),
	}
	for name, ok := range checks {
		if !ok {
			t.Errorf("%s: wrong in %+v", name, v)
		}
	}
	// The VGW, unknown so far, is now the caller's, in this region.
	rec, ok := e.store.Gateways().Lookup(vgwA)
	if !ok || rec.OwnerAccount != owner || rec.Region != usEast {
		t.Fatalf("VGW not auto-registered for the caller: %+v %v", rec, ok)
	}
	got := e.describeVIF(dx, id)
	if got.VirtualInterfaceState != types.VirtualInterfaceStateAvailable || got.BgpPeers[0].BgpStatus != types.BGPStatusUp || got.BgpPeers[0].BgpPeerState != types.BGPPeerStateAvailable {
		t.Fatalf("after the (zero) dwell: %s, peer %s/%s", got.VirtualInterfaceState, got.BgpPeers[0].BgpPeerState, got.BgpPeers[0].BgpStatus)
	}
	byConn, err := dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{ConnectionId: aws.String(conn)})
	if err != nil || len(byConn.VirtualInterfaces) != 1 || aws.ToString(byConn.VirtualInterfaces[0].VirtualInterfaceId) != id {
		t.Fatalf("by connection: %+v %v", byConn, err)
	}
	// Members AWS always sends are on the wire even when empty.
	_, _, body := e.raw("OvertureService.DescribeVirtualInterfaces", `{"virtualInterfaceId":"`+id+`"}`, "Authorization", "AWS4-HMAC-SHA256 Credential="+owner+"/20261125/us-east-1/directconnect/aws4_request")
	wire := body["virtualInterfaces"].([]any)[0].(map[string]any)
	for _, m := range []string{"virtualGatewayId", "directConnectGatewayId", "routeFilterPrefixes", "bgpPeers", "tags", "asn", "asnLong", "mtu", "siteLinkEnabled", "jumboFrameCapable", "amazonSideAsn", "customerRouterConfig"} {
		if _, ok := wire[m]; !ok {
			t.Errorf("member %s missing from the wire: %v", m, wire)
		}
	}
	// Another account and another region see nothing.
	_, err = e.client(other).DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{VirtualInterfaceId: aws.String(id)})
	wantAPIError(t, err, clientErr, "Virtual interface "+id+" does not exist")
	all, err := e.clientIn(owner, euWest).DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{})
	if err != nil || len(all.VirtualInterfaces) != 0 {
		t.Fatalf("other region sees %v %v", all, err)
	}
}

func TestVIFPublicHappyPath(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	v, err := dx.CreatePublicVirtualInterface(ctx, &directconnect.CreatePublicVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPublicVirtualInterface: publicVIF(200)})
	if err != nil {
		t.Fatal(err)
	}
	if v.VirtualInterfaceState != types.VirtualInterfaceStateVerifying || aws.ToInt64(v.AmazonSideAsn) != 7224 ||
		len(v.RouteFilterPrefixes) != 1 || aws.ToString(v.RouteFilterPrefixes[0].Cidr) != "198.51.100.0/24" ||
		aws.ToString(v.VirtualGatewayId) != "" || aws.ToInt32(v.Mtu) != 1500 || v.BgpPeers[0].BgpPeerState != types.BGPPeerStateVerifying {
		t.Fatalf("public VIF: %+v", v)
	}
}

func TestVIFLargeASNAnswersAsnLongOnly(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	in := privateVIF(7, vgwA)
	in.Asn, in.AsnLong = 65000, aws.Int64(4200000001)
	v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: in})
	if err != nil {
		t.Fatal(err)
	}
	if v.Asn != 0 || aws.ToInt64(v.AsnLong) != 4200000001 || v.BgpPeers[0].Asn != 0 || aws.ToInt64(v.BgpPeers[0].AsnLong) != 4200000001 {
		t.Fatalf("asn %d asnLong %d", v.Asn, aws.ToInt64(v.AsnLong))
	}
}

// state reads a VIF's state.
func (e *env) state(dx *directconnect.Client, id string) types.VirtualInterfaceState {
	e.t.Helper()
	return e.describeVIF(dx, id).VirtualInterfaceState
}

func TestVIFStateMachines(t *testing.T) {
	type step struct {
		advance time.Duration // in dwells
		want    types.VirtualInterfaceState
	}
	for _, dwell := range []time.Duration{0, 30 * time.Second} {
		cases := []struct {
			name  string
			start func(e *env, dx *directconnect.Client, conn string) string
			steps []step
		}{
			{"private", func(e *env, dx *directconnect.Client, conn string) string {
				v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: privateVIF(10, vgwA)})
				if err != nil {
					t.Fatal(err)
				}
				return aws.ToString(v.VirtualInterfaceId)
			}, []step{{0, types.VirtualInterfaceStatePending}, {1, types.VirtualInterfaceStateAvailable}}},
			{"public", func(e *env, dx *directconnect.Client, conn string) string {
				v, err := dx.CreatePublicVirtualInterface(ctx, &directconnect.CreatePublicVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPublicVirtualInterface: publicVIF(11)})
				if err != nil {
					t.Fatal(err)
				}
				return aws.ToString(v.VirtualInterfaceId)
			}, []step{{0, types.VirtualInterfaceStateVerifying}, {1, types.VirtualInterfaceStatePending}, {1, types.VirtualInterfaceStateAvailable}}},
			{"deleted", func(e *env, dx *directconnect.Client, conn string) string {
				v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: privateVIF(12, vgwA)})
				if err != nil {
					t.Fatal(err)
				}
				id := aws.ToString(v.VirtualInterfaceId)
				e.clock.Advance(dwell)
				d, err := dx.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: &id})
				if err != nil || d.VirtualInterfaceState != types.VirtualInterfaceStateDeleting {
					t.Fatalf("delete answers %v %v", d, err)
				}
				return id
			}, []step{{0, types.VirtualInterfaceStateDeleting}, {1, types.VirtualInterfaceStateDeleted}}},
			{"mtu update", func(e *env, dx *directconnect.Client, conn string) string {
				v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: privateVIF(13, vgwA)})
				if err != nil {
					t.Fatal(err)
				}
				id := aws.ToString(v.VirtualInterfaceId)
				e.clock.Advance(dwell)
				e.state(dx, id)
				u, err := dx.UpdateVirtualInterfaceAttributes(ctx, &directconnect.UpdateVirtualInterfaceAttributesInput{VirtualInterfaceId: &id, Mtu: aws.Int32(9001)})
				if err != nil || u.VirtualInterfaceState != types.VirtualInterfaceStatePending || aws.ToInt32(u.Mtu) != 9001 {
					t.Fatalf("update answers %v %v", u, err)
				}
				return id
			}, []step{{0, types.VirtualInterfaceStatePending}, {1, types.VirtualInterfaceStateAvailable}}},
		}
		for _, c := range cases {
			t.Run(c.name+"/dwell="+dwell.String(), func(t *testing.T) {
				e := newEnv(t, withDwell(dwell))
				dx := e.client(owner)
				id := c.start(e, dx, e.readyConnection(dx, dwell))
				for i, s := range c.steps {
					if s.advance > 0 && dwell == 0 {
						// A zero dwell settles at the next request: the first read shows the end.
						continue
					}
					e.clock.Advance(time.Duration(s.advance) * dwell)
					if got := e.state(dx, id); got != s.want && !(dwell == 0 && i == 0) {
						t.Fatalf("step %d: state %s, want %s", i, got, s.want)
					}
				}
				if dwell == 0 && len(c.steps) > 0 {
					if got, want := e.state(dx, id), c.steps[len(c.steps)-1].want; got != want {
						t.Fatalf("settled state %s, want %s", got, want)
					}
				}
			})
		}
	}
}

func TestVIFCreateAnswersTheEntryStateWithZeroDwell(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: privateVIF(10, vgwA)})
	if err != nil || v.VirtualInterfaceState != types.VirtualInterfaceStatePending {
		t.Fatalf("%v %v", v, err)
	}
	if got := e.state(dx, aws.ToString(v.VirtualInterfaceId)); got != types.VirtualInterfaceStateAvailable {
		t.Fatalf("next read: %s", got)
	}
}

func TestVIFFailoverTestEndsAfterItsDuration(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: privateVIF(10, vgwA)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(v.VirtualInterfaceId)
	e.state(dx, id)
	started := e.clock.Now()
	st, err := dx.StartBgpFailoverTest(ctx, &directconnect.StartBgpFailoverTestInput{VirtualInterfaceId: &id, TestDurationInMinutes: aws.Int32(5)})
	if err != nil {
		t.Fatal(err)
	}
	test := st.VirtualInterfaceTest
	if aws.ToString(test.Status) != "in_progress" || test.EndTime != nil || aws.ToInt32(test.TestDurationInMinutes) != 5 ||
		len(test.BgpPeers) != 1 || aws.ToString(test.OwnerAccount) != owner || !aws.ToTime(test.StartTime).Equal(started) {
		t.Fatalf("started test %+v", test)
	}
	got := e.describeVIF(dx, id)
	if got.VirtualInterfaceState != types.VirtualInterfaceStateTesting || got.BgpPeers[0].BgpStatus != types.BGPStatusDown {
		t.Fatalf("during the test: %s %s", got.VirtualInterfaceState, got.BgpPeers[0].BgpStatus)
	}
	e.clock.Advance(4 * time.Minute)
	if s := e.state(dx, id); s != types.VirtualInterfaceStateTesting {
		t.Fatalf("before its end: %s", s)
	}
	e.clock.Advance(time.Minute)
	got = e.describeVIF(dx, id)
	if got.VirtualInterfaceState != types.VirtualInterfaceStateAvailable || got.BgpPeers[0].BgpStatus != types.BGPStatusUp {
		t.Fatalf("after its end: %s %s", got.VirtualInterfaceState, got.BgpPeers[0].BgpStatus)
	}
	h, err := dx.ListVirtualInterfaceTestHistory(ctx, &directconnect.ListVirtualInterfaceTestHistoryInput{VirtualInterfaceId: &id})
	if err != nil || len(h.VirtualInterfaceTestHistory) != 1 {
		t.Fatalf("history %v %v", h, err)
	}
	done := h.VirtualInterfaceTestHistory[0]
	if aws.ToString(done.Status) != "completed" || !aws.ToTime(done.EndTime).Equal(started.Add(5*time.Minute)) {
		t.Fatalf("finished test %+v", done)
	}
}

func TestVIFStateChangesAreReported(t *testing.T) {
	var mu sync.Mutex // guards changes
	var changes []string
	e := newEnv(t, withDwell(time.Minute), func(o *store.Options) {
		o.OnChange = func(c store.Change) {
			if c.Type == store.TypeVirtualInterface {
				mu.Lock()
				changes = append(changes, c.From+">"+c.To+"/"+c.Cause)
				mu.Unlock()
			}
		}
	})
	dx := e.client(owner)
	conn := e.readyConnection(dx, time.Minute)
	v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &conn, NewPrivateVirtualInterface: privateVIF(5, vgwA)})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	if _, err := dx.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: v.VirtualInterfaceId}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	e.state(dx, aws.ToString(v.VirtualInterfaceId))
	mu.Lock()
	defer mu.Unlock()
	want := "[>pending/call pending>available/clock available>deleting/call deleting>deleted/clock]"
	if got := fmt.Sprint(changes); got != want {
		t.Fatalf("changes %s, want %s", got, want)
	}
}

// TestVIFIdentifiersFollowTheSeed makes the same calls on two servers of the same seed: ids,
// auth keys and failover test ids are the same.
func TestVIFIdentifiersFollowTheSeed(t *testing.T) {
	run := func() []string {
		e := newEnv(t)
		dx := e.client(owner)
		conn := e.readyConnection(dx, 0)
		v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &conn, NewPrivateVirtualInterface: privateVIF(5, vgwA)})
		if err != nil {
			t.Fatal(err)
		}
		id := aws.ToString(v.VirtualInterfaceId)
		p, err := dx.CreateBGPPeer(ctx, &directconnect.CreateBGPPeerInput{VirtualInterfaceId: &id, NewBGPPeer: &types.NewBGPPeer{AddressFamily: types.AddressFamilyIPv6, Asn: 65000}})
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Second)
		test, err := dx.StartBgpFailoverTest(ctx, &directconnect.StartBgpFailoverTestInput{VirtualInterfaceId: &id})
		if err != nil {
			t.Fatal(err)
		}
		out := []string{conn, id, aws.ToString(test.VirtualInterfaceTest.TestId)}
		for _, peer := range p.VirtualInterface.BgpPeers {
			out = append(out, aws.ToString(peer.BgpPeerId), aws.ToString(peer.AuthKey))
		}
		return out
	}
	a, b := run(), run()
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("same seed, other identifiers:\n%v\n%v", a, b)
	}
}
