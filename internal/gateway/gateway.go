// Package gateway is the registry of EC2 gateways (virtual private gateways and transit
// gateways) that Direct Connect refers to but does not own. Records are registered through
// the admin API or, on first use, automatically; ids are global, one record per id.
package gateway

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"sync"

	"github.com/dxlocal/dxlocal/internal/account"
)

// Types of gateway, as Direct Connect's associatedGateway.type spells them.
const (
	VirtualPrivateGateway = "virtualPrivateGateway"
	TransitGateway        = "transitGateway"
)

// Defaults of a record's optional fields.
const (
	DefaultASN     = 64512
	DefaultVPCCIDR = "10.0.0.0/16"
	maxASN         = 4294967294
)

var (
	vgwID = regexp.MustCompile(`^vgw-([0-9a-f]{8}|[0-9a-f]{17})$`)
	tgwID = regexp.MustCompile(`^tgw-[0-9a-f]{17}$`)
)

// ErrExists is returned when an id is registered already.
var ErrExists = errors.New("gateway: already registered")

// Record is one registered gateway.
type Record struct {
	ID           string
	OwnerAccount string
	Region       string
	// ASN is nil for an auto-registered transit gateway, whose ASN nobody told dxlocal.
	ASN      *int64
	VPCCIDRs []string // virtual private gateways only
}

// Type is the gateway's type, from its id prefix.
func (r Record) Type() string {
	if len(r.ID) > 4 && r.ID[:4] == "tgw-" {
		return TransitGateway
	}
	return VirtualPrivateGateway
}

// ValidID reports whether id is a well-formed VGW or TGW id.
func ValidID(id string) bool { return vgwID.MatchString(id) || tgwID.MatchString(id) }

// Registry holds the records; safe for concurrent use.
type Registry struct {
	mu    sync.Mutex // guards byID and order
	byID  map[string]Record
	order []string
}

// New returns an empty registry.
func New() *Registry { return &Registry{byID: map[string]Record{}} }

// Normalize checks a record given by a user and fills its defaults: the account and region
// given here, ASN 64512, and for a VGW the VPC CIDR 10.0.0.0/16.
func Normalize(rec Record, defaultAccount, region string) (Record, error) {
	if rec.ID == "" {
		return rec, errors.New("gatewayId is required")
	}
	if !ValidID(rec.ID) {
		return rec, fmt.Errorf("gatewayId %s is not valid: want vgw- and 8 or 17 hex digits, or tgw- and 17 hex digits", rec.ID)
	}
	if rec.OwnerAccount == "" {
		rec.OwnerAccount = defaultAccount
	}
	if !account.IsID(rec.OwnerAccount) {
		return rec, fmt.Errorf("ownerAccount %s is not a 12-digit account id", rec.OwnerAccount)
	}
	if rec.Region == "" {
		rec.Region = region
	}
	if rec.ASN == nil {
		asn := int64(DefaultASN)
		rec.ASN = &asn
	}
	if *rec.ASN < 1 || *rec.ASN > maxASN {
		return rec, fmt.Errorf("amazonSideAsn %d is not between 1 and %d", *rec.ASN, maxASN)
	}
	if rec.Type() == TransitGateway {
		if len(rec.VPCCIDRs) > 0 {
			return rec, fmt.Errorf("vpcCidrs are for virtual private gateways; %s is a transit gateway", rec.ID)
		}
		return rec, nil
	}
	if len(rec.VPCCIDRs) == 0 {
		rec.VPCCIDRs = []string{DefaultVPCCIDR}
	}
	for _, c := range rec.VPCCIDRs {
		if p, err := netip.ParsePrefix(c); err != nil || !p.Addr().Is4() || p.Masked() != p {
			return rec, fmt.Errorf("vpcCidrs: %s is not an IPv4 network in CIDR notation", c)
		}
	}
	return rec, nil
}

// Register stores a normalized record; ErrExists leaves the registry unchanged.
func (g *Registry) Register(rec Record) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.byID[rec.ID]; ok {
		return ErrExists
	}
	rec.VPCCIDRs = slices.Clone(rec.VPCCIDRs)
	g.byID[rec.ID] = rec
	g.order = append(g.order, rec.ID)
	return nil
}

// Lookup returns the record of id.
func (g *Registry) Lookup(id string) (Record, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	rec, ok := g.byID[id]
	rec.VPCCIDRs = slices.Clone(rec.VPCCIDRs)
	return rec, ok
}

// List returns every record in registration order.
func (g *Registry) List() []Record {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]Record, len(g.order))
	for i, id := range g.order {
		out[i] = g.byID[id]
		out[i].VPCCIDRs = slices.Clone(out[i].VPCCIDRs)
	}
	return out
}

// Reset forgets every record.
func (g *Registry) Reset() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.byID = map[string]Record{}
	g.order = nil
}
