//go:build unix

package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

// BenchmarkDescribeDirectConnectGateways lists one account's 200 gateways (the default quota)
// in one answer. Run with:
//
//	go test ./internal/api -run '^$' -bench 'DirectConnectGateway' -benchmem -count 6
func BenchmarkDescribeDirectConnectGateways(b *testing.B) {
	e := newBenchEnv(b, benchCatalogJSON(1, 1, 1, "10Gbps"))
	create := newServerCaller(e.handler, "CreateDirectConnectGateway")
	for i := range 200 {
		create.mustOK(b, fmt.Sprintf(`{"directConnectGatewayName":"gw-%d"}`, i))
	}
	variants(b, e, func(b *testing.B, caller func(string) *rawCaller) {
		describe := caller("DescribeDirectConnectGateways")
		if n := len(describe.mustOK(b, `{}`)["directConnectGateways"].([]any)); n != 200 {
			b.Fatalf("%d gateways listed", n)
		}
		body := []byte(`{}`)
		b.ReportAllocs()
		b.ResetTimer()
		defer measureCPU(b)()
		for range b.N {
			if status, _, _ := describe.do(b, body, false); status != http.StatusOK {
				b.Fatalf("status %d", status)
			}
		}
	})
}

// BenchmarkCreateDirectConnectGatewayAssociation associates a fresh VGW (auto-registered) with
// one of many gateways per call: the rules, the registry and the book's indexes together.
func BenchmarkCreateDirectConnectGatewayAssociation(b *testing.B) {
	e := newBenchEnv(b, benchCatalogJSON(1, 1, 1, "10Gbps"))
	variants(b, e, func(b *testing.B, caller func(string) *rawCaller) {
		e.store.Reset()
		create, associate := caller("CreateDirectConnectGateway"), caller("CreateDirectConnectGatewayAssociation")
		var gateways []string
		for i := range 200 {
			gateways = append(gateways, create.mustOK(b, fmt.Sprintf(`{"directConnectGatewayName":"gw-%d"}`, i))["directConnectGateway"].(map[string]any)["directConnectGatewayId"].(string))
		}
		b.ReportAllocs()
		b.ResetTimer()
		defer measureCPU(b)()
		for i := range b.N {
			// 200 gateways x 20 VGWs each is the quota; a run longer than that starts over.
			if i > 0 && i%4000 == 0 {
				b.StopTimer()
				e.store.Reset()
				gateways = gateways[:0]
				for j := range 200 {
					gateways = append(gateways, create.mustOK(b, fmt.Sprintf(`{"directConnectGatewayName":"gw-%d"}`, j))["directConnectGateway"].(map[string]any)["directConnectGatewayId"].(string))
				}
				b.StartTimer()
			}
			body := fmt.Sprintf(`{"directConnectGatewayId":%q,"gatewayId":"vgw-%017x"}`, gateways[i%200], i)
			if status, _, _ := associate.do(b, []byte(body), false); status != http.StatusOK {
				b.Fatalf("status %d for %s", status, body)
			}
		}
	})
}
