package port

import (
	"strings"
	"testing"

	"github.com/dxlocal/dxlocal/internal/location"
)

func TestTakeNamedPort(t *testing.T) {
	p, a, _ := newTestPool(t)
	if err := p.Take("A-b", location.Speed10G, 3, "dxcon-one"); err != nil {
		t.Fatal(err)
	}
	got, ok := p.Holder("dxcon-one")
	if !ok || got.Device != "A-b" || got.Speed != location.Speed10G || got.Index != 3 {
		t.Fatalf("holder %+v %v", got, ok)
	}
	if n := p.Free("A-b", location.Speed10G); n != 3 {
		t.Fatalf("free 10G on A-b: %d, want 3", n)
	}
	// Allocate then skips the taken port and counts it as used.
	if _, err := p.Allocate(Request{Location: a, Speed: location.Speed10G, Device: "A-b", Count: 3}, []string{"x1", "x2", "x3"}); err != nil {
		t.Fatal(err)
	}
	if n := p.Free("A-b", location.Speed10G); n != 0 {
		t.Fatalf("free after allocating the rest: %d", n)
	}
	cases := []struct {
		device string
		speed  location.Speed
		index  int
		holder string
		want   string
	}{
		{"A-b", location.Speed10G, 3, "dxcon-two", "held by both"},
		{"A-b", location.Speed1G, 3, "dxcon-two", "no 1Gbps port 3"},
		{"A-b", location.Speed1G, 0, "dxcon-two", "no 1Gbps port 0"},
		{"A-a", location.Speed400G, 1, "dxcon-two", "no 400Gbps port 1"},
		{"Z-z", location.Speed10G, 1, "dxcon-two", "Z-z"},
		{"A-a", location.Speed10G, 1, "dxcon-one", "holds two ports"},
		{"A-a", location.Speed10G, 1, "", "empty holder"},
	}
	for _, tc := range cases {
		err := p.Take(tc.device, tc.speed, tc.index, tc.holder)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Take(%s, %s, %d, %q) = %v, want %q", tc.device, tc.speed, tc.index, tc.holder, err, tc.want)
		}
	}
	if n := p.Free("A-a", location.Speed10G); n != 4 {
		t.Fatalf("a refused Take took a port: %d free", n)
	}
}
