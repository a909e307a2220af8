package vif

import (
	"net/netip"

	"github.com/dxlocal/dxlocal/internal/dxerr"
)

// RouteFilterPrefixes checks the prefixes a public VIF advertises: 1 to max of them, each a
// network in CIDR notation (IPv6 ones /64 or shorter), none twice. It answers them in their
// canonical spelling, in request order.
func RouteFilterPrefixes(cidrs []string, max int) ([]string, error) {
	if len(cidrs) == 0 {
		return nil, dxerr.New(dxerr.Invalid, "routeFilterPrefixes is required: a public virtual interface needs at least one prefix.")
	}
	if len(cidrs) > max {
		return nil, dxerr.New(dxerr.Limit, "routeFilterPrefixes limit of %d exceeded: %d given.", max, len(cidrs))
	}
	out := make([]string, len(cidrs))
	seen := make(map[netip.Prefix]bool, len(cidrs))
	for i, c := range cidrs {
		p, err := netip.ParsePrefix(c)
		if err != nil || p.Masked() != p {
			return nil, dxerr.New(dxerr.Invalid, "routeFilterPrefixes cidr %s is not valid: want a network in CIDR notation.", c)
		}
		if p.Addr().Is6() && p.Bits() > 64 {
			return nil, dxerr.New(dxerr.Invalid, "routeFilterPrefixes cidr %s is not valid: IPv6 prefixes must be /64 or shorter.", c)
		}
		if seen[p] {
			return nil, dxerr.New(dxerr.Invalid, "routeFilterPrefixes cidr %s is given twice.", c)
		}
		seen[p] = true
		out[i] = p.String()
	}
	return out, nil
}
