package api_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"

	"github.com/dxlocal/dxlocal/internal/store"
)

// gwControl posts a change to /_dxlocal/resources/{id} and wants status back.
func (e *env) gwControl(id, body string, status int) map[string]any {
	e.t.Helper()
	got, m := e.admin("POST", "/resources/"+id, body)
	if got != status {
		e.t.Fatalf("POST %s %s: %d %v, want %d", id, body, got, m, status)
	}
	return m
}

// gwFinished creates a DX gateway of account and finishes its provisioning through the
// resource control, whatever the dwell.
func (e *env) gwFinished(account string, asn int64) string {
	e.t.Helper()
	id := aws.ToString(e.createDXGW(account, "gw", asn).DirectConnectGatewayId)
	e.gwControl(id, `{"state":"available"}`, 200)
	return id
}

func (e *env) gwState(account, id string) types.DirectConnectGatewayState {
	e.t.Helper()
	g, ok := e.readDXGW(account, id)
	if !ok {
		return "(gone)"
	}
	return g.DirectConnectGatewayState
}

func (e *env) gwAssocState(account, id string) types.DirectConnectGatewayAssociationState {
	e.t.Helper()
	if a := e.readAssociation(account, id); a != nil {
		return a.AssociationState
	}
	return "(gone)"
}

func (e *env) gwProposalState(account, id string) types.DirectConnectGatewayAssociationProposalState {
	e.t.Helper()
	got := e.readProposals(account, directconnect.DescribeDirectConnectGatewayAssociationProposalsInput{ProposalId: aws.String(id)})
	if len(got) == 0 {
		return "(gone)"
	}
	return got[0].ProposalState
}

// gwResourceList answers GET /_dxlocal/resources with query as (id, type, owner, region, state).
func (e *env) gwResourceList(query string) [][5]string {
	e.t.Helper()
	status, m := e.admin("GET", "/resources"+query, "")
	if status != 200 {
		e.t.Fatalf("GET /resources%s: %d %v", query, status, m)
	}
	var out [][5]string
	for _, r := range m["resources"].([]any) {
		r := r.(map[string]any)
		out = append(out, [5]string{r["id"].(string), r["type"].(string), r["ownerAccount"].(string), r["region"].(string), r["state"].(string)})
	}
	return out
}

