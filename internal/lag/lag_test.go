package lag

import (
	"testing"

	"github.com/dxlocal/dxlocal/internal/location"
)

func TestMemberLimits(t *testing.T) {
	cases := []struct {
		speed location.Speed
		n     int
		ok    bool
	}{
		{location.Speed1G, 0, false},
		{location.Speed1G, 1, true},
		{location.Speed1G, 4, true},
		{location.Speed10G, 5, false},
		{location.Speed100G, 2, true},
		{location.Speed100G, 3, false},
		{location.Speed400G, 2, true},
		{location.Speed400G, 3, false},
	}
	for _, tc := range cases {
		if err := CheckNumberOfConnections(tc.n, tc.speed); (err == nil) != tc.ok {
			t.Errorf("%d x %s: %v", tc.n, tc.speed, err)
		}
	}
	if CheckRoom("dxlag-f1", 3, location.Speed10G) != nil || CheckRoom("dxlag-f1", 4, location.Speed10G) == nil {
		t.Error("room for a fourth 10G member but not a fifth")
	}
	if CheckRoom("dxlag-f1", 2, location.Speed100G) == nil {
		t.Error("a third 100G member")
	}
}

func TestMinimumLinks(t *testing.T) {
	for _, tc := range []struct {
		value, members int
		ok             bool
	}{{0, 0, true}, {2, 2, true}, {3, 2, false}, {-1, 2, false}} {
		if err := CheckMinimumLinks("dxlag-f1", tc.value, tc.members); (err == nil) != tc.ok {
			t.Errorf("minimumLinks %d of %d: %v", tc.value, tc.members, err)
		}
	}
	for _, tc := range []struct {
		members, min int
		ok           bool
	}{{3, 2, true}, {2, 2, false}, {1, 1, true}, {1, 0, true}, {4, 4, false}} {
		if err := CheckRemoval("dxcon-f1", "dxlag-f1", tc.members, tc.min); (err == nil) != tc.ok {
			t.Errorf("remove one of %d with minimumLinks %d: %v", tc.members, tc.min, err)
		}
	}
}

func TestSettled(t *testing.T) {
	for _, tc := range []struct {
		up, min int
		want    string
	}{{0, 0, "down"}, {1, 0, "available"}, {1, 2, "down"}, {2, 2, "available"}} {
		if got := Settled(tc.up, tc.min); got != tc.want {
			t.Errorf("%d up, minimumLinks %d: %s, want %s", tc.up, tc.min, got, tc.want)
		}
	}
}
