package store

import (
	"slices"

	"github.com/dxlocal/dxlocal/internal/dxerr"
)

// NNI partner types, as DescribeCustomerMetadata spells them.
const (
	NNIPartnerV1  = "v1"
	NNIPartnerV2  = "v2"
	NNINonPartner = "nonPartner"
)

// Partner is a Direct Connect Partner's account and settings.
type Partner struct {
	Account string
	// NNIType is v1 (hosted connections below 1 Gbps only), v2 (1 Gbps and up) or "" for a
	// partner of no stated type, which may allocate every hosted speed.
	NNIType string
	// Name is the partnerName its hosted connections show; "" falls back to the provider
	// name of the parent, then the account id.
	Name string
}

// Partner returns the settings of account when it is a partner.
func (s *Store) Partner(account string) (Partner, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.partners[account]
	return p, ok
}

// Partners lists every partner, in no particular order.
func (s *Store) Partners() []Partner {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Partner, 0, len(s.partners))
	for _, p := range s.partners {
		out = append(out, p)
	}
	return out
}

// SetPartner makes an account a partner, or changes its settings.
func (s *Store) SetPartner(p Partner) error {
	if p.NNIType != "" && p.NNIType != NNIPartnerV1 && p.NNIType != NNIPartnerV2 {
		return dxerr.New(dxerr.Invalid, "nniPartnerType %s is not valid. Valid values: v1, v2.", p.NNIType)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.partners[p.Account] = p
	return nil
}

// RemovePartner makes an account an ordinary customer again.
func (s *Store) RemovePartner(account string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.partners, account)
}

// CustomerMetadata is what DescribeCustomerMetadata answers.
type CustomerMetadata struct {
	Agreements     []string // signed, in signing order
	NNIPartnerType string
}

// CustomerMetadata answers the caller's signed agreements and partner type. A partner of no
// stated type reports v2, the type of every partner onboarded today.
func (s *Store) CustomerMetadata(account string) CustomerMetadata {
	s.mu.Lock()
	defer s.mu.Unlock()
	md := CustomerMetadata{Agreements: slices.Clone(s.agreements[account]), NNIPartnerType: NNINonPartner}
	if p, ok := s.partners[account]; ok {
		md.NNIPartnerType = p.NNIType
		if md.NNIPartnerType == "" {
			md.NNIPartnerType = NNIPartnerV2
		}
	}
	return md
}

// ConfirmCustomerAgreement records that account signed the agreement; signing twice is harmless.
// AWS does not publish its agreement names, so every name is accepted.
func (s *Store) ConfirmCustomerAgreement(account, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.Contains(s.agreements[account], name) {
		s.agreements[account] = append(s.agreements[account], name)
	}
}
