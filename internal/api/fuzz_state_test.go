package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/api"
	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/clock"
	"github.com/dxlocal/dxlocal/internal/id"
	"github.com/dxlocal/dxlocal/internal/journal"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/store"
)

// fuzzWorld is a handler whose store already holds a connection, a LAG, a gateway, VIFs of
// each type, a BGP peer and an association, so that fuzzed calls reach the rules behind the
// look-ups instead of stopping at "not found".
type fuzzWorld struct {
	h   *api.Handler
	ids map[string]string
}

// call sends one AWS JSON 1.1 call of the default account and answers the status and body.
func (w *fuzzWorld) call(op string, body []byte) (int, []byte) {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "OvertureService."+op)
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

func (w *fuzzWorld) admin(method, path, body string) int {
	req := httptest.NewRequest(method, "/_dxlocal"+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, req)
	return rec.Code
}

// must makes a call that has to succeed and answers the string member key of its answer
// (searched one level deep too).
func (w *fuzzWorld) must(tb testing.TB, op, body, key string) string {
	tb.Helper()
	status, out := w.call(op, []byte(body))
	if status != 200 {
		tb.Fatalf("%s %s: %d %s", op, body, status, out)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		tb.Fatalf("%s: %v", op, err)
	}
	if s, ok := m[key].(string); ok {
		return s
	}
	for _, v := range m {
		if inner, ok := v.(map[string]any); ok {
			if s, ok := inner[key].(string); ok {
				return s
			}
		}
	}
	tb.Fatalf("%s: no %s in %s", op, key, out)
	return ""
}

