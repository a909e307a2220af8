//go:build unix

package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

// Sizes of the VIF fixture: listLocations-style connections, each with its 50 VIFs.
const (
	vifLocations   = 20
	vifPerConn     = 50 // the default quota of private and public VIFs per connection
	vifListWant    = vifLocations * listPerLocation * vifPerConn
	benchVGW       = "vgw-0123456789abcdef0"
	benchVIFCreate = `{"connectionId":%q,"newPrivateVirtualInterface":{"virtualInterfaceName":"bench","vlan":%d,"asn":65000,"virtualGatewayId":%q}}`
)

// setupVIFs creates perLocation connections at each of locations locations and perConn
// private VIFs on each, through the API, and settles them all; it answers one VIF's id.
func setupVIFs(tb testing.TB, e *benchEnv, locations, perConn int) string {
	setupConnections(tb, e, locations, listPerLocation)
	list := newServerCaller(e.handler, "DescribeConnections").mustOK(tb, `{}`) // settles them
	create := newServerCaller(e.handler, "CreatePrivateVirtualInterface")
	var last string
	for _, c := range list["connections"].([]any) {
		id := c.(map[string]any)["connectionId"].(string)
		for vlan := 1; vlan <= perConn; vlan++ {
			m := create.mustOK(tb, fmt.Sprintf(benchVIFCreate, id, vlan, benchVGW))
			last = m["virtualInterfaceId"].(string)
		}
	}
	newServerCaller(e.handler, "DescribeVirtualInterfaces").mustOK(tb, `{}`) // settles them
	return last
}

func BenchmarkDescribeVirtualInterfacesByID(b *testing.B) {
	e := newBenchEnv(b, benchCatalogJSON(vifLocations, 1, 16, "1Gbps"))
	id := setupVIFs(b, e, vifLocations, vifPerConn)
	body := []byte(`{"virtualInterfaceId":"` + id + `"}`)
	variants(b, e, func(b *testing.B, caller func(string) *rawCaller) {
		describe := caller("DescribeVirtualInterfaces")
		if got := len(describe.mustOK(b, string(body))["virtualInterfaces"].([]any)); got != 1 {
			b.Fatalf("described %d VIFs", got)
		}
		b.ReportAllocs()
		b.ResetTimer()
		defer measureCPU(b)()
		for range b.N {
			if status, _, _ := describe.do(b, body, false); status != http.StatusOK {
				b.Fatalf("DescribeVirtualInterfaces: status %d", status)
			}
		}
	})
}

func BenchmarkDescribeVirtualInterfacesList10k(b *testing.B) {
	e := newBenchEnv(b, benchCatalogJSON(vifLocations, 1, 16, "1Gbps"))
	setupVIFs(b, e, vifLocations, vifPerConn)
	variants(b, e, func(b *testing.B, caller func(string) *rawCaller) {
		list := caller("DescribeVirtualInterfaces")
		if got := len(list.mustOK(b, `{}`)["virtualInterfaces"].([]any)); got != vifListWant {
			b.Fatalf("listed %d VIFs, want %d", got, vifListWant)
		}
		body := []byte(`{}`)
		b.ReportAllocs()
		b.ResetTimer()
		defer measureCPU(b)()
		var size int
		for range b.N {
			status, n, _ := list.do(b, body, false)
			if status != http.StatusOK {
				b.Fatalf("DescribeVirtualInterfaces: status %d", status)
			}
			size = n
		}
		b.ReportMetric(float64(size), "resp-bytes")
	})
}

// TestVIFBenchFixtures runs the VIF benchmarks' fixture small, so that it does not rot unseen.
func TestVIFBenchFixtures(t *testing.T) {
	e := newBenchEnv(t, benchCatalogJSON(2, 1, 16, "1Gbps"))
	id := setupVIFs(t, e, 2, 3)
	m := newServerCaller(e.handler, "DescribeVirtualInterfaces").mustOK(t, `{}`)
	if got := len(m["virtualInterfaces"].([]any)); got != 2*listPerLocation*3 {
		t.Fatalf("listed %d VIFs, want %d", got, 2*listPerLocation*3)
	}
	one := newServerCaller(e.handler, "DescribeVirtualInterfaces").mustOK(t, `{"virtualInterfaceId":"`+id+`"}`)
	v := one["virtualInterfaces"].([]any)[0].(map[string]any)
	if v["virtualInterfaceState"] != "available" {
		t.Fatalf("fixture VIF is %v", v["virtualInterfaceState"])
	}
}
