package api_test

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

func (e *env) gwPropose(account, gw, gwOwner, target string, add, remove []string) (*types.DirectConnectGatewayAssociationProposal, error) {
	in := &directconnect.CreateDirectConnectGatewayAssociationProposalInput{
		DirectConnectGatewayId: aws.String(gw), DirectConnectGatewayOwnerAccount: aws.String(gwOwner), GatewayId: aws.String(target),
	}
	if len(add) > 0 {
		in.AddAllowedPrefixesToDirectConnectGateway = cidrList(add...)
	}
	if len(remove) > 0 {
		in.RemoveAllowedPrefixesToDirectConnectGateway = cidrList(remove...)
	}
	out, err := e.client(account).CreateDirectConnectGatewayAssociationProposal(ctx, in)
	if err != nil {
		return nil, err
	}
	return out.DirectConnectGatewayAssociationProposal, nil
}

func (e *env) readProposals(account string, in directconnect.DescribeDirectConnectGatewayAssociationProposalsInput) []types.DirectConnectGatewayAssociationProposal {
	e.t.Helper()
	out, err := e.client(account).DescribeDirectConnectGatewayAssociationProposals(ctx, &in)
	if err != nil {
		e.t.Fatal(err)
	}
	return out.DirectConnectGatewayAssociationProposals
}

func (e *env) gwAccept(account, region, gw, proposal, proposer string, override ...string) (*types.DirectConnectGatewayAssociation, error) {
	in := &directconnect.AcceptDirectConnectGatewayAssociationProposalInput{
		DirectConnectGatewayId: aws.String(gw), ProposalId: aws.String(proposal), AssociatedGatewayOwnerAccount: aws.String(proposer),
	}
	if len(override) > 0 {
		in.OverrideAllowedPrefixesToDirectConnectGateway = cidrList(override...)
	}
	out, err := e.clientIn(account, region).AcceptDirectConnectGatewayAssociationProposal(ctx, in)
	if err != nil {
		return nil, err
	}
	return out.DirectConnectGatewayAssociation, nil
}

