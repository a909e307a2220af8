package api_test

// Regression tests for what HashiCorp's AWS provider for Terraform needs from dxlocal
// (examples/terraform runs the provider itself).

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

// The provider's documented aws_dx_lag + aws_dx_connection + aws_dx_connection_association
// creates the LAG and the connection side by side, in either order, deletes the member CreateLag
// made, then associates: both must land on one device whatever the order.
func TestTerraformLagAndConnectionLandOnOneDevice(t *testing.T) {
	for _, order := range []string{"lag first", "connection first"} {
		t.Run(order, func(t *testing.T) {
			e := newEnv(t)
			dx := e.client(owner)
			var l *directconnect.CreateLagOutput
			var c *directconnect.CreateConnectionOutput
			if order == "lag first" {
				l = createLag(t, dx, "TstA1", "10Gbps", 1)
				c = createConnection(t, dx, "TstA1", "10Gbps") // while the LAG's own member still holds a port
			} else {
				c = createConnection(t, dx, "TstA1", "10Gbps")
				l = createLag(t, dx, "TstA1", "10Gbps", 1)
			}
			if aws.ToString(c.AwsDeviceV2) != aws.ToString(l.AwsDeviceV2) {
				t.Fatalf("connection on %s, LAG on %s", aws.ToString(c.AwsDeviceV2), aws.ToString(l.AwsDeviceV2))
			}
			// The provider deletes the unmanaged member: the LAG is left with none.
			if _, err := dx.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: l.Connections[0].ConnectionId}); err != nil {
				t.Fatal(err)
			}
			got, err := dx.DescribeLags(ctx, &directconnect.DescribeLagsInput{LagId: l.LagId})
			if err != nil {
				t.Fatal(err)
			}
			if got.Lags[0].NumberOfConnections != 0 || len(got.Lags[0].Connections) != 0 {
				t.Fatalf("LAG after its member's deletion: %d members", got.Lags[0].NumberOfConnections)
			}
			a, err := dx.AssociateConnectionWithLag(ctx, &directconnect.AssociateConnectionWithLagInput{ConnectionId: c.ConnectionId, LagId: l.LagId})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToString(a.LagId) != aws.ToString(l.LagId) {
				t.Fatalf("lagId %q", aws.ToString(a.LagId))
			}
		})
	}
}

// The preference for a LAG's device does not stop spreading: another account's connection, a
// connection of another speed and a LAG of another speed still go to the least used device.
func TestLagDevicePreferenceIsNarrow(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	l := createLag(t, dx, "TstA1", "10Gbps", 1) // A1
	if c := createConnection(t, e.client(other), "TstA1", "10Gbps"); aws.ToString(c.AwsDeviceV2) != deviceA2 {
		t.Fatalf("another account's connection on %s, want %s", aws.ToString(c.AwsDeviceV2), deviceA2)
	}
	if c := createConnection(t, dx, "TstA1", "10Gbps"); aws.ToString(c.AwsDeviceV2) != aws.ToString(l.AwsDeviceV2) {
		t.Fatalf("the owner's connection on %s, its LAG on %s", aws.ToString(c.AwsDeviceV2), aws.ToString(l.AwsDeviceV2))
	}
	// A1 has four 10G ports: with the LAG's member and three connections there, the next 10G
	// port goes to A2 although the LAG has room.
	createConnection(t, dx, "TstA1", "10Gbps")
	createConnection(t, dx, "TstA1", "10Gbps")
	if c := createConnection(t, dx, "TstA1", "10Gbps"); aws.ToString(c.AwsDeviceV2) != deviceA2 {
		t.Fatalf("connection with A1 full on %s, want %s", aws.ToString(c.AwsDeviceV2), deviceA2)
	}
}

// The provider before 6.5 reads aws_dx_hosted_connection with DescribeHostedConnections given
// the hosted connection's own id (hashicorp/terraform-provider-aws#43499): the partner that
// allocated it gets that one connection, without the customer's tags; anyone else still the
// error AWS answers for an id that is not their interconnect or LAG.
func TestPartnerDescribesAHostedConnectionByItsID(t *testing.T) {
	e := newEnv(t, withPartners(partner))
	p, cu := e.client(partner), e.client(customer)
	ic := createInterconnect(t, p, "TstB1", "10Gbps")
	h, err := p.AllocateHostedConnection(ctx, &directconnect.AllocateHostedConnectionInput{
		ConnectionId: ic.InterconnectId, OwnerAccount: aws.String(customer), Bandwidth: aws.String("500Mbps"),
		ConnectionName: aws.String("hc"), Vlan: 101,
		Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.DescribeHostedConnections(ctx, &directconnect.DescribeHostedConnectionsInput{ConnectionId: h.ConnectionId})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Connections) != 1 {
		t.Fatalf("%d connections, want the one", len(got.Connections))
	}
	c := got.Connections[0]
	if aws.ToString(c.ConnectionId) != aws.ToString(h.ConnectionId) || c.ConnectionState != types.ConnectionStateOrdering ||
		aws.ToString(c.OwnerAccount) != customer || c.Vlan != 101 || len(c.Tags) != 0 || aws.ToString(c.Region) != usEast {
		t.Fatalf("hosted connection %+v", c)
	}
	_, err = cu.DescribeHostedConnections(ctx, &directconnect.DescribeHostedConnectionsInput{ConnectionId: h.ConnectionId})
	wantAPIError(t, err, "DirectConnectClientException", customer+" DescribeHostedConnections failed for connection "+aws.ToString(h.ConnectionId)+" doesn't exist.")

	// Deleted by the partner: answered deleted while retained, which the provider takes as gone.
	if _, err := p.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: h.ConnectionId}); err != nil {
		t.Fatal(err)
	}
	got, err = p.DescribeHostedConnections(ctx, &directconnect.DescribeHostedConnectionsInput{ConnectionId: h.ConnectionId})
	if err != nil {
		t.Fatal(err)
	}
	if got.Connections[0].ConnectionState != types.ConnectionStateDeleted {
		t.Fatalf("after DeleteConnection: %s", got.Connections[0].ConnectionState)
	}
}
