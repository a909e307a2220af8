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

// vifOn creates a private VIF of owner's on parent (to vgwA) and answers its id.
func (e *env) vifOn(parent string, vlan int32) string {
	e.t.Helper()
	out, err := e.client(owner).CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{
		ConnectionId: aws.String(parent), NewPrivateVirtualInterface: privateVIF(vlan, vgwA)})
	if err != nil {
		e.t.Fatal(err)
	}
	return aws.ToString(out.VirtualInterfaceId)
}

// publicVIFOn creates a public VIF of owner's on parent: it starts verifying.
func (e *env) publicVIFOn(parent string, vlan int32) string {
	e.t.Helper()
	in := publicVIF(vlan)
	// Addresses of their own, so that several fit on one connection (vlan below 64).
	in.AmazonAddress = aws.String(fmt.Sprintf("203.0.113.%d/30", vlan*4+1))
	in.CustomerAddress = aws.String(fmt.Sprintf("203.0.113.%d/30", vlan*4+2))
	out, err := e.client(owner).CreatePublicVirtualInterface(ctx, &directconnect.CreatePublicVirtualInterfaceInput{
		ConnectionId: aws.String(parent), NewPublicVirtualInterface: in})
	if err != nil {
		e.t.Fatal(err)
	}
	return aws.ToString(out.VirtualInterfaceId)
}

// vifSeen is a VIF's state and its peers' bgpStatus as DescribeVirtualInterfaces answers them.
func (e *env) vifSeen(id string) string {
	e.t.Helper()
	v := e.describeVIF(e.client(owner), id)
	var bgp []string
	for _, p := range v.BgpPeers {
		bgp = append(bgp, string(p.BgpStatus))
	}
	return string(v.VirtualInterfaceState) + " " + strings.Join(bgp, ",")
}

func (e *env) wantVIF(id, want string) {
	e.t.Helper()
	if got := e.vifSeen(id); got != want {
		e.t.Fatalf("VIF %s is %q, want %q", id, got, want)
	}
}

// changeLog records the store's changes of one type.
type changeLog struct {
	mu  sync.Mutex
	got []string
}

func (l *changeLog) observe(c store.Change) {
	if c.Type != store.TypeVirtualInterface {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, fmt.Sprintf("%s %s>%s %s", c.ResourceID, c.From, c.To, c.Cause))
}

func (l *changeLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.got
	l.got = nil
	return out
}

func TestVIFResourcesListed(t *testing.T) {
	e := newEnv(t, withDwell(time.Hour))
	conn := e.availableConnection(owner)
	priv := e.vifOn(conn, 10)
	pub := e.publicVIFOn(conn, 11)
	alloc, err := e.client(owner).AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{
		ConnectionId: aws.String(conn), OwnerAccount: aws.String(other), NewPrivateVirtualInterfaceAllocation: allocPrivate(12)})
	if err != nil {
		t.Fatal(err)
	}
	allocID := aws.ToString(alloc.VirtualInterfaceId)
	want := [][5]string{
		{priv, "virtualInterface", owner, usEast, "pending"},
		{pub, "virtualInterface", owner, usEast, "verifying"},
		{allocID, "virtualInterface", other, usEast, "confirming"},
	}
	if got := e.gwResourceList("?type=virtualInterface"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("VIFs listed:\n%v\nwant\n%v", got, want)
	}
	if got := e.gwResourceList("?type=virtualInterface&account=" + other); fmt.Sprint(got) != fmt.Sprint(want[2:]) {
		t.Fatalf("the other account's: %v", got)
	}
	if got := e.gwResourceList("?region=" + euWest + "&type=virtualInterface"); len(got) != 0 {
		t.Fatalf("another region's: %v", got)
	}
	// In creation order among every resource: the connection first.
	if all := e.gwResourceList("?account=" + owner); len(all) != 3 || all[0][0] != conn || all[1][0] != priv {
		t.Fatalf("all of the owner's: %v", all)
	}
	status, m := e.resource(priv)
	if status != 200 || m["id"] != priv || m["type"] != "virtualInterface" || m["state"] != "pending" || m["hold"] != false || m["region"] != usEast || m["ownerAccount"] != owner {
		t.Fatalf("GET %s: %d %v", priv, status, m)
	}
}

