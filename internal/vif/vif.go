// Package vif holds the rules of virtual interfaces and their BGP peers that do not depend on
// stored state: the state tables, VLAN, name, ASN, MTU and auth-key rules, peer address
// allocation, route filter prefixes and router configuration texts.
package vif

import (
	"regexp"

	"github.com/dxlocal/dxlocal/internal/dxerr"
)

// Type is a virtual interface's type, as virtualInterfaceType spells it.
type Type string

// The three types of virtual interface.
const (
	Private Type = "private"
	Public  Type = "public"
	Transit Type = "transit"
)

// States of a virtual interface, as virtualInterfaceState spells them.
const (
	StateConfirming = "confirming"
	StateVerifying  = "verifying"
	StatePending    = "pending"
	StateAvailable  = "available"
	StateDown       = "down"
	StateTesting    = "testing"
	StateDeleting   = "deleting"
	StateDeleted    = "deleted"
	StateRejected   = "rejected"
)

// States of a BGP peer (bgpPeerState) and its session (bgpStatus).
const (
	PeerVerifying = "verifying"
	PeerPending   = "pending"
	PeerAvailable = "available"
	PeerDeleting  = "deleting"
	PeerDeleted   = "deleted"

	BGPUp   = "up"
	BGPDown = "down"
)

// Address families.
const (
	IPv4 = "ipv4"
	IPv6 = "ipv6"
)

// Live reports whether a VIF in state still holds its VLAN and addresses and counts toward the
// quotas: every state but deleted and rejected (confirming, verifying and deleting included).
func Live(state string) bool { return state != StateDeleted && state != StateRejected }

// Entry is the state a new VIF starts in: confirming when allocated to another account,
// otherwise the state a confirmed one takes.
func Entry(t Type, allocated bool) string {
	if allocated {
		return StateConfirming
	}
	return Confirmed(t)
}

// Confirmed is the state a VIF takes when its owner creates or confirms it: a public VIF's
// prefixes are verified first.
func Confirmed(t Type) string {
	if t == Public {
		return StateVerifying
	}
	return StatePending
}

// Next is the automatic change that follows state after one dwell, if any. confirming waits for
// the owner, available, down and rejected for a call, testing for its test to end.
func Next(state string) (string, bool) {
	switch state {
	case StateVerifying:
		return StatePending, true
	case StatePending:
		return StateAvailable, true
	case StateDeleting:
		return StateDeleted, true
	}
	return "", false
}

// AfterDelete is the state DeleteVirtualInterface moves a VIF in state to. Only the invited
// account can reject (a confirming VIF deleted by its owner); every other delete goes through
// deleting. A VIF already leaving stays as it is.
func AfterDelete(state string, byOwner bool) string {
	switch {
	case state == StateDeleting || state == StateDeleted:
		return state
	case state == StateConfirming && byOwner:
		return StateRejected
	case state == StateRejected && byOwner:
		return state
	}
	return StateDeleting
}

// Steady reports whether state is one a VIF rests in once provisioned (available or down):
// the states from which an update or a move may start.
func Steady(state string) bool { return state == StateAvailable || state == StateDown }

// TakesPeers reports whether CreateBGPPeer may add a peer to a VIF in state.
func TakesPeers(state string) bool {
	return state == StateAvailable || state == StateDown || state == StatePending
}

// PeerEntry is the state a new peer starts in: a public VIF's peer is verified first.
func PeerEntry(t Type) string {
	if t == Public {
		return PeerVerifying
	}
	return PeerPending
}

// PeerNext is the automatic change of a peer in state after one dwell. A deleting peer goes
// away (gone is true) rather than being listed deleted.
func PeerNext(state string) (next string, gone, ok bool) {
	switch state {
	case PeerVerifying:
		return PeerPending, false, true
	case PeerPending:
		return PeerAvailable, false, true
	case PeerDeleting:
		return "", true, true
	}
	return "", false, false
}

// MaxVLAN is the largest 802.1Q VLAN id a VIF may use.
const MaxVLAN = 4094

// CheckVLAN refuses a VLAN outside 1..4094.
func CheckVLAN(v int) error {
	if v < 1 || v > MaxVLAN {
		return dxerr.New(dxerr.Invalid, "vlan %d is not valid: it must be between 1 and %d.", v, MaxVLAN)
	}
	return nil
}

// namePattern is the CloudFormation pattern of virtualInterfaceName.
var namePattern = regexp.MustCompile(`^[\w \-_,/]{1,100}$`)

// CheckName refuses a name that is empty, longer than 100 characters or has other characters
// than letters, digits, space and -_,/.
func CheckName(name string) error {
	if !namePattern.MatchString(name) {
		return dxerr.New(dxerr.Invalid, "virtualInterfaceName %q is not valid: 1 to 100 letters, digits, spaces or -_,/.", name)
	}
	return nil
}

// CheckAuthKey refuses a BGP auth key shorter than 6 or longer than 80 characters.
func CheckAuthKey(key string) error {
	if n := len(key); n < 6 || n > 80 {
		return dxerr.New(dxerr.Invalid, "authKey %q is not valid: it must be 6 to 80 characters long.", key)
	}
	return nil
}

// AddressFamily checks an addressFamily member; absent means ipv4.
func AddressFamily(af *string) (string, error) {
	if af == nil {
		return IPv4, nil
	}
	if *af != IPv4 && *af != IPv6 {
		return "", dxerr.New(dxerr.Invalid, "addressFamily %s is not valid. Valid values: ipv4, ipv6.", *af)
	}
	return *af, nil
}