// TestDXGatewayProposalCrossAccount: the VGW's owner proposes, the DX gateway's owner accepts;
// both see the proposal and the association, nobody else does.
func TestDXGatewayProposalCrossAccount(t *testing.T) {
	for _, dwell := range []time.Duration{0, time.Minute} {
		t.Run(dwell.String(), func(t *testing.T) {
			e := newEnv(t, withDwell(dwell))
			gw := e.availableDXGW(owner, 64512)
			p, err := e.gwPropose(other, gw, owner, gwVGW1, []string{"10.0.0.0/16"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			pid := aws.ToString(p.ProposalId)
			if p.ProposalState != types.DirectConnectGatewayAssociationProposalStateRequested || aws.ToString(p.DirectConnectGatewayId) != gw ||
				aws.ToString(p.DirectConnectGatewayOwnerAccount) != owner || p.AssociatedGateway == nil || aws.ToString(p.AssociatedGateway.OwnerAccount) != other ||
				!slices.Equal(prefixCIDRs(p.RequestedAllowedPrefixesToDirectConnectGateway), []string{"10.0.0.0/16"}) || p.ExistingAllowedPrefixesToDirectConnectGateway != nil {
				t.Fatalf("proposal %+v", p)
			}
			if ids := e.registryIDs(); !slices.Equal(ids, []string{gwVGW1}) {
				t.Fatalf("registry %v", ids)
			}
			// Both parties see it, from any region; a third account does not.
			if got := e.readProposals(owner, directconnect.DescribeDirectConnectGatewayAssociationProposalsInput{ProposalId: aws.String(pid)}); len(got) != 1 {
				t.Fatalf("the DX gateway owner sees %d", len(got))
			}
			if got := e.readProposals(other, directconnect.DescribeDirectConnectGatewayAssociationProposalsInput{DirectConnectGatewayId: aws.String(gw), AssociatedGatewayId: aws.String(gwVGW1)}); len(got) != 1 {
				t.Fatalf("the proposer sees %d", len(got))
			}
			if got := e.readProposals(partner, directconnect.DescribeDirectConnectGatewayAssociationProposalsInput{}); len(got) != 0 {
				t.Fatalf("a stranger sees %d", len(got))
			}
			// The proposer cannot see the DX gateway itself.
			if _, ok := e.readDXGW(other, gw); ok {
				t.Fatal("the proposer sees the DX gateway")
			}

			_, err = e.gwAccept(owner, euWest, gw, pid, other)
			wantDXRefusal(t, err, "The Virtual Gateway in the Direct Connect Gateway Association Proposal "+pid+" is not found")
			_, err = e.gwAccept(owner, usEast, gw, pid, partner)
			wantDXRefusal(t, err, "associatedGatewayOwnerAccount", partner)
			_, err = e.gwAccept(other, usEast, gw, pid, other)
			wantDXRefusal(t, err, "does not exist", gw)
			a, err := e.gwAccept(owner, usEast, gw, pid, other)
			if err != nil {
				t.Fatal(err)
			}
			if a.AssociationState != types.DirectConnectGatewayAssociationStateAssociating || a.AssociatedGateway == nil ||
				aws.ToString(a.AssociatedGateway.OwnerAccount) != other || !slices.Equal(prefixCIDRs(a.AllowedPrefixesToDirectConnectGateway), []string{"10.0.0.0/16"}) {
				t.Fatalf("accepted %+v", a)
			}
			_, err = e.gwAccept(owner, usEast, gw, pid, other)
			wantDXRefusal(t, err, "Direct Connect Gateway Association Proposal  has been accepted!")
			if got := e.readProposals(other, directconnect.DescribeDirectConnectGatewayAssociationProposalsInput{ProposalId: aws.String(pid)}); got[0].ProposalState != types.DirectConnectGatewayAssociationProposalStateAccepted {
				t.Fatalf("proposal after accept %+v", got[0])
			}
			e.clock.Advance(dwell)
			// The proposer reads the association as the provider does: by DX gateway and its own gateway.
			out, err := e.client(other).DescribeDirectConnectGatewayAssociations(ctx, &directconnect.DescribeDirectConnectGatewayAssociationsInput{
				DirectConnectGatewayId: aws.String(gw), AssociatedGatewayId: aws.String(gwVGW1),
			})
			if err != nil || len(out.DirectConnectGatewayAssociations) != 1 || out.DirectConnectGatewayAssociations[0].AssociationState != types.DirectConnectGatewayAssociationStateAssociated {
				t.Fatalf("proposer's read: %+v %v", out, err)
			}
			aid := aws.ToString(a.AssociationId)
			if got := e.readAssociation(partner, aid); got != nil {
				t.Fatalf("a stranger sees the association: %+v", got)
			}
			_, err = e.client(other).UpdateDirectConnectGatewayAssociation(ctx, &directconnect.UpdateDirectConnectGatewayAssociationInput{AssociationId: aws.String(aid)})
			wantDXRefusal(t, err, owner, gw, aid)

			// A second proposal for the pair changes the prefixes.
			up, err := e.gwPropose(other, gw, owner, gwVGW1, []string{"10.1.0.0/16"}, []string{"10.0.0.0/16"})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(prefixCIDRs(up.ExistingAllowedPrefixesToDirectConnectGateway), []string{"10.0.0.0/16"}) || !slices.Equal(prefixCIDRs(up.RequestedAllowedPrefixesToDirectConnectGateway), []string{"10.1.0.0/16"}) {
				t.Fatalf("update proposal %+v", up)
			}
			a, err = e.gwAccept(owner, usEast, gw, aws.ToString(up.ProposalId), other)
			if err != nil || aws.ToString(a.AssociationId) != aid || a.AssociationState != types.DirectConnectGatewayAssociationStateUpdating ||
				!slices.Equal(prefixCIDRs(a.AllowedPrefixesToDirectConnectGateway), []string{"10.1.0.0/16"}) {
				t.Fatalf("accepted update %+v %v", a, err)
			}
			e.clock.Advance(dwell)

			// Deleting the accepted proposal leaves the association; the proposer may then delete that.
			del, err := e.client(other).DeleteDirectConnectGatewayAssociationProposal(ctx, &directconnect.DeleteDirectConnectGatewayAssociationProposalInput{ProposalId: aws.String(pid)})
			if err != nil || del.DirectConnectGatewayAssociationProposal.ProposalState != types.DirectConnectGatewayAssociationProposalStateDeleted {
				t.Fatalf("delete proposal: %+v %v", del, err)
			}
			_, err = e.client(other).DeleteDirectConnectGatewayAssociationProposal(ctx, &directconnect.DeleteDirectConnectGatewayAssociationProposalInput{ProposalId: aws.String(pid)})
			wantDXRefusal(t, err, "is not found", pid)
			if got := e.readAssociation(owner, aid); got == nil || got.AssociationState != types.DirectConnectGatewayAssociationStateAssociated {
				t.Fatalf("association after the proposal's deletion: %+v", got)
			}
			da, err := e.client(other).DeleteDirectConnectGatewayAssociation(ctx, &directconnect.DeleteDirectConnectGatewayAssociationInput{AssociationId: aws.String(aid)})
			if err != nil || da.DirectConnectGatewayAssociation.AssociationState != types.DirectConnectGatewayAssociationStateDisassociating {
				t.Fatalf("proposer deletes the association: %+v %v", da, err)
			}
			// Accepted and deleted proposals stay visible for three days.
			e.clock.Advance(72*time.Hour - time.Second)
			if got := e.readProposals(owner, directconnect.DescribeDirectConnectGatewayAssociationProposalsInput{ProposalId: aws.String(pid)}); len(got) != 1 {
				t.Fatalf("before three days: %d", len(got))
			}
			e.clock.Advance(time.Second)
			if got := e.readProposals(owner, directconnect.DescribeDirectConnectGatewayAssociationProposalsInput{ProposalId: aws.String(pid)}); len(got) != 0 {
				t.Fatalf("after three days: %+v", got)
			}
		})
	}
}

func TestDXGatewayProposalExpiry(t *testing.T) {
	e := newEnv(t)
	gw := e.availableDXGW(owner, 64512)
	p, err := e.gwPropose(other, gw, owner, gwVGW1, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	pid := aws.ToString(p.ProposalId)
	if got := prefixCIDRs(p.RequestedAllowedPrefixesToDirectConnectGateway); p.RequestedAllowedPrefixesToDirectConnectGateway == nil || len(got) != 0 {
		t.Fatalf("requested prefixes %v, want []", got)
	}
	read := func() types.DirectConnectGatewayAssociationProposalState {
		got := e.readProposals(other, directconnect.DescribeDirectConnectGatewayAssociationProposalsInput{ProposalId: aws.String(pid)})
		if len(got) == 0 {
			return ""
		}
		return got[0].ProposalState
	}
	e.clock.Advance(7*24*time.Hour - time.Second)
	if st := read(); st != types.DirectConnectGatewayAssociationProposalStateRequested {
		t.Fatalf("a second before seven days: %s", st)
	}
	e.clock.Advance(time.Second)
	if st := read(); st != types.DirectConnectGatewayAssociationProposalStateDeleted {
		t.Fatalf("after seven days: %s", st)
	}
	_, err = e.gwAccept(owner, usEast, gw, pid, other)
	wantDXRefusal(t, err, "is not found", pid)
	e.clock.Advance(72 * time.Hour)
	if st := read(); st != "" {
		t.Fatalf("three days later: %s", st)
	}
}

func TestDXGatewayProposalRefusals(t *testing.T) {
	e := newEnv(t)
	gw := e.availableDXGW(owner, 64512)
	_, err := e.gwPropose(other, gw, partner, gwVGW1, nil, nil)
	wantDXRefusal(t, err, "does not exist", gw)
	_, err = e.gwPropose(other, "5f294f92-bafb-4011-916d-9b0bd0000000", owner, gwVGW1, nil, nil)
	wantDXRefusal(t, err, "does not exist", "5f294f92-bafb-4011-916d-9b0bd0000000")
	_, err = e.gwPropose(other, gw, "12345", gwVGW1, nil, nil)
	wantDXRefusal(t, err, "directConnectGatewayOwnerAccount", "12345")
	_, err = e.gwPropose(other, gw, owner, gwVGW1, []string{"300.0.0.0/8"}, nil)
	wantDXRefusal(t, err, "addAllowedPrefixesToDirectConnectGateway", "300.0.0.0/8")
	_, err = e.gwPropose(other, gw, owner, "vgw-1", nil, nil)
	wantDXRefusal(t, err, "gatewayId", "vgw-1")
	// Reading proposals of a gateway registers nothing either.
	if got := e.readProposals(other, directconnect.DescribeDirectConnectGatewayAssociationProposalsInput{AssociatedGatewayId: aws.String(gwVGW1)}); len(got) != 0 {
		t.Fatalf("proposals %+v", got)
	}
	if ids := e.registryIDs(); len(ids) != 0 {
		t.Fatalf("refused proposals registered %v", ids)
	}
	// A VGW registered to someone else is not the proposer's.
	e.seedGateway(`{"gatewayId":"` + gwVGW2 + `","ownerAccount":"` + partner + `"}`)
	_, err = e.gwPropose(other, gw, owner, gwVGW2, nil, nil)
	wantDXRefusal(t, err, "The VirtualGateway "+gwVGW2+" does not exist.")

	p, err := e.gwPropose(other, gw, owner, gwTGW1, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	pid := aws.ToString(p.ProposalId)
	_, err = e.gwPropose(other, gw, owner, gwTGW1, []string{"10.0.0.0/8"}, nil)
	wantDXRefusal(t, err, pid, "already requested")
	// A TGW association needs prefixes: the accept is refused and the proposal waits on.
	_, err = e.gwAccept(owner, usEast, gw, pid, other)
	wantDXRefusal(t, err, "addAllowedPrefixesToDirectConnectGateway", gwTGW1)
	a, err := e.gwAccept(owner, usEast, gw, pid, other, "172.16.0.0/12")
	if err != nil || !slices.Equal(prefixCIDRs(a.AllowedPrefixesToDirectConnectGateway), []string{"172.16.0.0/12"}) {
		t.Fatalf("accept with override: %+v %v", a, err)
	}

	// The plan-time read of the provider: an empty proposal id is no error.
	if _, err := e.client(other).DescribeDirectConnectGatewayAssociationProposals(ctx, &directconnect.DescribeDirectConnectGatewayAssociationProposalsInput{ProposalId: aws.String("")}); err != nil {
		t.Fatal(err)
	}
	// The DX gateway's owner rejects a requested proposal; a stranger cannot touch it.
	r, err := e.gwPropose(other, e.availableDXGW(owner, 64512), owner, gwVGW1, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.client(partner).DeleteDirectConnectGatewayAssociationProposal(ctx, &directconnect.DeleteDirectConnectGatewayAssociationProposalInput{ProposalId: r.ProposalId})
	wantDXRefusal(t, err, "is not found", aws.ToString(r.ProposalId))
	if _, err := e.client(owner).DeleteDirectConnectGatewayAssociationProposal(ctx, &directconnect.DeleteDirectConnectGatewayAssociationProposalInput{ProposalId: r.ProposalId}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client(owner).DeleteDirectConnectGatewayAssociationProposal(ctx, &directconnect.DeleteDirectConnectGatewayAssociationProposalInput{ProposalId: aws.String("cb7f41cb-8128-43a5-93b1-dcaed0000000")})
	wantDXRefusal(t, err, "is not found", "cb7f41cb-8128-43a5-93b1-dcaed0000000")
}
