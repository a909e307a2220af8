package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/clock"
	"github.com/dxlocal/dxlocal/internal/gateway"
	"github.com/dxlocal/dxlocal/internal/id"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/snapshot"
	"github.com/dxlocal/dxlocal/internal/tag"
)

// bigBook is a store with n DX gateways (tagged, over 10 accounts), each associated with a VGW
// of its own, and n/10 proposals of other accounts, for the gateway book's state benchmarks.
func bigBook(tb testing.TB, n int) *Store {
	tb.Helper()
	cat, err := location.Load(strings.NewReader(testCatalog))
	if err != nil {
		tb.Fatal(err)
	}
	s := New(Options{Catalog: cat, Clock: clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), IDs: id.NewSource(3), Dwell: time.Hour})
	q := s.Quotas()
	q.GatewaysPerAccount = n
	s.SetQuotas(q)
	gws := make([]DXGateway, n)
	for i := range n {
		c := Caller{Account: fmt.Sprintf("1000000000%02d", i%10), Region: "us-east-1"}
		g, err := s.CreateDirectConnectGateway(c, NewDXGateway{Name: fmt.Sprintf("gw-%d", i), Tags: []tag.Tag{{Key: "n", Value: fmt.Sprint(i)}}})
		if err != nil {
			tb.Fatal(err)
		}
		gws[i] = g
	}
	s.opts.Clock.(*clock.Manual).Advance(time.Hour)
	for i, g := range gws {
		c := Caller{Account: g.Owner, Region: "us-east-1"}
		vgw := fmt.Sprintf("vgw-%08x", i)
		s.Gateways().Register(gateway.Record{ID: vgw, OwnerAccount: c.Account, Region: c.Region, ASN: &[]int64{64512}[0], VPCCIDRs: []string{"10.0.0.0/16"}})
		if _, err := s.CreateDirectConnectGatewayAssociation(c, NewAssociation{GatewayID: g.ID, AssociatedID: vgw}); err != nil {
			tb.Fatal(err)
		}
		if i%10 == 0 {
			proposer := Caller{Account: "200000000000", Region: "us-east-1"}
			if _, err := s.CreateDirectConnectGatewayAssociationProposal(proposer, NewProposal{GatewayID: g.ID, GatewayOwner: g.Owner,
				AssociatedID: fmt.Sprintf("vgw-%08x", n+i), Add: []string{"172.16.0.0/16"}}); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return s
}

// BenchmarkStateSaveGateways5k is one save of 5,000 DX gateways, 5,000 associations and 500
// proposals: snapshot and atomic file write.
func BenchmarkStateSaveGateways5k(b *testing.B) {
	s := bigBook(b, 5000)
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

// BenchmarkStateLoadGateways5k is one load of the same: file read, decode, check and restore.
func BenchmarkStateLoadGateways5k(b *testing.B) {
	s := bigBook(b, 5000)
	file := filepath.Join(b.TempDir(), "state.json")
	if err := snapshot.WriteFile(file, s.Snapshot()); err != nil {
		b.Fatal(err)
	}
	fresh := New(Options{Catalog: s.opts.Catalog, Clock: clock.NewManual(time.Now()), IDs: id.NewSource(9)})
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
	if got := len(fresh.Resources(ResourceFilter{})); got != 10500 {
		b.Fatalf("%d resources after the load", got)
	}
}
