package api_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

func createConnection(t *testing.T, dx *directconnect.Client, loc, bw string) *directconnect.CreateConnectionOutput {
	t.Helper()
	c, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{
		ConnectionName: aws.String("conn"), Location: aws.String(loc), Bandwidth: aws.String(bw),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCreateConnectionAnswersTheRequestedConnection(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	c, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{
		ConnectionName: aws.String("primary"), Location: aws.String("TstA1"), Bandwidth: aws.String("1Gbps"),
		ProviderName: aws.String("Test Provider, Inc."),
		Tags:         []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.ConnectionState != types.ConnectionStateRequested || aws.ToString(c.OwnerAccount) != owner ||
		aws.ToString(c.Region) != usEast || aws.ToString(c.Bandwidth) != "1Gbps" ||
		aws.ToString(c.AwsDeviceV2) != deviceA1 || aws.ToString(c.AwsDevice) != deviceA1 || aws.ToString(c.AwsLogicalDeviceId) != deviceA1 ||
		aws.ToBool(c.JumboFrameCapable) || c.HasLogicalRedundancy != types.HasLogicalRedundancyUnknown ||
		aws.ToString(c.ProviderName) != "Test Provider, Inc." || len(c.Tags) != 1 || c.Vlan != 0 {
		t.Fatalf("unexpected connection %+v", c)
	}
	if e.holders()[aws.ToString(c.ConnectionId)] != deviceA1 {
		t.Fatal("the connection holds no port on the device it reports")
	}
	got, err := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: c.ConnectionId})
	if err != nil {
		t.Fatal(err)
	}
	settled := got.Connections[0]
	if settled.ConnectionState != types.ConnectionStateAvailable || !aws.ToBool(settled.JumboFrameCapable) || settled.HasLogicalRedundancy != types.HasLogicalRedundancyNo {
		t.Fatalf("with dwell 0 the next read must show available: %+v", settled)
	}
}

func TestCreateConnectionRefusals(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	cases := []struct {
		name   string
		in     directconnect.CreateConnectionInput
		code   string
		expect []string
	}{
		{"unknown location", directconnect.CreateConnectionInput{Location: aws.String("Nowhere1"), Bandwidth: aws.String("1Gbps")}, "DirectConnectClientException", []string{"Location Nowhere1", "us-east-1"}},
		{"location of another region", directconnect.CreateConnectionInput{Location: aws.String("TstE1"), Bandwidth: aws.String("1Gbps")}, "DirectConnectClientException", []string{"TstE1"}},
		{"bandwidth spelling", directconnect.CreateConnectionInput{Location: aws.String("TstA1"), Bandwidth: aws.String("1 Gbps")}, "DirectConnectClientException", []string{"Bandwidth 1 Gbps is not supported"}},
		{"hosted bandwidth", directconnect.CreateConnectionInput{Location: aws.String("TstA1"), Bandwidth: aws.String("500Mbps")}, "DirectConnectClientException", []string{"500Mbps"}},
		{"speed not at location", directconnect.CreateConnectionInput{Location: aws.String("TstB1"), Bandwidth: aws.String("1Gbps")}, "DirectConnectClientException", []string{"not available at location TstB1"}},
		{"MACsec not at location", directconnect.CreateConnectionInput{Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"), RequestMACSec: aws.Bool(true)}, "DirectConnectClientException", []string{"MACsec", "TstB1"}},
		{"duplicate tag keys", directconnect.CreateConnectionInput{Location: aws.String("TstA1"), Bandwidth: aws.String("1Gbps"), Tags: []types.Tag{{Key: aws.String("a")}, {Key: aws.String("a")}}}, "DuplicateTagKeysException", []string{"a"}},
		{"reserved tag key", directconnect.CreateConnectionInput{Location: aws.String("TstA1"), Bandwidth: aws.String("1Gbps"), Tags: []types.Tag{{Key: aws.String("aws:x")}}}, "DirectConnectClientException", []string{"aws:"}},
		{"unknown LAG", directconnect.CreateConnectionInput{Location: aws.String("TstA1"), Bandwidth: aws.String("1Gbps"), LagId: aws.String("dxlag-fzzzzzzz")}, "DirectConnectClientException", []string{"Could not find Lag with ID dxlag-fzzzzzzz"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.ConnectionName = aws.String("x")
			_, err := dx.CreateConnection(ctx, &tc.in)
			wantAPIError(t, err, tc.code, tc.expect...)
			if n := len(e.holders()); n != 0 {
				t.Fatalf("a refused create holds %d ports", n)
			}
		})
	}
	all, err := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Connections) != 0 {
		t.Fatalf("refused creates left %d connections", len(all.Connections))
	}
}

func TestTooManyTagsOnCreate(t *testing.T) {
	e := newEnv(t)
	tags := make([]types.Tag, 51)
	for i := range tags {
		tags[i] = types.Tag{Key: aws.String(string(rune('A'+i%26)) + string(rune('a'+i/26)))}
	}
	_, err := e.client(owner).CreateConnection(ctx, &directconnect.CreateConnectionInput{
		ConnectionName: aws.String("x"), Location: aws.String("TstA1"), Bandwidth: aws.String("1Gbps"), Tags: tags,
	})
	wantAPIError(t, err, "TooManyTagsException", "50")
}

func TestCapacityAndQuotaPerLocation(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	for range 8 {
		createConnection(t, dx, "TstB1", "10Gbps")
	}
	// The location has 8 ports: the 9th fails for capacity.
	_, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("x"), Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps")})
	wantAPIError(t, err, "DirectConnectClientException", "No ports are available at location TstB1 for bandwidth 10Gbps")

	q := newEnv(t, withQuota(2))
	dq := q.client(owner)
	createConnection(t, dq, "TstB1", "10Gbps")
	createConnection(t, dq, "TstB1", "10Gbps")
	_, err = dq.CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("x"), Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps")})
	wantAPIError(t, err, "DirectConnectClientException", "Connection limit of 2 exceeded", owner, "TstB1")
	// Another account has its own quota.
	createConnection(t, q.client(other), "TstB1", "10Gbps")
	// LAG members count toward it.
	_, err = dq.CreateLag(ctx, &directconnect.CreateLagInput{LagName: aws.String("l"), Location: aws.String("TstB1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 1})
	wantAPIError(t, err, "DirectConnectClientException", "Connection limit of 2 exceeded")
}

func TestDeviceChoiceFavoursTheLeastUsedDevice(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	// 10G ports: A1 has 4, A2 has 2. Both start empty: the tie goes to A1 by name; then A2 has
	// fewer used ports, then A1 again (A2 is tied but A1 sorts first) ...
	var got []string
	for range 3 {
		got = append(got, aws.ToString(createConnection(t, dx, "TstA1", "10Gbps").AwsDeviceV2))
	}
	want := []string{deviceA1, deviceA2, deviceA1}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("devices %v, want %v", got, want)
		}
	}
}

func TestDeleteConnectionLifecycleAndPort(t *testing.T) {
	e := newEnv(t, withDwell(time.Second))
	dx := e.client(owner)
	// Deleted while requested: deleted at once, port free at once.
	c1 := createConnection(t, dx, "TstA1", "1Gbps")
	d1, err := dx.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: c1.ConnectionId})
	if err != nil {
		t.Fatal(err)
	}
	if d1.ConnectionState != types.ConnectionStateDeleted {
		t.Fatalf("state %s", d1.ConnectionState)
	}
	if _, held := e.holders()[aws.ToString(c1.ConnectionId)]; held {
		t.Fatal("port of a deleted connection still held")
	}
	// Deleted once available: deleting, then deleted after the dwell, then the port is free.
	c2 := createConnection(t, dx, "TstA1", "1Gbps")
	e.clock.Advance(2 * time.Second)
	d2, err := dx.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: c2.ConnectionId})
	if err != nil {
		t.Fatal(err)
	}
	if d2.ConnectionState != types.ConnectionStateDeleting {
		t.Fatalf("state %s, want deleting", d2.ConnectionState)
	}
	if _, held := e.holders()[aws.ToString(c2.ConnectionId)]; !held {
		t.Fatal("a deleting connection already gave up its port")
	}
	e.clock.Advance(time.Second)
	got, err := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: c2.ConnectionId})
	if err != nil {
		t.Fatal(err)
	}
	if got.Connections[0].ConnectionState != types.ConnectionStateDeleted {
		t.Fatalf("state %s, want deleted", got.Connections[0].ConnectionState)
	}
	if _, held := e.holders()[aws.ToString(c2.ConnectionId)]; held {
		t.Fatal("port of a deleted connection still held")
	}
	// Gone after the retention: not found.
	e.clock.Advance(2 * time.Hour)
	_, err = dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: c2.ConnectionId})
	wantAPIError(t, err, "DirectConnectClientException", "Could not find Connection with ID "+aws.ToString(c2.ConnectionId))
}

