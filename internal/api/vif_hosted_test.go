package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

func allocPrivate(vlan int32) *types.NewPrivateVirtualInterfaceAllocation {
	return &types.NewPrivateVirtualInterfaceAllocation{VirtualInterfaceName: aws.String("hosted"), Vlan: vlan, Asn: 65010, Mtu: aws.Int32(9001),
		Tags: []types.Tag{{Key: aws.String("for"), Value: aws.String("customer")}}}
}

// ids lists the VIF ids an account sees.
func (e *env) vifIDs(dx *directconnect.Client) map[string]types.VirtualInterfaceState {
	e.t.Helper()
	out, err := dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{})
	if err != nil {
		e.t.Fatal(err)
	}
	m := map[string]types.VirtualInterfaceState{}
	for _, v := range out.VirtualInterfaces {
		m[aws.ToString(v.VirtualInterfaceId)] = v.VirtualInterfaceState
	}
	return m
}

func TestVIFAllocateConfirmAcrossAccounts(t *testing.T) {
	for _, dwell := range []time.Duration{0, time.Minute} {
		t.Run(dwell.String(), func(t *testing.T) {
			e := newEnv(t, withDwell(dwell))
			p, cu, st := e.client(owner), e.client(customer), e.client(stranger)
			conn := e.readyConnection(p, dwell)
			v, err := p.AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{ConnectionId: &conn, OwnerAccount: aws.String(customer), NewPrivateVirtualInterfaceAllocation: allocPrivate(10)})
			if err != nil {
				t.Fatal(err)
			}
			id := aws.ToString(v.VirtualInterfaceId)
			if v.VirtualInterfaceState != types.VirtualInterfaceStateConfirming || aws.ToString(v.OwnerAccount) != customer ||
				aws.ToInt64(v.AmazonSideAsn) != 7224 || aws.ToString(v.VirtualGatewayId) != "" || aws.ToInt32(v.Mtu) != 9001 || len(v.Tags) != 0 {
				t.Fatalf("allocated VIF as the partner sees it: %+v", v)
			}
			// Both see it; the stranger does not; only the owner sees its tags.
			if _, ok := e.vifIDs(p)[id]; !ok {
				t.Fatal("connection owner does not see the allocated VIF")
			}
			if got := e.describeVIF(cu, id); got.VirtualInterfaceState != types.VirtualInterfaceStateConfirming || len(got.Tags) != 1 {
				t.Fatalf("owner view: %s %v", got.VirtualInterfaceState, got.Tags)
			}
			if got := e.describeVIF(p, id); len(got.Tags) != 0 {
				t.Fatalf("partner sees tags %v", got.Tags)
			}
			if len(e.vifIDs(st)) != 0 {
				t.Fatal("a stranger sees the VIF")
			}
			// Confirming waits for the owner whatever the clock says.
			e.clock.Advance(time.Hour)
			if s := e.state(cu, id); s != types.VirtualInterfaceStateConfirming {
				t.Fatalf("state %s before confirming", s)
			}
			_, err = p.ConfirmPrivateVirtualInterface(ctx, &directconnect.ConfirmPrivateVirtualInterfaceInput{VirtualInterfaceId: &id, VirtualGatewayId: aws.String(vgwA)})
			wantAPIError(t, err, clientErr, "Virtual interface "+id+" does not exist")
			_, err = cu.ConfirmPublicVirtualInterface(ctx, &directconnect.ConfirmPublicVirtualInterfaceInput{VirtualInterfaceId: &id})
			wantAPIError(t, err, clientErr, id, "private")
			_, err = cu.ConfirmPrivateVirtualInterface(ctx, &directconnect.ConfirmPrivateVirtualInterfaceInput{VirtualInterfaceId: &id})
			wantAPIError(t, err, clientErr, "Exactly one of virtualGatewayId and directConnectGatewayId")
			c, err := cu.ConfirmPrivateVirtualInterface(ctx, &directconnect.ConfirmPrivateVirtualInterfaceInput{VirtualInterfaceId: &id, VirtualGatewayId: aws.String(vgwA)})
			if err != nil || c.VirtualInterfaceState != types.VirtualInterfaceStatePending {
				t.Fatalf("confirm: %v %v", c, err)
			}
			if rec, ok := e.store.Gateways().Lookup(vgwA); !ok || rec.OwnerAccount != customer {
				t.Fatalf("VGW registered for %+v, want the customer", rec)
			}
			_, err = cu.ConfirmPrivateVirtualInterface(ctx, &directconnect.ConfirmPrivateVirtualInterfaceInput{VirtualInterfaceId: &id, VirtualGatewayId: aws.String(vgwA)})
			if dwell > 0 {
				wantAPIError(t, err, clientErr, "Virtual interface "+id+" is in state pending.")
			} else {
				wantAPIError(t, err, clientErr, "Virtual interface "+id+" is in state available.")
			}
			e.clock.Advance(dwell)
			got := e.describeVIF(p, id)
			if got.VirtualInterfaceState != types.VirtualInterfaceStateAvailable || aws.ToInt64(got.AmazonSideAsn) != 64512 || aws.ToString(got.VirtualGatewayId) != vgwA {
				t.Fatalf("after confirming: %+v", got)
			}
			// The router belongs to the connection owner; the accepter gets not-found.
			if _, err := p.DescribeRouterConfiguration(ctx, &directconnect.DescribeRouterConfigurationInput{VirtualInterfaceId: &id, RouterTypeIdentifier: aws.String("JuniperNetworksInc-SRXSeriesRouters-JunOS95")}); err != nil {
				t.Fatal(err)
			}
			_, err = cu.DescribeRouterConfiguration(ctx, &directconnect.DescribeRouterConfigurationInput{VirtualInterfaceId: &id, RouterTypeIdentifier: aws.String("JuniperNetworksInc-SRXSeriesRouters-JunOS95")})
			wantAPIError(t, err, clientErr, "Virtual interface "+id+" does not exist")
			// The partner may delete it.
			d, err := p.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: &id})
			if err != nil || d.VirtualInterfaceState != types.VirtualInterfaceStateDeleting {
				t.Fatalf("partner delete: %v %v", d, err)
			}
		})
	}
}