// TestVIFResourceStateTable: every VIF row of the table, and 409 (changing nothing) for every
// change the table does not allow; each change is one control change and shows at once.
func TestVIFResourceStateTable(t *testing.T) {
	log := &changeLog{}
	e := newEnv(t, withDwell(time.Hour), withOnChange(log.observe))
	conn := e.availableConnection(owner)
	priv := e.vifOn(conn, 10)
	pub := e.publicVIFOn(conn, 11)
	rejected := e.publicVIFOn(conn, 12)
	log.take()

	// pending -> available, verifying -> available: provisioning (peers included) finishes now.
	e.gwControl(priv, `{"state":"available"}`, 200)
	e.wantVIF(priv, "available up")
	e.gwControl(pub, `{"state":"available"}`, 200)
	e.wantVIF(pub, "available up")
	// public verifying -> rejected.
	if m := e.gwControl(rejected, `{"state":"rejected"}`, 200); m["state"] != "rejected" {
		t.Fatalf("rejected: %v", m)
	}
	e.wantVIF(rejected, "rejected down")
	// available -> down -> available; the same state again changes nothing.
	e.gwControl(priv, `{"state":"down"}`, 200)
	e.wantVIF(priv, "down down")
	e.gwControl(priv, `{"state":"down"}`, 200)
	e.gwControl(priv, `{"state":"available"}`, 200)
	e.wantVIF(priv, "available up")
	want := []string{
		priv + " pending>available control", pub + " verifying>available control", rejected + " verifying>rejected control",
		priv + " available>down control", priv + " down>available control",
	}
	if got := log.take(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Refusals: 409 from states the table does not leave, 400 for states never set on a VIF.
	alloc, err := e.client(owner).AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{
		ConnectionId: aws.String(conn), OwnerAccount: aws.String(other), NewPrivateVirtualInterfaceAllocation: allocPrivate(13)})
	if err != nil {
		t.Fatal(err)
	}
	confirming := aws.ToString(alloc.VirtualInterfaceId)
	underTest := e.vifOn(conn, 14)
	e.gwControl(underTest, `{"state":"available"}`, 200)
	if _, err := e.client(owner).StartBgpFailoverTest(ctx, &directconnect.StartBgpFailoverTestInput{VirtualInterfaceId: aws.String(underTest)}); err != nil {
		t.Fatal(err)
	}
	deleting := e.vifOn(conn, 15)
	if _, err := e.client(owner).DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: aws.String(deleting)}); err != nil {
		t.Fatal(err)
	}
	log.take()
	for _, c := range []struct {
		id, body string
		status   int
		parts    []string
	}{
		{confirming, `{"state":"available"}`, 409, []string{confirming, "confirming", "available"}},
		{confirming, `{"state":"down"}`, 409, []string{confirming, "confirming", "down"}},
		{underTest, `{"state":"down"}`, 409, []string{underTest, "testing", "down"}},
		{deleting, `{"state":"available"}`, 409, []string{deleting, "deleting"}},
		{rejected, `{"state":"available"}`, 409, []string{rejected, "rejected"}},
		{pub, `{"state":"rejected"}`, 409, []string{pub, "available", "rejected"}},
		{priv, `{"state":"rejected"}`, 400, []string{"rejected", "private"}},
		{priv, `{"state":"deleted"}`, 400, []string{"deleted"}},
		{priv, `{"state":"pending"}`, 400, []string{"pending"}},
	} {
		before := e.vifSeen(c.id)
		m := e.gwControl(c.id, c.body, c.status)
		for _, p := range c.parts {
			if msg, _ := m["message"].(string); !strings.Contains(msg, p) {
				t.Fatalf("%s %s: message %q lacks %q", c.id, c.body, msg, p)
			}
		}
		if after := e.vifSeen(c.id); after != before {
			t.Fatalf("%s %s refused but changed: %s -> %s", c.id, c.body, before, after)
		}
	}
	if got := log.take(); len(got) != 0 {
		t.Fatalf("refusals changed something: %v", got)
	}
}

