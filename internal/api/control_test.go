package api_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"

	"github.com/dxlocal/dxlocal/internal/store"
)

func withOnChange(f func(store.Change)) option { return func(o *store.Options) { o.OnChange = f } }

// resource reads GET /_dxlocal/resources/{id}.
func (e *env) resource(id string) (int, map[string]any) {
	e.t.Helper()
	return e.admin("GET", "/resources/"+id, "")
}

func (e *env) connState(dx *directconnect.Client, id string) types.ConnectionState {
	e.t.Helper()
	out, err := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: aws.String(id)})
	if err != nil {
		e.t.Fatal(err)
	}
	return out.Connections[0].ConnectionState
}

func (e *env) lagState(dx *directconnect.Client, id string) types.LagState {
	e.t.Helper()
	out, err := dx.DescribeLags(ctx, &directconnect.DescribeLagsInput{LagId: aws.String(id)})
	if err != nil {
		e.t.Fatal(err)
	}
	return out.Lags[0].LagState
}

func TestResourcesListEveryAccountAndRegionInCreationOrder(t *testing.T) {
	e := newEnv(t, withPartners(partner))
	c1 := createConnection(t, e.client(owner), "TstA1", "1Gbps")
	ic := createInterconnect(t, e.client(partner), "TstB1", "10Gbps")
	l := createLag(t, e.client(other), "TstA1", "10Gbps", 1)
	h, err := allocate(e.client(partner), ic.InterconnectId, "500Mbps", 10)
	if err != nil {
		t.Fatal(err)
	}
	c2 := createConnection(t, e.clientIn(owner, euWest), "TstE1", "1Gbps")

	_, m := e.admin("GET", "/resources", "")
	type rec struct{ id, typ, owner, region string }
	want := []rec{
		{*c1.ConnectionId, "connection", owner, usEast},
		{*ic.InterconnectId, "interconnect", partner, usEast},
		{*l.LagId, "lag", other, usEast},
		{*l.Connections[0].ConnectionId, "connection", other, usEast},
		{*h.ConnectionId, "hostedConnection", customer, usEast},
		{*c2.ConnectionId, "connection", owner, euWest},
	}
	got := m["resources"].([]any)
	if len(got) != len(want) {
		t.Fatalf("%d resources, want %d: %v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i].(map[string]any)
		if g["id"] != w.id || g["type"] != w.typ || g["ownerAccount"] != w.owner || g["region"] != w.region || g["hold"] != false || g["state"] == "" {
			t.Errorf("resource %d = %v, want %v", i, g, w)
		}
	}
	filters := []struct {
		query string
		ids   []string
	}{
		{"?account=" + owner, []string{*c1.ConnectionId, *c2.ConnectionId}},
		{"?region=" + euWest, []string{*c2.ConnectionId}},
		{"?type=lag", []string{*l.LagId}},
		{"?type=connection&account=" + other, []string{*l.Connections[0].ConnectionId}},
		{"?type=virtualInterface", nil},
	}
	for _, f := range filters {
		status, m := e.admin("GET", "/resources"+f.query, "")
		var ids []string
		for _, r := range m["resources"].([]any) {
			ids = append(ids, r.(map[string]any)["id"].(string))
		}
		if status != 200 || strings.Join(ids, ",") != strings.Join(f.ids, ",") {
			t.Errorf("%s: %d %v, want %v", f.query, status, ids, f.ids)
		}
	}
	if status, m := e.admin("GET", "/resources?type=widget", ""); status != 400 || !strings.Contains(m["message"].(string), "widget") {
		t.Errorf("unknown type: %d %v", status, m)
	}
	if status, m := e.resource(*h.ConnectionId); status != 200 || m["type"] != "hostedConnection" || m["state"] != "ordering" || m["ownerAccount"] != customer {
		t.Errorf("GET one: %d %v", status, m)
	}
	if status, m := e.resource("dxcon-fnothere"); status != 404 || !strings.Contains(m["message"].(string), "dxcon-fnothere") {
		t.Errorf("unknown id: %d %v", status, m)
	}
}

// Every row of the state table that exists today, and the refusals, through plain HTTP and
// seen through the SDK.
func TestResourceStateTable(t *testing.T) {
	var mu sync.Mutex
	var changes []store.Change
	e := newEnv(t, withDwell(time.Hour), withPartners(partner), withOnChange(func(c store.Change) {
		mu.Lock()
		defer mu.Unlock()
		changes = append(changes, c)
	}))
	dx, p := e.client(owner), e.client(partner)

	c := createConnection(t, dx, "TstA1", "1Gbps")
	id := *c.ConnectionId
	post := func(id, body string) (int, map[string]any) { return e.admin("POST", "/resources/"+id, body) }

	// requested -> down is not in the table: 409, nothing changes.
	if status, m := post(id, `{"state":"down"}`); status != 409 || !strings.Contains(m["message"].(string), id) || !strings.Contains(m["message"].(string), "requested") {
		t.Fatalf("requested -> down: %d %v", status, m)
	}
	if s := e.connState(dx, id); s != types.ConnectionStateRequested {
		t.Fatalf("a refused change changed the state to %s", s)
	}
	// requested -> available: provisioning finishes now, whatever the clock says.
	if status, m := post(id, `{"state":"available"}`); status != 200 || m["state"] != "available" || m["id"] != id {
		t.Fatalf("requested -> available: %d %v", status, m)
	}
	if s := e.connState(dx, id); s != types.ConnectionStateAvailable {
		t.Fatalf("SDK sees %s after requested -> available", s)
	}
	// available -> down -> available: link down and up.
	if status, m := post(id, `{"state":"down"}`); status != 200 || m["state"] != "down" {
		t.Fatalf("available -> down: %d %v", status, m)
	}
	if s := e.connState(dx, id); s != types.ConnectionStateDown {
		t.Fatalf("SDK sees %s after link down", s)
	}
	if status, _ := post(id, `{"state":"down"}`); status != 200 {
		t.Fatalf("down -> down is no change and no refusal: %d", status)
	}
	if status, m := post(id, `{"state":"available"}`); status != 200 || m["state"] != "available" {
		t.Fatalf("down -> available: %d %v", status, m)
	}

	// pending -> available, on an interconnect.
	ic := createInterconnect(t, p, "TstB1", "10Gbps")
	e.clock.Advance(time.Hour)
	if status, m := e.resource(*ic.InterconnectId); m["state"] != "pending" {
		t.Fatalf("interconnect after one dwell: %d %v", status, m)
	}
	if status, m := post(*ic.InterconnectId, `{"state":"available"}`); status != 200 || m["state"] != "available" {
		t.Fatalf("pending -> available: %d %v", status, m)
	}
	ics, _ := p.DescribeInterconnects(ctx, &directconnect.DescribeInterconnectsInput{InterconnectId: ic.InterconnectId})
	if ics.Interconnects[0].InterconnectState != types.InterconnectStateAvailable {
		t.Fatalf("SDK sees interconnect %s", ics.Interconnects[0].InterconnectState)
	}
	// A hosted connection: ordering waits for its customer (409); pending -> available; link down.
	h, err := allocate(p, ic.InterconnectId, "500Mbps", 10)
	if err != nil {
		t.Fatal(err)
	}
	if status, _ := post(*h.ConnectionId, `{"state":"available"}`); status != 409 {
		t.Fatalf("ordering -> available: %d", status)
	}
	cu := e.client(customer)
	if _, err := cu.ConfirmConnection(ctx, &directconnect.ConfirmConnectionInput{ConnectionId: h.ConnectionId}); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct{ body, want string }{{`{"state":"available"}`, "available"}, {`{"state":"down"}`, "down"}} {
		if status, m := post(*h.ConnectionId, step.body); status != 200 || m["state"] != step.want {
			t.Fatalf("hosted %s: %d %v", step.body, status, m)
		}
	}
	if s := e.connState(cu, *h.ConnectionId); s != types.ConnectionStateDown {
		t.Fatalf("customer sees hosted connection %s", s)
	}

	// A deleted connection cannot come back: 409.
	gone := createConnection(t, dx, "TstA1", "1Gbps")
	if _, err := dx.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: gone.ConnectionId}); err != nil {
		t.Fatal(err)
	}
	if status, m := post(*gone.ConnectionId, `{"state":"available"}`); status != 409 || !strings.Contains(m["message"].(string), "deleted") {
		t.Fatalf("deleted -> available: %d %v", status, m)
	}

	// Bad bodies: 400, nothing changes.
	for _, body := range []string{`{"state":"deleted"}`, `{"state":"up"}`, `{"bgpStatus":"up"}`, `{"bgpStatus":"sideways"}`,
		`{"bgpPeerId":"dxpeer-fabcdefg"}`, `{}`, `{`, `{"status":"down"}`, `{"hold":"yes"}`, ``} {
		if status, m := post(id, body); status != 400 || m["message"] == "" {
			t.Errorf("body %q: %d %v", body, status, m)
		}
	}
	if s := e.connState(dx, id); s != types.ConnectionStateAvailable {
		t.Fatalf("a bad body changed the state to %s", s)
	}
	if status, _ := post("dxcon-fnothere", `{"state":"down"}`); status != 404 {
		t.Fatalf("unknown id: %d", status)
	}
	if status, m := post("dxvif-fnothere", `{"bgpStatus":"down"}`); status != 404 {
		t.Fatalf("a VIF that does not exist: %d %v", status, m)
	}

	// Every control change was reported with cause control, in order.
	mu.Lock()
	defer mu.Unlock()
	var control []string
	for _, ch := range changes {
		if ch.Cause == store.CauseControl {
			control = append(control, ch.ResourceID+":"+ch.From+">"+ch.To+":"+ch.Type)
		}
	}
	want := []string{
		id + ":requested>available:connection", id + ":available>down:connection", id + ":down>available:connection",
		*ic.InterconnectId + ":pending>available:interconnect",
		*h.ConnectionId + ":pending>available:hostedConnection", *h.ConnectionId + ":available>down:hostedConnection",
	}
	if strings.Join(control, " ") != strings.Join(want, " ") {
		t.Fatalf("control changes\n%v\nwant\n%v", control, want)
	}
}

