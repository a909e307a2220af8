package api_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
)

// Attachments are made by VIFs (branch i7-vif); their contents are tested in the store
// (dxgw_seam_test.go) until then. Here: the wire's rules.
func TestDXGatewayAttachmentsDescribe(t *testing.T) {
	e := newEnv(t)
	gw := e.availableDXGW(owner, 64512)
	dx := e.client(owner)
	_, err := dx.DescribeDirectConnectGatewayAttachments(ctx, &directconnect.DescribeDirectConnectGatewayAttachmentsInput{})
	wantDXRefusal(t, err, "Must specify a Direct Connect gateway or a virtual interface.")
	_, err = dx.DescribeDirectConnectGatewayAttachments(ctx, &directconnect.DescribeDirectConnectGatewayAttachmentsInput{DirectConnectGatewayId: aws.String("gw-1")})
	wantDXRefusal(t, err, "gw-1", "invalid format")
	for _, in := range []directconnect.DescribeDirectConnectGatewayAttachmentsInput{
		{DirectConnectGatewayId: aws.String(gw)},
		{VirtualInterfaceId: aws.String("dxvif-ffabcdef")},
		{DirectConnectGatewayId: aws.String(gw), VirtualInterfaceId: aws.String("dxvif-ffabcdef")},
	} {
		out, err := dx.DescribeDirectConnectGatewayAttachments(ctx, &in)
		if err != nil || out.DirectConnectGatewayAttachments == nil || len(out.DirectConnectGatewayAttachments) != 0 {
			t.Fatalf("%+v: %+v %v", in, out, err)
		}
	}
}

func TestDescribeVirtualGateways(t *testing.T) {
	e := newEnv(t)
	list := func(account, region string) []string {
		t.Helper()
		out, err := e.clientIn(account, region).DescribeVirtualGateways(ctx, &directconnect.DescribeVirtualGatewaysInput{})
		if err != nil {
			t.Fatal(err)
		}
		ids := []string{}
		for _, v := range out.VirtualGateways {
			if aws.ToString(v.VirtualGatewayState) != "available" {
				t.Fatalf("%s is %s", aws.ToString(v.VirtualGatewayId), aws.ToString(v.VirtualGatewayState))
			}
			ids = append(ids, aws.ToString(v.VirtualGatewayId))
		}
		return ids
	}
	if got := list(owner, usEast); len(got) != 0 {
		t.Fatalf("before any: %v", got)
	}
	e.seedGateway(`{"gatewayId":"` + gwVGW1 + `","ownerAccount":"` + owner + `","region":"us-east-1"}`)
	e.seedGateway(`{"gatewayId":"` + gwVGW2 + `","ownerAccount":"` + owner + `","region":"eu-west-1"}`)
	e.seedGateway(`{"gatewayId":"vgw-0000000000000000a","ownerAccount":"` + other + `","region":"us-east-1"}`)
	e.seedGateway(`{"gatewayId":"` + gwTGW1 + `","ownerAccount":"` + owner + `","region":"us-east-1"}`)
	// An auto-registered VGW is listed too.
	if _, err := e.gwAssociate(owner, e.availableDXGW(owner, 64512), "vgw-0000000000000000b"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		account, region string
		want            []string
	}{
		{owner, usEast, []string{gwVGW1, "vgw-0000000000000000b"}},
		{owner, euWest, []string{gwVGW2}},
		{other, usEast, []string{"vgw-0000000000000000a"}},
		{partner, usEast, []string{}},
	} {
		if got := list(tc.account, tc.region); !slices.Equal(got, tc.want) {
			t.Errorf("%s in %s: %v, want %v", tc.account, tc.region, got, tc.want)
		}
	}
}
