package store

import "sync/atomic"

// Quotas are the limits of behaviour.md §6.1 that dxlocal enforces. They can be changed while
// the emulator runs (the admin API's /_dxlocal/quotas); a lower quota refuses what would go
// beyond it and removes nothing.
type Quotas struct {
	ConnectionsPerLocation        int // live dedicated connections (LAG members count) per account, location and region
	LagsPerRegion                 int // LAGs per account and region
	VifsPerConnection             int // private + public VIFs per dedicated connection or LAG
	TransitVifsPerConnection      int // transit VIFs per dedicated connection or LAG
	VifsPerHostedConnection       int // VIFs of any type per hosted connection
	GatewaysPerAccount            int // Direct Connect gateways per account
	VgwAssociationsPerGateway     int // VGW associations per Direct Connect gateway
	TgwAssociationsPerGateway     int // TGW associations per Direct Connect gateway
	AttachmentsPerGateway         int // private and transit VIF attachments per Direct Connect gateway
	GatewaysPerTransitGateway     int // Direct Connect gateways per transit gateway
	RouteFilterPrefixes           int // prefixes advertised on one public VIF
	AllowedPrefixesPerAssociation int // allowed prefixes on one gateway association
	TagsPerResource               int // user tags on one resource ("aws:" keys excluded)
}

// DefaultQuotas are AWS's default values (behaviour.md §6.1; where the documentation has
// disagreed, the newer value).
func DefaultQuotas() Quotas {
	return Quotas{
		ConnectionsPerLocation:        10,
		LagsPerRegion:                 10,
		VifsPerConnection:             50,
		TransitVifsPerConnection:      4,
		VifsPerHostedConnection:       1,
		GatewaysPerAccount:            200,
		VgwAssociationsPerGateway:     20,
		TgwAssociationsPerGateway:     6,
		AttachmentsPerGateway:         30,
		GatewaysPerTransitGateway:     20,
		RouteFilterPrefixes:           1000,
		AllowedPrefixesPerAssociation: 200,
		TagsPerResource:               50,
	}
}

// quotaBox holds the quotas in force; rules read them on every create, so reads take no lock.
type quotaBox struct{ p atomic.Pointer[Quotas] }

func (b *quotaBox) load() Quotas   { return *b.p.Load() }
func (b *quotaBox) store(q Quotas) { b.p.Store(&q) }

// Quotas returns the quotas in force.
func (s *Store) Quotas() Quotas { return s.quotas.load() }

// SetQuotas replaces the quotas in force; the caller has checked that each is at least 1.
func (s *Store) SetQuotas(q Quotas) { s.quotas.store(q) }

// initialQuotas are the defaults with the Options' overrides applied: what start and reset give.
func (s *Store) initialQuotas() Quotas {
	q := DefaultQuotas()
	if s.opts.ConnectionsPerLocation > 0 {
		q.ConnectionsPerLocation = s.opts.ConnectionsPerLocation
	}
	return q
}
