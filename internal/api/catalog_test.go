package api_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
)

type usageDoc struct {
	Locations []struct {
		Code      string `json:"code"`
		Region    string `json:"region"`
		Endpoints []struct {
			Device string `json:"device"`
			Ports  []struct {
				Speed         string `json:"speed"`
				HeldBy        string `json:"heldBy"`
				HolderAccount string `json:"holderAccount"`
				HolderType    string `json:"holderType"`
				HolderLagID   string `json:"holderLagId"`
			} `json:"ports"`
		} `json:"endpoints"`
		Speeds []struct {
			Speed string `json:"speed"`
			Free  int    `json:"free"`
			Taken int    `json:"taken"`
		} `json:"speeds"`
	} `json:"locations"`
}

func (e *env) usage(query string) usageDoc {
	e.t.Helper()
	resp, err := http.Get(e.srv.URL + "/_dxlocal/catalog" + query)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc usageDoc
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != 200 {
		e.t.Fatalf("%d %v", resp.StatusCode, err)
	}
	return doc
}

func TestCatalogFiltersCountsAndHolders(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	c := createConnection(t, dx, "TstA1", "1Gbps")
	l := createLag(t, dx, "TstA1", "10Gbps", 2)
	ic := createInterconnect(t, e.client(partner), "TstB1", "10Gbps")

	doc := e.usage("?location=tsta1")
	if len(doc.Locations) != 1 || doc.Locations[0].Code != "TstA1" {
		t.Fatalf("location filter: %+v", doc.Locations)
	}
	type count struct {
		Speed       string
		Free, Taken int
	}
	var got []count
	for _, s := range doc.Locations[0].Speeds {
		got = append(got, count{s.Speed, s.Free, s.Taken})
	}
	want := []count{{"1Gbps", 1, 1}, {"10Gbps", 4, 2}, {"100Gbps", 2, 0}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("speeds %+v, want %+v", got, want)
	}
	holders := map[string][3]string{}
	for _, ep := range doc.Locations[0].Endpoints {
		for _, p := range ep.Ports {
			if p.HeldBy == "" && (p.HolderAccount != "" || p.HolderType != "" || p.HolderLagID != "") {
				t.Fatalf("a free port has a holder: %+v", p)
			}
			if p.HeldBy != "" {
				holders[p.HeldBy] = [3]string{p.HolderAccount, p.HolderType, p.HolderLagID}
			}
		}
	}
	if holders[aws.ToString(c.ConnectionId)] != [3]string{owner, "connection", ""} {
		t.Fatalf("holder of the connection: %v", holders)
	}
	for _, m := range l.Connections {
		if holders[aws.ToString(m.ConnectionId)] != [3]string{owner, "connection", aws.ToString(l.LagId)} {
			t.Fatalf("holder of LAG member %s: %v", aws.ToString(m.ConnectionId), holders)
		}
	}

	doc = e.usage("?location=TstB1&region=us-east-1")
	if len(doc.Locations) != 1 {
		t.Fatalf("%+v", doc.Locations)
	}
	for _, p := range doc.Locations[0].Endpoints[0].Ports {
		if p.HeldBy == aws.ToString(ic.InterconnectId) && (p.HolderAccount != partner || p.HolderType != "interconnect") {
			t.Fatalf("holder of the interconnect: %+v", p)
		}
	}

	if doc := e.usage("?region=eu-west-1"); len(doc.Locations) != 1 || doc.Locations[0].Code != "TstE1" {
		t.Fatalf("region filter: %+v", doc.Locations)
	}
	if doc := e.usage("?location=TstA1&region=eu-west-1"); len(doc.Locations) != 0 {
		t.Fatalf("both filters: %+v", doc.Locations)
	}
	if doc := e.usage("?region=ap-nowhere-9"); len(doc.Locations) != 0 || e.store.HasRegion("ap-nowhere-9") {
		t.Fatalf("unknown region: %+v", doc.Locations)
	}
	if doc := e.usage(""); len(doc.Locations) != 3 {
		t.Fatalf("no filter: %d locations", len(doc.Locations))
	}
}

func TestBadBandwidthListsTheValidValues(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	_, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("x"), Location: aws.String("TstA1"), Bandwidth: aws.String("3Gbps")})
	wantAPIError(t, err, "DirectConnectClientException", "Bandwidth 3Gbps is not supported", "Valid values: 1Gbps, 10Gbps, 100Gbps, 400Gbps.")
	_, err = dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("x"), Location: aws.String("TstB1"), Bandwidth: aws.String("1Gbps")})
	wantAPIError(t, err, "DirectConnectClientException", "not available at location TstB1", "Valid values there: 10Gbps.")
	_, err = dx.CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{InterconnectName: aws.String("x"), Location: aws.String("TstA1"), Bandwidth: aws.String("400Gbps")})
	wantAPIError(t, err, "DirectConnectClientException", "Valid values: 1Gbps, 10Gbps, 100Gbps.")

	p := e.client(partner)
	ic := createInterconnect(t, p, "TstB1", "10Gbps")
	_, err = allocate(p, ic.InterconnectId, "3Gbps", 5)
	wantAPIError(t, err, "DirectConnectClientException", "Bandwidth 3Gbps is not supported", "Valid values: 50Mbps, 100Mbps, 200Mbps, 300Mbps, 400Mbps, 500Mbps, 1Gbps, 2Gbps, 5Gbps, 10Gbps, 25Gbps.")
	_, err = p.AllocateConnectionOnInterconnect(ctx, &directconnect.AllocateConnectionOnInterconnectInput{InterconnectId: ic.InterconnectId, OwnerAccount: aws.String(owner), Bandwidth: aws.String("25Gbps"), ConnectionName: aws.String("h"), Vlan: 6})
	wantAPIError(t, err, "DirectConnectClientException", "Valid values: 50Mbps, 100Mbps, 200Mbps, 300Mbps, 400Mbps, 500Mbps, 1Gbps, 2Gbps, 5Gbps, 10Gbps.")
}

func TestLocationOfAnotherRegionNamesItsRegion(t *testing.T) {
	e := newEnv(t)
	_, err := e.client(owner).CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("x"), Location: aws.String("TstE1"), Bandwidth: aws.String("1Gbps")})
	wantAPIError(t, err, "DirectConnectClientException", "Location TstE1 is not valid in region us-east-1: it is in eu-west-1, not us-east-1.")
	_, err = e.clientIn(owner, euWest).CreateLag(ctx, &directconnect.CreateLagInput{LagName: aws.String("x"), Location: aws.String("tsta1"), ConnectionsBandwidth: aws.String("1Gbps"), NumberOfConnections: 1})
	wantAPIError(t, err, "DirectConnectClientException", "it is in us-east-1, not eu-west-1.")
	_, err = e.client(owner).CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("x"), Location: aws.String("Nowhere"), Bandwidth: aws.String("1Gbps")})
	wantAPIError(t, err, "DirectConnectClientException", "Location Nowhere is not valid in region us-east-1.")
}
