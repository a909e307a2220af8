package store

import (
	"math/rand/v2"

	"github.com/dxlocal/dxlocal/internal/vif"
)

// attachVIF creates a private or transit VIF of c's attached to Direct Connect gateway gw, on
// c's first available connection at LocA (made and set available first when there is none).
func attachVIF(s *Store, c Caller, gw string, kind AttachmentKind, rng *rand.Rand) (string, error) {
	r := s.Region(c.Region)
	conn := ""
	for _, res := range s.Resources(ResourceFilter{Account: c.Account, Region: c.Region, Type: TypeConnection}) {
		if res.State == StateAvailable {
			conn = res.ID
			break
		}
	}
	if conn == "" {
		made, err := r.CreateConnection(c, NewConnection{Location: "LocA", Bandwidth: "1Gbps", Name: "c"})
		if err != nil {
			return "", err
		}
		available := StateAvailable
		if _, err := s.ControlResource(made.ID, Control{State: &available}); err != nil {
			return "", err
		}
		conn = made.ID
	}
	t := vif.Private
	if kind == AttachTransit {
		t = vif.Transit
	}
	name, vlan, asn := "v", int32(1+rng.IntN(4094)), int32(65000)
	v, err := r.CreateVIF(c, NewVIF{Type: t, ConnectionID: conn, Name: &name, VLAN: &vlan, ASN: &asn, DXGatewayID: &gw})
	if err != nil {
		return "", err
	}
	return v.ID, nil
}
