package api

import (
	"context"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/location"
)

// DescribeLocations answers the catalog's locations of the caller's region, with port speeds
// spelled as AWS reports them (1G, 10G, ...).
func (s *service) DescribeLocations(ctx context.Context) (*model.Locations, error) {
	c := callerFrom(ctx)
	locs := s.store.Catalog().InRegion(c.Region)
	out := &model.Locations{Locations: make([]model.Location, len(locs))}
	for i, l := range locs {
		out.Locations[i] = model.Location{
			LocationCode:              &l.Code,
			LocationName:              &l.Name,
			Region:                    &l.Region,
			AvailablePortSpeeds:       portSpeeds(l.PortSpeeds()),
			AvailableProviders:        append([]string{}, l.Providers...),
			AvailableMacSecPortSpeeds: portSpeeds(l.MacSecSpeeds),
		}
	}
	return out, nil
}

func portSpeeds(speeds []location.Speed) []string {
	out := make([]string, len(speeds))
	for i, s := range speeds {
		out[i] = s.PortSpeed()
	}
	return out
}
