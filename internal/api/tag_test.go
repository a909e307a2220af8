package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

func arnOf(region, account, kind, id string) *string {
	return aws.String("arn:aws:directconnect:" + region + ":" + account + ":" + kind + "/" + id)
}

func TestTagsOnConnectionsInterconnectsAndLags(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	c := createConnection(t, dx, "TstA1", "1Gbps")
	ic, err := dx.CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{InterconnectName: aws.String("ic"), Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps")})
	if err != nil {
		t.Fatal(err)
	}
	l := createLag(t, dx, "TstA1", "10Gbps", 1)
	arns := []*string{
		arnOf(usEast, owner, "dxcon", aws.ToString(c.ConnectionId)),
		arnOf(usEast, owner, "dxcon", aws.ToString(ic.InterconnectId)),
		arnOf(usEast, owner, "dxlag", aws.ToString(l.LagId)),
	}
	for _, arn := range arns {
		if _, err := dx.TagResource(ctx, &directconnect.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{
			{Key: aws.String("env"), Value: aws.String("dev")}, {Key: aws.String("team"), Value: aws.String("net")},
		}}); err != nil {
			t.Fatal(err)
		}
		if _, err := dx.TagResource(ctx, &directconnect.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := dx.UntagResource(ctx, &directconnect.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"team", "absent"}}); err != nil {
			t.Fatal(err)
		}
	}
	out, err := dx.DescribeTags(ctx, &directconnect.DescribeTagsInput{ResourceArns: []string{*arns[2], *arns[0], *arns[1]}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ResourceTags) != 3 || aws.ToString(out.ResourceTags[0].ResourceArn) != *arns[2] {
		t.Fatalf("resourceTags %+v", out.ResourceTags)
	}
	for _, rt := range out.ResourceTags {
		if len(rt.Tags) != 1 || aws.ToString(rt.Tags[0].Key) != "env" || aws.ToString(rt.Tags[0].Value) != "prod" {
			t.Fatalf("tags of %s: %+v", aws.ToString(rt.ResourceArn), rt.Tags)
		}
	}
	got, _ := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: c.ConnectionId})
	if len(got.Connections[0].Tags) != 1 {
		t.Fatalf("connection shows tags %+v", got.Connections[0].Tags)
	}
}

func TestTagRefusals(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	c := createConnection(t, dx, "TstA1", "1Gbps")
	id := aws.ToString(c.ConnectionId)
	mine := arnOf(usEast, owner, "dxcon", id)
	many := make([]types.Tag, 50)
	for i := range many {
		many[i] = types.Tag{Key: aws.String(string(rune('a'+i%26)) + string(rune('a'+i/26)))}
	}
	if _, err := dx.TagResource(ctx, &directconnect.TagResourceInput{ResourceArn: mine, Tags: many}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		arn  *string
		tags []types.Tag
		code string
		want string
	}{
		{"one too many", mine, []types.Tag{{Key: aws.String("z9")}}, "TooManyTagsException", "50"},
		{"duplicate keys", mine, []types.Tag{{Key: aws.String("k")}, {Key: aws.String("k")}}, "DuplicateTagKeysException", "k"},
		{"reserved prefix", mine, []types.Tag{{Key: aws.String("aws:cloudformation:stack")}}, "DirectConnectClientException", "aws:"},
		{"malformed ARN", aws.String("arn:aws:ec2:us-east-1:" + owner + ":vpc/vpc-1"), []types.Tag{{Key: aws.String("a")}}, "DirectConnectClientException", "has an invalid format"},
		{"another account's ARN", arnOf(usEast, other, "dxcon", id), []types.Tag{{Key: aws.String("a")}}, "DirectConnectClientException", "does not exist"},
		{"another region's ARN", arnOf(euWest, owner, "dxcon", id), []types.Tag{{Key: aws.String("a")}}, "DirectConnectClientException", "does not exist"},
		{"a LAG ARN for a connection", arnOf(usEast, owner, "dxlag", id), []types.Tag{{Key: aws.String("a")}}, "DirectConnectClientException", "does not exist"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dx.TagResource(ctx, &directconnect.TagResourceInput{ResourceArn: tc.arn, Tags: tc.tags})
			wantAPIError(t, err, tc.code, tc.want)
		})
	}
	// Another account cannot read them either.
	_, err := e.client(other).DescribeTags(ctx, &directconnect.DescribeTagsInput{ResourceArns: []string{*mine}})
	wantAPIError(t, err, "DirectConnectClientException", "does not exist")
	_, err = dx.UntagResource(ctx, &directconnect.UntagResourceInput{ResourceArn: mine, TagKeys: []string{"aws:x"}})
	wantAPIError(t, err, "DirectConnectClientException", "aws:")
	out, _ := dx.DescribeTags(ctx, &directconnect.DescribeTagsInput{ResourceArns: []string{*mine}})
	if len(out.ResourceTags[0].Tags) != 50 {
		t.Fatalf("refused calls changed the tags: %d", len(out.ResourceTags[0].Tags))
	}
}