func TestLagStateAppliesToEveryLiveMember(t *testing.T) {
	e := newEnv(t, withDwell(time.Hour))
	dx := e.client(owner)
	l := createLag(t, dx, "TstA1", "10Gbps", 2)
	lagID := *l.LagId
	post := func(body string) (int, map[string]any) { return e.admin("POST", "/resources/"+lagID, body) }
	if status, m := post(`{"state":"available"}`); status != 200 {
		t.Fatalf("LAG available: %d %v", status, m)
	}
	for _, m := range l.Connections {
		if s := e.connState(dx, *m.ConnectionId); s != types.ConnectionStateAvailable {
			t.Fatalf("member %s is %s", *m.ConnectionId, s)
		}
	}
	// Still pending for its first dwell, then derived from its members.
	if s := e.lagState(dx, lagID); s != types.LagStatePending {
		t.Fatalf("LAG %s during its first dwell", s)
	}
	e.clock.Advance(time.Hour)
	if s := e.lagState(dx, lagID); s != types.LagStateAvailable {
		t.Fatalf("LAG %s with every member available", s)
	}
	if status, m := post(`{"state":"down"}`); status != 200 || m["state"] != "down" {
		t.Fatalf("LAG down: %d %v", status, m)
	}
	if s := e.lagState(dx, lagID); s != types.LagStateDown {
		t.Fatalf("SDK sees LAG %s", s)
	}
	// One member up again: the LAG is derived again (minimum links 0 -> one is enough).
	if status, _ := e.admin("POST", "/resources/"+*l.Connections[0].ConnectionId, `{"state":"available"}`); status != 200 {
		t.Fatal(status)
	}
	if s := e.lagState(dx, lagID); s != types.LagStateAvailable {
		t.Fatalf("LAG %s with one member up", s)
	}
	if status, _ := post(`{"bgpStatus":"down"}`); status != 400 {
		t.Fatalf("bgpStatus on a LAG: %d", status)
	}
	if _, err := dx.DeleteLag(ctx, &directconnect.DeleteLagInput{LagId: l.LagId}); err != nil {
		t.Fatal(err)
	}
	if status, _ := post(`{"state":"available"}`); status != 409 {
		t.Fatalf("a deleted LAG: %d", status)
	}
}

