package store

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/clock"
	"github.com/dxlocal/dxlocal/internal/id"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/page"
	"github.com/dxlocal/dxlocal/internal/snapshot"
	"github.com/dxlocal/dxlocal/internal/vif"
)

// bigVIFStore is bigStore's 200 connections with 50 private VIFs each: 10,000 VIFs.
func bigVIFStore(tb testing.TB) (*Store, *location.Catalog) {
	tb.Helper()
	s, cat := bigStore(tb, 200)
	r := s.Region("us-east-1")
	for i := range 10 {
		c := Caller{Account: fmt.Sprintf("1000000000%02d", i), Region: "us-east-1"}
		conns, _, err := r.DescribeConnections(c, "", page.Request{})
		if err != nil {
			tb.Fatal(err)
		}
		vgw := fmt.Sprintf("vgw-%08x", i+1)
		for _, conn := range conns {
			for vlan := range int32(50) {
				name, vlan, asn := "v", vlan+1, int32(65000)
				if _, err := r.CreateVIF(c, NewVIF{Type: vif.Private, ConnectionID: conn.ID, Name: &name, VLAN: &vlan, ASN: &asn, VirtualGatewayID: &vgw}); err != nil {
					tb.Fatal(err)
				}
			}
		}
	}
	return s, cat
}

// BenchmarkStateSave10kVIFs is one save of 200 connections and 10,000 VIFs.
func BenchmarkStateSave10kVIFs(b *testing.B) {
	s, _ := bigVIFStore(b)
	file := filepath.Join(b.TempDir(), "state.json")
	b.ReportAllocs()
	for b.Loop() {
		if err := snapshot.WriteFile(file, s.Snapshot()); err != nil {
			b.Fatal(err)
		}
	}
	if fi, err := os.Stat(file); err == nil {
		b.ReportMetric(float64(fi.Size())/(1<<20), "MiB/file")
	}
}

// BenchmarkStateLoad10kVIFs is one load of 200 connections and 10,000 VIFs: read, decode,
// check and restore.
func BenchmarkStateLoad10kVIFs(b *testing.B) {
	s, cat := bigVIFStore(b)
	file := filepath.Join(b.TempDir(), "state.json")
	if err := snapshot.WriteFile(file, s.Snapshot()); err != nil {
		b.Fatal(err)
	}
	fresh := New(Options{Catalog: cat, Clock: clock.NewManual(time.Now()), IDs: id.NewSource(9)})
	b.ReportAllocs()
	for b.Loop() {
		st, err := snapshot.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		if err := fresh.Restore(st); err != nil {
			b.Fatal(err)
		}
	}
	if got := len(fresh.Resources(ResourceFilter{Type: TypeVirtualInterface})); got != 10000 {
		b.Fatalf("%d VIFs after the load", got)
	}
}
