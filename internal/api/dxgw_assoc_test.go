package api_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

const (
	gwVGW1 = "vgw-0123456789abcdef0"
	gwVGW2 = "vgw-aba37db6"
	gwTGW1 = "tgw-0123456789abcdef1"
	gwTGW2 = "tgw-0123456789abcdef2"
)

// availableDXGW creates a gateway of account and lets its dwell pass (these tests use a dwell
// of zero or one minute).
func (e *env) availableDXGW(account string, asn int64) string {
	e.t.Helper()
	id := aws.ToString(e.createDXGW(account, "gw", asn).DirectConnectGatewayId)
	e.clock.Advance(time.Minute)
	if g, _ := e.readDXGW(account, id); g.DirectConnectGatewayState != types.DirectConnectGatewayStateAvailable {
		e.t.Fatalf("gateway %s is %s", id, g.DirectConnectGatewayState)
	}
	return id
}

// registryIDs answers the ids in the EC2 gateway registry, in registration order.
func (e *env) registryIDs() []string {
	e.t.Helper()
	status, m := e.admin("GET", "/gateways", "")
	if status != 200 {
		e.t.Fatalf("GET /gateways: %d", status)
	}
	var ids []string
	for _, g := range m["gateways"].([]any) {
		ids = append(ids, g.(map[string]any)["gatewayId"].(string))
	}
	return ids
}

func (e *env) seedGateway(body string) {
	e.t.Helper()
	if status, m := e.admin("POST", "/gateways", body); status != 200 {
		e.t.Fatalf("seeding %s: %d %v", body, status, m)
	}
}

func cidrList(cidrs ...string) []types.RouteFilterPrefix {
	out := make([]types.RouteFilterPrefix, len(cidrs))
	for i, c := range cidrs {
		out[i] = types.RouteFilterPrefix{Cidr: aws.String(c)}
	}
	return out
}

func prefixCIDRs(list []types.RouteFilterPrefix) []string {
	out := []string{}
	for _, p := range list {
		out = append(out, aws.ToString(p.Cidr))
	}
	return out
}

func (e *env) gwAssociate(account, gw, target string, cidrs ...string) (*types.DirectConnectGatewayAssociation, error) {
	in := &directconnect.CreateDirectConnectGatewayAssociationInput{DirectConnectGatewayId: aws.String(gw), GatewayId: aws.String(target)}
	if len(cidrs) > 0 {
		in.AddAllowedPrefixesToDirectConnectGateway = cidrList(cidrs...)
	}
	out, err := e.client(account).CreateDirectConnectGatewayAssociation(ctx, in)
	if err != nil {
		return nil, err
	}
	return out.DirectConnectGatewayAssociation, nil
}

// readAssociation reads one association by id as account; nil when it is not listed.
func (e *env) readAssociation(account, id string) *types.DirectConnectGatewayAssociation {
	e.t.Helper()
	out, err := e.client(account).DescribeDirectConnectGatewayAssociations(ctx, &directconnect.DescribeDirectConnectGatewayAssociationsInput{AssociationId: aws.String(id)})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(out.DirectConnectGatewayAssociations) == 0 {
		return nil
	}
	return &out.DirectConnectGatewayAssociations[0]
}

