package api_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

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