func TestConnectionsAreTheOwnersAndTheRegions(t *testing.T) {
	e := newEnv(t)
	c := createConnection(t, e.client(owner), "TstA1", "1Gbps")
	_, err := e.client(other).DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: c.ConnectionId})
	wantAPIError(t, err, "DirectConnectClientException", "Could not find Connection with ID")
	_, err = e.client(other).DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: c.ConnectionId})
	wantAPIError(t, err, "DirectConnectClientException", "Could not find Connection with ID")
	list, err := e.clientIn(owner, euWest).DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Connections) != 0 {
		t.Fatal("a connection of us-east-1 is visible in eu-west-1")
	}
	_, err = e.client(owner).DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: aws.String("5f294f92-bafb-4011-916d-9b0bdexample")})
	wantAPIError(t, err, "DirectConnectClientException", "ConnectionID 5f294f92-bafb-4011-916d-9b0bdexample has an invalid format.")
}

func TestUpdateConnection(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	c := createConnection(t, dx, "TstA1", "10Gbps")
	u, err := dx.UpdateConnection(ctx, &directconnect.UpdateConnectionInput{ConnectionId: c.ConnectionId, ConnectionName: aws.String("renamed")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(u.ConnectionName) != "renamed" {
		t.Fatalf("name %q", aws.ToString(u.ConnectionName))
	}
	_, err = dx.UpdateConnection(ctx, &directconnect.UpdateConnectionInput{ConnectionId: c.ConnectionId, EncryptionMode: aws.String("must_encrypt")})
	wantAPIError(t, err, "DirectConnectClientException", "not MACsec capable")
	m, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("m"), Location: aws.String("TstA1"), Bandwidth: aws.String("10Gbps"), RequestMACSec: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if !aws.ToBool(m.MacSecCapable) || aws.ToString(m.EncryptionMode) != "no_encrypt" {
		t.Fatalf("MACsec connection %+v", m)
	}
	u, err = dx.UpdateConnection(ctx, &directconnect.UpdateConnectionInput{ConnectionId: m.ConnectionId, EncryptionMode: aws.String("should_encrypt")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(u.EncryptionMode) != "should_encrypt" {
		t.Fatalf("encryptionMode %q", aws.ToString(u.EncryptionMode))
	}
}

func TestDescribeConnectionsPages(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	var ids []string
	for range 5 {
		ids = append(ids, aws.ToString(createConnection(t, dx, "TstB1", "10Gbps").ConnectionId))
	}
	var got []string
	var token *string
	pages := 0
	for {
		out, err := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{MaxResults: aws.Int32(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, c := range out.Connections {
			got = append(got, aws.ToString(c.ConnectionId))
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if pages != 3 || len(got) != 5 {
		t.Fatalf("%d pages, %d connections", pages, len(got))
	}
	for i := range ids {
		if got[i] != ids[i] {
			t.Fatalf("order %v, want creation order %v", got, ids)
		}
	}
	first, _ := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{MaxResults: aws.Int32(2)})
	_, err := dx.DescribeInterconnects(ctx, &directconnect.DescribeInterconnectsInput{MaxResults: aws.Int32(2), NextToken: first.NextToken})
	wantAPIError(t, err, "DirectConnectClientException", "Invalid pagination token")
	_, err = dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{NextToken: aws.String("garbage!")})
	wantAPIError(t, err, "DirectConnectClientException", "Invalid pagination token")
	_, err = dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{MaxResults: aws.Int32(0)})
	wantAPIError(t, err, "DirectConnectClientException", "maxResults must be between 1 and 100")
	big, err := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{MaxResults: aws.Int32(1000)})
	if err != nil || len(big.Connections) != 5 || big.NextToken != nil {
		t.Fatalf("maxResults above 100: %v, %d", err, len(big.Connections))
	}
}

func TestLoaIsAPDFNamingTheResource(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	c := createConnection(t, dx, "TstA1", "1Gbps")
	loa, err := dx.DescribeLoa(ctx, &directconnect.DescribeLoaInput{ConnectionId: c.ConnectionId, ProviderName: aws.String("Acme Fiber")})
	if err != nil {
		t.Fatal(err)
	}
	if loa.LoaContentType != types.LoaContentTypePdf || !bytes.HasPrefix(loa.LoaContent, []byte("%PDF-1.4")) {
		t.Fatalf("LOA %s %q", loa.LoaContentType, loa.LoaContent[:min(20, len(loa.LoaContent))])
	}
	for _, want := range []string{aws.ToString(c.ConnectionId), deviceA1, "TstA1", "Acme Fiber"} {
		if !bytes.Contains(loa.LoaContent, []byte(want)) {
			t.Fatalf("LOA does not name %q", want)
		}
	}
	twin, err := dx.DescribeConnectionLoa(ctx, &directconnect.DescribeConnectionLoaInput{ConnectionId: c.ConnectionId})
	if err != nil || twin.Loa == nil || !bytes.HasPrefix(twin.Loa.LoaContent, []byte("%PDF")) {
		t.Fatalf("DescribeConnectionLoa: %v", err)
	}
	got, _ := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: c.ConnectionId})
	if got.Connections[0].LoaIssueTime == nil || !got.Connections[0].LoaIssueTime.Equal(e.clock.Now()) {
		t.Fatalf("loaIssueTime %v, want %v", got.Connections[0].LoaIssueTime, e.clock.Now())
	}
	_, err = dx.DescribeInterconnectLoa(ctx, &directconnect.DescribeInterconnectLoaInput{InterconnectId: c.ConnectionId})
	wantAPIError(t, err, "DirectConnectClientException", "Could not find Interconnect with ID")

	ic, err := dx.CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{InterconnectName: aws.String("ic"), Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps")})
	if err != nil {
		t.Fatal(err)
	}
	il, err := dx.DescribeInterconnectLoa(ctx, &directconnect.DescribeInterconnectLoaInput{InterconnectId: ic.InterconnectId})
	if err != nil || !bytes.Contains(il.Loa.LoaContent, []byte(aws.ToString(ic.InterconnectId))) {
		t.Fatalf("DescribeInterconnectLoa: %v", err)
	}
	dx.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: c.ConnectionId})
	_, err = dx.DescribeLoa(ctx, &directconnect.DescribeLoaInput{ConnectionId: c.ConnectionId})
	wantAPIError(t, err, "DirectConnectClientException", "LOA is not available")
}

func TestCreateConnectionWithLagId(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	// 1G ports exist only on A1 (two of them): a 1G LAG takes one, a member added with lagId
	// the other; the next is refused and nothing is created.
	l := createLag(t, dx, "TstA1", "1Gbps", 1)
	add := func(loc, bw string) (*directconnect.CreateConnectionOutput, error) {
		return dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("m"), Location: aws.String(loc), Bandwidth: aws.String(bw), LagId: l.LagId})
	}
	m, err := add("tsta1", "1Gbps")
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(m.AwsDeviceV2) != aws.ToString(l.AwsDeviceV2) || aws.ToString(m.LagId) != aws.ToString(l.LagId) {
		t.Fatalf("member %+v", m)
	}
	before := e.holders()
	_, err = add("TstA1", "1Gbps")
	wantAPIError(t, err, "DirectConnectClientException", "No ports are available on device "+deviceA1, aws.ToString(l.LagId))
	_, err = add("TstB1", "10Gbps")
	wantAPIError(t, err, "DirectConnectClientException", "Location TstB1", "TstA1")
	_, err = add("TstA1", "10Gbps")
	wantAPIError(t, err, "DirectConnectClientException", "Bandwidth 10Gbps", "1Gbps")
	if after := e.holders(); len(after) != len(before) {
		t.Fatalf("refused creates took ports: %d -> %d", len(before), len(after))
	}
	got, _ := dx.DescribeLags(ctx, &directconnect.DescribeLagsInput{LagId: l.LagId})
	if got.Lags[0].NumberOfConnections != 2 {
		t.Fatalf("LAG has %d members, want 2", got.Lags[0].NumberOfConnections)
	}
	conns, _ := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	if len(conns.Connections) != 2 {
		t.Fatalf("%d connections, want 2", len(conns.Connections))
	}
}
