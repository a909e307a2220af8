package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"

	"github.com/dxlocal/dxlocal/internal/snapshot"
)

// availableConnection creates a dedicated connection of account's in usEast and sets it
// available through the resource control, without moving the clock.
func (e *env) availableConnection(account string) string {
	e.t.Helper()
	c, err := e.client(account).CreateConnection(ctx, &directconnect.CreateConnectionInput{Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"), ConnectionName: aws.String("c")})
	if err != nil {
		e.t.Fatal(err)
	}
	id := aws.ToString(c.ConnectionId)
	if status, m := e.admin("POST", "/resources/"+id, `{"state":"available"}`); status != 200 {
		e.t.Fatalf("connection %s available: %d %v", id, status, m)
	}
	return id
}

// addAttachedVIF adds to a state document an available private VIF id of owner's, attached to
// Direct Connect gateway gw, on owner's first available connection in usEast.
func addAttachedVIF(t *testing.T, st *snapshot.State, id, gw string, at time.Time) {
	t.Helper()
	for i := range st.Regions {
		r := &st.Regions[i]
		if r.Name != usEast {
			continue
		}
		for _, c := range r.Connections {
			if c.OwnerAccount != owner || c.State != "available" || c.Type != "connection" {
				continue
			}
			st.Sequence++
			r.VirtualInterfaces = append(r.VirtualInterfaces, snapshot.VirtualInterface{
				Order: st.Sequence, ID: id, Type: "private", Name: "attached", OwnerAccount: owner, ConnectionOwnerAccount: owner,
				ConnectionID: c.ID, Location: c.Location, Device: c.Device, VLAN: 4000, AmazonSideAsn: 64512,
				DirectConnectGatewayID: gw, MTU: 1500, JumboFrameCapable: true, State: "available", Since: at,
				Peers: []snapshot.BGPPeer{{ID: "dxpeer-ffaa0001", ASN: 65000, AuthKey: "0xabcdefabcdef", AddressFamily: "ipv4",
					AmazonAddress: "169.254.200.1/30", CustomerAddress: "169.254.200.2/30", State: "available", Since: at}},
			})
			return
		}
	}
	t.Fatal("no available connection of the owner in the state")
}
