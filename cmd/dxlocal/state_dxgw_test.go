package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

// gatewayBook answers every Describe of the gateway operations of the state test's accounts,
// the DX gateways' tags and the admin resources, as one text.
func gatewayBook(t *testing.T, addr string) string {
	t.Helper()
	var out []any
	must := func(v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	for _, acct := range []string{stateOwner, statePartner} {
		dx := sdk(addr, acct, "us-east-1")
		gws, err := dx.DescribeDirectConnectGateways(ctx(), &directconnect.DescribeDirectConnectGatewaysInput{})
		must(gws.DirectConnectGateways, err)
		var arns []string
		for _, g := range gws.DirectConnectGateways {
			arns = append(arns, "arn:aws:directconnect::"+acct+":dx-gateway/"+*g.DirectConnectGatewayId)
			as, err := dx.DescribeDirectConnectGatewayAssociations(ctx(), &directconnect.DescribeDirectConnectGatewayAssociationsInput{DirectConnectGatewayId: g.DirectConnectGatewayId})
			must(as.DirectConnectGatewayAssociations, err)
			at, err := dx.DescribeDirectConnectGatewayAttachments(ctx(), &directconnect.DescribeDirectConnectGatewayAttachmentsInput{DirectConnectGatewayId: g.DirectConnectGatewayId})
			must(at.DirectConnectGatewayAttachments, err)
		}
		ps, err := dx.DescribeDirectConnectGatewayAssociationProposals(ctx(), &directconnect.DescribeDirectConnectGatewayAssociationProposalsInput{})
		must(ps.DirectConnectGatewayAssociationProposals, err)
		vgws, err := dx.DescribeVirtualGateways(ctx(), &directconnect.DescribeVirtualGatewaysInput{})
		must(vgws.VirtualGateways, err)
		if len(arns) > 0 {
			tags, err := dx.DescribeTags(ctx(), &directconnect.DescribeTagsInput{ResourceArns: arns})
			must(tags.ResourceTags, err)
		}
	}
	out = append(out, string(getBody(t, "http://"+addr+"/_dxlocal/resources")))
	b, _ := json.Marshal(out)
	return string(b)
}

// The gateway book survives a restart of the binary with -state: gateways, associations,
// proposals, holds and tags; a state with a broken reference stops the start.
func TestStateFileKeepsTheGatewayBook(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "state.json")
	p := start(t, []string{"-addr", "127.0.0.1:0", "-state", file})
	dx, pa := sdk(p.addr, stateOwner, "us-east-1"), sdk(p.addr, statePartner, "us-east-1")
	control := func(id, body string) {
		t.Helper()
		resp, err := client.Post("http://"+p.addr+"/_dxlocal/resources/"+id, "application/json", strings.NewReader(body))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("POST %s %s: %v %v", id, body, err, resp)
		}
		resp.Body.Close()
	}
	g, err := dx.CreateDirectConnectGateway(ctx(), &directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String("gw"),
		Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	if err != nil {
		t.Fatal(err)
	}
	gw := *g.DirectConnectGateway.DirectConnectGatewayId
	control(gw, `{"state":"available"}`)
	a, err := dx.CreateDirectConnectGatewayAssociation(ctx(), &directconnect.CreateDirectConnectGatewayAssociationInput{
		DirectConnectGatewayId: aws.String(gw), GatewayId: aws.String("vgw-0123abcd")})
	if err != nil {
		t.Fatal(err)
	}
	control(*a.DirectConnectGatewayAssociation.AssociationId, `{"hold":true}`)
	pr, err := pa.CreateDirectConnectGatewayAssociationProposal(ctx(), &directconnect.CreateDirectConnectGatewayAssociationProposalInput{
		DirectConnectGatewayId: aws.String(gw), DirectConnectGatewayOwnerAccount: aws.String(stateOwner), GatewayId: aws.String("vgw-0123abce"),
		AddAllowedPrefixesToDirectConnectGateway: []types.RouteFilterPrefix{{Cidr: aws.String("10.5.0.0/16")}}})
	if err != nil {
		t.Fatal(err)
	}
	control(*pr.DirectConnectGatewayAssociationProposal.ProposalId, `{"hold":true}`)
	held, err := pa.CreateDirectConnectGateway(ctx(), &directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String("held")})
	if err != nil {
		t.Fatal(err)
	}
	control(*held.DirectConnectGateway.DirectConnectGatewayId, `{"hold":true}`)

	before := gatewayBook(t, p.addr)
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t); code != 0 {
		t.Fatalf("exit %d; stderr %s", code, p.stderr)
	}
	p = start(t, []string{"-addr", "127.0.0.1:0", "-state", file})
	if after := gatewayBook(t, p.addr); after != before {
		t.Fatalf("after the restart:\n%s\nbefore:\n%s", after, before)
	}
	for _, want := range []string{"associated", "requested", `\"hold\":true`, "vgw-0123abcd", "vgw-0123abce"} {
		if !strings.Contains(before, want) {
			t.Fatalf("the book lacks %s: %s", want, before)
		}
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t); code != 0 {
		t.Fatalf("exit %d; stderr %s", code, p.stderr)
	}

	// A state whose association names a DX gateway that is not there: exit 2, one line naming it.
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(saved), `"directConnectGatewayId":"`+gw+`"`, `"directConnectGatewayId":"0c0c0c0c-1111-4222-8333-444444444444"`, 1)
	if broken == string(saved) {
		t.Fatal("the saved state names no association of the gateway")
	}
	bad := writeFile(t, t.TempDir(), "broken.json", broken)
	code, stdout, stderr := run(t, []string{"-addr", "127.0.0.1:0", "-state", bad})
	if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "0c0c0c0c-1111-4222-8333-444444444444 does not exist") {
		t.Fatalf("exit %d stdout %q stderr %q", code, stdout, stderr)
	}
}
