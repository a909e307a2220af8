package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/clock"
	"github.com/dxlocal/dxlocal/internal/id"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/snapshot"
	"github.com/dxlocal/dxlocal/internal/tag"
)

// bigStore is a store with n dedicated connections (tagged, over 10 accounts and 10 locations
// of 10 devices each), for the state benchmarks.
func bigStore(tb testing.TB, n int) (*Store, *location.Catalog) {
	tb.Helper()
	var b strings.Builder
	b.WriteString(`{"locations":[`)
	for l := range 10 {
		if l > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"code":"BL%02d","region":"us-east-1","endpoints":[`, l)
		for d := range 10 {
			if d > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"device":"BL%02d-dev%02d","ports":{"1Gbps":%d}}`, l, d, n/100+1)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}`)
	cat, err := location.Load(strings.NewReader(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	s := New(Options{Catalog: cat, Clock: clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), IDs: id.NewSource(3)})
	q := s.Quotas()
	q.ConnectionsPerLocation = n
	s.SetQuotas(q)
	r := s.Region("us-east-1")
	for i := range n {
		c := Caller{Account: fmt.Sprintf("1000000000%02d", i%10), Region: "us-east-1"}
		_, err := r.CreateConnection(c, NewConnection{Location: fmt.Sprintf("BL%02d", i%10), Bandwidth: "1Gbps", Name: fmt.Sprintf("conn-%d", i),
			Tags: []tag.Tag{{Key: "n", Value: fmt.Sprint(i)}}})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return s, cat
}

// BenchmarkStateSave10k is one save of 10,000 connections: snapshot and atomic file write.
func BenchmarkStateSave10k(b *testing.B) {
	s, _ := bigStore(b, 10000)
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

// BenchmarkStateLoad10k is one load of 10,000 connections: file read, decode, check and restore.
func BenchmarkStateLoad10k(b *testing.B) {
	s, cat := bigStore(b, 10000)
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
	if got := len(fresh.Resources(ResourceFilter{})); got != 10000 {
		b.Fatalf("%d resources after the load", got)
	}
}