func TestDXGatewayResourcesListed(t *testing.T) {
	e := newEnv(t, withDwell(time.Hour))
	conn := createConnection(t, e.client(owner), "TstA1", "1Gbps")
	gw := e.gwFinished(owner, 64512)
	e.seedGateway(`{"gatewayId":"` + gwVGW1 + `","ownerAccount":"` + owner + `","region":"` + usEast + `"}`)
	a, err := e.gwAssociate(owner, gw, gwVGW1)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.gwPropose(other, gw, owner, gwVGW2, []string{"10.1.0.0/16"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	gw2 := aws.ToString(e.createDXGW(other, "second", 65000).DirectConnectGatewayId)
	aid, pid := aws.ToString(a.AssociationId), aws.ToString(p.ProposalId)

	all := [][5]string{
		{*conn.ConnectionId, "connection", owner, usEast, "requested"},
		{gw, "directConnectGateway", owner, "", "available"},
		{aid, "gatewayAssociation", owner, usEast, "associating"},
		{pid, "associationProposal", other, usEast, "requested"},
		{gw2, "directConnectGateway", other, "", "pending"},
	}
	pick := func(idx ...int) [][5]string {
		var out [][5]string
		for _, i := range idx {
			out = append(out, all[i])
		}
		return out
	}
	for _, c := range []struct {
		query string
		want  [][5]string
	}{
		{"", all},
		{"?type=directConnectGateway", pick(1, 4)},
		{"?type=gatewayAssociation", pick(2)},
		{"?type=associationProposal", pick(3)},
		{"?account=" + other, pick(3, 4)},
		// Gateways are global: a region filter leaves them out; associations and proposals
		// are in their VGW's region.
		{"?region=" + usEast, pick(0, 2, 3)},
		{"?region=" + euWest, nil},
		{"?account=" + owner + "&type=directConnectGateway", pick(1)},
	} {
		got := e.gwResourceList(c.query)
		if len(got) != len(c.want) {
			t.Fatalf("%q: %v, want %v", c.query, got, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Fatalf("%q: %v, want %v", c.query, got, c.want)
			}
		}
	}
	for _, id := range []string{gw, aid, pid} {
		status, m := e.resource(id)
		if status != 200 || m["id"] != id || m["hold"] != false {
			t.Fatalf("GET /resources/%s: %d %v", id, status, m)
		}
	}
}

func TestDXGatewayResourceStateTable(t *testing.T) {
	type step struct {
		body   string
		status int
		// want is the state the AWS API reads after the step; msg is a part of the refusal.
		want, msg string
	}
	cases := []struct {
		name string
		// setup makes the resource and answers its id and how to read it through the SDK.
		setup func(e *env) (id string, read func() string)
		steps []step
	}{
		{
			name: "gateway pending",
			setup: func(e *env) (string, func() string) {
				id := aws.ToString(e.createDXGW(owner, "gw", 64512).DirectConnectGatewayId)
				return id, func() string { return string(e.gwState(owner, id)) }
			},
			steps: []step{
				{`{"state":"deleted"}`, 409, "pending", "is pending and heading to available; it cannot be set deleted"},
				{`{"state":"pending"}`, 400, "pending", "state pending cannot be set on a directConnectGateway"},
				{`{"state":"up"}`, 400, "pending", "want available or deleted"},
				{`{"bgpStatus":"down"}`, 400, "pending", "bgpStatus applies to virtual interfaces"},
				{`{"state":"available"}`, 200, "available", ""},
				{`{"state":"available"}`, 200, "available", ""}, // the same state again changes nothing
				{`{"state":"deleted"}`, 409, "available", "is available, which is not a passing state"},
			},
		},
		{
			name: "gateway deleting",
			setup: func(e *env) (string, func() string) {
				id := e.gwFinished(owner, 64512)
				if _, err := e.client(owner).DeleteDirectConnectGateway(ctx, &directconnect.DeleteDirectConnectGatewayInput{DirectConnectGatewayId: aws.String(id)}); err != nil {
					e.t.Fatal(err)
				}
				return id, func() string { return string(e.gwState(owner, id)) }
			},
			steps: []step{
				{`{"state":"available"}`, 409, "deleting", "is deleting and heading to deleted; it cannot be set available"},
				{`{"state":"deleted"}`, 200, "(gone)", ""},
			},
		},
		{
			name: "gateway deleting that its association holds",
			setup: func(e *env) (string, func() string) {
				id := e.gwFinished(owner, 64512)
				if _, err := e.gwAssociate(owner, id, gwVGW1); err != nil {
					e.t.Fatal(err)
				}
				if _, err := e.client(owner).DeleteDirectConnectGateway(ctx, &directconnect.DeleteDirectConnectGatewayInput{DirectConnectGatewayId: aws.String(id)}); err != nil {
					e.t.Fatal(err)
				}
				return id, func() string {
					g, _ := e.readDXGW(owner, id)
					return string(g.DirectConnectGatewayState) + "|" + aws.ToString(g.StateChangeError)
				}
			},
			steps: []step{
				{`{"state":"deleted"}`, 409, "deleting|", "is deleting and heading to available; it cannot be set deleted"},
				{`{"state":"available"}`, 200, "available|Direct Connect gateway %ID% has associations and cannot be deleted.", ""},
			},
		},
		{
			name: "association associating, updating, disassociating",
			setup: func(e *env) (string, func() string) {
				gw := e.gwFinished(owner, 64512)
				a, err := e.gwAssociate(owner, gw, gwVGW1)
				if err != nil {
					e.t.Fatal(err)
				}
				id := aws.ToString(a.AssociationId)
				return id, func() string { return string(e.gwAssocState(owner, id)) }
			},
			steps: []step{
				{`{"state":"disassociated"}`, 409, "associating", "is associating and heading to associated; it cannot be set disassociated"},
				{`{"state":"updating"}`, 400, "associating", "want associated or disassociated"},
				{`{"state":"associated"}`, 200, "associated", ""},
				{`{"state":"disassociated"}`, 409, "associated", "is associated, which is not a passing state"},
				{"update", 0, "updating", ""},
				{`{"state":"associated"}`, 200, "associated", ""},
				{"delete", 0, "disassociating", ""},
				{`{"state":"associated"}`, 409, "disassociating", "heading to disassociated"},
				{`{"state":"disassociated"}`, 200, "disassociated", ""},
				{`{"state":"associated"}`, 409, "disassociated", "not a passing state"},
			},
		},
		{
			name: "proposal",
			setup: func(e *env) (string, func() string) {
				gw := e.gwFinished(owner, 64512)
				p, err := e.gwPropose(other, gw, owner, gwVGW2, []string{"10.1.0.0/16"}, nil)
				if err != nil {
					e.t.Fatal(err)
				}
				id := aws.ToString(p.ProposalId)
				return id, func() string { return string(e.gwProposalState(other, id)) }
			},
			steps: []step{
				{`{"state":"accepted"}`, 400, "requested", "state accepted cannot be set on an associationProposal"},
				{`{"state":"deleted"}`, 400, "requested", "hold stops its expiry"},
				{`{"bgpStatus":"up"}`, 400, "requested", "bgpStatus applies to virtual interfaces"},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var mu sync.Mutex
			var changes []store.Change
			e := newEnv(t, withDwell(time.Hour), withOnChange(func(ch store.Change) {
				mu.Lock()
				defer mu.Unlock()
				changes = append(changes, ch)
			}))
			id, read := c.setup(e)
			for _, s := range c.steps {
				was := read()
				mu.Lock()
				before := len(changes)
				mu.Unlock()
				switch s.body {
				case "update":
					if _, err := e.client(owner).UpdateDirectConnectGatewayAssociation(ctx, &directconnect.UpdateDirectConnectGatewayAssociationInput{
						AssociationId: aws.String(id), AddAllowedPrefixesToDirectConnectGateway: cidrList("10.9.0.0/16")}); err != nil {
						t.Fatal(err)
					}
				case "delete":
					if _, err := e.client(owner).DeleteDirectConnectGatewayAssociation(ctx, &directconnect.DeleteDirectConnectGatewayAssociationInput{AssociationId: aws.String(id)}); err != nil {
						t.Fatal(err)
					}
				default:
					m := e.gwControl(id, s.body, s.status)
					if s.msg != "" && !strings.Contains(m["message"].(string), s.msg) || s.status == 409 && !strings.Contains(m["message"].(string), id) {
						t.Fatalf("%s: message %q, want %q and the id", s.body, m["message"], s.msg)
					}
					if s.status == 200 && m["state"] != strings.Split(strings.Trim(s.body, `{}"`), `":"`)[1] {
						t.Fatalf("%s: answered %v", s.body, m)
					}
				}
				if got, want := read(), strings.ReplaceAll(s.want, "%ID%", id); got != want {
					t.Fatalf("after %s: %q, want %q", s.body, got, want)
				}
				if s.status == 0 {
					continue
				}
				mu.Lock()
				made := slices.Clone(changes[before:])
				mu.Unlock()
				// A change the control makes is emitted once, with its cause; a refusal or
				// the same state again emits nothing.
				want := 0
				if s.status == 200 && read() != was {
					want = 1
				}
				if len(made) != want || want == 1 && (made[0].Cause != store.CauseControl || made[0].ResourceID != id) {
					t.Fatalf("%s emitted %+v, want %d control change(s)", s.body, made, want)
				}
			}
		})
	}
}

// TestDXGatewayHold: a held gateway, association and proposal stay where they are whatever
// the clock says; released, the next automatic change comes one dwell after the release.
func TestDXGatewayHold(t *testing.T) {
	const dwell = time.Hour
	e := newEnv(t, withDwell(dwell))
	gw := aws.ToString(e.createDXGW(owner, "held", 64512).DirectConnectGatewayId)
	if m := e.gwControl(gw, `{"hold":true}`, 200); m["hold"] != true || m["state"] != "pending" {
		t.Fatalf("held: %v", m)
	}
	ready := e.gwFinished(owner, 65000)
	a, err := e.gwAssociate(owner, ready, gwVGW1)
	if err != nil {
		t.Fatal(err)
	}
	aid := aws.ToString(a.AssociationId)
	e.gwControl(aid, `{"hold":true}`, 200)
	p, err := e.gwPropose(other, ready, owner, gwVGW2, []string{"10.1.0.0/16"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	pid := aws.ToString(p.ProposalId)
	e.gwControl(pid, `{"hold":true}`, 200)

	// Eight days: past every dwell and past the proposal's seven-day expiry.
	e.clock.Advance(8 * 24 * time.Hour)
	if g, a, p := e.gwState(owner, gw), e.gwAssocState(owner, aid), e.gwProposalState(other, pid); g != "pending" || a != "associating" || p != "requested" {
		t.Fatalf("held, after 8 days: %s %s %s", g, a, p)
	}
	for _, id := range []string{gw, aid, pid} {
		if _, m := e.resource(id); m["hold"] != true {
			t.Fatalf("%s: %v", id, m)
		}
	}
	// A held resource can still be driven by the control and by calls.
	e.gwControl(aid, `{"state":"associated"}`, 200)
	if _, err := e.client(owner).UpdateDirectConnectGatewayAssociation(ctx, &directconnect.UpdateDirectConnectGatewayAssociationInput{
		AssociationId: aws.String(aid), AddAllowedPrefixesToDirectConnectGateway: cidrList("10.9.0.0/16")}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(3 * dwell)
	if s := e.gwAssocState(owner, aid); s != "updating" {
		t.Fatalf("held association after update: %s", s)
	}

	for _, id := range []string{gw, aid, pid} {
		if m := e.gwControl(id, `{"hold":false}`, 200); m["hold"] != false {
			t.Fatalf("released %s: %v", id, m)
		}
	}
	e.clock.Advance(dwell - time.Second)
	if g, a, p := e.gwState(owner, gw), e.gwAssocState(owner, aid), e.gwProposalState(other, pid); g != "pending" || a != "updating" || p != "requested" {
		t.Fatalf("one second before a dwell after the release: %s %s %s", g, a, p)
	}
	e.clock.Advance(time.Second)
	if g, a, p := e.gwState(owner, gw), e.gwAssocState(owner, aid), e.gwProposalState(other, pid); g != "available" || a != "associated" || p != "deleted" {
		t.Fatalf("a dwell after the release: %s %s %s", g, a, p)
	}

	// A young proposal held and released keeps its seven-day mark.
	p2, err := e.gwPropose(other, ready, owner, gwVGW2, []string{"10.2.0.0/16"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	pid2 := aws.ToString(p2.ProposalId)
	e.gwControl(pid2, `{"hold":true}`, 200)
	e.gwControl(pid2, `{"hold":false}`, 200)
	e.clock.Advance(7*24*time.Hour - time.Second)
	if s := e.gwProposalState(other, pid2); s != "requested" {
		t.Fatalf("young proposal before its mark: %s", s)
	}
	e.clock.Advance(time.Second)
	if s := e.gwProposalState(other, pid2); s != "deleted" {
		t.Fatalf("young proposal at its mark: %s", s)
	}

	// A hold taken while a due change is queued, and released before its time, does not let
	// the old entry fire early: the change comes one dwell after the release.
	gw3 := aws.ToString(e.createDXGW(owner, "third", 65001).DirectConnectGatewayId)
	e.clock.Advance(dwell / 2)
	e.gwControl(gw3, `{"hold":true}`, 200)
	e.gwControl(gw3, `{"hold":false}`, 200)
	e.clock.Advance(dwell / 2)
	if s := e.gwState(owner, gw3); s != "pending" {
		t.Fatalf("the entry queued before the hold fired: %s", s)
	}
	e.clock.Advance(dwell / 2)
	if s := e.gwState(owner, gw3); s != "available" {
		t.Fatalf("one dwell after the release: %s", s)
	}
}

// TestDXGatewayHeldDeleteDecidesOnRelease: a deleting gateway held while its association leaves
// is deleted, not sent back, when its change comes after the release; one whose association
// stays is sent back with its stateChangeError.
func TestDXGatewayHeldDeleteDecidesOnRelease(t *testing.T) {
	const dwell = time.Hour
	for _, leave := range []bool{true, false} {
		t.Run(map[bool]string{true: "association leaves", false: "association stays"}[leave], func(t *testing.T) {
			e := newEnv(t, withDwell(dwell))
			gw := e.gwFinished(owner, 64512)
			a, err := e.gwAssociate(owner, gw, gwVGW1)
			if err != nil {
				t.Fatal(err)
			}
			dx := e.client(owner)
			if _, err := dx.DeleteDirectConnectGateway(ctx, &directconnect.DeleteDirectConnectGatewayInput{DirectConnectGatewayId: aws.String(gw)}); err != nil {
				t.Fatal(err)
			}
			e.gwControl(gw, `{"hold":true}`, 200)
			if leave {
				if _, err := dx.DeleteDirectConnectGatewayAssociation(ctx, &directconnect.DeleteDirectConnectGatewayAssociationInput{AssociationId: a.AssociationId}); err != nil {
					t.Fatal(err)
				}
			}
			e.clock.Advance(5 * dwell)
			if s := e.gwState(owner, gw); s != "deleting" {
				t.Fatalf("held: %s", s)
			}
			e.gwControl(gw, `{"hold":false}`, 200)
			e.clock.Advance(dwell)
			g, ok := e.readDXGW(owner, gw)
			switch {
			case leave && ok:
				t.Fatalf("still there: %+v", g)
			case !leave && (!ok || g.DirectConnectGatewayState != "available" || aws.ToString(g.StateChangeError) == ""):
				t.Fatalf("not sent back: %+v %v", g, ok)
			}
		})
	}
}
