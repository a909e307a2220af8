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

// MaxRecords bounds the registry. Records are never removed but by a reset, and every VIF or
// association naming a new VGW or TGW id registers one: without a bound, creating and deleting
// VIFs with fresh ids grows it for good. No test reaches this many gateways.
const MaxRecords = 100_000

// MaxVPCCIDRs bounds a VGW's vpcCidrs, as AWS bounds a VPC's IPv4 CIDR blocks (5, raised to
// 50 at most).
const MaxVPCCIDRs = 50

// ErrFull is returned when the registry holds MaxRecords records.
var ErrFull = fmt.Errorf("gateway: the registry holds %d gateways, its limit", MaxRecords)

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
	// limit is MaxRecords unless a test lowers it (SetLimit).
	limit int
}

func (g *Registry) max() int {
	if g.limit > 0 {
		return g.limit
	}
	return MaxRecords
}

// SetLimit lowers the bound of records, for tests; 0 restores MaxRecords.
func (g *Registry) SetLimit(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.limit = n
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
	if len(rec.VPCCIDRs) > MaxVPCCIDRs {
		return rec, fmt.Errorf("vpcCidrs has %d CIDRs; a VPC has at most %d", len(rec.VPCCIDRs), MaxVPCCIDRs)
	}
	for _, c := range rec.VPCCIDRs {
		if p, err := netip.ParsePrefix(c); err != nil || !p.Addr().Is4() || p.Masked() != p {
			return rec, fmt.Errorf("vpcCidrs: %s is not an IPv4 network in CIDR notation", c)
		}
	}
	return rec, nil
}

// Register stores a normalized record; ErrExists and ErrFull leave the registry unchanged.
func (g *Registry) Register(rec Record) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.byID[rec.ID]; ok {
		return ErrExists
	}
	if len(g.byID) >= g.max() {
		return ErrFull
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
