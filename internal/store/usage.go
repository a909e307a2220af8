package store

import "github.com/dxlocal/dxlocal/internal/port"

// PortHolder is who holds a port, as the admin catalog shows it.
type PortHolder struct {
	Account string
	// Type is "connection" (a dedicated connection, LAG members included) or "interconnect".
	Type string
	// LagID is the LAG the holder is a member of, "" when none.
	LagID string
}

// RegionPorts are the ports of one region's locations and who holds each taken one, read
// under one lock so that the two agree.
type RegionPorts struct {
	Devices []port.DeviceSnapshot
	Holders map[string]PortHolder // by the id in port.Port.HeldBy
}

// PortUsage returns the ports of every catalog region, or of only region when it is not "".
// It looks up only regions the catalog has, so an unknown name makes no state.
func (s *Store) PortUsage(region string) map[string]RegionPorts {
	out := map[string]RegionPorts{}
	for _, loc := range s.opts.Catalog.Locations {
		if _, seen := out[loc.Region]; seen || (region != "" && loc.Region != region) {
			continue
		}
		out[loc.Region] = s.Region(loc.Region).portUsage()
	}
	return out
}

func (r *Region) portUsage() RegionPorts {
	r.lock()
	defer r.unlock()
	u := RegionPorts{Devices: r.ports.Snapshot(), Holders: map[string]PortHolder{}}
	for _, d := range u.Devices {
		for _, p := range d.Ports {
			if p.HeldBy == "" {
				continue
			}
			c, ok := r.conns[p.HeldBy]
			if !ok {
				continue
			}
			h := PortHolder{Account: c.Owner, Type: "connection", LagID: c.LagID}
			if c.Kind == Interconnect {
				h.Type = "interconnect"
			}
			u.Holders[p.HeldBy] = h
		}
	}
	return u
}
