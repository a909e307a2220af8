package api_test

import (
	"slices"
	"sort"
	"testing"
)

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestDXGatewayWireShapes: the members on the wire, by name, with absent ones omitted rather
// than sent empty (stateChangeError) and lists always present.
func TestDXGatewayWireShapes(t *testing.T) {
	e := newEnv(t)
	status, _, body := e.raw("OvertureService.CreateDirectConnectGateway", `{"directConnectGatewayName":"wire"}`, "Authorization", "AWS4-HMAC-SHA256 Credential="+owner+"/20261125/us-east-1/directconnect/aws4_request")
	if status != 200 {
		t.Fatalf("status %d: %v", status, body)
	}
	g := body["directConnectGateway"].(map[string]any)
	if got, want := keysOf(g), []string{"amazonSideAsn", "directConnectGatewayId", "directConnectGatewayName", "directConnectGatewayState", "ownerAccount", "tags"}; !slices.Equal(got, want) {
		t.Fatalf("gateway members %v, want %v", got, want)
	}
	if g["amazonSideAsn"] != float64(64512) {
		t.Fatalf("amazonSideAsn %#v is not the number 64512", g["amazonSideAsn"])
	}
	id := g["directConnectGatewayId"].(string)
	status, _, body = e.raw("OvertureService.CreateDirectConnectGatewayAssociation", `{"directConnectGatewayId":"`+id+`","gatewayId":"vgw-0123abcd"}`, "Authorization", "AWS4-HMAC-SHA256 Credential="+owner+"/20261125/us-east-1/directconnect/aws4_request")
	if status != 200 {
		t.Fatalf("status %d: %v", status, body)
	}
	a := body["directConnectGatewayAssociation"].(map[string]any)
	want := []string{"allowedPrefixesToDirectConnectGateway", "associatedGateway", "associationId", "associationState", "directConnectGatewayId",
		"directConnectGatewayOwnerAccount", "virtualGatewayId", "virtualGatewayOwnerAccount", "virtualGatewayRegion"}
	if got := keysOf(a); !slices.Equal(got, want) {
		t.Fatalf("association members %v, want %v", got, want)
	}
	if got := keysOf(a["associatedGateway"].(map[string]any)); !slices.Equal(got, []string{"id", "ownerAccount", "region", "type"}) {
		t.Fatalf("associatedGateway members %v", got)
	}
}