func TestDXGatewayAssociationLifecycle(t *testing.T) {
	for _, dwell := range []time.Duration{0, time.Minute} {
		t.Run(dwell.String(), func(t *testing.T) {
			e := newEnv(t, withDwell(dwell))
			gw := e.availableDXGW(owner, 64512)
			a, err := e.gwAssociate(owner, gw, gwVGW1)
			if err != nil {
				t.Fatal(err)
			}
			ag := a.AssociatedGateway
			if a.AssociationState != types.DirectConnectGatewayAssociationStateAssociating ||
				aws.ToString(a.DirectConnectGatewayId) != gw || aws.ToString(a.DirectConnectGatewayOwnerAccount) != owner ||
				ag == nil || aws.ToString(ag.Id) != gwVGW1 || ag.Type != types.GatewayTypeVirtualPrivateGateway || aws.ToString(ag.OwnerAccount) != owner || aws.ToString(ag.Region) != usEast ||
				aws.ToString(a.VirtualGatewayId) != gwVGW1 || aws.ToString(a.VirtualGatewayRegion) != usEast || aws.ToString(a.VirtualGatewayOwnerAccount) != owner ||
				!slices.Equal(prefixCIDRs(a.AllowedPrefixesToDirectConnectGateway), []string{"10.0.0.0/16"}) {
				t.Fatalf("created %+v (associated %+v)", a, ag)
			}
			// The VGW was registered, as the caller's, in the request region.
			if ids := e.registryIDs(); !slices.Equal(ids, []string{gwVGW1}) {
				t.Fatalf("registry %v", ids)
			}
			id := aws.ToString(a.AssociationId)
			step := func(want types.DirectConnectGatewayAssociationState) {
				t.Helper()
				if dwell > 0 {
					if got := e.readAssociation(owner, id); got.AssociationState == want {
						t.Fatalf("already %s before the dwell", want)
					}
					e.clock.Advance(dwell)
				}
				if got := e.readAssociation(owner, id); got == nil || got.AssociationState != want {
					t.Fatalf("after the dwell: %+v, want %s", got, want)
				}
			}
			step(types.DirectConnectGatewayAssociationStateAssociated)

			up, err := e.client(owner).UpdateDirectConnectGatewayAssociation(ctx, &directconnect.UpdateDirectConnectGatewayAssociationInput{
				AssociationId:                               aws.String(id),
				AddAllowedPrefixesToDirectConnectGateway:    cidrList("10.1.0.0/16", "10.2.0.0/16"),
				RemoveAllowedPrefixesToDirectConnectGateway: cidrList("10.0.0.0/16", "192.168.0.0/16"),
			})
			if err != nil || up.DirectConnectGatewayAssociation.AssociationState != types.DirectConnectGatewayAssociationStateUpdating ||
				!slices.Equal(prefixCIDRs(up.DirectConnectGatewayAssociation.AllowedPrefixesToDirectConnectGateway), []string{"10.1.0.0/16", "10.2.0.0/16"}) {
				t.Fatalf("update: %+v, %v", up, err)
			}
			step(types.DirectConnectGatewayAssociationStateAssociated)

			del, err := e.client(owner).DeleteDirectConnectGatewayAssociation(ctx, &directconnect.DeleteDirectConnectGatewayAssociationInput{AssociationId: aws.String(id)})
			if err != nil || del.DirectConnectGatewayAssociation.AssociationState != types.DirectConnectGatewayAssociationStateDisassociating {
				t.Fatalf("delete: %+v, %v", del, err)
			}
			step(types.DirectConnectGatewayAssociationStateDisassociated)
			e.clock.Advance(time.Hour)
			if got := e.readAssociation(owner, id); got != nil {
				t.Fatalf("still listed after the retention: %+v", got)
			}
			_, err = e.client(owner).DeleteDirectConnectGatewayAssociation(ctx, &directconnect.DeleteDirectConnectGatewayAssociationInput{AssociationId: aws.String(id)})
			wantDXRefusal(t, err, "does not exist", id)
		})
	}
}

