package port

import (
	"fmt"
	"slices"
	"sort"

	"github.com/dxlocal/dxlocal/internal/location"
)

// Take gives holder one named port: the index-th (from 1) port of speed on device. A restored
// state uses it to put every port back where it was. It takes nothing and says why when the
// device, speed or index is not in the pool, the port is taken, or holder holds a port already.
func (p *Pool) Take(device string, speed location.Speed, index int, holder string) error {
	d := p.byName[device]
	if d == nil {
		return fmt.Errorf("device %s is not in the catalog of this region", device)
	}
	if holder == "" {
		return fmt.Errorf("port %s/%s/%d: empty holder", device, speed, index)
	}
	if s, ok := p.held[holder]; ok {
		return fmt.Errorf("%s holds two ports: %s/%s/%d and %s/%s/%d", holder, s.dev.name, s.speed, s.index, device, speed, index)
	}
	// Ports are ordered by speed (in location.Speeds order), then index: find the first of
	// speed by bisection, then step to the index.
	rank := func(sp location.Speed) int { return slices.Index(location.Speeds, sp) }
	start := sort.Search(len(d.ports), func(i int) bool { return rank(d.ports[i].speed) >= rank(speed) })
	if i := start + index - 1; index >= 1 && i < len(d.ports) && d.ports[i].speed == speed && d.ports[i].index == index {
		s := &d.ports[i]
		if s.heldBy != "" {
			return fmt.Errorf("port %s/%s/%d is held by both %s and %s", device, speed, index, s.heldBy, holder)
		}
		s.heldBy = holder
		p.held[holder] = s
		d.used++
		d.free[speed]--
		return nil
	}
	return fmt.Errorf("device %s has no %s port %d", device, speed, index)
}