// TestVIFFollowsItsLink: a connection, hosted connection's interconnect or LAG going down takes
// its VIFs down with BGP down; a VIF cannot come up on a down link; the link coming back brings
// the VIFs back as they were (a VIF set down itself stays down, a running test runs on).
func TestVIFFollowsItsLink(t *testing.T) {
	e := newEnv(t, withDwell(time.Hour))
	conn := e.availableConnection(owner)
	up := e.vifOn(conn, 10)
	setDown := e.vifOn(conn, 11)
	tested := e.vifOn(conn, 12)
	provisioning := e.vifOn(conn, 13)
	for _, id := range []string{up, setDown, tested} {
		e.gwControl(id, `{"state":"available"}`, 200)
	}
	e.gwControl(setDown, `{"state":"down"}`, 200)
	dx := e.client(owner)
	test, err := dx.StartBgpFailoverTest(ctx, &directconnect.StartBgpFailoverTestInput{VirtualInterfaceId: aws.String(tested), TestDurationInMinutes: aws.Int32(600)})
	if err != nil {
		t.Fatal(err)
	}

	e.gwControl(conn, `{"state":"down"}`, 200)
	e.wantVIF(up, "down down")
	e.wantVIF(tested, "down down")
	e.wantVIF(provisioning, "pending down")
	m := e.gwControl(up, `{"state":"available"}`, 409)
	if msg := m["message"].(string); !strings.Contains(msg, conn) || !strings.Contains(msg, "down") {
		t.Fatalf("refusal: %s", msg)
	}
	e.gwControl(provisioning, `{"state":"available"}`, 409)
	// Provisioning ends on a down link: down, waiting for the link.
	e.clock.Advance(time.Hour)
	e.wantVIF(provisioning, "down down")
	hist, err := dx.ListVirtualInterfaceTestHistory(ctx, &directconnect.ListVirtualInterfaceTestHistoryInput{TestId: test.VirtualInterfaceTest.TestId})
	if err != nil || len(hist.VirtualInterfaceTestHistory) != 1 || aws.ToString(hist.VirtualInterfaceTestHistory[0].Status) != "in_progress" {
		t.Fatalf("the test while the link is down: %v %v", hist, err)
	}

	e.gwControl(conn, `{"state":"available"}`, 200)
	e.wantVIF(up, "available up")
	e.wantVIF(provisioning, "available up")
	e.wantVIF(setDown, "down down")
	e.wantVIF(tested, "testing down")
	e.clock.Advance(9 * time.Hour)
	e.wantVIF(tested, "available up")

	// A LAG down takes every member, and so the LAG's VIFs, down; up brings them back.
	l := createLag(t, dx, "TstA1", "10Gbps", 2)
	lag := aws.ToString(l.LagId)
	e.gwControl(lag, `{"state":"available"}`, 200)
	e.clock.Advance(time.Hour)
	onLag := e.vifOn(lag, 20)
	e.gwControl(onLag, `{"state":"available"}`, 200)
	e.gwControl(lag, `{"state":"down"}`, 200)
	e.wantVIF(onLag, "down down")
	e.gwControl(onLag, `{"state":"available"}`, 409)
	e.gwControl(lag, `{"state":"available"}`, 200)
	e.wantVIF(onLag, "available up")
}

