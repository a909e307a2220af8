package store

import (
	"time"

	"github.com/dxlocal/dxlocal/internal/dxgw"
	"github.com/dxlocal/dxlocal/internal/gateway"
)

// Proposal is another account's proposal to associate its VGW or TGW with a DX gateway, or to
// change the allowed prefixes of such an association. Values handed out are copies.
type Proposal struct {
	ID           string
	GatewayID    string
	GatewayOwner string
	Associated   gateway.Record
	State        string
	// Add and Remove are the prefixes the proposer asked to add and remove.
	Add, Remove dxgw.Prefixes
	// Existing are the prefixes of the association the proposal would update; nil for a
	// proposal of a new association.
	Existing dxgw.Prefixes

	created time.Time
	since   time.Time
}
