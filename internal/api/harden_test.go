package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"

	"github.com/dxlocal/dxlocal/internal/journal"
)

// routeFilter is n distinct /24 networks.
func routeFilter(n int) []types.RouteFilterPrefix {
	out := make([]types.RouteFilterPrefix, n)
	for i := range out {
		out[i].Cidr = aws.String(fmt.Sprintf("10.%d.%d.0/24", i/256, i%256))
	}
	return out
}

// A prefix list longer than limit.Prefixes is refused before any prefix is parsed: 36,000 of
// them in one body took 5 s of the gateway book's lock to dedupe pairwise, and a remove list
// had no bound at all.
func TestLongPrefixListsAreRefusedNamingTheMember(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	gw := e.availableDXGW(owner, 64512)
	_, err := dx.CreateDirectConnectGatewayAssociation(ctx, &directconnect.CreateDirectConnectGatewayAssociationInput{
		DirectConnectGatewayId: aws.String(gw), GatewayId: aws.String(vgwA), AddAllowedPrefixesToDirectConnectGateway: routeFilter(30_000)})
	wantAPIError(t, err, "DirectConnectClientException", "addAllowedPrefixesToDirectConnectGateway", "30000", "1000")
	if ids := e.registryIDs(); len(ids) != 0 {
		t.Fatalf("a refused association registered %v", ids)
	}
	a, err := e.gwAssociate(owner, gw, vgwA, "10.0.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	_, err = dx.UpdateDirectConnectGatewayAssociation(ctx, &directconnect.UpdateDirectConnectGatewayAssociationInput{
		AssociationId: a.AssociationId, RemoveAllowedPrefixesToDirectConnectGateway: routeFilter(1001)})
	wantAPIError(t, err, "DirectConnectClientException", "removeAllowedPrefixesToDirectConnectGateway", "1001")
	_, err = e.client(other).CreateDirectConnectGatewayAssociationProposal(ctx, &directconnect.CreateDirectConnectGatewayAssociationProposalInput{
		DirectConnectGatewayId: aws.String(gw), DirectConnectGatewayOwnerAccount: aws.String(owner), GatewayId: aws.String("vgw-0123456789abcdef9"),
		AddAllowedPrefixesToDirectConnectGateway: routeFilter(1001)})
	wantAPIError(t, err, "DirectConnectClientException", "addAllowedPrefixesToDirectConnectGateway", "1001")
	// 1,000 prefixes, repeats included, are taken and deduplicated.
	list := append(routeFilter(500), routeFilter(500)...)
	if _, err := dx.UpdateDirectConnectGatewayAssociation(ctx, &directconnect.UpdateDirectConnectGatewayAssociationInput{
		AssociationId: a.AssociationId, RemoveAllowedPrefixesToDirectConnectGateway: list}); err != nil {
		t.Fatal(err)
	}
}

func TestQuotaValuesHaveAnUpperBound(t *testing.T) {
	e := newEnv(t)
	for _, body := range []string{`{"allowedPrefixesPerAssociation":1001}`, `{"routeFilterPrefixes":100000}`, `{"lagsPerRegion":100001}`,
		`{"tagsPerResource":100000000000000000000}`} {
		var m map[string]string
		if status := e.call("PUT", "/quotas", body, &m); status != 400 || !strings.Contains(m["message"], "is not an integer from 1 to") {
			t.Errorf("PUT /quotas %s: %d %v", body, status, m)
		}
	}
	var q map[string]int
	if status := e.call("PUT", "/quotas", `{"allowedPrefixesPerAssociation":1000,"lagsPerRegion":100000}`, &q); status != 200 ||
		q["allowedPrefixesPerAssociation"] != 1000 || q["lagsPerRegion"] != 100000 {
		t.Fatalf("PUT /quotas at the bounds: %d %v", status, q)
	}
}

// Each call's body is journaled; 100,000 bodies of 1 MiB would be 100 GB. The journal holds at
// most journal.DefaultBodyBytes of them: the oldest events answer requestDropped instead.
func TestJournalHoldsABoundedSizeOfBodies(t *testing.T) {
	e := newEnv(t)
	pad := strings.Repeat("x", 1000<<10)
	n := journal.DefaultBodyBytes/len(pad) + 8
	for i := range n {
		if status, _, m := e.raw("OvertureService.DescribeConnections", fmt.Sprintf(`{"pad":"%s","n":%d}`, pad, i)); status != 200 {
			t.Fatalf("call %d: %d %v", i, status, m)
		}
	}
	if got := e.journal.BodyBytes(); got > journal.DefaultBodyBytes {
		t.Fatalf("the journal holds %d bytes of bodies, bound %d", got, journal.DefaultBodyBytes)
	}
	var doc struct {
		Events []struct {
			Request        json.RawMessage `json:"request"`
			RequestDropped int             `json:"requestDropped"`
		} `json:"events"`
	}
	if status := e.call("GET", "/journal?kind=call", "", &doc); status != 200 || len(doc.Events) != n {
		t.Fatalf("journal: %d, %d events", status, len(doc.Events))
	}
	first, last := doc.Events[0], doc.Events[n-1]
	if first.Request != nil || first.RequestDropped < len(pad) || len(last.Request) < len(pad) || last.RequestDropped != 0 {
		t.Fatalf("first event: %d bytes, dropped %d; last: %d bytes, dropped %d", len(first.Request), first.RequestDropped, len(last.Request), last.RequestDropped)
	}
}

