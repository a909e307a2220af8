package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

// TestDXGatewayTags: a gateway's tags by its global ARN (no region), as the AWS provider
// builds it from STS; DescribeTags answers gateways and regional resources in one call.
func TestDXGatewayTags(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	created, err := dx.CreateDirectConnectGateway(ctx, &directconnect.CreateDirectConnectGatewayInput{
		DirectConnectGatewayName: aws.String("tagged"),
		Tags:                     []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(created.DirectConnectGateway.DirectConnectGatewayId)
	arn := "arn:aws:directconnect::" + owner + ":dx-gateway/" + id
	if _, err := dx.TagResource(ctx, &directconnect.TagResourceInput{ResourceArn: aws.String(arn), Tags: []types.Tag{{Key: aws.String("b"), Value: aws.String("2")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := dx.UntagResource(ctx, &directconnect.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	conn, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"), ConnectionName: aws.String("c")})
	if err != nil {
		t.Fatal(err)
	}
	connARN := "arn:aws:directconnect:us-east-1:" + owner + ":dxcon/" + aws.ToString(conn.ConnectionId)
	out, err := dx.DescribeTags(ctx, &directconnect.DescribeTagsInput{ResourceArns: []string{arn, connARN}})
	if err != nil || len(out.ResourceTags) != 2 || aws.ToString(out.ResourceTags[0].ResourceArn) != arn ||
		len(out.ResourceTags[0].Tags) != 1 || aws.ToString(out.ResourceTags[0].Tags[0].Key) != "b" || out.ResourceTags[1].Tags == nil {
		t.Fatalf("describe tags: %+v %v", out, err)
	}
	if g, _ := e.readDXGW(owner, id); len(g.Tags) != 1 || aws.ToString(g.Tags[0].Key) != "b" {
		t.Fatalf("gateway tags %+v", g.Tags)
	}
	for _, bad := range []struct{ account, arn string }{
		{other, "arn:aws:directconnect::" + other + ":dx-gateway/" + id},
		{other, arn},
		{owner, "arn:aws:directconnect:us-east-1:" + owner + ":dx-gateway/" + id},
	} {
		_, err := e.client(bad.account).TagResource(ctx, &directconnect.TagResourceInput{ResourceArn: aws.String(bad.arn), Tags: []types.Tag{{Key: aws.String("x"), Value: aws.String("y")}}})
		wantDXRefusal(t, err, "Resource "+bad.arn+" does not exist.")
	}
	_, err = dx.TagResource(ctx, &directconnect.TagResourceInput{ResourceArn: aws.String(arn), Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("y")}}})
	wantDXRefusal(t, err, "aws:")
}
