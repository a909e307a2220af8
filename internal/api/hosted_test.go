package api_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

const (
	customer = "444444444444"
	stranger = "555555555555"
)

func createInterconnect(t *testing.T, dx *directconnect.Client, loc, bw string) *directconnect.CreateInterconnectOutput {
	t.Helper()
	ic, err := dx.CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{InterconnectName: aws.String("ic"), Location: aws.String(loc), Bandwidth: aws.String(bw)})
	if err != nil {
		t.Fatal(err)
	}
	return ic
}

func allocate(dx *directconnect.Client, parent *string, bw string, vlan int32) (*directconnect.AllocateHostedConnectionOutput, error) {
	return dx.AllocateHostedConnection(ctx, &directconnect.AllocateHostedConnectionInput{
		ConnectionId: parent, OwnerAccount: aws.String(customer), Bandwidth: aws.String(bw), ConnectionName: aws.String(fmt.Sprintf("hosted-%d", vlan)), Vlan: vlan,
	})
}

// seen lists the connection ids an account sees in DescribeConnections.
func seen(t *testing.T, dx *directconnect.Client) map[string]types.ConnectionState {
	t.Helper()
	out, err := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]types.ConnectionState{}
	for _, c := range out.Connections {
		m[aws.ToString(c.ConnectionId)] = c.ConnectionState
	}
	return m
}