// The EC2 gateway registry is never pruned but by a reset, and every VIF or association naming
// a new VGW or TGW id adds to it: it is bounded, and a call that would go beyond the bound is
// refused whole, its VLAN left free.
func TestAFullGatewayRegistryRefusesAutoRegistration(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	e.store.Gateways().SetLimit(2)
	e.vifOn(conn, 101) // registers vgwA
	gw := e.availableDXGW(owner, 64512)
	if _, err := e.gwAssociate(owner, gw, "vgw-0123456789abcdef1", "10.0.0.0/16"); err != nil {
		t.Fatal(err)
	}
	_, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{
		ConnectionId: aws.String(conn), NewPrivateVirtualInterface: privateVIF(102, "vgw-0123456789abcdef2")})
	wantAPIError(t, err, "DirectConnectClientException", "vgw-0123456789abcdef2", "at most")
	_, err = e.gwAssociate(owner, e.availableDXGW(owner, 64513), "tgw-0123456789abcdef3", "10.9.0.0/16")
	wantAPIError(t, err, "DirectConnectClientException", "tgw-0123456789abcdef3", "at most")
	if status, m := e.admin("POST", "/gateways", `{"gatewayId":"vgw-0123456789abcdef4"}`); status != 400 || !strings.Contains(fmt.Sprint(m["message"]), "vgw-0123456789abcdef4") {
		t.Fatalf("admin registration into a full registry: %d %v", status, m)
	}
	if ids := e.registryIDs(); len(ids) != 2 {
		t.Fatalf("registry %v", ids)
	}
	// The refused VIF took nothing: its VLAN is free for a VIF to a known gateway.
	e.vifOn(conn, 102)
	out, _ := dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{ConnectionId: aws.String(conn)})
	if len(out.VirtualInterfaces) != 2 {
		t.Fatalf("%d VIFs on %s", len(out.VirtualInterfaces), conn)
	}
}

func TestAGatewayHasAtMost50VPCCIDRs(t *testing.T) {
	e := newEnv(t)
	cidrs := make([]string, 51)
	for i := range cidrs {
		cidrs[i] = fmt.Sprintf(`"10.%d.0.0/16"`, i)
	}
	status, m := e.admin("POST", "/gateways", `{"gatewayId":"vgw-0123456789abcdef4","vpcCidrs":[`+strings.Join(cidrs, ",")+`]}`)
	if status != 400 || !strings.Contains(fmt.Sprint(m["message"]), "vpcCidrs has 51") {
		t.Fatalf("51 VPC CIDRs: %d %v", status, m)
	}
	e.seedGateway(`{"gatewayId":"vgw-0123456789abcdef4","vpcCidrs":[` + strings.Join(cidrs[:50], ",") + `]}`)
}

func TestFaultsHaveBoundedMessagesAndCount(t *testing.T) {
	e := newEnv(t)
	var m map[string]any
	body := `{"operation":"DescribeTags","error":"DirectConnectServerException","message":"` + strings.Repeat("m", 5000) + `"}`
	if status := e.call("POST", "/faults", body, &m); status != 400 || !strings.Contains(fmt.Sprint(m["message"]), "message has 5000 bytes") {
		t.Fatalf("a fault message of 5000 bytes: %d %v", status, m)
	}
	one := `{"operation":"DescribeTags","error":"DirectConnectServerException","account":"999999999999","count":0}`
	for i := range 1000 {
		if status := e.call("POST", "/faults", one, nil); status != 200 {
			t.Fatalf("fault %d: %d", i+1, status)
		}
	}
	if status := e.call("POST", "/faults", one, &m); status != 400 || !strings.Contains(fmt.Sprint(m["message"]), "1000 faults are in force") {
		t.Fatalf("fault 1001: %d %v", status, m)
	}
}

func TestTheClockStopsShortOfTheYear2200(t *testing.T) {
	e := newEnv(t)
	var m map[string]any
	if status := e.call("POST", "/clock", `{"advance":"876000h"}`, &m); status != 200 { // 100 years
		t.Fatalf("advance of 100 years: %d %v", status, m)
	}
	for _, adv := range []string{"876000h", "2562047h"} {
		if status := e.call("POST", "/clock", `{"advance":"`+adv+`"}`, &m); status != 400 || !strings.Contains(fmt.Sprint(m["message"]), "past 2200-01-01") {
			t.Fatalf("advance %s from 2126: %d %v", adv, status, m)
		}
	}
	if status := e.call("GET", "/clock", "", &m); status != 200 || !strings.HasPrefix(fmt.Sprint(m["now"]), "2126-") {
		t.Fatalf("clock %v", m)
	}
}
