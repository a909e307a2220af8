package port

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/dxlocal/dxlocal/internal/location"
)

// Devices are listed out of name order on purpose: ties go by name, not catalog order.
const testCatalog = `{"locations": [
  {"code": "A", "region": "r", "macSecPortSpeeds": ["10Gbps"], "endpoints": [
    {"device": "A-b", "ports": {"1Gbps": 2, "10Gbps": 4}},
    {"device": "A-a", "ports": {"100Gbps": 2, "10Gbps": 4}},
    {"device": "A-c", "ports": {"10Gbps": 1}}
  ]},
  {"code": "B", "region": "r", "endpoints": [
    {"device": "B-x", "ports": {"10Gbps": 2}}
  ]}
]}`

func newTestPool(t *testing.T) (*Pool, *location.Location, *location.Location) {
	t.Helper()
	c, err := location.Load(strings.NewReader(testCatalog))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := c.Lookup("r", "A")
	b, _ := c.Lookup("r", "B")
	return NewPool(c.InRegion("r")), a, b
}

type alloc struct {
	loc    string // "A" or "B"
	speed  location.Speed
	macSec bool
	device string
	count  int
}

func (a alloc) request(locA, locB *location.Location) Request {
	loc := locA
	if a.loc == "B" {
		loc = locB
	}
	return Request{Location: loc, Speed: a.speed, MacSec: a.macSec, Device: a.device, Count: a.count}
}

var holderSeq int

func holders(n int) []string {
	if n == 0 {
		n = 1
	}
	out := make([]string, n)
	for i := range out {
		holderSeq++
		out[i] = fmt.Sprintf("dxcon-%08d", holderSeq)
	}
	return out
}

func TestAllocateDeviceChoice(t *testing.T) {
	const (
		g1   = location.Speed1G
		g10  = location.Speed10G
		g100 = location.Speed100G
		g400 = location.Speed400G
	)
	for _, tc := range []struct {
		name string
		pre  []alloc
		req  alloc
		want string // device, or "" for ErrNoCapacity
	}{
		{"all unused: tie by name, not catalog order", nil, alloc{"A", g10, false, "", 1}, "A-a"},
		{"count 0 means 1", nil, alloc{"A", g10, false, "", 0}, "A-a"},
		{"fewest used wins", []alloc{{"A", g100, false, "", 1}}, alloc{"A", g10, false, "", 1}, "A-b"},
		{"used counts every speed", []alloc{{"A", g1, false, "", 1}, {"A", g100, false, "", 1}},
			alloc{"A", g10, false, "", 1}, "A-c"},
		{"a device without a free port of the speed is skipped",
			[]alloc{{"A", g1, false, "", 1}, {"A", g100, false, "", 1}, {"A", g10, false, "A-c", 1}},
			alloc{"A", g10, false, "", 1}, "A-a"},
		{"only devices with the speed", []alloc{{"A", g10, false, "A-b", 1}}, alloc{"A", g100, false, "", 1}, "A-a"},
		{"device constraint beats fewest used", []alloc{{"A", g10, false, "A-b", 1}}, alloc{"A", g10, false, "A-b", 1}, "A-b"},
		{"device constraint without room", []alloc{{"A", g10, false, "A-c", 1}}, alloc{"A", g10, false, "A-c", 1}, ""},
		{"device constraint without the speed", nil, alloc{"A", g1, false, "A-a", 1}, ""},
		{"device of another location", nil, alloc{"A", g10, false, "B-x", 1}, ""},
		{"unknown device", nil, alloc{"A", g10, false, "Z-z", 1}, ""},
		{"other location", nil, alloc{"B", g10, false, "", 2}, "B-x"},
		{"MACsec speed", nil, alloc{"A", g10, true, "", 1}, "A-a"},
		{"MACsec asked at a non-MACsec speed", nil, alloc{"A", g100, true, "", 1}, ""},
		{"MACsec asked at a location without MACsec", nil, alloc{"B", g10, true, "", 1}, ""},
		{"speed the location lacks", nil, alloc{"A", g400, false, "", 1}, ""},
		{"LAG of 4 on one device", nil, alloc{"A", g10, false, "", 4}, "A-a"},
		{"LAG goes where the count fits, even if more used",
			[]alloc{{"A", g10, false, "A-b", 1}, {"A", g1, false, "", 2}}, alloc{"A", g10, false, "", 4}, "A-a"},
		{"LAG prefers the less used of those that fit",
			[]alloc{{"A", g10, false, "A-a", 1}}, alloc{"A", g10, false, "", 3}, "A-b"},
		{"LAG never spans devices",
			[]alloc{{"A", g10, false, "A-a", 1}, {"A", g10, false, "A-b", 1}}, alloc{"A", g10, false, "", 4}, ""},
		{"LAG on a given device", []alloc{{"A", g10, false, "A-b", 2}}, alloc{"A", g10, false, "A-b", 2}, "A-b"},
		{"LAG on a given device without room", []alloc{{"A", g10, false, "A-b", 2}}, alloc{"A", g10, false, "A-b", 3}, ""},
		{"LAG bigger than any device", nil, alloc{"A", g10, false, "", 5}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, a, b := newTestPool(t)
			for _, pre := range tc.pre {
				if _, err := p.Allocate(pre.request(a, b), holders(pre.count)); err != nil {
					t.Fatalf("setup %+v: %v", pre, err)
				}
			}
			before := p.Snapshot()
			hs := holders(tc.req.count)
			got, err := p.Allocate(tc.req.request(a, b), hs)
			if tc.want == "" {
				if !errors.Is(err, ErrNoCapacity) {
					t.Fatalf("Allocate = %q, %v; want ErrNoCapacity", got, err)
				}
				if after := p.Snapshot(); !reflect.DeepEqual(before, after) {
					t.Error("a failed Allocate changed the pool")
				}
				for _, h := range hs {
					if _, ok := p.Holder(h); ok {
						t.Errorf("%s holds a port after a failed Allocate", h)
					}
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Allocate = %q, %v; want %q", got, err, tc.want)
			}
			for _, h := range hs {
				port, ok := p.Holder(h)
				if !ok || port.Device != tc.want || port.Speed != tc.req.speed || port.HeldBy != h {
					t.Errorf("Holder(%s) = %+v, %v", h, port, ok)
				}
				if tc.req.macSec && !port.MacSec {
					t.Errorf("%s got a port without MACsec", h)
				}
			}
		})
	}
}