// TestDXGatewayDeleteRevert: a gateway deleted while an association remains goes deleting,
// then back to available with stateChangeError; once the association is gone it can go.
func TestDXGatewayDeleteRevert(t *testing.T) {
	for _, dwell := range []time.Duration{0, time.Minute} {
		t.Run(dwell.String(), func(t *testing.T) {
			e := newEnv(t, withDwell(dwell))
			gw := e.availableDXGW(owner, 64512)
			a, err := e.gwAssociate(owner, gw, gwVGW1)
			if err != nil {
				t.Fatal(err)
			}
			dx := e.client(owner)
			del, err := dx.DeleteDirectConnectGateway(ctx, &directconnect.DeleteDirectConnectGatewayInput{DirectConnectGatewayId: aws.String(gw)})
			if err != nil || del.DirectConnectGateway.DirectConnectGatewayState != types.DirectConnectGatewayStateDeleting {
				t.Fatalf("delete: %+v %v", del, err)
			}
			e.clock.Advance(dwell)
			g, ok := e.readDXGW(owner, gw)
			if !ok || g.DirectConnectGatewayState != types.DirectConnectGatewayStateAvailable || aws.ToString(g.StateChangeError) != "Direct Connect gateway "+gw+" has associations and cannot be deleted." {
				t.Fatalf("after the dwell: %+v", g)
			}
			if _, err := dx.DeleteDirectConnectGatewayAssociation(ctx, &directconnect.DeleteDirectConnectGatewayAssociationInput{AssociationId: a.AssociationId}); err != nil {
				t.Fatal(err)
			}
			// A disassociating association does not hold the gateway.
			del, err = dx.DeleteDirectConnectGateway(ctx, &directconnect.DeleteDirectConnectGatewayInput{DirectConnectGatewayId: aws.String(gw)})
			if err != nil || del.DirectConnectGateway.StateChangeError != nil {
				t.Fatalf("second delete: %+v %v", del, err)
			}
			e.clock.Advance(dwell)
			if g, ok := e.readDXGW(owner, gw); ok {
				t.Fatalf("still there: %+v", g)
			}
		})
	}
}

