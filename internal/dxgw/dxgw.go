// Package dxgw holds the rules of Direct Connect gateways that do not depend on stored state:
// the Amazon-side ASN ranges, gateway names, allowed-prefix parsing, overlap and diffing, the
// automatic steps of each state machine (gateway, association, proposal, attachment) and the
// proposal's expiry.
package dxgw

import (
	"net/netip"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/limit"
)

// DefaultASN is the Amazon-side ASN of a gateway created without one.
const DefaultASN = 64512

// The private ASN ranges a Direct Connect gateway may take (behaviour.md §5.6). AWS once gave
// gateways its public ASN 7224; it refuses that now.
const (
	minASN16 = 64512
	maxASN16 = 65534
	minASN32 = 4200000000
	maxASN32 = 4294967294
)

// MaxNameLength is the longest gateway name accepted.
const MaxNameLength = 100

// ProposalLifetime is how long a requested proposal waits for its acceptance before AWS
// deletes it; ProposalRetention how long an accepted or deleted proposal stays visible.
const (
	ProposalLifetime  = 7 * 24 * time.Hour
	ProposalRetention = 3 * 24 * time.Hour
)

// CheckASN refuses an Amazon-side ASN outside the private ranges.
func CheckASN(asn int64) error {
	if (asn >= minASN16 && asn <= maxASN16) || (asn >= minASN32 && asn <= maxASN32) {
		return nil
	}
	return dxerr.New(dxerr.Invalid, "amazonSideAsn %d is not in a valid private ASN range. The ranges are %d-%d and %d-%d.", asn, minASN16, maxASN16, minASN32, maxASN32)
}

// CheckName refuses an empty or overlong gateway name; member is the request member that carried it.
func CheckName(member, name string) error {
	if name == "" || strings.TrimSpace(name) == "" {
		return dxerr.New(dxerr.Invalid, "%s is required.", member)
	}
	if n := utf8.RuneCountInString(name); n > MaxNameLength {
		return dxerr.New(dxerr.Invalid, "%s %s is too long: %d characters, at most %d.", member, name, n, MaxNameLength)
	}
	return nil
}

// idForm is a gateway, association or proposal id: a lowercase UUID (AWS's examples end in
// "EXAMPLE" in capitals, so letters of either case are taken).
var idForm = regexp.MustCompile(`^[0-9A-Za-z]{8}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{12}$`)

// arnForm is a gateway's ARN, which AWS takes wherever it takes the gateway's id.
var arnForm = regexp.MustCompile(`^arn:aws:directconnect::\d{12}:dx-gateway/(.+)$`)

// ValidID reports whether v has the form of a gateway, association or proposal id.
func ValidID(v string) bool { return idForm.MatchString(v) }

// GatewayID returns the gateway id that v names: v itself, or the id inside a gateway ARN. It
// refuses anything else.
func GatewayID(v string) (string, error) {
	if m := arnForm.FindStringSubmatch(v); m != nil {
		v = m[1]
	}
	if !ValidID(v) {
		return "", dxerr.New(dxerr.Invalid, "Direct Connect gateway ID %s has an invalid format.", v)
	}
	return v, nil
}

// Prefixes are the allowed prefixes of an association, canonical and without repeats, in the
// order they were first given.
type Prefixes []string

