// Package port tracks which ports of which endpoints (devices) are free and which resource
// holds each taken one.
//
// A Pool is plain single-threaded code with no locking of its own: its owner (the state of
// one region) must hold its own mutex around every call, reads included. Every change is
// all-or-nothing: an Allocate that cannot take every port it was asked for takes none.
//
// Ports of a device are ordered by speed ascending, then by index. Indexes count from 1 within
// each speed of a device: a device with 8 ports of 10Gbps has 10Gbps ports 1 to 8.
package port

import (
	"errors"
	"fmt"
	"slices"

	"github.com/dxlocal/dxlocal/internal/location"
)

// ErrNoCapacity is Allocate's answer when no eligible device has enough free ports; the
// caller words the AWS message.
var ErrNoCapacity = errors.New("port: no device has enough free ports")

// Port is one port of a device and who holds it.
type Port struct {
	Device string
	Index  int // from 1 within the speed
	Speed  location.Speed
	MacSec bool   // the speed is one of the location's MACsec speeds
	HeldBy string // id of the holding resource; "" when free
}

// DeviceSnapshot is one device and all its ports, for the admin catalog.
type DeviceSnapshot struct {
	Device   string
	Location *location.Location
	Ports    []Port // speed ascending, then index
}

// Request says which ports Allocate should take.
type Request struct {
	Location *location.Location
	Speed    location.Speed
	// MacSec asks for MACsec-capable ports (those whose speed is in the location's
	// MacSecSpeeds).
	MacSec bool
	// Device limits the choice to that device of the location; "" lets Allocate choose.
	Device string
	// Count is how many ports to take, all on one device (a LAG); 0 means 1.
	Count int
}

// Pool holds the ports of a set of locations (one region's).
type Pool struct {
	devices []*device          // catalog order
	byName  map[string]*device // device name -> device
	held    map[string]*slot   // holder -> the port it holds
}

type device struct {
	name  string
	loc   *location.Location
	ports []slot // speed ascending, then index; never reallocated, so *slot stays valid
	used  int    // taken ports, all speeds
	free  map[location.Speed]int
}

type slot struct {
	dev    *device
	speed  location.Speed
	index  int
	macSec bool
	heldBy string
}

// NewPool makes a pool of every port of the endpoints of locs, all free. A device that
// appears more than once is taken once.
func NewPool(locs []*location.Location) *Pool {
	p := &Pool{byName: map[string]*device{}, held: map[string]*slot{}}
	for _, loc := range locs {
		for _, ep := range loc.Endpoints {
			if _, dup := p.byName[ep.Device]; dup {
				continue
			}
			d := &device{name: ep.Device, loc: loc, free: map[location.Speed]int{}}
			for _, sp := range location.Speeds {
				n := ep.Ports[sp]
				macSec := loc.MacSec(sp)
				for i := 1; i <= n; i++ {
					d.ports = append(d.ports, slot{dev: d, speed: sp, index: i, macSec: macSec})
				}
				if n > 0 {
					d.free[sp] = n
				}
			}
			p.devices = append(p.devices, d)
			p.byName[d.name] = d
		}
	}
	return p
}

// Allocate takes req.Count free ports of req.Speed on one device of req.Location, the i-th for
// holders[i], and returns the device's name. Eligible are the location's devices (only
// req.Device when set) with enough free ports of the speed, MACsec-capable when req.MacSec;
// of those it picks the one with the fewest used ports of all speeds, ties broken by name
// (behaviour.md §4.1). On each device it takes the free ports of lowest index.
//
// When no device is eligible it returns ErrNoCapacity. A malformed call (holders not matching
// the count, an empty or repeated holder, a holder that already holds a port) returns another
// error. Either way it takes nothing.
func (p *Pool) Allocate(req Request, holders []string) (string, error) {
	n := req.Count
	if n == 0 {
		n = 1
	}
	if n < 0 {
		return "", fmt.Errorf("port: negative count %d", req.Count)
	}
	if len(holders) != n {
		return "", fmt.Errorf("port: %d holders for %d ports", len(holders), n)
	}
	for i, h := range holders {
		if h == "" {
			return "", errors.New("port: empty holder")
		}
		if slices.Contains(holders[:i], h) {
			return "", fmt.Errorf("port: holder %q given twice", h)
		}
		if s, ok := p.held[h]; ok {
			return "", fmt.Errorf("port: %q already holds a port on %s", h, s.dev.name)
		}
	}
	if req.Location == nil {
		return "", errors.New("port: request without location")
	}
	if req.MacSec && !req.Location.MacSec(req.Speed) {
		return "", ErrNoCapacity
	}
	var best *device
	for _, ep := range req.Location.Endpoints {
		if req.Device != "" && ep.Device != req.Device {
			continue
		}
		d := p.byName[ep.Device]
		if d == nil || d.loc != req.Location || d.free[req.Speed] < n {
			continue
		}
		if best == nil || d.used < best.used || (d.used == best.used && d.name < best.name) {
			best = d
		}
	}
	if best == nil {
		return "", ErrNoCapacity
	}
	taken := 0
	for i := range best.ports {
		s := &best.ports[i]
		if taken == n {
			break
		}
		if s.speed != req.Speed || s.heldBy != "" {
			continue
		}
		s.heldBy = holders[taken]
		p.held[s.heldBy] = s
		taken++
	}
	best.used += n
	best.free[req.Speed] -= n
	return best.name, nil
}

// Release frees the port held by holder; false when holder holds none.
func (p *Pool) Release(holder string) bool {
	s, ok := p.held[holder]
	if !ok {
		return false
	}
	delete(p.held, holder)
	s.heldBy = ""
	s.dev.used--
	s.dev.free[s.speed]++
	return true
}

// Holder returns the port held by holder.
func (p *Pool) Holder(holder string) (Port, bool) {
	s, ok := p.held[holder]
	if !ok {
		return Port{}, false
	}
	return s.port(), true
}

// Free counts the free ports of speed on device (0 for a device not in the pool).
func (p *Pool) Free(device string, speed location.Speed) int {
	if d := p.byName[device]; d != nil {
		return d.free[speed]
	}
	return 0
}

// Reset frees every port.
func (p *Pool) Reset() {
	for _, d := range p.devices {
		for i := range d.ports {
			d.ports[i].heldBy = ""
		}
		d.used = 0
		clear(d.free)
		for _, s := range d.ports {
			d.free[s.speed]++
		}
	}
	clear(p.held)
}

// Snapshot returns every device in catalog order with copies of its ports (speed ascending,
// then index) and their holders.
func (p *Pool) Snapshot() []DeviceSnapshot {
	out := make([]DeviceSnapshot, len(p.devices))
	for i, d := range p.devices {
		ports := make([]Port, len(d.ports))
		for j := range d.ports {
			ports[j] = d.ports[j].port()
		}
		out[i] = DeviceSnapshot{Device: d.name, Location: d.loc, Ports: ports}
	}
	return out
}

func (s *slot) port() Port {
	return Port{Device: s.dev.name, Index: s.index, Speed: s.speed, MacSec: s.macSec, HeldBy: s.heldBy}
}
