package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"

	"github.com/dxlocal/dxlocal/internal/snapshot"
)

// availableConnection creates a dedicated connection of account's in usEast and sets it
// available through the resource control, without moving the clock.
func (e *env) availableConnection(account string) string {
	e.t.Helper()
	c, err := e.client(account).CreateConnection(ctx, &directconnect.CreateConnectionInput{Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"), ConnectionName: aws.String("c")})
	if err != nil {
		e.t.Fatal(err)
	}
	id := aws.ToString(c.ConnectionId)
	if status, m := e.admin("POST", "/resources/"+id, `{"state":"available"}`); status != 200 {
		e.t.Fatalf("connection %s available: %d %v", id, status, m)
	}
	return id
}

// addAttachedVIF adds to a state document an available private VIF id of owner's, attached to
// Direct Connect gateway gw, on owner's first available connection in usEast.
func addAttachedVIF(t *testing.T, st *snapshot.State, id, gw string, at time.Time) {
	t.Helper()
	for i := range st.Regions {
		r := &st.Regions[i]
		if r.Name != usEast {
			continue
		}
		for _, c := range r.Connections {
			if c.OwnerAccount != owner || c.State != "available" || c.Type != "connection" {
				continue
			}
			st.Sequence++
			r.VirtualInterfaces = append(r.VirtualInterfaces, snapshot.VirtualInterface{
				Order: st.Sequence, ID: id, Type: "private", Name: "attached", OwnerAccount: owner, ConnectionOwnerAccount: owner,
				ConnectionID: c.ID, Location: c.Location, Device: c.Device, VLAN: 4000, AmazonSideAsn: 64512,
				DirectConnectGatewayID: gw, MTU: 1500, JumboFrameCapable: true, State: "available", Since: at,
				Peers: []snapshot.BGPPeer{{ID: "dxpeer-ffaa0001", ASN: 65000, AuthKey: "0xabcdefabcdef", AddressFamily: "ipv4",
					AmazonAddress: "169.254.200.1/30", CustomerAddress: "169.254.200.2/30", State: "available", Since: at}},
			})
			return
		}
	}
	t.Fatal("no available connection of the owner in the state")
}

// vifState builds VIFs of every kind and state in e: private to a VGW (tagged, two peers, one
// session set down), public (verifying, with prefixes, held), transit and private attached to a
// Direct Connect gateway, allocated (confirming, and confirmed by the other account), deleted
// (retained), moved onto another connection, down with its link, under a running failover
// test, with a finished test in the history.
func vifState(t *testing.T, e *env) {
	t.Helper()
	dx := e.client(owner)
	older := e.availableConnection(owner) // its first VIF moves to conn later
	moved := e.vifOn(older, 30)
	conn := e.availableConnection(owner)
	tagged := e.vifOn(conn, 10)
	if _, err := dx.TagResource(ctx, &directconnect.TagResourceInput{ResourceArn: aws.String(vifARN(usEast, owner, tagged)),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("net")}, {Key: aws.String("empty")}}}); err != nil {
		t.Fatal(err)
	}
	peer, err := dx.CreateBGPPeer(ctx, &directconnect.CreateBGPPeerInput{VirtualInterfaceId: aws.String(tagged),
		NewBGPPeer: &types.NewBGPPeer{Asn: 65000, AddressFamily: types.AddressFamilyIPv6}})
	if err != nil {
		t.Fatal(err)
	}
	e.gwControl(tagged, `{"state":"available"}`, 200)
	e.gwControl(tagged, fmt.Sprintf(`{"bgpStatus":"down","bgpPeerId":%q}`, aws.ToString(peer.VirtualInterface.BgpPeers[1].BgpPeerId)), 200)
	held := e.publicVIFOn(conn, 11)
	e.gwControl(held, `{"hold":true}`, 200)
	e.publicVIFOn(conn, 12)
	gw := e.gwFinished(owner, 64512)
	if _, err := dx.CreateTransitVirtualInterface(ctx, &directconnect.CreateTransitVirtualInterfaceInput{ConnectionId: aws.String(conn),
		NewTransitVirtualInterface: &types.NewTransitVirtualInterface{VirtualInterfaceName: aws.String("tr"), Vlan: 13, Asn: 65010, DirectConnectGatewayId: aws.String(gw)}}); err != nil {
		t.Fatal(err)
	}
	gw2 := e.gwFinished(owner, 64513)
	if _, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn),
		NewPrivateVirtualInterface: &types.NewPrivateVirtualInterface{VirtualInterfaceName: aws.String("p"), Vlan: 14, Asn: 65011, DirectConnectGatewayId: aws.String(gw2)}}); err != nil {
		t.Fatal(err)
	}
	for vlan := int32(15); vlan <= 16; vlan++ {
		alloc, err := dx.AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{
			ConnectionId: aws.String(conn), OwnerAccount: aws.String(other), NewPrivateVirtualInterfaceAllocation: allocPrivate(vlan)})
		if err != nil {
			t.Fatal(err)
		}
		if vlan == 16 {
			if _, err := e.client(other).ConfirmPrivateVirtualInterface(ctx, &directconnect.ConfirmPrivateVirtualInterfaceInput{
				VirtualInterfaceId: alloc.VirtualInterfaceId, VirtualGatewayId: aws.String("vgw-0000000000000000c")}); err != nil {
				t.Fatal(err)
			}
		}
	}
	gone := e.vifOn(conn, 17)
	if _, err := dx.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: aws.String(gone)}); err != nil {
		t.Fatal(err)
	}
	tested := e.vifOn(conn, 18)
	e.gwControl(tested, `{"state":"available"}`, 200)
	for _, minutes := range []int32{1, 600} {
		if _, err := dx.StartBgpFailoverTest(ctx, &directconnect.StartBgpFailoverTestInput{VirtualInterfaceId: aws.String(tested), TestDurationInMinutes: aws.Int32(minutes)}); err != nil {
			t.Fatal(err)
		}
		if minutes == 1 {
			if _, err := dx.StopBgpFailoverTest(ctx, &directconnect.StopBgpFailoverTestInput{VirtualInterfaceId: aws.String(tested)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	e.gwControl(moved, `{"state":"available"}`, 200)
	if _, err := dx.AssociateVirtualInterface(ctx, &directconnect.AssociateVirtualInterfaceInput{ConnectionId: aws.String(conn), VirtualInterfaceId: aws.String(moved)}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(30 * time.Minute)
	// A connection with a VIF its link took down.
	third := e.availableConnection(owner)
	linked := e.vifOn(third, 40)
	e.gwControl(linked, `{"state":"available"}`, 200)
	e.gwControl(third, `{"state":"down"}`, 200)
	e.clock.Advance(10 * time.Minute)
}

func vifARN(region, account, id string) string {
	return "arn:aws:directconnect:" + region + ":" + account + ":dxvif/" + id
}

// describeVIFs answers every Describe call of the VIF operations of every account and region
// (VIFs, test history, router configuration, tags, the attachments of every VIF) and the
// resources, as one text to compare.
func describeVIFs(t *testing.T, e *env) string {
	t.Helper()
	var out []any
	add := func(v any, err error) {
		t.Helper()
		if err != nil {
			// The error without its request id.
			msg := err.Error()
			out = append(out, msg[strings.Index(msg, "Exception"):])
			return
		}
		out = append(out, v)
	}
	for _, region := range []string{usEast, euWest} {
		for _, acct := range []string{owner, other} {
			dx := e.clientIn(acct, region)
			vifs, err := dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{})
			if err != nil {
				t.Fatal(err)
			}
			add(vifs.VirtualInterfaces, nil)
			hist, err := dx.ListVirtualInterfaceTestHistory(ctx, &directconnect.ListVirtualInterfaceTestHistoryInput{})
			add(hist.VirtualInterfaceTestHistory, err)
			var arns []string
			for _, v := range vifs.VirtualInterfaces {
				id := v.VirtualInterfaceId
				if aws.ToString(v.OwnerAccount) == acct {
					arns = append(arns, vifARN(region, acct, aws.ToString(id)))
				}
				rc, err := dx.DescribeRouterConfiguration(ctx, &directconnect.DescribeRouterConfigurationInput{VirtualInterfaceId: id, RouterTypeIdentifier: aws.String("CiscoSystemsInc-2900SeriesRouters-IOS124")})
				if err == nil {
					add(aws.ToString(rc.CustomerRouterConfig), nil)
				} else {
					add(nil, err)
				}
				at, err := dx.DescribeDirectConnectGatewayAttachments(ctx, &directconnect.DescribeDirectConnectGatewayAttachmentsInput{VirtualInterfaceId: id})
				add(at.DirectConnectGatewayAttachments, err)
			}
			if len(arns) > 0 {
				tags, err := dx.DescribeTags(ctx, &directconnect.DescribeTagsInput{ResourceArns: arns})
				add(tags.ResourceTags, err)
			}
		}
	}
	_, res := e.admin("GET", "/resources", "")
	out = append(out, res)
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStateVIFRoundTrip(t *testing.T) {
	e := newEnv(t, withDwell(time.Hour))
	vifState(t, e)
	doc := e.stateBody()
	for _, member := range []string{`"virtualInterfaces"`, `"vifParents"`, `"failoverTests"`, `"ipv6Next"`, `"bgpDown":true`, `"linkResume"`, `"hold":true`,
		`"routeFilterPrefixes"`, `"in_progress"`, `"cancelled"`, `"deleting"`, `"confirming"`, `"directConnectGatewayId"`, `"allocated":true`} {
		if !strings.Contains(doc, member) {
			t.Fatalf("the state lacks %s:\n%s", member, doc)
		}
	}
	before := describeVIFs(t, e)
	for _, want := range []string{"testing", "down", "deleting", "confirming", "verifying", "attach", "team", "in_progress", "cancelled", "logical_connection", "dot1Q"} {
		if !strings.Contains(before, want) {
			t.Fatalf("the VIFs as described lack %s", want)
		}
	}

	// A fresh dxlocal, later, with VIFs of its own, takes the state.
	e2 := newEnv(t, withDwell(time.Hour))
	e2.clock.Advance(500 * time.Hour)
	e2.vifOn(e2.availableConnection(owner), 10)
	if status, m := e2.putState(doc); status != 200 {
		t.Fatalf("PUT: %d %v", status, m)
	}
	if got := e2.stateBody(); got != doc {
		t.Fatalf("GET after PUT differs %s", firstDiff(got, doc))
	}
	if after := describeVIFs(t, e2); after != before {
		t.Fatalf("described after the restore differs %s", firstDiff(after, before))
	}
	// The clock moves on alike: provisioning, deletion, the test's end, retention.
	for _, step := range []time.Duration{time.Hour, 2 * time.Hour, 10 * time.Hour} {
		e.clock.Advance(step)
		e2.clock.Advance(step)
		if x, y := describeVIFs(t, e), describeVIFs(t, e2); x != y {
			t.Fatalf("after %v more: %s", step, firstDiff(x, y))
		}
	}
	// New VIFs and peers get the same ids, VLAN and addresses, and the link comes back alike.
	for _, env := range []*env{e, e2} {
		for _, r := range env.gwResourceList("?type=connection") {
			if r[4] == "down" {
				env.gwControl(r[0], `{"state":"available"}`, 200)
			}
		}
	}
	var made []string
	for _, env := range []*env{e, e2} {
		conn := env.gwResourceList("?type=connection")[1][0]
		id := env.vifOn(conn, 50)
		out, err := env.client(owner).CreateBGPPeer(ctx, &directconnect.CreateBGPPeerInput{VirtualInterfaceId: aws.String(id),
			NewBGPPeer: &types.NewBGPPeer{Asn: 65000, AddressFamily: types.AddressFamilyIPv6}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(out.VirtualInterface)
		made = append(made, string(b))
	}
	if made[0] != made[1] {
		t.Fatalf("a new VIF differs %s", firstDiff(made[0], made[1]))
	}
	if x, y := e.stateBody(), e2.stateBody(); x != y {
		t.Fatalf("the states differ %s", firstDiff(x, y))
	}
}

// TestStateVIFRefusals: a state whose VIFs do not fit is refused with 400 naming the problem,
// and nothing changes.
func TestStateVIFRefusals(t *testing.T) {
	e := newEnv(t, withDwell(time.Hour))
	vifState(t, e)
	doc := e.stateBody()
	var base snapshot.State
	if err := json.Unmarshal([]byte(doc), &base); err != nil {
		t.Fatal(err)
	}
	vifs := func(st *snapshot.State) []snapshot.VirtualInterface {
		for i := range st.Regions {
			if st.Regions[i].Name == usEast {
				return st.Regions[i].VirtualInterfaces
			}
		}
		t.Fatal("no VIFs")
		return nil
	}
	find := func(st *snapshot.State, f func(v *snapshot.VirtualInterface) bool) *snapshot.VirtualInterface {
		list := vifs(st)
		for i := range list {
			if f(&list[i]) {
				return &list[i]
			}
		}
		t.Fatal("no such VIF")
		return nil
	}
	byVLAN := func(vlan int) func(v *snapshot.VirtualInterface) bool {
		return func(v *snapshot.VirtualInterface) bool { return v.VLAN == vlan && v.State != "deleting" }
	}
	for _, c := range []struct {
		name   string
		break_ func(st *snapshot.State)
		parts  []string
	}{
		{"VLAN clash", func(st *snapshot.State) { find(st, byVLAN(11)).VLAN = 10 }, []string{"VLAN 10"}},
		{"address clash", func(st *snapshot.State) {
			a, b := find(st, byVLAN(11)), find(st, byVLAN(12))
			b.Peers[0].AmazonAddress, b.Peers[0].CustomerAddress = a.Peers[0].AmazonAddress, a.Peers[0].CustomerAddress
		}, []string{"overlaps"}},
		{"a /29 over another's /30", func(st *snapshot.State) {
			// VLAN 11's peer is 203.0.113.45/30; a /29 from .40 holds it, and VLAN 10 sorts first.
			b := find(st, byVLAN(12))
			b.Peers[0].AmazonAddress, b.Peers[0].CustomerAddress = "203.0.113.41/29", "203.0.113.42/29"
		}, []string{"overlaps", "203.0.113.42/29"}},
		{"attached VIF without its attachment", func(st *snapshot.State) { st.GatewayAttachments = nil }, []string{"no live attachment"}},
		{"attachment of a VIF attached elsewhere", func(st *snapshot.State) {
			find(st, byVLAN(13)).DirectConnectGatewayID = find(st, byVLAN(14)).DirectConnectGatewayID
		}, []string{"attached"}},
		{"unknown connection", func(st *snapshot.State) { find(st, byVLAN(10)).ConnectionID = "dxcon-fzzzzzzz" }, []string{"dxcon-fzzzzzzz", "does not exist"}},
		{"bad state", func(st *snapshot.State) { find(st, byVLAN(10)).State = "approving" }, []string{"approving"}},
		{"testing without its test", func(st *snapshot.State) {
			for i := range st.Regions {
				st.Regions[i].FailoverTests = nil
			}
		}, []string{"testing"}},
		{"peer id twice", func(st *snapshot.State) { find(st, byVLAN(11)).Peers[0].ID = find(st, byVLAN(10)).Peers[0].ID }, []string{"appears twice"}},
		{"IPv6 block beyond the pool's next", func(st *snapshot.State) {
			for i := range st.Regions {
				st.Regions[i].IPv6Next = 0
			}
		}, []string{"ipv6Next"}},
		{"bad VLAN", func(st *snapshot.State) { find(st, byVLAN(12)).VLAN = 5000 }, []string{"5000"}},
		{"bad auth key", func(st *snapshot.State) { find(st, byVLAN(12)).Peers[0].AuthKey = "x" }, []string{"authKey"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var st snapshot.State
			json.Unmarshal([]byte(doc), &st)
			c.break_(&st)
			var buf bytes.Buffer
			if err := snapshot.Encode(&buf, &st); err != nil {
				t.Fatal(err)
			}
			status, m := e.putState(buf.String())
			msg, _ := m["message"].(string)
			if status != 400 {
				t.Fatalf("PUT: %d %v", status, m)
			}
			for _, p := range c.parts {
				if !strings.Contains(msg, p) {
					t.Fatalf("message %q lacks %q", msg, p)
				}
			}
			if got := e.stateBody(); got != doc {
				t.Fatal("a refused state changed the state")
			}
		})
	}
}

// firstDiff shows where two long texts first differ.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return fmt.Sprintf("at %d:\n%s\n---\n%s", i, a[from:min(len(a), i+200)], b[from:min(len(b), i+200)])
}
