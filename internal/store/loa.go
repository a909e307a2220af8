package store

import (
	"fmt"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/loa"
)

// LoaTarget says which kinds of resource an LOA operation accepts.
type LoaTarget int

const (
	// LoaAny is DescribeLoa: a dedicated connection, an interconnect or a LAG.
	LoaAny LoaTarget = iota
	// LoaConnection is DescribeConnectionLoa: a dedicated connection.
	LoaConnection
	// LoaInterconnect is DescribeInterconnectLoa: an interconnect.
	LoaInterconnect
)

// Loa writes the Letter of Authorization for a resource the caller owns and records the time
// it was issued. providerName, when given, names who orders the cross connect.
func (r *Region) Loa(c Caller, target LoaTarget, id, providerName string) ([]byte, error) {
	now := r.lock()
	defer r.unlock()
	notFound := connNotFound
	check := checkConnectionID
	if target == LoaInterconnect {
		notFound, check = interconnectNotFound, checkInterconnectID
	}
	if err := check(id); err != nil {
		return nil, err
	}
	letter := loa.Letter{ResourceID: id, OwnerAccount: c.Account, Issued: now}
	var conns []*Connection
	if l, ok := r.lags[id]; ok && l.Owner == c.Account && target == LoaAny {
		if !l.Deleted.IsZero() {
			return nil, dxerr.New(dxerr.Invalid, "LOA is not available for %s.", id)
		}
		for _, m := range l.members {
			conns = append(conns, r.conns[m])
		}
		l.LoaIssueTime = now
		letter.LocationCode, letter.LocationName, letter.ProviderName = l.Location.Code, l.Location.Name, l.ProviderName
	} else {
		kinds := map[LoaTarget][]Kind{LoaAny: {Dedicated, Interconnect, Hosted}, LoaConnection: {Dedicated, Hosted}, LoaInterconnect: {Interconnect}}[target]
		conn, ok := r.ownConn(c, id, kinds...)
		if !ok {
			if target == LoaAny && lagIDForm.MatchString(id) {
				return nil, lagNotFound(id) // a LAG id names a LAG, not a connection
			}
			return nil, notFound(id)
		}
		if conn.Kind == Hosted || !live(conn.State) || conn.State == StateDeleting {
			return nil, dxerr.New(dxerr.Invalid, "LOA is not available for %s.", id)
		}
		conns = []*Connection{conn}
		letter.LocationCode, letter.LocationName, letter.ProviderName = conn.Location.Code, conn.Location.Name, conn.ProviderName
	}
	if providerName != "" {
		letter.ProviderName = providerName
	}
	for _, conn := range conns {
		conn.LoaIssueTime = now
		p, _ := r.ports.Holder(conn.ID)
		letter.Ports = append(letter.Ports, loa.Port{
			ResourceID: conn.ID,
			Device:     conn.Device,
			PortID:     fmt.Sprintf("%s/%s/%d", p.Device, p.Speed, p.Index),
			Bandwidth:  conn.Bandwidth,
		})
	}
	return loa.PDF(letter), nil
}