// ParsePrefixes checks every CIDR of a request member and returns them canonical (the network
// address, lowercase) without repeats. A host address with its bits set beyond the mask, like
// 10.0.0.1/16, is refused: AWS wants the network. A list longer than limit.Prefixes is refused
// before any is parsed.
func ParsePrefixes(member string, cidrs []string) (Prefixes, error) {
	if len(cidrs) > limit.Prefixes {
		return nil, dxerr.New(dxerr.Limit, "%s has %d prefixes; at most %d are taken in one request.", member, len(cidrs), limit.Prefixes)
	}
	out := make(Prefixes, 0, len(cidrs))
	seen := make(map[string]bool, len(cidrs))
	for _, c := range cidrs {
		p, err := netip.ParsePrefix(c)
		if err != nil || p.Masked() != p {
			return nil, dxerr.New(dxerr.Invalid, "%s cidr %s is not a valid network in CIDR notation.", member, c)
		}
		s := p.String()
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out, nil
}

// Apply returns p with add appended (those not in p already) and remove taken out; removing a
// prefix p lacks is not an error.
func (p Prefixes) Apply(add, remove Prefixes) Prefixes {
	drop := make(map[string]bool, len(remove)+len(p)+len(add))
	for _, x := range remove {
		drop[x] = true
	}
	out := make(Prefixes, 0, len(p)+len(add))
	for _, list := range []Prefixes{p, add} {
		for _, x := range list {
			if !drop[x] {
				drop[x] = true // taken: a repeat is not taken again
				out = append(out, x)
			}
		}
	}
	return out
}

// Overlap returns the first pair of prefixes, one of a and one of b, that share addresses.
func Overlap(a, b Prefixes) (string, string, bool) {
	for _, x := range a {
		px := netip.MustParsePrefix(x)
		for _, y := range b {
			if px.Overlaps(netip.MustParsePrefix(y)) {
				return x, y, true
			}
		}
	}
	return "", "", false
}

// States of a Direct Connect gateway.
const (
	GatewayPending   = "pending"
	GatewayAvailable = "available"
	GatewayDeleting  = "deleting"
	GatewayDeleted   = "deleted"
)

// States of a gateway association.
const (
	AssociationAssociating    = "associating"
	AssociationAssociated     = "associated"
	AssociationUpdating       = "updating"
	AssociationDisassociating = "disassociating"
	AssociationDisassociated  = "disassociated"
)

// States of an association proposal.
const (
	ProposalRequested = "requested"
	ProposalAccepted  = "accepted"
	ProposalDeleted   = "deleted"
)

// States of a gateway attachment.
const (
	AttachmentAttaching = "attaching"
	AttachmentAttached  = "attached"
	AttachmentDetaching = "detaching"
	AttachmentDetached  = "detached"
)

// GatewayNext is the state a gateway in state moves to by itself after one dwell. A deleting
// gateway goes to deleted, unless associations remain (the store decides; see GatewayBlocked).
func GatewayNext(state string) (string, bool) {
	switch state {
	case GatewayPending:
		return GatewayAvailable, true
	case GatewayDeleting:
		return GatewayDeleted, true
	}
	return "", false
}

// AssociationNext is the state an association in state moves to by itself after one dwell.
func AssociationNext(state string) (string, bool) {
	switch state {
	case AssociationAssociating, AssociationUpdating:
		return AssociationAssociated, true
	case AssociationDisassociating:
		return AssociationDisassociated, true
	}
	return "", false
}

// AttachmentNext is the state an attachment in state moves to by itself after one dwell.
func AttachmentNext(state string) (string, bool) {
	switch state {
	case AttachmentAttaching:
		return AttachmentAttached, true
	case AttachmentDetaching:
		return AttachmentDetached, true
	}
	return "", false
}

// HoldsGateway reports whether an association in state keeps its gateway from being deleted:
// disassociating and disassociated ones are leaving and cannot come back.
func HoldsGateway(associationState string) bool {
	switch associationState {
	case AssociationAssociating, AssociationAssociated, AssociationUpdating:
		return true
	}
	return false
}

// LiveAttachment reports whether an attachment in state binds its VIF to the gateway (and
// blocks the gateway's deletion); a detaching one does not, since its VIF's deletion cannot
// be undone.
func LiveAttachment(state string) bool {
	return state == AttachmentAttaching || state == AttachmentAttached
}

// ProposalExpiry is when a proposal requested at created is deleted unless accepted first.
func ProposalExpiry(created time.Time) time.Time { return created.Add(ProposalLifetime) }
