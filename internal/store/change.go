package store

import "time"

// Resource types as the admin API and the journal name them.
const (
	TypeConnection           = "connection"
	TypeHostedConnection     = "hostedConnection"
	TypeInterconnect         = "interconnect"
	TypeLag                  = "lag"
	TypeVirtualInterface     = "virtualInterface"
	TypeDirectConnectGateway = "directConnectGateway"
	TypeGatewayAssociation   = "gatewayAssociation"
	TypeAssociationProposal  = "associationProposal"
)

// Causes of a state change.
const (
	CauseCall    = "call"    // an API call made it
	CauseClock   = "clock"   // an automatic change whose time came
	CauseControl = "control" // the admin API's resource control
)

// Change is one state change of one resource. Every resource family reports each change of
// its state through Store.emit, in the order the changes happen.
type Change struct {
	At         time.Time
	ResourceID string
	Type       string
	Account    string
	Region     string
	From, To   string
	Cause      string
}

// emit hands c to Options.OnChange. It is called with the lock of the resource's region (or of
// the global gateways) held, so the observer must be quick and must not call back into the store.
func (s *Store) emit(c Change) {
	if s.opts.OnChange != nil {
		s.opts.OnChange(c)
	}
}
