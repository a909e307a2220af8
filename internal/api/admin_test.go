package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

func (e *env) admin(method, path, body string) (int, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+"/_dxlocal"+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func TestAdminGateways(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name, body string
		status     int
		check      func(map[string]any) bool
	}{
		{"VGW with defaults", `{"gatewayId":"vgw-0123abcd"}`, 200, func(m map[string]any) bool {
			return m["ownerAccount"] == "123456789012" && m["region"] == usEast && m["amazonSideAsn"] == 64512.0 && m["vpcCidrs"].([]any)[0] == "10.0.0.0/16"
		}},
		{"TGW", `{"gatewayId":"tgw-0123456789abcdef0","ownerAccount":"111111111111","region":"eu-west-1","amazonSideAsn":65001}`, 200, func(m map[string]any) bool {
			return m["ownerAccount"] == owner && m["region"] == euWest && m["amazonSideAsn"] == 65001.0
		}},
		{"already registered", `{"gatewayId":"vgw-0123abcd","ownerAccount":"222222222222"}`, 409, nil},
		{"bad id", `{"gatewayId":"vgw-xyz"}`, 400, func(m map[string]any) bool { return strings.Contains(m["message"].(string), "vgw-xyz") }},
		{"not JSON", `{`, 400, nil},
		{"bad ASN", `{"gatewayId":"vgw-0123abce","amazonSideAsn":0}`, 400, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, m := e.admin("POST", "/gateways", tc.body)
			if status != tc.status || (tc.check != nil && !tc.check(m)) {
				t.Fatalf("%d %v", status, m)
			}
		})
	}
	status, m := e.admin("GET", "/gateways", "")
	list := m["gateways"].([]any)
	if status != 200 || len(list) != 2 || list[0].(map[string]any)["gatewayId"] != "vgw-0123abcd" || list[0].(map[string]any)["ownerAccount"] != "123456789012" {
		t.Fatalf("%d %v", status, m)
	}
	e.admin("POST", "/reset", "")
	if _, m := e.admin("GET", "/gateways", ""); len(m["gateways"].([]any)) != 0 {
		t.Fatal("reset kept gateways")
	}
}

func TestAdminPartners(t *testing.T) {
	e := newEnv(t, withStrictPartners())
	_, err := e.client(partner).CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{InterconnectName: aws.String("x"), Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps")})
	wantAPIError(t, err, "DirectConnectClientException", "not an authorized Direct Connect partner")
	status, m := e.admin("PUT", "/partners/"+partner, `{"nniPartnerType":"v1","partnerName":"Acme Fiber"}`)
	if status != 200 || m["partnerName"] != "Acme Fiber" {
		t.Fatalf("%d %v", status, m)
	}
	if status, _ := e.admin("PUT", "/partners/"+partner, `{"nniPartnerType":"v3"}`); status != 400 {
		t.Fatalf("NNI type v3 accepted: %d", status)
	}
	p := e.client(partner)
	ic := createInterconnect(t, p, "TstB1", "10Gbps")
	h, err := allocate(p, ic.InterconnectId, "500Mbps", 7)
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(h.PartnerName) != "Acme Fiber" {
		t.Fatalf("partnerName %q", aws.ToString(h.PartnerName))
	}
	// v1 partners may allocate only below 1 Gbps in strict mode.
	_, err = allocate(p, ic.InterconnectId, "1Gbps", 8)
	wantAPIError(t, err, "DirectConnectClientException", "NNI type v1")
	md, _ := p.DescribeCustomerMetadata(ctx, &directconnect.DescribeCustomerMetadataInput{})
	if md.NniPartnerType != types.NniPartnerTypeV1 {
		t.Fatalf("nniPartnerType %s", md.NniPartnerType)
	}
	if _, m := e.admin("GET", "/partners", ""); len(m["partners"].([]any)) != 1 {
		t.Fatalf("partners %v", m)
	}
	e.admin("DELETE", "/partners/"+partner, "")
	_, err = allocate(p, ic.InterconnectId, "500Mbps", 9)
	wantAPIError(t, err, "DirectConnectClientException", "not an authorized Direct Connect partner")
}
