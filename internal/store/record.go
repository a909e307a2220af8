package store

import (
	"slices"
	"time"

	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/tag"
)

// States of connections, interconnects and LAGs, as the API spells them.
const (
	StateOrdering  = "ordering"
	StateRequested = "requested"
	StatePending   = "pending"
	StateAvailable = "available"
	StateDown      = "down"
	StateDeleting  = "deleting"
	StateDeleted   = "deleted"
	StateRejected  = "rejected"
)

// autoNext is the automatic state change that follows state after one dwell, if any.
// ordering waits for the customer, available and down for a person.
func autoNext(state string) (string, bool) {
	switch state {
	case StateRequested:
		return StatePending, true
	case StatePending:
		return StateAvailable, true
	case StateDeleting:
		return StateDeleted, true
	}
	return "", false
}

// live reports whether a resource in state still exists for AWS (holds its port, VLAN, name).
func live(state string) bool { return state != StateDeleted && state != StateRejected }

// Kind tells apart the three things that share the dxcon- id space.
type Kind uint8

const (
	Dedicated Kind = iota + 1
	Hosted
	Interconnect
)

// resourceType is the kind's name in the admin API and the journal.
func (k Kind) resourceType() string {
	switch k {
	case Hosted:
		return TypeHostedConnection
	case Interconnect:
		return TypeInterconnect
	}
	return TypeConnection
}

// Connection is a dedicated connection, a hosted connection or an interconnect.
// Values handed out of the store are copies.
type Connection struct {
	ID   string
	Kind Kind
	Name string
	// Owner is the ownerAccount: the creator of a dedicated connection or interconnect, the
	// customer of a hosted connection.
	Owner     string
	Region    string
	Location  *location.Location
	Bandwidth string
	Device    string
	State     string
	LagID     string
	// Partner, ParentID, VLAN and ParentMacSec are set on hosted connections only:
	// Partner is the account that owns the parent interconnect or LAG.
	Partner      string
	ParentID     string
	VLAN         int
	ParentMacSec bool
	ProviderName string
	PartnerName  string
	// MacSecCapable is set when the connection was requested with MACsec.
	MacSecCapable  bool
	EncryptionMode string
	MacSecKeys     []MacSecKey
	LoaIssueTime   time.Time
	Tags           []tag.Tag

	created time.Time
	// since is when State was entered, or when a hold on it was released: the start of the dwell
	// of its next automatic change.
	since time.Time
	// order is the connection's place in the creation order of every resource.
	order uint64
	// held stops its automatic changes (the admin API's hold).
	held bool
	// transitionUntil is the end of the dwell after a LAG (dis)association, during which
	// the connection cannot be moved or deleted.
	transitionUntil time.Time
}

// JumboFrameCapable is false until the port is ready, then the device's value (true).
func (c *Connection) JumboFrameCapable() bool {
	return c.State != StateRequested && c.State != StateOrdering
}

// HasLogicalRedundancy is unknown until the port is ready, then the device's value (no).
func (c *Connection) HasLogicalRedundancy() string {
	if !c.JumboFrameCapable() {
		return "unknown"
	}
	return "no"
}

// PortEncryptionStatus is "Encryption Up" once the port is available with an associated
// MACsec key and encryption asked for, else "Encryption Down".
func (c *Connection) PortEncryptionStatus() string {
	if c.State == StateAvailable && c.EncryptionMode != "no_encrypt" && hasAssociatedKey(c.MacSecKeys) {
		return "Encryption Up"
	}
	return "Encryption Down"
}

func (c *Connection) clone() Connection {
	out := *c
	out.Tags = slices.Clone(c.Tags)
	out.MacSecKeys = slices.Clone(c.MacSecKeys)
	return out
}

// Lag is a link aggregation group of dedicated connections or of interconnects.
type Lag struct {
	ID                      string
	Name                    string
	Owner                   string
	Region                  string
	Location                *location.Location
	Bandwidth               string
	Device                  string
	MinimumLinks            int
	AllowsHostedConnections bool
	ProviderName            string
	MacSecCapable           bool
	EncryptionMode          string
	MacSecKeys              []MacSecKey
	LoaIssueTime            time.Time
	Tags                    []tag.Tag
	// Deleted is when DeleteLag ran; zero while the LAG lives.
	Deleted time.Time
	// members are the ids of the member connections in the order they joined.
	members []string
	created time.Time
	// order is the LAG's place in the creation order of every resource.
	order uint64
	// pendingFrom, when set, replaces created as the start of the LAG's pending dwell: a hold
	// released while the LAG was pending restarts it.
	pendingFrom time.Time
	// held stops its automatic change (pending -> derived); heldPending says it was pending
	// when held, and so stays pending until released.
	held, heldPending bool
	// settling is set through the LAG's first dwell, until a settle has seen it end.
	settling bool
	// reported is the derived state last reported to the observer of changes.
	reported string
}

// LagView is a copy of a LAG with what is derived from its members at the time of the read.
type LagView struct {
	Lag
	State   string
	Members []Connection
}

// JumboFrameCapable is false while the LAG is pending, then the device's value.
func (v *LagView) JumboFrameCapable() bool {
	return v.State != StatePending && v.State != StateRequested
}

// HasLogicalRedundancy is unknown while the LAG is pending, then the device's value (no).
func (v *LagView) HasLogicalRedundancy() string {
	if !v.JumboFrameCapable() {
		return "unknown"
	}
	return "no"
}

// MacSecKey is a MACsec secret associated with a connection, interconnect or LAG.
type MacSecKey struct {
	SecretARN string
	CKN       string
	// State is associating, associated, disassociating or disassociated.
	State   string
	StartOn time.Time
	since   time.Time
}

// MACsec key states.
const (
	KeyAssociating    = "associating"
	KeyAssociated     = "associated"
	KeyDisassociating = "disassociating"
)

func hasAssociatedKey(keys []MacSecKey) bool {
	for _, k := range keys {
		if k.State == KeyAssociated {
			return true
		}
	}
	return false
}