func TestPartnerFlowEndToEnd(t *testing.T) {
	e := newEnv(t, withPartners(partner), withDwell(time.Second))
	p, cu, st := e.client(partner), e.client(customer), e.client(stranger)
	ic := createInterconnect(t, p, "TstB1", "10Gbps")
	h, err := p.AllocateHostedConnection(ctx, &directconnect.AllocateHostedConnectionInput{
		ConnectionId: ic.InterconnectId, OwnerAccount: aws.String(customer), Bandwidth: aws.String("500Mbps"),
		ConnectionName: aws.String("for-customer"), Vlan: 101,
		Tags: []types.Tag{{Key: aws.String("customer-ref"), Value: aws.String("A-1")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(h.ConnectionId)
	if h.ConnectionState != types.ConnectionStateOrdering || aws.ToString(h.OwnerAccount) != customer || h.Vlan != 101 ||
		aws.ToString(h.Bandwidth) != "500Mbps" || aws.ToString(h.AwsDeviceV2) != aws.ToString(ic.AwsDeviceV2) ||
		aws.ToString(h.Location) != "TstB1" || aws.ToString(h.PartnerName) != partner || aws.ToString(h.Region) != usEast {
		t.Fatalf("hosted connection %+v", h)
	}
	if _, held := e.holders()[id]; held {
		t.Fatal("a hosted connection must not take a port")
	}
	// The customer sees it ordering, with its tags; the partner sees it on the interconnect
	// without tags; a stranger sees nothing.
	if s := seen(t, cu)[id]; s != types.ConnectionStateOrdering {
		t.Fatalf("customer sees %q", s)
	}
	if _, ok := seen(t, p)[id]; ok {
		t.Fatal("the partner's DescribeConnections lists the customer's hosted connection")
	}
	if len(seen(t, st)) != 0 {
		t.Fatal("a stranger sees connections")
	}
	if len(seen(t, e.clientIn(customer, euWest))) != 0 {
		t.Fatal("the customer sees a us-east-1 hosted connection from eu-west-1")
	}
	hc, err := p.DescribeHostedConnections(ctx, &directconnect.DescribeHostedConnectionsInput{ConnectionId: ic.InterconnectId})
	if err != nil {
		t.Fatal(err)
	}
	if len(hc.Connections) != 1 || aws.ToString(hc.Connections[0].ConnectionId) != id || len(hc.Connections[0].Tags) != 0 {
		t.Fatalf("partner view %+v", hc.Connections)
	}
	on, err := p.DescribeConnectionsOnInterconnect(ctx, &directconnect.DescribeConnectionsOnInterconnectInput{InterconnectId: ic.InterconnectId})
	if err != nil || len(on.Connections) != 1 {
		t.Fatalf("DescribeConnectionsOnInterconnect: %v %+v", err, on)
	}
	_, err = st.DescribeHostedConnections(ctx, &directconnect.DescribeHostedConnectionsInput{ConnectionId: ic.InterconnectId})
	wantAPIError(t, err, "DirectConnectClientException", stranger+" DescribeHostedConnections failed for connection "+aws.ToString(ic.InterconnectId)+" doesn't exist.")
	tags, err := cu.DescribeTags(ctx, &directconnect.DescribeTagsInput{ResourceArns: []string{*arnOf(usEast, customer, "dxcon", id)}})
	if err != nil || len(tags.ResourceTags[0].Tags) != 1 {
		t.Fatalf("customer's tags: %v %+v", err, tags)
	}
	_, err = p.TagResource(ctx, &directconnect.TagResourceInput{ResourceArn: arnOf(usEast, partner, "dxcon", id), Tags: []types.Tag{{Key: aws.String("x")}}})
	wantAPIError(t, err, "DirectConnectClientException", "does not exist")
	// Only the customer confirms.
	_, err = p.ConfirmConnection(ctx, &directconnect.ConfirmConnectionInput{ConnectionId: h.ConnectionId})
	wantAPIError(t, err, "DirectConnectClientException", "Could not find Connection with ID")
	_, err = st.ConfirmConnection(ctx, &directconnect.ConfirmConnectionInput{ConnectionId: h.ConnectionId})
	wantAPIError(t, err, "DirectConnectClientException", "Could not find Connection with ID")
	conf, err := cu.ConfirmConnection(ctx, &directconnect.ConfirmConnectionInput{ConnectionId: h.ConnectionId})
	if err != nil || conf.ConnectionState != types.ConnectionStatePending {
		t.Fatalf("confirm: %v %v", err, conf)
	}
	_, err = cu.ConfirmConnection(ctx, &directconnect.ConfirmConnectionInput{ConnectionId: h.ConnectionId})
	wantAPIError(t, err, "DirectConnectClientException", "ConfirmConnection failed. "+id+" is in state pending")
	e.clock.Advance(time.Second)
	if s := seen(t, cu)[id]; s != types.ConnectionStateAvailable {
		t.Fatalf("after the dwell the customer sees %q", s)
	}
	// The parent cannot go while the hosted connection lives.
	_, err = p.DeleteInterconnect(ctx, &directconnect.DeleteInterconnectInput{InterconnectId: ic.InterconnectId})
	wantAPIError(t, err, "DirectConnectClientException", "hosted connections")
	// The partner deletes it: deleting, then deleted; its VLAN is free at once.
	d, err := p.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: h.ConnectionId})
	if err != nil || d.ConnectionState != types.ConnectionStateDeleting || len(d.Tags) != 0 {
		t.Fatalf("partner delete: %v %+v", err, d)
	}
	if _, err := allocate(p, ic.InterconnectId, "500Mbps", 101); err != nil {
		t.Fatalf("VLAN 101 not free after the delete: %v", err)
	}
	e.clock.Advance(time.Second)
	if s := seen(t, cu)[id]; s != types.ConnectionStateDeleted {
		t.Fatalf("customer sees %q after the delete", s)
	}
}

func TestCustomerRejectsPartnerWithdraws(t *testing.T) {
	e := newEnv(t, withPartners(partner))
	p, cu := e.client(partner), e.client(customer)
	ic := createInterconnect(t, p, "TstB1", "10Gbps")
	h1, err := allocate(p, ic.InterconnectId, "1Gbps", 10)
	if err != nil {
		t.Fatal(err)
	}
	r, err := cu.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: h1.ConnectionId})
	if err != nil || r.ConnectionState != types.ConnectionStateRejected {
		t.Fatalf("customer delete of an ordering connection: %v %+v", err, r)
	}
	h2, err := allocate(p, ic.InterconnectId, "1Gbps", 10) // VLAN free again
	if err != nil {
		t.Fatal(err)
	}
	w, err := p.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: h2.ConnectionId})
	if err != nil || w.ConnectionState != types.ConnectionStateDeleted {
		t.Fatalf("partner delete of an ordering connection: %v %+v", err, w)
	}
	_, err = e.client(stranger).DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: h2.ConnectionId})
	wantAPIError(t, err, "DirectConnectClientException", "Could not find Connection with ID")
	hc, _ := p.DescribeHostedConnections(ctx, &directconnect.DescribeHostedConnectionsInput{ConnectionId: ic.InterconnectId})
	if len(hc.Connections) != 2 || hc.Connections[0].ConnectionState != types.ConnectionStateRejected || hc.Connections[1].ConnectionState != types.ConnectionStateDeleted {
		t.Fatalf("partner view after rejection and withdrawal %+v", hc.Connections)
	}
	if _, err := p.DeleteInterconnect(ctx, &directconnect.DeleteInterconnectInput{InterconnectId: ic.InterconnectId}); err != nil {
		t.Fatalf("interconnect without live hosted connections: %v", err)
	}
}

