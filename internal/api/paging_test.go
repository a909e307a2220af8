package api_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
)

// pager calls one list operation as a client: the base request, or with changed set the same
// request with one more member (a filter, mostly an id), with max and token as given. It
// answers how many items came and the next token.
type pager func(dx *directconnect.Client, changed bool, max *int32, token *string) (int, *string, error)

// pagingCase sets up at least three items of one list operation, all seen by the base request
// of owner in us-east-1, and returns its pager.
type pagingCase struct {
	op    string
	setup func(e *env) pager
}

var pagingCases = []pagingCase{
	{"DescribeConnections", func(e *env) pager {
		var ids []*string
		for i := range 3 {
			c, err := e.client(owner).CreateConnection(ctx, &directconnect.CreateConnectionInput{Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"), ConnectionName: aws.String(fmt.Sprint("c", i))})
			if err != nil {
				e.t.Fatal(err)
			}
			ids = append(ids, c.ConnectionId)
		}
		return func(dx *directconnect.Client, changed bool, max *int32, token *string) (int, *string, error) {
			in := &directconnect.DescribeConnectionsInput{MaxResults: max, NextToken: token}
			if changed {
				in.ConnectionId = ids[0]
			}
			out, err := dx.DescribeConnections(ctx, in)
			if err != nil {
				return 0, nil, err
			}
			return len(out.Connections), out.NextToken, nil
		}
	}},
	{"DescribeInterconnects", func(e *env) pager {
		var ids []*string
		for i := range 3 {
			ic, err := e.client(owner).CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"), InterconnectName: aws.String(fmt.Sprint("ic", i))})
			if err != nil {
				e.t.Fatal(err)
			}
			ids = append(ids, ic.InterconnectId)
		}
		return func(dx *directconnect.Client, changed bool, max *int32, token *string) (int, *string, error) {
			in := &directconnect.DescribeInterconnectsInput{MaxResults: max, NextToken: token}
			if changed {
				in.InterconnectId = ids[1]
			}
			out, err := dx.DescribeInterconnects(ctx, in)
			if err != nil {
				return 0, nil, err
			}
			return len(out.Interconnects), out.NextToken, nil
		}
	}},
	{"DescribeLags", func(e *env) pager {
		var ids []*string
		for i := range 3 {
			l, err := e.client(owner).CreateLag(ctx, &directconnect.CreateLagInput{Location: aws.String("TstB1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 1, LagName: aws.String(fmt.Sprint("lag", i))})
			if err != nil {
				e.t.Fatal(err)
			}
			ids = append(ids, l.LagId)
		}
		return func(dx *directconnect.Client, changed bool, max *int32, token *string) (int, *string, error) {
			in := &directconnect.DescribeLagsInput{MaxResults: max, NextToken: token}
			if changed {
				in.LagId = ids[2]
			}
			out, err := dx.DescribeLags(ctx, in)
			if err != nil {
				return 0, nil, err
			}
			return len(out.Lags), out.NextToken, nil
		}
	}},
	{"DescribeHostedConnections", func(e *env) pager {
		ic, err := e.client(owner).CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"), InterconnectName: aws.String("ic")})
		if err != nil {
			e.t.Fatal(err)
		}
		var ids []*string
		for i := range 3 {
			h, err := e.client(owner).AllocateHostedConnection(ctx, &directconnect.AllocateHostedConnectionInput{
				ConnectionId: ic.InterconnectId, OwnerAccount: aws.String(other), Bandwidth: aws.String("500Mbps"), ConnectionName: aws.String(fmt.Sprint("h", i)), Vlan: int32(101 + i),
			})
			if err != nil {
				e.t.Fatal(err)
			}
			ids = append(ids, h.ConnectionId)
		}
		return func(dx *directconnect.Client, changed bool, max *int32, token *string) (int, *string, error) {
			in := &directconnect.DescribeHostedConnectionsInput{ConnectionId: ic.InterconnectId, MaxResults: max, NextToken: token}
			if changed {
				in.ConnectionId = ids[0] // the partner reads one hosted connection by its own id
			}
			out, err := dx.DescribeHostedConnections(ctx, in)
			if err != nil {
				return 0, nil, err
			}
			return len(out.Connections), out.NextToken, nil
		}
	}},
	{"DescribeDirectConnectGateways", func(e *env) pager {
		var ids []*string
		for i := range 3 {
			ids = append(ids, e.createDXGW(owner, fmt.Sprint("gw", i), 64512).DirectConnectGatewayId)
		}
		return func(dx *directconnect.Client, changed bool, max *int32, token *string) (int, *string, error) {
			in := &directconnect.DescribeDirectConnectGatewaysInput{MaxResults: max, NextToken: token}
			if changed {
				in.DirectConnectGatewayId = ids[0]
			}
			out, err := dx.DescribeDirectConnectGateways(ctx, in)
			if err != nil {
				return 0, nil, err
			}
			return len(out.DirectConnectGateways), out.NextToken, nil
		}
	}},
	{"DescribeDirectConnectGatewayAssociations", func(e *env) pager {
		gw := e.availableDXGW(owner, 64512)
		var ids []*string
		for i := range 3 {
			a, err := e.gwAssociate(owner, gw, fmt.Sprintf("vgw-0000000%d", i))
			if err != nil {
				e.t.Fatal(err)
			}
			ids = append(ids, a.AssociationId)
		}
		return func(dx *directconnect.Client, changed bool, max *int32, token *string) (int, *string, error) {
			in := &directconnect.DescribeDirectConnectGatewayAssociationsInput{DirectConnectGatewayId: aws.String(gw), MaxResults: max, NextToken: token}
			if changed {
				in.AssociationId = ids[0]
			}
			out, err := dx.DescribeDirectConnectGatewayAssociations(ctx, in)
			if err != nil {
				return 0, nil, err
			}
			return len(out.DirectConnectGatewayAssociations), out.NextToken, nil
		}
	}},
	{"DescribeDirectConnectGatewayAssociationProposals", func(e *env) pager {
		var ids []*string
		for i := range 3 {
			p, err := e.gwPropose(owner, e.availableDXGW(other, 64512), other, fmt.Sprintf("vgw-0000000%d", i), nil, nil)
			if err != nil {
				e.t.Fatal(err)
			}
			ids = append(ids, p.ProposalId)
		}
		return func(dx *directconnect.Client, changed bool, max *int32, token *string) (int, *string, error) {
			in := &directconnect.DescribeDirectConnectGatewayAssociationProposalsInput{MaxResults: max, NextToken: token}
			if changed {
				in.ProposalId = ids[0]
			}
			out, err := dx.DescribeDirectConnectGatewayAssociationProposals(ctx, in)
			if err != nil {
				return 0, nil, err
			}
			return len(out.DirectConnectGatewayAssociationProposals), out.NextToken, nil
		}
	}},
}

// TestPagingTokens walks every list operation a page at a time, and replays a token against
// the same request with one member changed, another account and another region: each replay is
// refused with DirectConnectClientException, never answered as if the token fitted.
func TestPagingTokens(t *testing.T) {
	for _, tc := range pagingCases {
		t.Run(tc.op, func(t *testing.T) {
			e := newEnv(t)
			list := tc.setup(e)
			dx := e.client(owner)
			total, _, err := list(dx, false, nil, nil)
			if err != nil || total < 3 {
				t.Fatalf("whole list: %d %v", total, err)
			}
			n, token, err := list(dx, false, aws.Int32(1), nil)
			if err != nil || n != 1 || token == nil {
				t.Fatalf("first page: %d %v %v", n, token, err)
			}
			// Replays against other requests.
			_, _, err = list(dx, true, aws.Int32(1), token)
			wantDXRefusal(t, err, "Invalid pagination token.")
			_, _, err = list(dx, true, nil, token)
			wantDXRefusal(t, err, "Invalid pagination token.")
			// Another account or region may be refused sooner (DescribeHostedConnections: the
			// interconnect is not theirs), but never answered.
			_, _, err = list(e.client(other), false, aws.Int32(1), token)
			wantDXRefusal(t, err)
			_, _, err = list(e.clientIn(owner, euWest), false, aws.Int32(1), token)
			wantDXRefusal(t, err)
			// The changed request on its own is fine, and a page size of 0 is refused.
			if n, next, err := list(dx, true, nil, nil); err != nil || n != 1 || next != nil {
				t.Fatalf("changed request: %d %v %v", n, next, err)
			}
			_, _, err = list(dx, true, aws.Int32(0), nil)
			wantDXRefusal(t, err, "maxResults")
			// The same request goes on, even with another page size, to the end.
			seen := 1
			for size := int32(2); token != nil; size++ {
				var n int
				n, token, err = list(dx, false, aws.Int32(size), token)
				if err != nil {
					t.Fatal(err)
				}
				seen += n
			}
			if seen != total {
				t.Fatalf("paged through %d of %d", seen, total)
			}
		})
	}
}

// TestPagingAttachmentsToken: no attachment exists before VIFs do, so the token comes from
// another operation; it is refused all the same.
func TestPagingAttachmentsToken(t *testing.T) {
	e := newEnv(t)
	gw := e.availableDXGW(owner, 64512)
	e.createDXGW(owner, "second", 64512)
	out, err := e.client(owner).DescribeDirectConnectGateways(ctx, &directconnect.DescribeDirectConnectGatewaysInput{MaxResults: aws.Int32(1)})
	if err != nil || out.NextToken == nil {
		t.Fatalf("%+v %v", out, err)
	}
	_, err = e.client(owner).DescribeDirectConnectGatewayAttachments(ctx, &directconnect.DescribeDirectConnectGatewayAttachmentsInput{DirectConnectGatewayId: aws.String(gw), NextToken: out.NextToken})
	wantDXRefusal(t, err, "Invalid pagination token.")
}
