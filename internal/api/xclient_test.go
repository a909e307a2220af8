package api_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

// TestDXGatewayTagRefusalsAreClientExceptions: the model lists only DirectConnectClientException
// and DirectConnectServerException for CreateDirectConnectGateway, so a repeated tag key or too
// many tags must come back as a DirectConnectClientException. SDKs that know the errors per
// operation (and tools that match the type, like the AWS provider for Terraform) would otherwise
// get an error of a type the operation cannot return.
func TestDXGatewayTagRefusalsAreClientExceptions(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	many := make([]types.Tag, 51)
	for i := range many {
		many[i] = types.Tag{Key: aws.String(fmt.Sprintf("k%d", i)), Value: aws.String("v")}
	}
	cases := []struct {
		name string
		tags []types.Tag
		want string
	}{
		{"duplicate key", []types.Tag{{Key: aws.String("k"), Value: aws.String("1")}, {Key: aws.String("k"), Value: aws.String("2")}}, "k"},
		{"too many", many, "50"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := dx.CreateDirectConnectGateway(ctx, &directconnect.CreateDirectConnectGatewayInput{
				DirectConnectGatewayName: aws.String("tagged"), Tags: c.tags,
			})
			var ce *types.DirectConnectClientException
			if !errors.As(err, &ce) {
				t.Fatalf("want DirectConnectClientException, got %T: %v", err, err)
			}
			wantAPIError(t, err, "DirectConnectClientException", c.want)
			out, err := dx.DescribeDirectConnectGateways(ctx, &directconnect.DescribeDirectConnectGatewaysInput{})
			if err != nil || len(out.DirectConnectGateways) != 0 {
				t.Fatalf("a refused create left a gateway: %+v %v", out, err)
			}
		})
	}
}

// TestCustomerRouterConfigEndsWithNewline: every customerRouterConfig the real service has
// been seen to return (the AWS CLI's examples for private, public and transit VIFs) ends with
// a newline after </logical_connection>, on the create answer and on every later read.
func TestCustomerRouterConfigEndsWithNewline(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.availableConnection(owner)
	created, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{
		ConnectionId: aws.String(conn), NewPrivateVirtualInterface: privateVIF(101, vgwA)})
	if err != nil {
		t.Fatal(err)
	}
	read := e.describeVIF(dx, aws.ToString(created.VirtualInterfaceId))
	for name, xml := range map[string]string{"create": aws.ToString(created.CustomerRouterConfig), "describe": aws.ToString(read.CustomerRouterConfig)} {
		if !strings.HasSuffix(xml, "</connection_type>\n</logical_connection>\n") {
			t.Fatalf("%s: customerRouterConfig does not end with a newline after </logical_connection>: %q", name, xml)
		}
	}
}