func TestHostedConnectionRules(t *testing.T) {
	e := newEnv(t, withPartners(partner))
	p := e.client(partner)
	ic := createInterconnect(t, p, "TstB1", "10Gbps")
	ic1g := createInterconnect(t, p, "TstA1", "1Gbps")
	if _, err := allocate(p, ic.InterconnectId, "5Gbps", 100); err != nil {
		t.Fatal(err)
	}
	dedicated := createConnection(t, e.client(partner), "TstA1", "10Gbps")
	cases := []struct {
		name   string
		dx     *directconnect.Client
		parent *string
		bw     string
		vlan   int32
		want   string
	}{
		{"VLAN in use", p, ic.InterconnectId, "1Gbps", 100, "VLAN 100 is already in use on " + aws.ToString(ic.InterconnectId)},
		{"VLAN 0", p, ic.InterconnectId, "1Gbps", 0, "vlan 0"},
		{"VLAN 4095", p, ic.InterconnectId, "1Gbps", 4095, "vlan 4095"},
		{"beyond what is left", p, ic.InterconnectId, "10Gbps", 200, "does not have enough available bandwidth for 10Gbps"},
		{"not a hosted speed", p, ic.InterconnectId, "3Gbps", 201, "Bandwidth 3Gbps is not supported"},
		{"above the port speed", p, ic1g.InterconnectId, "2Gbps", 202, "exceeds the 1Gbps port speed"},
		{"25G on a 10G parent", p, ic.InterconnectId, "25Gbps", 203, "25Gbps"},
		{"someone else's interconnect", e.client(stranger), ic.InterconnectId, "50Mbps", 204, "Could not find Connection with ID"},
		{"a dedicated connection", p, dedicated.ConnectionId, "50Mbps", 205, "Could not find Connection with ID"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := allocate(tc.dx, tc.parent, tc.bw, tc.vlan)
			wantAPIError(t, err, "DirectConnectClientException", tc.want)
		})
	}
	hc, _ := p.DescribeHostedConnections(ctx, &directconnect.DescribeHostedConnectionsInput{ConnectionId: ic.InterconnectId})
	if len(hc.Connections) != 1 {
		t.Fatalf("refused allocations created %d hosted connections", len(hc.Connections)-1)
	}
	if len(seen(t, e.client(customer))) != 1 {
		t.Fatal("the customer sees refused allocations")
	}
	// The deprecated twin: interconnects only, no 25Gbps.
	tw, err := p.AllocateConnectionOnInterconnect(ctx, &directconnect.AllocateConnectionOnInterconnectInput{
		InterconnectId: ic.InterconnectId, OwnerAccount: aws.String(customer), Bandwidth: aws.String("1Gbps"), ConnectionName: aws.String("twin"), Vlan: 300,
	})
	if err != nil || tw.ConnectionState != types.ConnectionStateOrdering {
		t.Fatalf("AllocateConnectionOnInterconnect: %v", err)
	}
}

