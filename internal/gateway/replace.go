package gateway

import (
	"fmt"
	"slices"
)

// Check reports whether rec could be in a registry: what Normalize checks, except that the
// defaults must already be filled in (an auto-registered transit gateway has no ASN).
func Check(rec Record) error {
	probe := rec
	if probe.ASN == nil && probe.Type() == TransitGateway {
		asn := int64(DefaultASN)
		probe.ASN = &asn
	}
	norm, err := Normalize(probe, "", "")
	if err != nil {
		return err
	}
	if rec.OwnerAccount == "" || rec.Region == "" || (norm.Type() == VirtualPrivateGateway && len(rec.VPCCIDRs) == 0) {
		return fmt.Errorf("gateway %s lacks its ownerAccount, region or vpcCidrs", rec.ID)
	}
	if rec.ASN == nil && rec.Type() == VirtualPrivateGateway {
		return fmt.Errorf("gateway %s lacks its amazonSideAsn", rec.ID)
	}
	return nil
}

// Replace makes the registry hold exactly recs, in that order (a restored state). The caller
// has checked each with Check and that no id repeats.
func (g *Registry) Replace(recs []Record) {
	byID := make(map[string]Record, len(recs))
	order := make([]string, len(recs))
	for i, rec := range recs {
		rec.VPCCIDRs = slices.Clone(rec.VPCCIDRs)
		byID[rec.ID] = rec
		order[i] = rec.ID
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.byID, g.order = byID, order
}