func TestDXGatewayAssociationTransit(t *testing.T) {
	e := newEnv(t)
	e.seedGateway(`{"gatewayId":"` + gwTGW1 + `","ownerAccount":"` + owner + `","region":"us-east-1","amazonSideAsn":65000}`)
	gw := e.availableDXGW(owner, 64512)
	clash := e.availableDXGW(owner, 65000)

	_, err := e.gwAssociate(owner, gw, gwTGW1)
	wantDXRefusal(t, err, "addAllowedPrefixesToDirectConnectGateway", gwTGW1)
	_, err = e.gwAssociate(owner, clash, gwTGW1, "10.0.0.0/16")
	wantDXRefusal(t, err, gwTGW1, "65000", clash)

	a, err := e.gwAssociate(owner, gw, gwTGW1, "10.0.0.0/16", "10.1.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	if a.AssociatedGateway.Type != types.GatewayTypeTransitGateway || a.VirtualGatewayId != nil ||
		!slices.Equal(prefixCIDRs(a.AllowedPrefixesToDirectConnectGateway), []string{"10.0.0.0/16", "10.1.0.0/16"}) {
		t.Fatalf("created %+v", a)
	}
	// An auto-registered TGW has no ASN, so no clash with the gateway's 64512; its prefixes
	// must not overlap those of the other TGW.
	_, err = e.gwAssociate(owner, gw, gwTGW2, "10.1.128.0/20")
	wantDXRefusal(t, err, "overlap", "10.1.128.0/20", "10.1.0.0/16")
	if _, err := e.gwAssociate(owner, gw, gwTGW2, "10.2.0.0/16"); err != nil {
		t.Fatal(err)
	}
	// Updates keep to the overlap rule too.
	e.readAssociation(owner, aws.ToString(a.AssociationId)) // settle
	_, err = e.client(owner).UpdateDirectConnectGatewayAssociation(ctx, &directconnect.UpdateDirectConnectGatewayAssociationInput{
		AssociationId: a.AssociationId, AddAllowedPrefixesToDirectConnectGateway: cidrList("10.2.3.0/24"),
	})
	wantDXRefusal(t, err, "overlap", "10.2.3.0/24")
	// A gateway with TGWs takes no VGW, and one with a VGW no TGW.
	_, err = e.gwAssociate(owner, gw, gwVGW1)
	wantDXRefusal(t, err, gw, gwVGW1, "transit gateway")
	other := e.availableDXGW(owner, 64512)
	if _, err := e.gwAssociate(owner, other, gwVGW1); err != nil {
		t.Fatal(err)
	}
	_, err = e.gwAssociate(owner, other, "tgw-0123456789abcdef3", "172.16.0.0/12")
	wantDXRefusal(t, err, other, "tgw-0123456789abcdef3", "virtual private gateway")
	// A VGW has one association only.
	third := e.availableDXGW(owner, 64512)
	_, err = e.gwAssociate(owner, third, gwVGW1)
	wantDXRefusal(t, err, gwVGW1, "already associated", other)
	_, err = e.gwAssociate(owner, other, gwVGW1)
	wantDXRefusal(t, err, gwVGW1, "already associated", other)
}

func TestDXGatewayAssociationQuotas(t *testing.T) {
	e := newEnv(t)
	q := e.store.Quotas()
	q.VgwAssociationsPerGateway, q.TgwAssociationsPerGateway, q.GatewaysPerTransitGateway, q.AllowedPrefixesPerAssociation = 1, 1, 1, 2
	e.store.SetQuotas(q)
	gw := e.availableDXGW(owner, 64512)
	if _, err := e.gwAssociate(owner, gw, gwVGW1); err != nil {
		t.Fatal(err)
	}
	_, err := e.gwAssociate(owner, gw, gwVGW2)
	wantDXRefusal(t, err, "limit of 1", gw)

	tg := e.availableDXGW(owner, 64512)
	_, err = e.gwAssociate(owner, tg, gwTGW1, "10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16")
	wantDXRefusal(t, err, "limit of 2", gwTGW1, "3 given")
	if _, err := e.gwAssociate(owner, tg, gwTGW1, "10.0.0.0/16"); err != nil {
		t.Fatal(err)
	}
	_, err = e.gwAssociate(owner, tg, gwTGW2, "10.9.0.0/16")
	wantDXRefusal(t, err, "Transit gateway association limit of 1", tg)
	tg2 := e.availableDXGW(owner, 64512)
	_, err = e.gwAssociate(owner, tg2, gwTGW1, "10.8.0.0/16")
	wantDXRefusal(t, err, "limit of 1", gwTGW1)
	// The refused calls registered nothing.
	if ids := e.registryIDs(); !slices.Equal(ids, []string{gwVGW1, gwTGW1}) {
		t.Fatalf("registry %v", ids)
	}
}

// TestDXGatewayAutoRegistration: only a successful create registers; refusals, describes and
// deletes never do; a registered id keeps its owner and region.
func TestDXGatewayAutoRegistration(t *testing.T) {
	e := newEnv(t)
	gw := e.availableDXGW(owner, 64512)
	dx := e.client(owner)
	refusals := []struct {
		name  string
		in    directconnect.CreateDirectConnectGatewayAssociationInput
		parts []string
	}{
		{"bad prefix", directconnect.CreateDirectConnectGatewayAssociationInput{DirectConnectGatewayId: aws.String(gw), GatewayId: aws.String(gwVGW1), AddAllowedPrefixesToDirectConnectGateway: cidrList("10.0.0.1/16")}, []string{"addAllowedPrefixesToDirectConnectGateway", "10.0.0.1/16"}},
		{"unknown DX gateway", directconnect.CreateDirectConnectGatewayAssociationInput{DirectConnectGatewayId: aws.String("5f294f92-bafb-4011-916d-9b0bd0000000"), GatewayId: aws.String(gwVGW1)}, []string{"does not exist", "5f294f92-bafb-4011-916d-9b0bd0000000"}},
		{"TGW without prefixes", directconnect.CreateDirectConnectGatewayAssociationInput{DirectConnectGatewayId: aws.String(gw), GatewayId: aws.String(gwTGW1)}, []string{"addAllowedPrefixesToDirectConnectGateway", gwTGW1}},
		{"malformed gateway id", directconnect.CreateDirectConnectGatewayAssociationInput{DirectConnectGatewayId: aws.String(gw), GatewayId: aws.String("vgw-xyz")}, []string{"gatewayId", "vgw-xyz"}},
		{"malformed id before unknown DX gateway", directconnect.CreateDirectConnectGatewayAssociationInput{DirectConnectGatewayId: aws.String("5f294f92-bafb-4011-916d-9b0bd0000000"), GatewayId: aws.String("vgw-xyz")}, []string{"gatewayId vgw-xyz has an invalid format."}},
		{"malformed DX gateway id", directconnect.CreateDirectConnectGatewayAssociationInput{DirectConnectGatewayId: aws.String("dxgw-1"), GatewayId: aws.String(gwVGW1)}, []string{"dxgw-1", "invalid format"}},
		{"both ids", directconnect.CreateDirectConnectGatewayAssociationInput{DirectConnectGatewayId: aws.String(gw), GatewayId: aws.String(gwVGW1), VirtualGatewayId: aws.String(gwVGW2)}, []string{gwVGW1, gwVGW2, "not both"}},
		{"no id", directconnect.CreateDirectConnectGatewayAssociationInput{DirectConnectGatewayId: aws.String(gw)}, []string{"gatewayId is required"}},
		{"legacy member with a TGW", directconnect.CreateDirectConnectGatewayAssociationInput{DirectConnectGatewayId: aws.String(gw), VirtualGatewayId: aws.String(gwTGW1)}, []string{"virtualGatewayId", gwTGW1}},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dx.CreateDirectConnectGatewayAssociation(ctx, &tc.in)
			wantDXRefusal(t, err, tc.parts...)
		})
	}
	// Describe and Delete name gateways without registering them.
	out, err := dx.DescribeDirectConnectGatewayAssociations(ctx, &directconnect.DescribeDirectConnectGatewayAssociationsInput{VirtualGatewayId: aws.String(gwVGW1)})
	if err != nil || len(out.DirectConnectGatewayAssociations) != 0 {
		t.Fatalf("describe: %+v %v", out, err)
	}
	_, err = dx.DeleteDirectConnectGatewayAssociation(ctx, &directconnect.DeleteDirectConnectGatewayAssociationInput{DirectConnectGatewayId: aws.String(gw), VirtualGatewayId: aws.String(gwVGW1)})
	wantDXRefusal(t, err, "does not exist", gwVGW1)
	if ids := e.registryIDs(); len(ids) != 0 {
		t.Fatalf("registered by refused or read-only calls: %v", ids)
	}

	// The legacy member registers too, and the record is the caller's in the request region.
	a, err := dx.CreateDirectConnectGatewayAssociation(ctx, &directconnect.CreateDirectConnectGatewayAssociationInput{DirectConnectGatewayId: aws.String(gw), VirtualGatewayId: aws.String(gwVGW2)})
	if err != nil || aws.ToString(a.DirectConnectGatewayAssociation.AssociatedGateway.Id) != gwVGW2 {
		t.Fatalf("legacy create: %+v %v", a, err)
	}
	_, m := e.admin("GET", "/gateways", "")
	rec := m["gateways"].([]any)[0].(map[string]any)
	if rec["gatewayId"] != gwVGW2 || rec["ownerAccount"] != owner || rec["region"] != usEast || fmt.Sprint(rec["amazonSideAsn"]) != "64512" {
		t.Fatalf("record %v", rec)
	}
	// Another account, or another region, does not see that VGW.
	otherGw := e.availableDXGW(other, 64512)
	_, err = e.gwAssociate(other, otherGw, gwVGW2)
	wantDXRefusal(t, err, "The VirtualGateway "+gwVGW2+" does not exist.")
	euGw := e.availableDXGW(owner, 64512)
	_, err = e.clientIn(owner, euWest).CreateDirectConnectGatewayAssociation(ctx, &directconnect.CreateDirectConnectGatewayAssociationInput{DirectConnectGatewayId: aws.String(euGw), GatewayId: aws.String(gwVGW2)})
	wantDXRefusal(t, err, "The VirtualGateway "+gwVGW2+" does not exist.")
	// The same for a TGW, with its own wording, and for another account's DX gateway.
	e.seedGateway(`{"gatewayId":"` + gwTGW2 + `","ownerAccount":"` + other + `"}`)
	_, err = e.gwAssociate(owner, gw, gwTGW2, "10.0.0.0/8")
	wantDXRefusal(t, err, "The TransitGateway "+gwTGW2+" does not exist.")
	_, err = e.gwAssociate(other, gw, gwTGW2, "10.0.0.0/8")
	wantDXRefusal(t, err, "Direct Connect gateway "+gw+" does not exist")
	// A TGW registered by a successful call has no ASN.
	if _, err := e.gwAssociate(owner, e.availableDXGW(owner, 64512), gwTGW1, "10.0.0.0/8"); err != nil {
		t.Fatal(err)
	}
	_, m = e.admin("GET", "/gateways", "")
	if rec := m["gateways"].([]any)[2].(map[string]any); rec["gatewayId"] != gwTGW1 || rec["amazonSideAsn"] != nil {
		t.Fatalf("TGW record %v", rec)
	}
}

