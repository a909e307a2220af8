package api_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
)

// A body over the limit is a body that cannot be read: 400 SerializationException
// (behaviour.md §1.1), not 413.
func TestBodyOverTheLimitIsASerializationException(t *testing.T) {
	e := newEnv(t)
	body := `{"connectionName":"` + strings.Repeat("x", 2<<20) + `"}`
	status, h, m := e.raw("OvertureService.DescribeConnections", body)
	if status != 400 || m["__type"] != "SerializationException" || h.Get("x-amzn-ErrorType") != "SerializationException" {
		t.Fatalf("%d %v", status, m)
	}
	if msg, _ := m["message"].(string); !strings.Contains(msg, "1 MiB") {
		t.Fatalf("message %q", msg)
	}
}

// Invalid UTF-8 is refused, naming the member, rather than stored as U+FFFD.
func TestInvalidUTF8IsRefused(t *testing.T) {
	e := newEnv(t)
	cases := []struct{ name, body, member string }{
		{"raw bytes in a member", "{\"location\":\"TstA1\",\"bandwidth\":\"1Gbps\",\"connectionName\":\"a\xff\xfeb\"}", "connectionName"},
		{"lone surrogate escape", `{"location":"TstA1","bandwidth":"1Gbps","connectionName":"a\ud800b"}`, "connectionName"},
		{"in a list element", "{\"location\":\"TstA1\",\"bandwidth\":\"1Gbps\",\"connectionName\":\"x\",\"tags\":[{\"key\":\"k\xc3\",\"value\":\"v\"}]}", "tags[0].key"},
		{"in an unknown member", "{\"location\":\"TstA1\",\"bandwidth\":\"1Gbps\",\"connectionName\":\"x\",\"future\":\"\xff\"}", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, m := e.raw("OvertureService.CreateConnection", tc.body)
			if status != 400 || m["__type"] != "SerializationException" {
				t.Fatalf("%d %v", status, m)
			}
			msg, _ := m["message"].(string)
			if !strings.Contains(msg, "UTF-8") || !strings.Contains(msg, tc.member) {
				t.Fatalf("message %q does not name %q", msg, tc.member)
			}
		})
	}
	out, err := e.client(owner).DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	if err != nil || len(out.Connections) != 0 {
		t.Fatalf("a refused create left %v (%v)", out, err)
	}
	// A real U+FFFD, sent as such, is a valid character and kept.
	c, err := e.client(owner).CreateConnection(ctx, &directconnect.CreateConnectionInput{Location: aws.String("TstA1"), Bandwidth: aws.String("1Gbps"), ConnectionName: aws.String("a\ufffdb")})
	if err != nil || aws.ToString(c.ConnectionName) != "a\ufffdb" {
		t.Fatalf("%v %v", c, err)
	}
}

// An unknown target is repeated only in part.
func TestUnknownOperationEchoesAShortTarget(t *testing.T) {
	e := newEnv(t)
	long := "OvertureService." + strings.Repeat("A", 500<<10)
	status, _, m := e.raw(long, `{}`)
	msg, _ := m["message"].(string)
	if status != 400 || m["__type"] != "UnknownOperationException" || len(msg) > 200 || !strings.Contains(msg, "OvertureService.AAAA") || !strings.Contains(msg, "...") {
		t.Fatalf("%d, message of %d bytes: %.200q", status, len(msg), msg)
	}
}

// DescribeLoa with a LAG id the caller does not own names the LAG.
func TestDescribeLoaOfAForeignLagNamesTheLag(t *testing.T) {
	e := newEnv(t)
	l := createLag(t, e.client(owner), "TstA1", "10Gbps", 1)
	_, err := e.client(other).DescribeLoa(ctx, &directconnect.DescribeLoaInput{ConnectionId: l.LagId})
	wantAPIError(t, err, "DirectConnectClientException", "Could not find Lag with ID "+aws.ToString(l.LagId))
	_, err = e.client(other).DescribeLoa(ctx, &directconnect.DescribeLoaInput{ConnectionId: aws.String("dxcon-fzzzzzzz")})
	wantAPIError(t, err, "DirectConnectClientException", "Could not find Connection with ID dxcon-fzzzzzzz")
}