// TestProposedMessagesVerbatim: where behaviour.md proposes a message, the refusal carries that
// sentence whole, full stop included, so that a client matching the proposed text finds it;
// the values it does not name follow in a second sentence.
func TestProposedMessagesVerbatim(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.availableConnection(owner)
	if _, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{
		ConnectionId: aws.String(conn), NewPrivateVirtualInterface: privateVIF(101, vgwA)}); err != nil {
		t.Fatal(err)
	}
	gw := e.newDXGateway(owner, 64512)
	prefixes := func(cidr string) []types.RouteFilterPrefix {
		return []types.RouteFilterPrefix{{Cidr: aws.String(cidr)}}
	}
	if _, err := dx.CreateDirectConnectGatewayAssociation(ctx, &directconnect.CreateDirectConnectGatewayAssociationInput{
		DirectConnectGatewayId: aws.String(gw), GatewayId: aws.String("tgw-0aaaaaaaaaaaaaaa1"),
		AddAllowedPrefixesToDirectConnectGateway: prefixes("10.0.0.0/16")}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		call  func() error
		parts []string
	}{
		{"addresses in different subnets", func() error {
			in := privateVIF(102, vgwA)
			in.AmazonAddress, in.CustomerAddress = aws.String("169.254.10.1/30"), aws.String("169.254.11.2/30")
			_, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: in})
			return err
		}, []string{"Amazon address and customer address must be in the same subnet.", "169.254.10.1/30", "169.254.11.2/30"}},
		{"gateway ASN outside the private ranges", func() error {
			_, err := dx.CreateDirectConnectGateway(ctx, &directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String("g"), AmazonSideAsn: aws.Int64(7224)})
			return err
		}, []string{"amazonSideAsn 7224 is not in a valid private ASN range.", "64512-65534"}},
		{"overlapping allowed prefixes", func() error {
			_, err := dx.CreateDirectConnectGatewayAssociation(ctx, &directconnect.CreateDirectConnectGatewayAssociationInput{
				DirectConnectGatewayId: aws.String(gw), GatewayId: aws.String("tgw-0aaaaaaaaaaaaaaa2"),
				AddAllowedPrefixesToDirectConnectGateway: prefixes("10.0.1.0/24")})
			return err
		}, []string{"The allowed prefixes overlap one or more existing allowed prefixes on the Direct Connect gateway.", "10.0.1.0/24", "10.0.0.0/16"}},
		{"reserved tag key", func() error {
			in := privateVIF(103, vgwA)
			in.Tags = []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("1")}}
			_, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: aws.String(conn), NewPrivateVirtualInterface: in})
			return err
		}, []string{"Tag keys with the aws: prefix are reserved.", "aws:x"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			var ce *types.DirectConnectClientException
			if !errors.As(err, &ce) {
				t.Fatalf("want DirectConnectClientException, got %v", err)
			}
			wantAPIError(t, err, clientErr, c.parts...)
		})
	}
}

// TestAssociateWhileGatewayPending: the Ansible directconnect_gateway module creates a gateway
// and associates a virtual private gateway with it in the next call, without waiting, then reads
// the association back expecting associating. So a pending gateway takes an association, which
// is associating at once and associated one dwell later, when the gateway is available too.
func TestAssociateWhileGatewayPending(t *testing.T) {
	e := newEnv(t, withDwell(time.Minute))
	dx := e.client(owner)
	created, err := dx.CreateDirectConnectGateway(ctx, &directconnect.CreateDirectConnectGatewayInput{
		DirectConnectGatewayName: aws.String("ansible"), AmazonSideAsn: aws.Int64(64600)})
	if err != nil || created.DirectConnectGateway.DirectConnectGatewayState != types.DirectConnectGatewayStatePending {
		t.Fatalf("create: %+v %v", created, err)
	}
	gw := created.DirectConnectGateway.DirectConnectGatewayId
	assoc, err := dx.CreateDirectConnectGatewayAssociation(ctx, &directconnect.CreateDirectConnectGatewayAssociationInput{
		DirectConnectGatewayId: gw, VirtualGatewayId: aws.String(vgwA)})
	if err != nil {
		t.Fatalf("associating a pending gateway: %v", err)
	}
	read := func() types.DirectConnectGatewayAssociationState {
		out, err := dx.DescribeDirectConnectGatewayAssociations(ctx, &directconnect.DescribeDirectConnectGatewayAssociationsInput{
			DirectConnectGatewayId: gw, VirtualGatewayId: aws.String(vgwA)})
		if err != nil || len(out.DirectConnectGatewayAssociations) != 1 {
			t.Fatalf("describe: %+v %v", out, err)
		}
		return out.DirectConnectGatewayAssociations[0].AssociationState
	}
	if s := assoc.DirectConnectGatewayAssociation.AssociationState; s != types.DirectConnectGatewayAssociationStateAssociating || read() != s {
		t.Fatalf("want associating at once, got %s", s)
	}
	e.clock.Advance(time.Minute)
	if s := read(); s != types.DirectConnectGatewayAssociationStateAssociated {
		t.Fatalf("want associated one dwell later, got %s", s)
	}
	gws, err := dx.DescribeDirectConnectGateways(ctx, &directconnect.DescribeDirectConnectGatewaysInput{DirectConnectGatewayId: gw})
	if err != nil || gws.DirectConnectGateways[0].DirectConnectGatewayState != types.DirectConnectGatewayStateAvailable {
		t.Fatalf("gateway: %+v %v", gws, err)
	}
}