func TestAllocateMalformed(t *testing.T) {
	p, a, _ := newTestPool(t)
	if _, err := p.Allocate(Request{Location: a, Speed: location.Speed10G}, []string{"held"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		req     Request
		holders []string
	}{
		{"fewer holders than ports", Request{Location: a, Speed: location.Speed10G, Count: 2}, []string{"h1"}},
		{"more holders than ports", Request{Location: a, Speed: location.Speed10G}, []string{"h1", "h2"}},
		{"no holders", Request{Location: a, Speed: location.Speed10G}, nil},
		{"negative count", Request{Location: a, Speed: location.Speed10G, Count: -1}, nil},
		{"empty holder", Request{Location: a, Speed: location.Speed10G, Count: 2}, []string{"h1", ""}},
		{"holder twice", Request{Location: a, Speed: location.Speed10G, Count: 2}, []string{"h1", "h1"}},
		{"holder already holds a port", Request{Location: a, Speed: location.Speed10G, Count: 2}, []string{"h1", "held"}},
		{"no location", Request{Speed: location.Speed10G}, []string{"h1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := p.Snapshot()
			dev, err := p.Allocate(tc.req, tc.holders)
			if err == nil || errors.Is(err, ErrNoCapacity) {
				t.Fatalf("Allocate = %q, %v; want a usage error", dev, err)
			}
			if !reflect.DeepEqual(before, p.Snapshot()) {
				t.Error("a refused Allocate changed the pool")
			}
			if _, ok := p.Holder("h1"); ok {
				t.Error("h1 holds a port")
			}
		})
	}
}

func TestReleaseAndHolder(t *testing.T) {
	p, a, _ := newTestPool(t)
	dev, err := p.Allocate(Request{Location: a, Speed: location.Speed10G, MacSec: true, Count: 3}, []string{"c1", "c2", "c3"})
	if err != nil || dev != "A-a" {
		t.Fatalf("Allocate = %q, %v", dev, err)
	}
	for i, h := range []string{"c1", "c2", "c3"} {
		want := Port{Device: "A-a", Index: i + 1, Speed: location.Speed10G, MacSec: true, HeldBy: h}
		if got, ok := p.Holder(h); !ok || got != want {
			t.Errorf("Holder(%s) = %+v, %v; want %+v", h, got, ok, want)
		}
	}
	if got := p.Free("A-a", location.Speed10G); got != 1 {
		t.Errorf("Free = %d, want 1", got)
	}
	if !p.Release("c2") {
		t.Fatal("Release(c2) = false")
	}
	if p.Release("c2") {
		t.Error("second Release(c2) = true")
	}
	if p.Release("nobody") {
		t.Error("Release(nobody) = true")
	}
	if _, ok := p.Holder("c2"); ok {
		t.Error("c2 still holds a port")
	}
	if got := p.Free("A-a", location.Speed10G); got != 2 {
		t.Errorf("Free after release = %d, want 2", got)
	}
	// The freed port is the lowest free index and is taken next; A-a now has 2 used ports,
	// so it takes the device constraint to land there.
	if _, err := p.Allocate(Request{Location: a, Speed: location.Speed10G, Device: "A-a"}, []string{"c4"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := p.Holder("c4"); got.Index != 2 {
		t.Errorf("c4 got index %d, want the freed 2", got.Index)
	}
	// A released holder may hold a port again.
	if _, err := p.Allocate(Request{Location: a, Speed: location.Speed1G}, []string{"c2"}); err != nil {
		t.Errorf("re-allocating a released holder: %v", err)
	}
	if got := p.Free("Z-z", location.Speed10G); got != 0 {
		t.Errorf("Free(unknown) = %d", got)
	}
	if got := p.Free("A-a", location.Speed400G); got != 0 {
		t.Errorf("Free(A-a, 400G) = %d", got)
	}
}

func TestSnapshotAndReset(t *testing.T) {
	p, a, b := newTestPool(t)
	if _, err := p.Allocate(Request{Location: a, Speed: location.Speed10G, Device: "A-b", Count: 2}, []string{"lag1", "lag2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Allocate(Request{Location: b, Speed: location.Speed10G}, []string{"x"}); err != nil {
		t.Fatal(err)
	}
	snap := p.Snapshot()
	var got []string
	for _, d := range snap {
		line := d.Device + "@" + d.Location.Code + ":"
		for _, port := range d.Ports {
			if port.Device != d.Device {
				t.Errorf("port %+v listed under %s", port, d.Device)
			}
			line += fmt.Sprintf(" %s/%d", port.Speed, port.Index)
			if port.MacSec {
				line += "m"
			}
			if port.HeldBy != "" {
				line += "=" + port.HeldBy
			}
		}
		got = append(got, line)
	}
	want := []string{
		"A-b@A: 1Gbps/1 1Gbps/2 10Gbps/1m=lag1 10Gbps/2m=lag2 10Gbps/3m 10Gbps/4m",
		"A-a@A: 10Gbps/1m 10Gbps/2m 10Gbps/3m 10Gbps/4m 100Gbps/1 100Gbps/2",
		"A-c@A: 10Gbps/1m",
		"B-x@B: 10Gbps/1=x 10Gbps/2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Snapshot:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The snapshot is a copy.
	snap[0].Ports[2].HeldBy = "mutated"
	if again := p.Snapshot(); again[0].Ports[2].HeldBy != "lag1" {
		t.Error("Snapshot shares its ports with the pool")
	}

	fresh, _, _ := newTestPool(t)
	p.Reset()
	if !reflect.DeepEqual(p.Snapshot(), fresh.Snapshot()) {
		t.Error("Reset does not give a fresh pool")
	}
	for _, h := range []string{"lag1", "lag2", "x"} {
		if _, ok := p.Holder(h); ok {
			t.Errorf("%s holds a port after Reset", h)
		}
		if p.Release(h) {
			t.Errorf("Release(%s) after Reset = true", h)
		}
	}
	// Usage counts are reset too: ties go by name again.
	if dev, err := p.Allocate(Request{Location: a, Speed: location.Speed10G, Count: 4}, []string{"lag1", "lag2", "lag3", "lag4"}); err != nil || dev != "A-a" {
		t.Errorf("Allocate after Reset = %q, %v", dev, err)
	}
	if got := p.Free("A-b", location.Speed10G); got != 4 {
		t.Errorf("Free(A-b) after Reset = %d", got)
	}
}

func TestDefaultCatalogPool(t *testing.T) {
	c := location.Default()
	loc, ok := c.Lookup("us-east-1", "EqDC2")
	if !ok {
		t.Fatal("no EqDC2")
	}
	p := NewPool(c.InRegion("us-east-1"))
	perDevice := map[location.Speed]int{location.Speed1G: 8, location.Speed10G: 8, location.Speed100G: 4, location.Speed400G: 2}
	for s, n := range perDevice {
		for _, ep := range loc.Endpoints {
			if got := p.Free(ep.Device, s); got != n {
				t.Errorf("Free(%s, %s) = %d, want %d", ep.Device, s, got, n)
			}
		}
	}
	// Two 400G ports per device: a LAG of 2 fits on each, a third LAG does not.
	for i := range 3 {
		hs := []string{fmt.Sprintf("l%d-1", i), fmt.Sprintf("l%d-2", i)}
		_, err := p.Allocate(Request{Location: loc, Speed: location.Speed400G, MacSec: true, Count: 2}, hs)
		if (i < 2) != (err == nil) {
			t.Errorf("LAG %d: %v", i, err)
		}
	}
	// A pool of one region knows nothing of another's devices.
	other, ok := c.Lookup("eu-west-1", "EqLD5")
	if !ok {
		t.Fatal("no EqLD5")
	}
	if _, err := p.Allocate(Request{Location: other, Speed: location.Speed10G}, []string{"y"}); !errors.Is(err, ErrNoCapacity) {
		t.Errorf("Allocate in another region's location: %v", err)
	}
}
