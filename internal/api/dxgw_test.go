package api_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

// createDXGW creates a gateway of account and returns it as created.
func (e *env) createDXGW(account, name string, asn int64) types.DirectConnectGateway {
	e.t.Helper()
	out, err := e.client(account).CreateDirectConnectGateway(ctx, &directconnect.CreateDirectConnectGatewayInput{
		DirectConnectGatewayName: aws.String(name),
		AmazonSideAsn:            aws.Int64(asn),
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return *out.DirectConnectGateway
}

// readDXGW reads one gateway by id as account; ok is false when the list is empty.
func (e *env) readDXGW(account, id string) (types.DirectConnectGateway, bool) {
	e.t.Helper()
	out, err := e.client(account).DescribeDirectConnectGateways(ctx, &directconnect.DescribeDirectConnectGatewaysInput{DirectConnectGatewayId: aws.String(id)})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(out.DirectConnectGateways) == 0 {
		return types.DirectConnectGateway{}, false
	}
	if len(out.DirectConnectGateways) > 1 {
		e.t.Fatalf("%d gateways answer id %s", len(out.DirectConnectGateways), id)
	}
	return out.DirectConnectGateways[0], true
}

func wantDXRefusal(t *testing.T, err error, parts ...string) {
	t.Helper()
	var ce *types.DirectConnectClientException
	if !errors.As(err, &ce) {
		t.Fatalf("want DirectConnectClientException, got %v", err)
	}
	wantAPIError(t, err, "DirectConnectClientException", parts...)
}

func TestDXGatewayLifecycle(t *testing.T) {
	for _, dwell := range []time.Duration{0, time.Minute} {
		t.Run(dwell.String(), func(t *testing.T) {
			e := newEnv(t, withDwell(dwell))
			dx := e.client(owner)
			created, err := dx.CreateDirectConnectGateway(ctx, &directconnect.CreateDirectConnectGatewayInput{
				DirectConnectGatewayName: aws.String("gw-one"),
				Tags:                     []types.Tag{{Key: aws.String("team"), Value: aws.String("net")}},
			})
			if err != nil {
				t.Fatal(err)
			}
			g := created.DirectConnectGateway
			if g.DirectConnectGatewayState != types.DirectConnectGatewayStatePending || aws.ToInt64(g.AmazonSideAsn) != 64512 ||
				aws.ToString(g.OwnerAccount) != owner || aws.ToString(g.DirectConnectGatewayName) != "gw-one" || len(g.Tags) != 1 {
				t.Fatalf("created %+v", g)
			}
			id := aws.ToString(g.DirectConnectGatewayId)
			if len(id) != 36 || strings.Count(id, "-") != 4 || id[14] != '4' {
				t.Fatalf("id %q is not a UUID v4", id)
			}
			if dwell > 0 {
				if got, _ := e.readDXGW(owner, id); got.DirectConnectGatewayState != types.DirectConnectGatewayStatePending {
					t.Fatalf("before the dwell: %s", got.DirectConnectGatewayState)
				}
				e.clock.Advance(dwell)
			}
			if got, _ := e.readDXGW(owner, id); got.DirectConnectGatewayState != types.DirectConnectGatewayStateAvailable {
				t.Fatalf("after the dwell: %s", got.DirectConnectGatewayState)
			}
			// Global: the same gateway from another region.
			all, err := e.clientIn(owner, euWest).DescribeDirectConnectGateways(ctx, &directconnect.DescribeDirectConnectGatewaysInput{})
			if err != nil || len(all.DirectConnectGateways) != 1 || aws.ToString(all.DirectConnectGateways[0].DirectConnectGatewayId) != id {
				t.Fatalf("from eu-west-1: %+v, %v", all, err)
			}
			up, err := dx.UpdateDirectConnectGateway(ctx, &directconnect.UpdateDirectConnectGatewayInput{DirectConnectGatewayId: aws.String(id), NewDirectConnectGatewayName: aws.String("gw-renamed")})
			if err != nil || aws.ToString(up.DirectConnectGateway.DirectConnectGatewayName) != "gw-renamed" {
				t.Fatalf("update: %+v, %v", up, err)
			}
			del, err := dx.DeleteDirectConnectGateway(ctx, &directconnect.DeleteDirectConnectGatewayInput{DirectConnectGatewayId: aws.String(id)})
			if err != nil || del.DirectConnectGateway.DirectConnectGatewayState != types.DirectConnectGatewayStateDeleting {
				t.Fatalf("delete: %+v, %v", del, err)
			}
			if dwell > 0 {
				if got, _ := e.readDXGW(owner, id); got.DirectConnectGatewayState != types.DirectConnectGatewayStateDeleting {
					t.Fatalf("deleting before the dwell: %s", got.DirectConnectGatewayState)
				}
				e.clock.Advance(dwell)
			}
			if got, ok := e.readDXGW(owner, id); ok {
				t.Fatalf("a deleted gateway is still listed: %+v", got)
			}
			_, err = dx.DeleteDirectConnectGateway(ctx, &directconnect.DeleteDirectConnectGatewayInput{DirectConnectGatewayId: aws.String(id)})
			wantDXRefusal(t, err, "does not exist", id)
		})
	}
}

func TestDXGatewayRefusals(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	for _, tc := range []struct {
		name  string
		in    directconnect.CreateDirectConnectGatewayInput
		parts []string
	}{
		{"asn 7224", directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String("g"), AmazonSideAsn: aws.Int64(7224)}, []string{"amazonSideAsn", "7224"}},
		{"asn 65535", directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String("g"), AmazonSideAsn: aws.Int64(65535)}, []string{"amazonSideAsn", "65535"}},
		{"asn 4199999999", directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String("g"), AmazonSideAsn: aws.Int64(4199999999)}, []string{"amazonSideAsn", "4199999999"}},
		{"empty name", directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String("")}, []string{"directConnectGatewayName"}},
		{"long name", directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String(strings.Repeat("n", 101))}, []string{"directConnectGatewayName", strings.Repeat("n", 101)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dx.CreateDirectConnectGateway(ctx, &tc.in)
			wantDXRefusal(t, err, tc.parts...)
		})
	}
	for _, asn := range []int64{64512, 65534, 4200000000, 4294967294} {
		if g := e.createDXGW(owner, "edge", asn); aws.ToInt64(g.AmazonSideAsn) != asn {
			t.Fatalf("asn %d answered as %d", asn, aws.ToInt64(g.AmazonSideAsn))
		}
	}
	all, _ := dx.DescribeDirectConnectGateways(ctx, &directconnect.DescribeDirectConnectGatewaysInput{})
	if len(all.DirectConnectGateways) != 4 {
		t.Fatalf("refused creates left gateways behind: %d listed", len(all.DirectConnectGateways))
	}

	g := e.createDXGW(owner, "mine", 64512)
	id := aws.ToString(g.DirectConnectGatewayId)
	// Another account sees nothing and can change nothing.
	if _, ok := e.readDXGW(other, id); ok {
		t.Fatal("another account sees the gateway")
	}
	_, err := e.client(other).DeleteDirectConnectGateway(ctx, &directconnect.DeleteDirectConnectGatewayInput{DirectConnectGatewayId: aws.String(id)})
	wantDXRefusal(t, err, "does not exist", id)
	_, err = e.client(other).UpdateDirectConnectGateway(ctx, &directconnect.UpdateDirectConnectGatewayInput{DirectConnectGatewayId: aws.String(id), NewDirectConnectGatewayName: aws.String("x")})
	wantDXRefusal(t, err, "does not exist", id)
	_, err = dx.UpdateDirectConnectGateway(ctx, &directconnect.UpdateDirectConnectGatewayInput{DirectConnectGatewayId: aws.String(id), NewDirectConnectGatewayName: aws.String("")})
	wantDXRefusal(t, err, "newDirectConnectGatewayName")
	_, err = dx.DeleteDirectConnectGateway(ctx, &directconnect.DeleteDirectConnectGatewayInput{DirectConnectGatewayId: aws.String("dxcon-ffabcdef")})
	wantDXRefusal(t, err, "dxcon-ffabcdef", "invalid format")
	// The ARN names the gateway too.
	arn := "arn:aws:directconnect::" + owner + ":dx-gateway/" + id
	if got, ok := e.readDXGW(owner, arn); !ok || aws.ToString(got.DirectConnectGatewayId) != id {
		t.Fatalf("by ARN: %+v %v", got, ok)
	}
	// Unknown id: an empty list, not an error.
	if _, ok := e.readDXGW(owner, "5f294f92-bafb-4011-916d-9b0bd0000000"); ok {
		t.Fatal("an unknown id answered a gateway")
	}
}

func TestDXGatewayQuota(t *testing.T) {
	e := newEnv(t)
	q := e.store.Quotas()
	q.GatewaysPerAccount = 2
	e.store.SetQuotas(q)
	e.createDXGW(owner, "a", 64512)
	e.createDXGW(owner, "b", 64512)
	_, err := e.client(owner).CreateDirectConnectGateway(ctx, &directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String("c")})
	wantDXRefusal(t, err, "limit of 2", owner)
	// Another account has its own quota.
	e.createDXGW(other, "c", 64512)
}
