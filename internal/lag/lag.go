// Package lag holds the rules of link aggregation groups that do not depend on stored state:
// member limits per speed, the minimum-links bounds, and how a LAG's state follows its members.
package lag

import (
	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/location"
)

// MaxMembers is the largest number of connections a LAG of the given port speed may hold:
// four below 100 Gbps, two at 100 and 400 Gbps.
func MaxMembers(speed location.Speed) int {
	if speed.Mbps() >= 100000 {
		return 2
	}
	return 4
}

// CheckNumberOfConnections refuses a CreateLag member count outside 1..MaxMembers.
func CheckNumberOfConnections(n int, speed location.Speed) error {
	if max := MaxMembers(speed); n < 1 || n > max {
		return dxerr.New(dxerr.Invalid, "numberOfConnections must be between 1 and %d for %s.", max, speed)
	}
	return nil
}

// CheckRoom refuses adding one member to a LAG that already has members of speed.
func CheckRoom(lagID string, members int, speed location.Speed) error {
	if max := MaxMembers(speed); members+1 > max {
		return dxerr.New(dxerr.Limit, "Lag %s already has the maximum of %d connections for %s.", lagID, max, speed)
	}
	return nil
}

// CheckMinimumLinks refuses a minimumLinks value outside 0..members.
func CheckMinimumLinks(lagID string, value, members int) error {
	if value < 0 || value > members {
		return dxerr.New(dxerr.Invalid, "minimumLinks %d is not valid for Lag %s: it must be between 0 and its %d connections.", value, lagID, members)
	}
	return nil
}

// CheckRemoval refuses taking one member out of a LAG when that leaves fewer members than
// minimumLinks; the last member may always go (AWS lets a LAG be emptied).
func CheckRemoval(connID, lagID string, members, minimumLinks int) error {
	if members > 1 && members-1 < minimumLinks {
		return dxerr.New(dxerr.Invalid, "Removing %s would take LAG %s below its minimum links.", connID, lagID)
	}
	return nil
}

// Settled is the state of a LAG past its first dwell, derived from its members: available when
// at least max(1, minimumLinks) members are available, otherwise down (an empty LAG included).
func Settled(availableMembers, minimumLinks int) string {
	if availableMembers >= max(1, minimumLinks) {
		return "available"
	}
	return "down"
}