func TestStrictPartners(t *testing.T) {
	e := newEnv(t, withPartners(partner), withStrictPartners())
	_, err := e.client(customer).CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{InterconnectName: aws.String("x"), Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps")})
	wantAPIError(t, err, "DirectConnectClientException", "Account "+customer+" is not an authorized Direct Connect partner in us-east-1.")
	ic := createInterconnect(t, e.client(partner), "TstB1", "10Gbps")
	if _, err := allocate(e.client(partner), ic.InterconnectId, "50Mbps", 1); err != nil {
		t.Fatal(err)
	}
	md, err := e.client(partner).DescribeCustomerMetadata(ctx, &directconnect.DescribeCustomerMetadataInput{})
	if err != nil || md.NniPartnerType != types.NniPartnerTypeV2 {
		t.Fatalf("partner metadata %v %+v", err, md)
	}
	md, err = e.client(customer).DescribeCustomerMetadata(ctx, &directconnect.DescribeCustomerMetadataInput{})
	if err != nil || md.NniPartnerType != types.NniPartnerTypeNonPartner {
		t.Fatalf("customer metadata %v %+v", err, md)
	}
}

func TestHostedConnectionsOnALagOfInterconnects(t *testing.T) {
	e := newEnv(t, withPartners(partner))
	p, cu := e.client(partner), e.client(customer)
	lag := createPartnerLag(t, p, "TstB1", "10Gbps", 1)
	ic, err := p.CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{InterconnectName: aws.String("member"), Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"), LagId: lag.LagId})
	if err != nil {
		t.Fatal(err)
	}
	// Capacity: 2 members x 10 Gbps.
	var ids []string
	for i, bw := range []string{"10Gbps", "5Gbps", "5Gbps"} {
		h, err := allocate(p, lag.LagId, bw, int32(10+i))
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(h.LagId) != aws.ToString(lag.LagId) || aws.ToString(h.AwsDeviceV2) != aws.ToString(ic.AwsDeviceV2) {
			t.Fatalf("hosted on the LAG %+v", h)
		}
		ids = append(ids, aws.ToString(h.ConnectionId))
	}
	_, err = allocate(p, lag.LagId, "50Mbps", 20)
	wantAPIError(t, err, "DirectConnectClientException", "Lag "+aws.ToString(lag.LagId)+" does not have enough available bandwidth")
	if _, err := cu.ConfirmConnection(ctx, &directconnect.ConfirmConnectionInput{ConnectionId: aws.String(ids[0])}); err != nil {
		t.Fatal(err)
	}
	if s := seen(t, cu)[ids[0]]; s != types.ConnectionStateAvailable {
		t.Fatalf("customer sees %s", s)
	}
	_, err = p.DeleteLag(ctx, &directconnect.DeleteLagInput{LagId: lag.LagId})
	wantAPIError(t, err, "DirectConnectClientException", "hosted connections")
	// Move one to a standalone interconnect of the same location.
	other := createInterconnect(t, p, "TstB1", "10Gbps")
	moved, err := p.AssociateHostedConnection(ctx, &directconnect.AssociateHostedConnectionInput{ConnectionId: aws.String(ids[1]), ParentConnectionId: other.InterconnectId})
	if err != nil {
		t.Fatal(err)
	}
	if moved.LagId != nil || aws.ToString(moved.AwsDeviceV2) != aws.ToString(other.AwsDeviceV2) || moved.Vlan != 11 {
		t.Fatalf("moved %+v", moved)
	}
	onOther, _ := p.DescribeHostedConnections(ctx, &directconnect.DescribeHostedConnectionsInput{ConnectionId: other.InterconnectId})
	if len(onOther.Connections) != 1 {
		t.Fatalf("%d on the new parent", len(onOther.Connections))
	}
	// A VLAN clash on the target refuses the move.
	if _, err := allocate(p, other.InterconnectId, "50Mbps", 12); err != nil {
		t.Fatal(err)
	}
	_, err = p.AssociateHostedConnection(ctx, &directconnect.AssociateHostedConnectionInput{ConnectionId: aws.String(ids[2]), ParentConnectionId: other.InterconnectId})
	wantAPIError(t, err, "DirectConnectClientException", "VLAN 12 is already in use")
}

// Many partners' goroutines race for VLANs and bandwidth on one interconnect: the accepted
// set is exactly what the rules allow.
func TestConcurrentHostedAllocations(t *testing.T) {
	e := newEnv(t, withPartners(partner))
	p := e.client(partner)
	ic := createInterconnect(t, p, "TstB1", "10Gbps")
	const callers = 60
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := map[int32]int{} // vlan -> Mbps
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vlan := int32(1 + i%20) // 20 distinct VLANs, each wanted by 3 callers
			_, err := allocate(p, ic.InterconnectId, "1Gbps", vlan)
			if err == nil {
				mu.Lock()
				accepted[vlan] += 1000
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	total := 0
	for vlan, mbps := range accepted {
		if mbps != 1000 {
			t.Fatalf("VLAN %d accepted %d times", vlan, mbps/1000)
		}
		total += mbps
	}
	if total != 10000 {
		t.Fatalf("accepted %d Mbps on a 10 Gbps interconnect, want exactly 10000", total)
	}
	hc, _ := p.DescribeHostedConnections(ctx, &directconnect.DescribeHostedConnectionsInput{ConnectionId: ic.InterconnectId})
	if len(hc.Connections) != 10 {
		t.Fatalf("%d hosted connections stored, want 10", len(hc.Connections))
	}
}

func TestCustomerAgreements(t *testing.T) {
	e := newEnv(t)
	dx := e.client(customer)
	out, err := dx.ConfirmCustomerAgreement(ctx, &directconnect.ConfirmCustomerAgreementInput{AgreementName: aws.String("DirectConnectPartnerAgreement")})
	if err != nil || aws.ToString(out.Status) != "signed" {
		t.Fatalf("%v %+v", err, out)
	}
	md, err := dx.DescribeCustomerMetadata(ctx, &directconnect.DescribeCustomerMetadataInput{})
	if err != nil || len(md.Agreements) != 1 || aws.ToString(md.Agreements[0].AgreementName) != "DirectConnectPartnerAgreement" || aws.ToString(md.Agreements[0].Status) != "signed" {
		t.Fatalf("%v %+v", err, md)
	}
	other, _ := e.client(stranger).DescribeCustomerMetadata(ctx, &directconnect.DescribeCustomerMetadataInput{})
	if len(other.Agreements) != 0 {
		t.Fatal("agreements leak across accounts")
	}
}