// TestVIFBGPStatusControl: bgpStatus sets every peer of a VIF or the one bgpPeerId names; a
// peer the VIF lacks is a 400 naming both; up where BGP cannot be up is a 409.
func TestVIFBGPStatusControl(t *testing.T) {
	e := newEnv(t, withDwell(time.Hour))
	dx := e.client(owner)
	conn := e.availableConnection(owner)
	id := e.vifOn(conn, 10)
	out, err := dx.CreateBGPPeer(ctx, &directconnect.CreateBGPPeerInput{VirtualInterfaceId: aws.String(id),
		NewBGPPeer: &types.NewBGPPeer{Asn: 65000, AddressFamily: types.AddressFamilyIPv6}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.VirtualInterface.BgpPeers) != 2 {
		t.Fatalf("peers %v", out.VirtualInterface.BgpPeers)
	}
	first, second := aws.ToString(out.VirtualInterface.BgpPeers[0].BgpPeerId), aws.ToString(out.VirtualInterface.BgpPeers[1].BgpPeerId)
	// Up before the peers are available: 409, nothing changes.
	e.gwControl(id, `{"bgpStatus":"up"}`, 409)
	e.gwControl(id, `{"state":"available"}`, 200)
	e.wantVIF(id, "available up,up")

	e.gwControl(id, `{"bgpStatus":"down"}`, 200)
	e.wantVIF(id, "available down,down")
	e.gwControl(id, fmt.Sprintf(`{"bgpStatus":"up","bgpPeerId":%q}`, second), 200)
	e.wantVIF(id, "available down,up")
	e.gwControl(id, fmt.Sprintf(`{"bgpStatus":"up","bgpPeerId":%q}`, first), 200)
	e.wantVIF(id, "available up,up")
	e.gwControl(id, fmt.Sprintf(`{"bgpStatus":"down","bgpPeerId":%q}`, first), 200)
	e.wantVIF(id, "available down,up")

	m := e.gwControl(id, `{"bgpStatus":"down","bgpPeerId":"dxpeer-nothere1"}`, 400)
	if msg := m["message"].(string); !strings.Contains(msg, "dxpeer-nothere1") || !strings.Contains(msg, id) {
		t.Fatalf("unknown peer: %s", msg)
	}
	e.wantVIF(id, "available down,up")
	// A VIF down has every session down; up is refused there.
	e.gwControl(id, `{"state":"down"}`, 200)
	e.wantVIF(id, "down down,down")
	e.gwControl(id, `{"bgpStatus":"up"}`, 409)
	// Up again, the session set down stays down until set up.
	e.gwControl(id, `{"state":"available"}`, 200)
	e.wantVIF(id, "available down,up")
	e.gwControl(id, `{"state":"down"}`, 200)
	e.gwControl(id, `{"state":"available","bgpStatus":"up"}`, 200)
	e.wantVIF(id, "available up,up")
}

// TestVIFHold: a held VIF stays where it is (pending, deleting, testing) whatever the clock
// says; released, its next automatic change comes one dwell after the release.
func TestVIFHold(t *testing.T) {
	const dwell = time.Hour
	e := newEnv(t, withDwell(dwell))
	dx := e.client(owner)
	conn := e.availableConnection(owner)
	pending := e.vifOn(conn, 10)
	pub := e.publicVIFOn(conn, 11)
	deleting := e.vifOn(conn, 12)
	e.gwControl(deleting, `{"state":"available"}`, 200)
	if _, err := dx.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: aws.String(deleting)}); err != nil {
		t.Fatal(err)
	}
	tested := e.vifOn(conn, 13)
	e.gwControl(tested, `{"state":"available"}`, 200)
	if _, err := dx.StartBgpFailoverTest(ctx, &directconnect.StartBgpFailoverTestInput{VirtualInterfaceId: aws.String(tested), TestDurationInMinutes: aws.Int32(60)}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{pending, pub, deleting, tested} {
		if m := e.gwControl(id, `{"hold":true}`, 200); m["hold"] != true {
			t.Fatalf("held: %v", m)
		}
	}
	e.clock.Advance(72 * time.Hour)
	e.wantVIF(pending, "pending down")
	e.wantVIF(pub, "verifying down")
	e.wantVIF(deleting, "deleting down")
	e.wantVIF(tested, "testing down")
	if got := e.gwResourceList("?type=virtualInterface"); len(got) != 4 {
		t.Fatalf("listed %v", got)
	}

	for _, id := range []string{pending, pub, deleting, tested} {
		if m := e.gwControl(id, `{"hold":false}`, 200); m["hold"] != false {
			t.Fatalf("released: %v", m)
		}
	}
	e.clock.Advance(dwell - time.Minute)
	e.wantVIF(pending, "pending down")
	e.wantVIF(pub, "verifying down")
	e.wantVIF(deleting, "deleting down")
	e.wantVIF(tested, "testing down")
	e.clock.Advance(time.Minute)
	e.wantVIF(pending, "available up")
	e.wantVIF(pub, "pending down")
	e.wantVIF(deleting, "deleted down")
	e.wantVIF(tested, "available up")
	hist, err := dx.ListVirtualInterfaceTestHistory(ctx, &directconnect.ListVirtualInterfaceTestHistoryInput{VirtualInterfaceId: aws.String(tested)})
	if err != nil || len(hist.VirtualInterfaceTestHistory) != 1 {
		t.Fatalf("history %v %v", hist, err)
	}
	if h := hist.VirtualInterfaceTestHistory[0]; aws.ToString(h.Status) != "completed" || !h.EndTime.Equal(e.clock.Now()) {
		t.Fatalf("the held test ended %s at %v, want completed at %v", aws.ToString(h.Status), h.EndTime, e.clock.Now())
	}
	// A held VIF can still be driven by the control.
	e.gwControl(pending, `{"hold":true}`, 200)
	e.gwControl(pending, `{"state":"down"}`, 200)
	e.wantVIF(pending, "down down")
}

// TestVIFFollowsTheInterconnectUnderItsHostedConnection: an interconnect going down takes the
// VIFs of its hosted connections down (the hosted connection keeps its state); a VIF cannot
// come up while it is down, and comes back with it.
func TestVIFFollowsTheInterconnectUnderItsHostedConnection(t *testing.T) {
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
	e.gwControl(aws.ToString(ic.InterconnectId), `{"state":"available"}`, 200)
	e.gwControl(hid, `{"state":"available"}`, 200)
	v, err := cu.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &hid, NewPrivateVirtualInterface: privateVIF(77, vgwA)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(v.VirtualInterfaceId)
	seen := func() string {
		got := e.describeVIF(cu, id)
		return string(got.VirtualInterfaceState) + " " + string(got.BgpPeers[0].BgpStatus)
	}
	if got := seen(); got != "available up" {
		t.Fatalf("before: %s", got)
	}
	e.gwControl(aws.ToString(ic.InterconnectId), `{"state":"down"}`, 200)
	if got := seen(); got != "down down" {
		t.Fatalf("interconnect down: %s", got)
	}
	if s := e.connState(cu, hid); s != types.ConnectionStateAvailable {
		t.Fatalf("the hosted connection is %s", s)
	}
	m := e.gwControl(id, `{"state":"available"}`, 409)
	if msg := m["message"].(string); !strings.Contains(msg, aws.ToString(ic.InterconnectId)) {
		t.Fatalf("refusal: %s", msg)
	}
	e.gwControl(aws.ToString(ic.InterconnectId), `{"state":"available"}`, 200)
	if got := seen(); got != "available up" {
		t.Fatalf("interconnect back: %s", got)
	}
}
