package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
)

func TestProtocolErrors(t *testing.T) {
	e := newEnv(t)
	long := strings.Repeat("k", 129)
	cases := []struct {
		name, target, body string
		status             int
		code               string
		message            []string
	}{
		{"unknown target", "OvertureService.MakeCoffee", `{}`, 400, "UnknownOperationException", []string{"MakeCoffee"}},
		{"wrong prefix", "DynamoDB_20120810.DescribeConnections", `{}`, 400, "UnknownOperationException", nil},
		{"missing target", "", `{}`, 400, "UnknownOperationException", nil},
		{"malformed JSON", "OvertureService.DescribeConnections", `{"connectionId":`, 400, "SerializationException", nil},
		{"body is an array", "OvertureService.DescribeConnections", `[]`, 400, "SerializationException", nil},
		{"body is null", "OvertureService.DescribeConnections", `null`, 400, "SerializationException", nil},
		{"body is a string", "OvertureService.DescribeConnections", `"x"`, 400, "SerializationException", nil},
		{"wrong member type", "OvertureService.CreateLag", `{"numberOfConnections":"2","location":"TstA1","connectionsBandwidth":"1Gbps","lagName":"x"}`, 400, "SerializationException", []string{"numberOfConnections"}},
		{"integer overflow", "OvertureService.CreateLag", `{"numberOfConnections":99999999999,"location":"TstA1","connectionsBandwidth":"1Gbps","lagName":"x"}`, 400, "SerializationException", []string{"numberOfConnections"}},
		{"list for a string", "OvertureService.CreateConnection", `{"location":["TstA1"],"bandwidth":"1Gbps","connectionName":"x"}`, 400, "SerializationException", []string{"location"}},
		{"missing required", "OvertureService.CreateConnection", `{"location":"TstA1","connectionName":"x"}`, 400, "DirectConnectClientException", []string{"bandwidth is required."}},
		{"missing required nested", "OvertureService.TagResource", `{"resourceArn":"arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-fzzzzzzz","tags":[{"value":"v"}]}`, 400, "DirectConnectClientException", []string{"tags[0].key is required."}},
		{"bad enum", "OvertureService.UpdateLag", `{"lagId":"dxlag-fzzzzzzz","encryptionMode":"sometimes"}`, 400, "DirectConnectClientException", []string{"encryptionMode", "sometimes"}},
		{"bad enum LOA type", "OvertureService.DescribeLoa", `{"connectionId":"dxcon-fzzzzzzz","loaContentType":"text/plain"}`, 400, "DirectConnectClientException", []string{"loaContentType", "text/plain"}},
		{"too long", "OvertureService.TagResource", `{"resourceArn":"arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-fzzzzzzz","tags":[{"key":"` + long + `"}]}`, 400, "DirectConnectClientException", []string{"tags[0].key", long[:64] + "...", "128", "129"}},
		{"empty tag list", "OvertureService.TagResource", `{"resourceArn":"arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-fzzzzzzz","tags":[]}`, 400, "DirectConnectClientException", []string{"tags"}},
		{"bad pattern", "OvertureService.TagResource", `{"resourceArn":"arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-fzzzzzzz","tags":[{"key":"a<b"}]}`, 400, "DirectConnectClientException", []string{"tags[0].key", "a<b"}},
		{"unknown id", "OvertureService.DeleteLag", `{"lagId":"dxlag-fzzzzzzz"}`, 400, "DirectConnectClientException", []string{"Could not find Lag with ID dxlag-fzzzzzzz"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, h, body := e.raw(tc.target, tc.body)
			if status != tc.status {
				t.Fatalf("status %d, want %d (%v)", status, tc.status, body)
			}
			if body["__type"] != tc.code || h.Get("x-amzn-ErrorType") != tc.code {
				t.Fatalf("__type %v, header %q, want %s", body["__type"], h.Get("x-amzn-ErrorType"), tc.code)
			}
			if h.Get("x-amzn-RequestId") == "" || h.Get("Content-Type") != "application/x-amz-json-1.1" {
				t.Fatalf("headers %v", h)
			}
			msg, _ := body["message"].(string)
			for _, part := range tc.message {
				if !strings.Contains(msg, part) {
					t.Fatalf("message %q does not name %q", msg, part)
				}
			}
		})
	}
}

func TestEmptyBodyIsAnEmptyObjectAndUnknownMembersAreIgnored(t *testing.T) {
	e := newEnv(t)
	for _, body := range []string{"", `{}`, `{"someNewMember":true,"ConnectionId":"dxcon-fzzzzzzz"}`} {
		status, h, out := e.raw("OvertureService.DescribeConnections", body)
		if status != 200 || h.Get("x-amzn-RequestId") == "" {
			t.Fatalf("body %q: status %d %v", body, status, out)
		}
		if _, ok := out["connections"].([]any); !ok {
			t.Fatalf("body %q: connections missing from %v", body, out)
		}
	}
	// Operations without input ignore the body altogether.
	if status, _, out := e.raw("OvertureService.DescribeLocations", `not json`); status != 200 || out["locations"] == nil {
		t.Fatalf("DescribeLocations: %d %v", status, out)
	}
}