func newFuzzWorld(tb testing.TB) *fuzzWorld {
	tb.Helper()
	cat, err := location.LoadFile("testdata/catalog.json")
	if err != nil {
		tb.Fatal(err)
	}
	clk := clock.NewManual(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	jr := journal.New(0, clk)
	st := store.New(store.Options{Catalog: cat, Clock: clk, IDs: id.NewSource(1), OnChange: jr.Observe})
	h := api.New(api.Options{Store: st, DefaultAccount: "123456789012", DefaultRegion: usEast, Journal: jr})
	tb.Cleanup(h.Close)
	w := &fuzzWorld{h: h, ids: map[string]string{}}
	ids := w.ids
	ids["connectionId"] = w.must(tb, "CreateConnection", `{"location":"TstB1","bandwidth":"10Gbps","connectionName":"c"}`, "connectionId")
	ids["lagId"] = w.must(tb, "CreateLag", `{"location":"TstB1","connectionsBandwidth":"10Gbps","numberOfConnections":2,"lagName":"l"}`, "lagId")
	for _, r := range []string{ids["connectionId"], ids["lagId"]} {
		if status := w.admin("POST", "/resources/"+r, `{"state":"available"}`); status != 200 {
			tb.Fatalf("%s available: %d", r, status)
		}
	}
	ids["directConnectGatewayId"] = w.must(tb, "CreateDirectConnectGateway", `{"directConnectGatewayName":"g","amazonSideAsn":64512}`, "directConnectGatewayId")
	ids["transitGateway"] = w.must(tb, "CreateDirectConnectGateway", `{"directConnectGatewayName":"t","amazonSideAsn":64513}`, "directConnectGatewayId")
	clk.Advance(time.Minute)
	conn, lag, gw := ids["connectionId"], ids["lagId"], ids["directConnectGatewayId"]
	ids["virtualInterfaceId"] = w.must(tb, "CreatePrivateVirtualInterface", `{"connectionId":"`+conn+`","newPrivateVirtualInterface":{"virtualInterfaceName":"p","vlan":101,"asn":65000,"directConnectGatewayId":"`+gw+`"}}`, "virtualInterfaceId")
	ids["vgwVIF"] = w.must(tb, "CreatePrivateVirtualInterface", `{"connectionId":"`+lag+`","newPrivateVirtualInterface":{"virtualInterfaceName":"q","vlan":102,"asn":65000,"virtualGatewayId":"vgw-0123456789abcdef0"}}`, "virtualInterfaceId")
	ids["publicVIF"] = w.must(tb, "CreatePublicVirtualInterface", `{"connectionId":"`+conn+`","newPublicVirtualInterface":{"virtualInterfaceName":"u","vlan":103,"asn":65001,"amazonAddress":"203.0.113.1/30","customerAddress":"203.0.113.2/30","routeFilterPrefixes":[{"cidr":"198.51.100.0/24"}]}}`, "virtualInterfaceId")
	ids["transitVIF"] = w.must(tb, "CreateTransitVirtualInterface", `{"connectionId":"`+lag+`","newTransitVirtualInterface":{"virtualInterfaceName":"t","vlan":104,"asn":65002,"directConnectGatewayId":"`+ids["transitGateway"]+`"}}`, "virtualInterfaceId")
	ids["bgpPeerId"] = w.must(tb, "CreateBGPPeer", `{"virtualInterfaceId":"`+ids["virtualInterfaceId"]+`","newBGPPeer":{"asn":65010,"addressFamily":"ipv6"}}`, "virtualInterfaceId")
	ids["associationId"] = w.must(tb, "CreateDirectConnectGatewayAssociation", `{"directConnectGatewayId":"`+gw+`","gatewayId":"vgw-0123456789abcdef1","addAllowedPrefixesToDirectConnectGateway":[{"cidr":"10.0.0.0/16"}]}`, "associationId")
	return w
}

// seeds are bodies that name the world's resources, for the fuzzer to mutate.
func (w *fuzzWorld) seeds() []string {
	ids := w.ids
	all, _ := json.Marshal(map[string]any{
		"connectionId": ids["connectionId"], "lagId": ids["lagId"], "directConnectGatewayId": ids["directConnectGatewayId"],
		"virtualInterfaceId": ids["virtualInterfaceId"], "associationId": ids["associationId"], "gatewayId": "vgw-0123456789abcdef1",
		"bgpPeerId": "x", "asn": 65010, "customerAddress": "fd00::1/125", "bgpPeers": []string{"x"},
		"ownerAccount": "222222222222", "virtualInterfaceOwnerAccount": "222222222222",
		"testDurationInMinutes": 5, "mtu": 9001, "enableSiteLink": true,
		"addAllowedPrefixesToDirectConnectGateway":    []map[string]string{{"cidr": "10.1.0.0/16"}},
		"removeAllowedPrefixesToDirectConnectGateway": []map[string]string{{"cidr": "10.0.0.0/16"}},
		"directConnectGatewayOwnerAccount":            "123456789012",
		"associatedGatewayOwnerAccount":               "123456789012",
		"newDirectConnectGatewayName":                 "n",
		"routerTypeIdentifier":                        "CiscoSystemsInc-2900SeriesRouters-IOS124",
		"resourceArn":                                 "arn:aws:directconnect:us-east-1:123456789012:dxvif/" + ids["virtualInterfaceId"],
		"tags":                                        []map[string]string{{"key": "k", "value": "v"}},
		"newPrivateVirtualInterface":                  map[string]any{"virtualInterfaceName": "p2", "vlan": 201, "asn": 65000, "directConnectGatewayId": ids["directConnectGatewayId"], "addressFamily": "ipv4", "amazonAddress": "169.254.1.1/30", "customerAddress": "169.254.1.2/30"},
		"newPublicVirtualInterfaceAllocation":         map[string]any{"virtualInterfaceName": "u2", "vlan": 202, "asn": 65001, "addressFamily": "ipv6"},
		"newTransitVirtualInterfaceAllocation":        map[string]any{"virtualInterfaceName": "t2", "vlan": 203, "asn": 65002, "mtu": 8500},
		"newPrivateVirtualInterfaceAllocation":        map[string]any{"virtualInterfaceName": "p3", "vlan": 204, "asn": 65000},
		"newTransitVirtualInterface":                  map[string]any{"virtualInterfaceName": "t3", "vlan": 205, "asn": 65002, "directConnectGatewayId": ids["directConnectGatewayId"]},
		"newPublicVirtualInterface":                   map[string]any{"virtualInterfaceName": "u3", "vlan": 206, "asn": 65001, "addressFamily": "ipv6", "routeFilterPrefixes": []map[string]string{{"cidr": "2001:db8::/48"}}},
		"newBGPPeer":                                  map[string]any{"asn": 65011, "addressFamily": "ipv4", "amazonAddress": "169.254.9.1/30", "customerAddress": "169.254.9.2/30", "authKey": "k"},
		"proposalId":                                  "x",
		"virtualInterfaceTestId":                      "x",
		"statusFilter":                                []string{"available"},
		"maxResults":                                  100,
	})
	return []string{string(all)}
}

// FuzzServiceInvoke pushes each fuzzed body through every operation of a handler whose store
// holds one resource of every kind: no call may answer 500 (a panic or an internal error) or
// an error without a modelled __type.
func FuzzServiceInvoke(f *testing.F) {
	w := newFuzzWorld(f)
	for _, s := range w.seeds() {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{}`))
	names := make([]string, 0, len(model.Operations))
	for name := range model.Operations {
		names = append(names, name)
	}
	sort.Strings(names)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, name := range names {
			status, out := w.call(name, body)
			if status == 200 {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal(out, &m); err != nil {
				t.Fatalf("%s: status %d, body not JSON: %q", name, status, out)
			}
			if status >= 500 || m["__type"] == nil || m["__type"] == "DirectConnectServerException" {
				t.Fatalf("%s %s: status %d %s", name, body, status, out)
			}
		}
	})
}