func TestHoldStopsAutomaticChangesUntilReleased(t *testing.T) {
	e := newEnv(t, withDwell(time.Hour))
	dx := e.client(owner)
	c := createConnection(t, dx, "TstA1", "1Gbps")
	id := *c.ConnectionId
	if status, m := e.admin("POST", "/resources/"+id, `{"hold":true}`); status != 200 || m["hold"] != true || m["state"] != "requested" {
		t.Fatalf("hold: %d %v", status, m)
	}
	e.clock.Advance(72 * time.Hour)
	if s := e.connState(dx, id); s != types.ConnectionStateRequested {
		t.Fatalf("a held connection moved to %s", s)
	}
	if status, m := e.admin("POST", "/resources/"+id, `{"hold":false}`); status != 200 || m["hold"] != false {
		t.Fatalf("release: %d %v", status, m)
	}
	// The next change comes one dwell after the release, not at once.
	e.clock.Advance(time.Hour - time.Second)
	if s := e.connState(dx, id); s != types.ConnectionStateRequested {
		t.Fatalf("%s before one dwell after the release", s)
	}
	e.clock.Advance(time.Second)
	if s := e.connState(dx, id); s != types.ConnectionStatePending {
		t.Fatalf("%s one dwell after the release", s)
	}
	// A held connection that is deleted stays deleting.
	if status, _ := e.admin("POST", "/resources/"+id, `{"hold":true}`); status != 200 {
		t.Fatal(status)
	}
	if _, err := dx.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: c.ConnectionId}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(24 * time.Hour)
	if s := e.connState(dx, id); s != types.ConnectionStateDeleting {
		t.Fatalf("held while deleting: %s", s)
	}

	// A LAG held while pending stays pending.
	l := createLag(t, dx, "TstA1", "10Gbps", 1)
	if status, m := e.admin("POST", "/resources/"+*l.LagId, `{"hold":true}`); status != 200 || m["hold"] != true {
		t.Fatalf("hold LAG: %d %v", status, m)
	}
	e.clock.Advance(10 * time.Hour)
	if s := e.lagState(dx, *l.LagId); s != types.LagStatePending {
		t.Fatalf("held LAG is %s", s)
	}
	e.admin("POST", "/resources/"+*l.LagId, `{"hold":false}`)
	if s := e.lagState(dx, *l.LagId); s != types.LagStatePending {
		t.Fatalf("LAG %s at its release", s)
	}
	e.clock.Advance(time.Hour)
	if s := e.lagState(dx, *l.LagId); s == types.LagStatePending {
		t.Fatalf("LAG still pending one dwell after its release")
	}
}