func TestDXGatewayAssociationDescribeAndRefusals(t *testing.T) {
	e := newEnv(t, withDwell(time.Minute))
	gw := e.availableDXGW(owner, 64512)
	gw2 := e.availableDXGW(owner, 64512)
	a1, _ := e.gwAssociate(owner, gw, gwVGW1)
	a2, _ := e.gwAssociate(owner, gw2, gwVGW2)
	dx := e.client(owner)
	describe := func(in directconnect.DescribeDirectConnectGatewayAssociationsInput) []string {
		t.Helper()
		out, err := dx.DescribeDirectConnectGatewayAssociations(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		ids := []string{}
		for _, a := range out.DirectConnectGatewayAssociations {
			ids = append(ids, aws.ToString(a.AssociationId))
		}
		return ids
	}
	id1, id2 := aws.ToString(a1.AssociationId), aws.ToString(a2.AssociationId)
	for _, tc := range []struct {
		name string
		in   directconnect.DescribeDirectConnectGatewayAssociationsInput
		want []string
	}{
		{"by association", directconnect.DescribeDirectConnectGatewayAssociationsInput{AssociationId: aws.String(id1)}, []string{id1}},
		{"by DX gateway", directconnect.DescribeDirectConnectGatewayAssociationsInput{DirectConnectGatewayId: aws.String(gw2)}, []string{id2}},
		{"by associated gateway", directconnect.DescribeDirectConnectGatewayAssociationsInput{AssociatedGatewayId: aws.String(gwVGW1)}, []string{id1}},
		{"by virtual gateway", directconnect.DescribeDirectConnectGatewayAssociationsInput{VirtualGatewayId: aws.String(gwVGW2)}, []string{id2}},
		{"DX gateway and VGW", directconnect.DescribeDirectConnectGatewayAssociationsInput{DirectConnectGatewayId: aws.String(gw), VirtualGatewayId: aws.String(gwVGW1)}, []string{id1}},
		{"DX gateway and another VGW", directconnect.DescribeDirectConnectGatewayAssociationsInput{DirectConnectGatewayId: aws.String(gw), AssociatedGatewayId: aws.String(gwVGW2)}, []string{}},
		{"association and another DX gateway", directconnect.DescribeDirectConnectGatewayAssociationsInput{AssociationId: aws.String(id1), DirectConnectGatewayId: aws.String(gw2)}, []string{}},
		{"unknown association", directconnect.DescribeDirectConnectGatewayAssociationsInput{AssociationId: aws.String("6441f8bf-5917-4279-ade1-9708b0000000")}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := describe(tc.in); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	_, err := dx.DescribeDirectConnectGatewayAssociations(ctx, &directconnect.DescribeDirectConnectGatewayAssociationsInput{})
	wantDXRefusal(t, err, "Must specify a Direct Connect gateway, a virtual gateway, a transit gateway or an association id.")
	_, err = dx.DescribeDirectConnectGatewayAssociations(ctx, &directconnect.DescribeDirectConnectGatewayAssociationsInput{AssociationId: aws.String("ga-123")})
	wantDXRefusal(t, err, "Association ID ga-123 has an invalid format.")
	// Another account sees none of them.
	out, err := e.client(other).DescribeDirectConnectGatewayAssociations(ctx, &directconnect.DescribeDirectConnectGatewayAssociationsInput{DirectConnectGatewayId: aws.String(gw)})
	if err != nil || len(out.DirectConnectGatewayAssociations) != 0 {
		t.Fatalf("stranger: %+v %v", out, err)
	}

	// Update waits for associated, needs an id, and is for the DX gateway's owner.
	_, err = dx.UpdateDirectConnectGatewayAssociation(ctx, &directconnect.UpdateDirectConnectGatewayAssociationInput{AssociationId: aws.String(id1), AddAllowedPrefixesToDirectConnectGateway: cidrList("10.5.0.0/16")})
	wantDXRefusal(t, err, id1, "associating")
	_, err = dx.UpdateDirectConnectGatewayAssociation(ctx, &directconnect.UpdateDirectConnectGatewayAssociationInput{})
	wantDXRefusal(t, err, "associationId is required.")
	_, err = dx.UpdateDirectConnectGatewayAssociation(ctx, &directconnect.UpdateDirectConnectGatewayAssociationInput{AssociationId: aws.String("nope")})
	wantDXRefusal(t, err, "Association ID nope has an invalid format.")
	_, err = e.client(other).UpdateDirectConnectGatewayAssociation(ctx, &directconnect.UpdateDirectConnectGatewayAssociationInput{AssociationId: aws.String(id1)})
	wantDXRefusal(t, err, "does not exist", id1)
	_, err = dx.UpdateDirectConnectGatewayAssociation(ctx, &directconnect.UpdateDirectConnectGatewayAssociationInput{AssociationId: aws.String(id1), AddAllowedPrefixesToDirectConnectGateway: cidrList("bad")})
	wantDXRefusal(t, err, "addAllowedPrefixesToDirectConnectGateway", "bad")

	// Delete by DX gateway and VGW; a second delete finds it leaving.
	del, err := dx.DeleteDirectConnectGatewayAssociation(ctx, &directconnect.DeleteDirectConnectGatewayAssociationInput{DirectConnectGatewayId: aws.String(gw2), VirtualGatewayId: aws.String(gwVGW2)})
	if err != nil || aws.ToString(del.DirectConnectGatewayAssociation.AssociationId) != id2 {
		t.Fatalf("delete by pair: %+v %v", del, err)
	}
	_, err = dx.DeleteDirectConnectGatewayAssociation(ctx, &directconnect.DeleteDirectConnectGatewayAssociationInput{AssociationId: aws.String(id2)})
	wantDXRefusal(t, err, id2, "disassociating")
	_, err = dx.DeleteDirectConnectGatewayAssociation(ctx, &directconnect.DeleteDirectConnectGatewayAssociationInput{AssociationId: aws.String("x")})
	wantDXRefusal(t, err, "Association ID x has an invalid format.")
	_, err = dx.DeleteDirectConnectGatewayAssociation(ctx, &directconnect.DeleteDirectConnectGatewayAssociationInput{DirectConnectGatewayId: aws.String(gw)})
	wantDXRefusal(t, err, "associationId")
}