func TestAccountAndRegionComeFromTheCredentialScope(t *testing.T) {
	e := newEnv(t)
	sign := func(akid, region string) string {
		return "AWS4-HMAC-SHA256 Credential=" + akid + "/20261125/" + region + "/directconnect/aws4_request, SignedHeaders=host, Signature=00"
	}
	body := `{"connectionName":"x","location":"TstE1","bandwidth":"1Gbps"}`
	status, _, out := e.raw("OvertureService.CreateConnection", body, "Authorization", sign("444444444444", euWest))
	if status != 200 || out["ownerAccount"] != "444444444444" || out["region"] != euWest {
		t.Fatalf("%d %v", status, out)
	}
	// A key that is not 12 digits, and no signature at all, are the default account in the default region.
	status, _, out = e.raw("OvertureService.CreateConnection", `{"connectionName":"x","location":"TstA1","bandwidth":"1Gbps"}`, "Authorization", sign("AKIAIOSFODNN7EXAMPLE", usEast))
	if status != 200 || out["ownerAccount"] != "123456789012" {
		t.Fatalf("%d %v", status, out)
	}
	status, _, out = e.raw("OvertureService.DescribeConnections", `{}`)
	if status != 200 || len(out["connections"].([]any)) != 1 {
		t.Fatalf("unsigned request: %d %v", status, out)
	}
}

func TestEveryResponseHasTheJSONContentTypeAndNoEmptyMembers(t *testing.T) {
	e := newEnv(t)
	status, h, out := e.raw("OvertureService.CreateConnection", `{"connectionName":"x","location":"TstA1","bandwidth":"1Gbps"}`)
	if status != 200 || h.Get("Content-Type") != "application/x-amz-json-1.1" || h.Get("Content-Length") == "" {
		t.Fatalf("%d %v", status, h)
	}
	if tags, ok := out["tags"].([]any); !ok || len(tags) != 0 {
		t.Fatalf("tags must be present and empty: %v", out["tags"])
	}
	for _, absent := range []string{"vlan", "lagId", "partnerName", "loaIssueTime", "providerName", "encryptionMode"} {
		if _, ok := out[absent]; ok {
			t.Fatalf("%s present in %v", absent, out)
		}
	}
}

func TestDescribeLocationsPerRegion(t *testing.T) {
	e := newEnv(t)
	out, err := e.client(owner).DescribeLocations(ctx, &directconnect.DescribeLocationsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Locations) != 2 {
		t.Fatalf("%d locations in us-east-1, want 2", len(out.Locations))
	}
	a := out.Locations[0]
	if aws.ToString(a.LocationCode) != "TstA1" || strings.Join(a.AvailablePortSpeeds, ",") != "1G,10G,100G" ||
		strings.Join(a.AvailableMacSecPortSpeeds, ",") != "10G,100G" || strings.Join(a.AvailableProviders, ",") != "Test Provider, Inc." {
		t.Fatalf("location %+v", a)
	}
	b := out.Locations[1]
	if b.AvailableMacSecPortSpeeds == nil || len(b.AvailableMacSecPortSpeeds) != 0 || b.AvailableProviders == nil {
		t.Fatalf("empty lists must be present: %+v", b)
	}
	eu, err := e.clientIn(owner, euWest).DescribeLocations(ctx, &directconnect.DescribeLocationsInput{})
	if err != nil || len(eu.Locations) != 1 || aws.ToString(eu.Locations[0].LocationCode) != "TstE1" {
		t.Fatalf("eu-west-1: %v %+v", err, eu)
	}
}

func TestAdminAPI(t *testing.T) {
	e := newEnv(t)
	resp, err := http.Get(e.srv.URL + "/_dxlocal/health")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %v %v", err, resp)
	}
	resp.Body.Close()
	c := createConnection(t, e.client(owner), "TstA1", "1Gbps")
	if e.holders()[aws.ToString(c.ConnectionId)] != deviceA1 {
		t.Fatal("catalog does not show the holder")
	}
	doc := e.catalog()
	if len(doc.Locations) != 3 || doc.Locations[0].Code != "TstA1" || len(doc.Locations[0].Endpoints[0].Ports) != 6 {
		t.Fatalf("catalog %+v", doc)
	}
	if p := doc.Locations[0].Endpoints[0].Ports; p[0].Speed != "1Gbps" || p[0].MacSec || p[2].Speed != "10Gbps" || !p[2].MacSec {
		t.Fatalf("ports %+v", p)
	}
	resp, err = http.Post(e.srv.URL+"/_dxlocal/reset", "application/json", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("reset: %v %v", err, resp)
	}
	resp.Body.Close()
	if n := len(e.holders()); n != 0 {
		t.Fatalf("%d ports held after reset", n)
	}
	out, _ := e.client(owner).DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	if len(out.Connections) != 0 {
		t.Fatal("connections survive reset")
	}
}