func TestVIFAllocateRulesAndRejection(t *testing.T) {
	e := newEnv(t)
	p, cu := e.client(owner), e.client(customer)
	conn := e.readyConnection(p, 0)
	_, err := p.AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{ConnectionId: &conn, OwnerAccount: aws.String(owner), NewPrivateVirtualInterfaceAllocation: allocPrivate(10)})
	wantAPIError(t, err, clientErr, "Cannot allocate VirtualInterface for the connection owner.")
	_, err = p.AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{ConnectionId: &conn, OwnerAccount: aws.String("12"), NewPrivateVirtualInterfaceAllocation: allocPrivate(10)})
	wantAPIError(t, err, clientErr, "ownerAccount 12")
	_, err = cu.AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{ConnectionId: &conn, OwnerAccount: aws.String(stranger), NewPrivateVirtualInterfaceAllocation: allocPrivate(10)})
	wantAPIError(t, err, clientErr, "Could not find Connection with ID "+conn)

	pub, err := p.AllocatePublicVirtualInterface(ctx, &directconnect.AllocatePublicVirtualInterfaceInput{ConnectionId: &conn, OwnerAccount: aws.String(customer), NewPublicVirtualInterfaceAllocation: &types.NewPublicVirtualInterfaceAllocation{
		VirtualInterfaceName: aws.String("pub"), Vlan: 11, Asn: 65011, AmazonAddress: aws.String("203.0.113.1/30"), CustomerAddress: aws.String("203.0.113.2/30"),
		RouteFilterPrefixes: []types.RouteFilterPrefix{{Cidr: aws.String("198.51.100.0/24")}}}})
	if err != nil {
		t.Fatal(err)
	}
	pubID := aws.ToString(pub.VirtualInterfaceId)
	c, err := cu.ConfirmPublicVirtualInterface(ctx, &directconnect.ConfirmPublicVirtualInterfaceInput{VirtualInterfaceId: &pubID})
	if err != nil || c.VirtualInterfaceState != types.VirtualInterfaceStateVerifying {
		t.Fatalf("confirm public: %v %v", c, err)
	}
	tr, err := p.AllocateTransitVirtualInterface(ctx, &directconnect.AllocateTransitVirtualInterfaceInput{ConnectionId: &conn, OwnerAccount: aws.String(customer), NewTransitVirtualInterfaceAllocation: &types.NewTransitVirtualInterfaceAllocation{
		VirtualInterfaceName: aws.String("tr"), Vlan: 12, Asn: 65012, Mtu: aws.Int32(8500)}})
	if err != nil || tr.VirtualInterface == nil {
		t.Fatalf("allocate transit: %v %v", tr, err)
	}
	trID := aws.ToString(tr.VirtualInterface.VirtualInterfaceId)
	gw := e.newDXGateway(customer, 65100)
	ct, err := cu.ConfirmTransitVirtualInterface(ctx, &directconnect.ConfirmTransitVirtualInterfaceInput{VirtualInterfaceId: &trID, DirectConnectGatewayId: aws.String(gw)})
	if err != nil || ct.VirtualInterfaceState != types.VirtualInterfaceStatePending {
		t.Fatalf("confirm transit: %v %v", ct, err)
	}
	if got := e.describeVIF(cu, trID); aws.ToInt64(got.AmazonSideAsn) != 65100 || aws.ToString(got.DirectConnectGatewayId) != gw {
		t.Fatalf("confirmed transit VIF %+v", got)
	}

	// The invited account rejects by deleting; the partner then deletes it for good.
	rej, err := p.AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{ConnectionId: &conn, OwnerAccount: aws.String(customer), NewPrivateVirtualInterfaceAllocation: allocPrivate(13)})
	if err != nil {
		t.Fatal(err)
	}
	rejID := aws.ToString(rej.VirtualInterfaceId)
	d, err := cu.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: &rejID})
	if err != nil || d.VirtualInterfaceState != types.VirtualInterfaceStateRejected {
		t.Fatalf("reject: %v %v", d, err)
	}
	// A rejected VIF gives its VLAN back.
	if _, err := p.AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{ConnectionId: &conn, OwnerAccount: aws.String(customer), NewPrivateVirtualInterfaceAllocation: allocPrivate(13)}); err != nil {
		t.Fatal(err)
	}
	if s := e.vifIDs(p)[rejID]; s != types.VirtualInterfaceStateRejected {
		t.Fatalf("partner sees the rejected VIF as %q", s)
	}
	d, err = p.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: &rejID})
	if err != nil || d.VirtualInterfaceState != types.VirtualInterfaceStateDeleting {
		t.Fatalf("partner deletes the rejected VIF: %v %v", d, err)
	}
	if s := e.vifIDs(cu)[rejID]; s != types.VirtualInterfaceStateDeleted {
		t.Fatalf("customer sees the deleted VIF as %q", s)
	}
	e.clock.Advance(15 * time.Minute)
	for _, dx := range []*directconnect.Client{p, cu} {
		_, err = dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{VirtualInterfaceId: &rejID})
		wantAPIError(t, err, clientErr, "Virtual interface "+rejID+" does not exist")
	}
}
