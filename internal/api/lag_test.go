package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

func createLag(t *testing.T, dx *directconnect.Client, loc, bw string, n int32) *directconnect.CreateLagOutput {
	t.Helper()
	l, err := dx.CreateLag(ctx, &directconnect.CreateLagInput{
		LagName: aws.String("lag"), Location: aws.String(loc), ConnectionsBandwidth: aws.String(bw), NumberOfConnections: n,
	})
	if err != nil {
		t.Fatal(err)
	}
	if l.LagState != types.LagStatePending {
		t.Fatalf("CreateLag answered %s, want the entry state pending", l.LagState)
	}
	return l
}

func TestCreateLagWithNewMembers(t *testing.T) {
	e := newEnv(t, withDwell(time.Second))
	dx := e.client(owner)
	l, err := dx.CreateLag(ctx, &directconnect.CreateLagInput{
		LagName: aws.String("lag"), Location: aws.String("TstA1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 3,
		Tags:                []types.Tag{{Key: aws.String("role"), Value: aws.String("lag")}},
		ChildConnectionTags: []types.Tag{{Key: aws.String("role"), Value: aws.String("member")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if l.LagState != types.LagStatePending || l.NumberOfConnections != 3 || l.MinimumLinks != 0 ||
		l.AllowsHostedConnections || aws.ToString(l.AwsDeviceV2) != deviceA1 || len(l.Connections) != 3 {
		t.Fatalf("LAG %+v", l)
	}
	for i, m := range l.Connections {
		want := fmt.Sprintf("Requested Connection %d for Lag %s", i+1, aws.ToString(l.LagId))
		if aws.ToString(m.ConnectionName) != want || aws.ToString(m.LagId) != aws.ToString(l.LagId) ||
			aws.ToString(m.AwsDeviceV2) != deviceA1 || m.ConnectionState != types.ConnectionStateRequested ||
			len(m.Tags) != 1 || aws.ToString(m.Tags[0].Value) != "member" {
			t.Fatalf("member %d: %+v", i, m)
		}
		if e.holders()[aws.ToString(m.ConnectionId)] != deviceA1 {
			t.Fatalf("member %d holds no port on the LAG's device", i)
		}
	}
	// Between one and two dwells the members are pending and the LAG reads down; then available.
	e.clock.Advance(time.Second)
	got, _ := dx.DescribeLags(ctx, &directconnect.DescribeLagsInput{LagId: l.LagId})
	if got.Lags[0].LagState != types.LagStateDown {
		t.Fatalf("after one dwell: %s", got.Lags[0].LagState)
	}
	e.clock.Advance(time.Second)
	got, _ = dx.DescribeLags(ctx, &directconnect.DescribeLagsInput{LagId: l.LagId})
	if got.Lags[0].LagState != types.LagStateAvailable || !aws.ToBool(got.Lags[0].JumboFrameCapable) {
		t.Fatalf("after two dwells: %+v", got.Lags[0])
	}
	// The members are ordinary connections of the owner.
	conns, _ := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	if len(conns.Connections) != 3 {
		t.Fatalf("%d connections listed, want the 3 members", len(conns.Connections))
	}
}

func TestCreateLagNeedsAllPortsOnOneDevice(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	// 10G: A1 has 4, A2 has 2. Take 3 on A1, so that no device has 3 free ports.
	createLag(t, dx, "TstA1", "10Gbps", 3)
	before := len(e.holders())
	_, err := dx.CreateLag(ctx, &directconnect.CreateLagInput{LagName: aws.String("l2"), Location: aws.String("TstA1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 3})
	wantAPIError(t, err, "DirectConnectClientException", "No single device at location TstA1 has 3 free ports")
	if after := len(e.holders()); after != before {
		t.Fatalf("a refused CreateLag took ports: %d -> %d", before, after)
	}
	lags, _ := dx.DescribeLags(ctx, &directconnect.DescribeLagsInput{})
	if len(lags.Lags) != 1 {
		t.Fatalf("%d LAGs, want 1", len(lags.Lags))
	}
	// Two fit on A2.
	l := createLag(t, dx, "TstA1", "10Gbps", 2)
	if aws.ToString(l.AwsDeviceV2) != deviceA2 {
		t.Fatalf("LAG on %s, want %s", aws.ToString(l.AwsDeviceV2), deviceA2)
	}
}

func TestCreateLagRefusals(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	cases := []struct {
		name string
		in   directconnect.CreateLagInput
		want string
	}{
		{"too many members below 100G", directconnect.CreateLagInput{Location: aws.String("TstA1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 5}, "numberOfConnections must be between 1 and 4 for 10Gbps"},
		{"too many members at 100G", directconnect.CreateLagInput{Location: aws.String("TstA1"), ConnectionsBandwidth: aws.String("100Gbps"), NumberOfConnections: 3}, "between 1 and 2 for 100Gbps"},
		{"no members", directconnect.CreateLagInput{Location: aws.String("TstA1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 0}, "numberOfConnections must be between 1 and 4"},
		{"hosted speed", directconnect.CreateLagInput{Location: aws.String("TstA1"), ConnectionsBandwidth: aws.String("50Mbps"), NumberOfConnections: 1}, "Bandwidth 50Mbps is not supported"},
		{"unknown connection", directconnect.CreateLagInput{Location: aws.String("TstA1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 1, ConnectionId: aws.String("dxcon-fzzzzzzz")}, "Could not find Connection with ID dxcon-fzzzzzzz"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.LagName = aws.String("x")
			_, err := dx.CreateLag(ctx, &tc.in)
			wantAPIError(t, err, "DirectConnectClientException", tc.want)
			if n := len(e.holders()); n != 0 {
				t.Fatalf("refused CreateLag holds %d ports", n)
			}
		})
	}
}

func TestLagLimitPerRegion(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	for range 8 {
		createLag(t, dx, "TstB1", "10Gbps", 1)
	}
	createLag(t, dx, "TstA1", "1Gbps", 1)
	createLag(t, dx, "TstA1", "1Gbps", 1)
	before := len(e.holders())
	_, err := dx.CreateLag(ctx, &directconnect.CreateLagInput{LagName: aws.String("x"), Location: aws.String("TstA1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 1})
	if after := len(e.holders()); after != before {
		t.Fatalf("a refused CreateLag took ports")
	}
	wantAPIError(t, err, "DirectConnectClientException", "Lag limit of 10 exceeded")
}

func TestCreateLagAroundAnExistingConnection(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	c := createConnection(t, dx, "TstA1", "10Gbps")
	l, err := dx.CreateLag(ctx, &directconnect.CreateLagInput{
		LagName: aws.String("around"), Location: aws.String("TstA1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 2,
		ConnectionId: c.ConnectionId,
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(l.AwsDeviceV2) != aws.ToString(c.AwsDeviceV2) || len(l.Connections) != 2 {
		t.Fatalf("LAG %+v", l)
	}
	if aws.ToString(l.Connections[0].ConnectionId) != aws.ToString(c.ConnectionId) {
		t.Fatalf("the existing connection must be a member, keeping its id")
	}
	for _, m := range l.Connections {
		if aws.ToString(m.AwsDeviceV2) != aws.ToString(c.AwsDeviceV2) {
			t.Fatalf("member on %s", aws.ToString(m.AwsDeviceV2))
		}
	}
	_, err = dx.CreateLag(ctx, &directconnect.CreateLagInput{
		LagName: aws.String("x"), Location: aws.String("TstA1"), ConnectionsBandwidth: aws.String("1Gbps"), NumberOfConnections: 1,
		ConnectionId: c.ConnectionId,
	})
	wantAPIError(t, err, "DirectConnectClientException", "has bandwidth 10Gbps")
}

func TestUpdateLag(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	l := createLag(t, dx, "TstA1", "10Gbps", 2)
	u, err := dx.UpdateLag(ctx, &directconnect.UpdateLagInput{LagId: l.LagId, LagName: aws.String("renamed"), MinimumLinks: 2})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(u.LagName) != "renamed" || u.MinimumLinks != 2 {
		t.Fatalf("LAG %+v", u)
	}
	_, err = dx.UpdateLag(ctx, &directconnect.UpdateLagInput{LagId: l.LagId, MinimumLinks: 3})
	wantAPIError(t, err, "DirectConnectClientException", "minimumLinks 3")
	_, err = dx.UpdateLag(ctx, &directconnect.UpdateLagInput{LagId: l.LagId, EncryptionMode: aws.String("must_encrypt")})
	wantAPIError(t, err, "DirectConnectClientException", "not MACsec capable")
	// minimumLinks 2 of 2: removing a member is refused.
	_, err = dx.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: l.Connections[0].ConnectionId})
	wantAPIError(t, err, "DirectConnectClientException", "minimum links")
	_, err = dx.DisassociateConnectionFromLag(ctx, &directconnect.DisassociateConnectionFromLagInput{ConnectionId: l.Connections[0].ConnectionId, LagId: l.LagId})
	wantAPIError(t, err, "DirectConnectClientException", "minimum links")
}

func TestDeleteLagKeepsItsMembers(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	l := createLag(t, dx, "TstA1", "1Gbps", 2)
	d, err := dx.DeleteLag(ctx, &directconnect.DeleteLagInput{LagId: l.LagId})
	if err != nil {
		t.Fatal(err)
	}
	if d.LagState != types.LagStateDeleted || len(d.Connections) != 0 || d.NumberOfConnections != 0 {
		t.Fatalf("deleted LAG %+v", d)
	}
	conns, _ := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	if len(conns.Connections) != 2 {
		t.Fatalf("%d connections, want the 2 former members", len(conns.Connections))
	}
	for _, c := range conns.Connections {
		if c.LagId != nil || c.ConnectionState == types.ConnectionStateDeleted {
			t.Fatalf("former member %+v", c)
		}
	}
	if n := len(e.holders()); n != 2 {
		t.Fatalf("%d ports held, want the 2 members'", n)
	}
	_, err = dx.DescribeLags(ctx, &directconnect.DescribeLagsInput{LagId: aws.String("dxlag-fzzzzzzz")})
	wantAPIError(t, err, "DirectConnectClientException", "Could not find Lag with ID dxlag-fzzzzzzz")
}

func TestLagEmptiedByDeletingItsOnlyMember(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	l := createLag(t, dx, "TstA1", "1Gbps", 1)
	if _, err := dx.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: l.Connections[0].ConnectionId}); err != nil {
		t.Fatal(err)
	}
	got, err := dx.DescribeLags(ctx, &directconnect.DescribeLagsInput{LagId: l.LagId})
	if err != nil {
		t.Fatal(err)
	}
	if got.Lags[0].NumberOfConnections != 0 || len(got.Lags[0].Connections) != 0 || got.Lags[0].LagState != types.LagStateDown {
		t.Fatalf("emptied LAG %+v", got.Lags[0])
	}
}

func TestAssociateAndDisassociateConnectionWithLag(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	// Two 10G connections: A1 (tie by name), then A2 (least used). A new LAG goes to the device
	// of the oldest standalone connection that could join it: A1.
	onA1 := createConnection(t, dx, "TstA1", "10Gbps")
	onA2 := createConnection(t, dx, "TstA1", "10Gbps")
	l := createLag(t, dx, "TstA1", "10Gbps", 1)
	if aws.ToString(onA2.AwsDeviceV2) != deviceA2 || aws.ToString(onA1.AwsDeviceV2) != deviceA1 || aws.ToString(l.AwsDeviceV2) != deviceA1 {
		t.Fatalf("devices %s %s, LAG %s", aws.ToString(onA2.AwsDeviceV2), aws.ToString(onA1.AwsDeviceV2), aws.ToString(l.AwsDeviceV2))
	}
	_, err := dx.AssociateConnectionWithLag(ctx, &directconnect.AssociateConnectionWithLagInput{ConnectionId: onA2.ConnectionId, LagId: l.LagId})
	wantAPIError(t, err, "DirectConnectClientException", deviceA2, deviceA1)
	other1G := createConnection(t, dx, "TstA1", "1Gbps")
	_, err = dx.AssociateConnectionWithLag(ctx, &directconnect.AssociateConnectionWithLagInput{ConnectionId: other1G.ConnectionId, LagId: l.LagId})
	wantAPIError(t, err, "DirectConnectClientException", "bandwidth 1Gbps")

	a, err := dx.AssociateConnectionWithLag(ctx, &directconnect.AssociateConnectionWithLagInput{ConnectionId: onA1.ConnectionId, LagId: l.LagId})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(a.LagId) != aws.ToString(l.LagId) {
		t.Fatalf("lagId %q", aws.ToString(a.LagId))
	}
	got, _ := dx.DescribeLags(ctx, &directconnect.DescribeLagsInput{LagId: l.LagId})
	if got.Lags[0].NumberOfConnections != 2 {
		t.Fatalf("%d members", got.Lags[0].NumberOfConnections)
	}
	d, err := dx.DisassociateConnectionFromLag(ctx, &directconnect.DisassociateConnectionFromLagInput{ConnectionId: onA1.ConnectionId, LagId: l.LagId})
	if err != nil {
		t.Fatal(err)
	}
	if d.LagId != nil {
		t.Fatalf("still in %s", aws.ToString(d.LagId))
	}
	_, err = dx.DisassociateConnectionFromLag(ctx, &directconnect.DisassociateConnectionFromLagInput{ConnectionId: onA1.ConnectionId, LagId: l.LagId})
	wantAPIError(t, err, "DirectConnectClientException", "is not a member of Lag")
	_, err = dx.DisassociateConnectionFromLag(ctx, &directconnect.DisassociateConnectionFromLagInput{ConnectionId: aws.String("dxcon-fzzzzzzz"), LagId: l.LagId})
	wantAPIError(t, err, "DirectConnectClientException", "Connection does not exist")
	_, err = dx.DisassociateConnectionFromLag(ctx, &directconnect.DisassociateConnectionFromLagInput{ConnectionId: onA1.ConnectionId, LagId: aws.String("dxlag-fzzzzzzz")})
	wantAPIError(t, err, "DirectConnectClientException", "Lag does not exist")
}

func TestMovingAConnectionIsTransitioningForADwell(t *testing.T) {
	e := newEnv(t, withDwell(time.Second))
	dx := e.client(owner)
	l := createLag(t, dx, "TstA1", "10Gbps", 1)
	c := createConnection(t, dx, "TstA1", "10Gbps")
	c = createConnection(t, dx, "TstA1", "10Gbps") // the second 10G one lands on A1 again
	if _, err := dx.AssociateConnectionWithLag(ctx, &directconnect.AssociateConnectionWithLagInput{ConnectionId: c.ConnectionId, LagId: l.LagId}); err != nil {
		t.Fatal(err)
	}
	_, err := dx.DisassociateConnectionFromLag(ctx, &directconnect.DisassociateConnectionFromLagInput{ConnectionId: c.ConnectionId, LagId: l.LagId})
	wantAPIError(t, err, "DirectConnectClientException", "Connection "+aws.ToString(c.ConnectionId)+" is in a transitioning state.")
	e.clock.Advance(time.Second)
	if _, err := dx.DisassociateConnectionFromLag(ctx, &directconnect.DisassociateConnectionFromLagInput{ConnectionId: c.ConnectionId, LagId: l.LagId}); err != nil {
		t.Fatal(err)
	}
}

func TestMacSecLagMismatch(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	l, err := dx.CreateLag(ctx, &directconnect.CreateLagInput{LagName: aws.String("m"), Location: aws.String("TstA1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 1, RequestMACSec: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if !aws.ToBool(l.MacSecCapable) || aws.ToString(l.EncryptionMode) != "no_encrypt" {
		t.Fatalf("LAG %+v", l)
	}
	createConnection(t, dx, "TstA1", "10Gbps") // A2
	c := createConnection(t, dx, "TstA1", "10Gbps")
	_, err = dx.AssociateConnectionWithLag(ctx, &directconnect.AssociateConnectionWithLagInput{ConnectionId: c.ConnectionId, LagId: l.LagId})
	wantAPIError(t, err, "DirectConnectClientException", "and lag should be requested MacSec at the same time")
	u, err := dx.UpdateLag(ctx, &directconnect.UpdateLagInput{LagId: l.LagId, EncryptionMode: aws.String("must_encrypt")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(u.EncryptionMode) != "must_encrypt" || aws.ToString(u.Connections[0].EncryptionMode) != "must_encrypt" {
		t.Fatalf("encryption mode not copied to members: %+v", u)
	}
	_, err = dx.UpdateConnection(ctx, &directconnect.UpdateConnectionInput{ConnectionId: u.Connections[0].ConnectionId, EncryptionMode: aws.String("no_encrypt")})
	wantAPIError(t, err, "DirectConnectClientException", "UpdateLag")
	if !strings.HasPrefix(aws.ToString(l.LagId), "dxlag-") {
		t.Fatal(aws.ToString(l.LagId))
	}
}

func TestLagLoaHasAPagePerMember(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	l := createLag(t, dx, "TstA1", "10Gbps", 3)
	loa, err := dx.DescribeLoa(ctx, &directconnect.DescribeLoaInput{ConnectionId: l.LagId})
	if err != nil {
		t.Fatal(err)
	}
	pdf := string(loa.LoaContent)
	if !strings.Contains(pdf, "/Count 3 ") && !strings.Contains(pdf, "/Count 3\n") && !strings.Contains(pdf, "/Count 3>") {
		t.Fatalf("the LOA of a 3-member LAG does not have 3 pages")
	}
	for _, m := range l.Connections {
		if !strings.Contains(pdf, aws.ToString(m.ConnectionId)) {
			t.Fatalf("LOA does not name member %s", aws.ToString(m.ConnectionId))
		}
	}
	got, _ := dx.DescribeLags(ctx, &directconnect.DescribeLagsInput{LagId: l.LagId})
	for _, m := range got.Lags[0].Connections {
		if m.LoaIssueTime == nil {
			t.Fatalf("member %s has no loaIssueTime after the LAG's LOA", aws.ToString(m.ConnectionId))
		}
	}
}
