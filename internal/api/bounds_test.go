package api_test

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/dxlocal/dxlocal/internal/limit"
)

// A credential scope whose region is not a region name is refused as AWS refuses it, and
// no state is made for it.
func TestMalformedRegionIsRefusedAndMakesNoRegion(t *testing.T) {
	e := newEnv(t)
	// Through the SDK, for names it is willing to sign with.
	for _, region := range []string{"moon", "US-EAST-1", "us-east-123", "us-" + strings.Repeat("a", 40) + "-1"} {
		t.Run(region, func(t *testing.T) {
			_, err := e.clientIn(owner, region).DescribeLocations(ctx, &directconnect.DescribeLocationsInput{})
			wantAPIError(t, err, "InvalidSignatureException", "Credential should be scoped to a valid region", region)
			var re *awshttp.ResponseError
			if !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusForbidden {
				t.Fatalf("status: %v", err)
			}
			if e.store.HasRegion(region) {
				t.Fatal("a Region was made for a refused name")
			}
		})
	}
	// By hand, for names the SDK refuses to send.
	for _, region := range []string{"us-east-1-", strings.Repeat("r", 900<<10)} {
		t.Run(limit.Cut(region, 20), func(t *testing.T) {
			auth := "AWS4-HMAC-SHA256 Credential=" + owner + "/20261125/" + region + "/directconnect/aws4_request, SignedHeaders=host, Signature=00"
			status, h, m := e.raw("OvertureService.DescribeConnections", `{}`, "Authorization", auth)
			msg, _ := m["message"].(string)
			if status != http.StatusForbidden || m["__type"] != "InvalidSignatureException" || h.Get("x-amzn-ErrorType") != "InvalidSignatureException" {
				t.Fatalf("%d %.200v", status, m)
			}
			if len(msg) > 200 || !strings.Contains(msg, limit.Cut(region, limit.Echo)) {
				t.Fatalf("message of %d bytes: %.200q", len(msg), msg)
			}
			if e.store.HasRegion(region) {
				t.Fatal("a Region was made for a refused name")
			}
		})
	}
	for _, region := range []string{"us-east-1", "us-gov-west-1", "ap-southeast-5", "eu-isoe-west-1", "cn-north-1"} {
		if _, err := e.clientIn(owner, region).DescribeLocations(ctx, &directconnect.DescribeLocationsInput{}); err != nil {
			t.Fatalf("%s: %v", region, err)
		}
	}
}

// Every bound of internal/limit is enforced through the wire, naming the member, the length
// and the limit, and the value at the bound is accepted.
func TestInputBounds(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := createConnection(t, dx, "TstA1", "1Gbps")
	lag := createLag(t, dx, "TstA1", "10Gbps", 1)
	long := func(n int) *string { return aws.String(strings.Repeat("n", n)) }
	cases := []struct {
		member string
		max    int
		call   func(v *string) error
	}{
		{"connectionName", limit.Name, func(v *string) error {
			_, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"), ConnectionName: v})
			return err
		}},
		{"connectionName", limit.Name, func(v *string) error {
			_, err := dx.UpdateConnection(ctx, &directconnect.UpdateConnectionInput{ConnectionId: conn.ConnectionId, ConnectionName: v})
			return err
		}},
		{"lagName", limit.Name, func(v *string) error {
			_, err := dx.UpdateLag(ctx, &directconnect.UpdateLagInput{LagId: lag.LagId, LagName: v})
			return err
		}},
		{"lagName", limit.Name, func(v *string) error {
			_, err := dx.CreateLag(ctx, &directconnect.CreateLagInput{Location: aws.String("TstB1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 1, LagName: v})
			return err
		}},
		{"interconnectName", limit.Name, func(v *string) error {
			_, err := dx.CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"), InterconnectName: v})
			return err
		}},
		{"providerName", limit.ProviderName, func(v *string) error {
			_, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"), ConnectionName: aws.String("p"), ProviderName: v})
			return err
		}},
		{"providerName", limit.ProviderName, func(v *string) error {
			_, err := dx.DescribeLoa(ctx, &directconnect.DescribeLoaInput{ConnectionId: conn.ConnectionId, ProviderName: v})
			return err
		}},
		{"connectionName", limit.Name, func(v *string) error {
			_, err := e.client(partner).AllocateHostedConnection(ctx, &directconnect.AllocateHostedConnectionInput{ConnectionId: aws.String("dxcon-fzzzzzzz"), OwnerAccount: aws.String(owner), Bandwidth: aws.String("50Mbps"), Vlan: 5, ConnectionName: v})
			return err
		}},
	}
	for i, tc := range cases {
		t.Run(fmt.Sprintf("%d %s", i, tc.member), func(t *testing.T) {
			before := len(e.holders())
			huge := 900 << 10
			err := tc.call(long(huge))
			if err != nil && len(err.Error()) > 1000 {
				t.Fatalf("the answer repeats the value: %d bytes", len(err.Error()))
			}
			wantAPIError(t, err, "DirectConnectClientException", tc.member, strconv.Itoa(huge), strconv.Itoa(tc.max))
			err = tc.call(long(tc.max + 1))
			wantAPIError(t, err, "DirectConnectClientException", tc.member, strconv.Itoa(tc.max+1), strconv.Itoa(tc.max))
			if after := len(e.holders()); after != before {
				t.Fatalf("a refused call took a port: %d -> %d", before, after)
			}
			// At the bound the member itself is fine: whatever the call says next is not about it.
			if err := tc.call(long(tc.max)); err != nil && strings.Contains(err.Error(), "length must be") {
				t.Fatalf("a value at the bound was refused: %v", err)
			}
		})
	}
}

func TestDescribeTagsTakesAtMostTheLimitOfARNs(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	c := createConnection(t, dx, "TstA1", "1Gbps")
	arn := *arnOf(usEast, owner, "dxcon", aws.ToString(c.ConnectionId))
	arns := make([]string, limit.DescribeTagsARNs+1)
	for i := range arns {
		arns[i] = arn
	}
	_, err := dx.DescribeTags(ctx, &directconnect.DescribeTagsInput{ResourceArns: arns})
	wantAPIError(t, err, "DirectConnectClientException", "resourceArns", strconv.Itoa(limit.DescribeTagsARNs+1), strconv.Itoa(limit.DescribeTagsARNs))
	out, err := dx.DescribeTags(ctx, &directconnect.DescribeTagsInput{ResourceArns: arns[:limit.DescribeTagsARNs]})
	if err != nil || len(out.ResourceTags) != limit.DescribeTagsARNs {
		t.Fatalf("%v %v", out, err)
	}
}

func TestMacSecKeysPerConnectionAreBounded(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	c, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("m"), Location: aws.String("TstA1"), Bandwidth: aws.String("10Gbps"), RequestMACSec: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	ckn := func(i int) *string { return aws.String(fmt.Sprintf("%064x", i)) }
	var first string
	for i := range limit.MacSecKeys {
		a, err := dx.AssociateMacSecKey(ctx, &directconnect.AssociateMacSecKeyInput{ConnectionId: c.ConnectionId, Ckn: ckn(i), Cak: aws.String(cak)})
		if err != nil {
			t.Fatalf("key %d: %v", i, err)
		}
		first = aws.ToString(a.MacSecKeys[0].SecretARN)
	}
	_, err = dx.AssociateMacSecKey(ctx, &directconnect.AssociateMacSecKeyInput{ConnectionId: c.ConnectionId, Ckn: ckn(limit.MacSecKeys), Cak: aws.String(cak)})
	wantAPIError(t, err, "DirectConnectClientException", "MACsec key limit of "+strconv.Itoa(limit.MacSecKeys), aws.ToString(c.ConnectionId))
	got, _ := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: c.ConnectionId})
	if n := len(got.Connections[0].MacSecKeys); n != limit.MacSecKeys {
		t.Fatalf("%d keys after a refused association", n)
	}
	// A key on its way out no longer counts.
	if _, err := dx.DisassociateMacSecKey(ctx, &directconnect.DisassociateMacSecKeyInput{ConnectionId: c.ConnectionId, SecretARN: aws.String(first)}); err != nil {
		t.Fatal(err)
	}
	if _, err := dx.AssociateMacSecKey(ctx, &directconnect.AssociateMacSecKeyInput{ConnectionId: c.ConnectionId, Ckn: ckn(limit.MacSecKeys), Cak: aws.String(cak)}); err != nil {
		t.Fatal(err)
	}
}

func TestSTSRefusesAMalformedRegion(t *testing.T) {
	e := newEnv(t)
	client := sts.New(sts.Options{
		Region: "moon", BaseEndpoint: aws.String(e.srv.URL), Retryer: aws.NopRetryer{},
		Credentials: credentials.NewStaticCredentialsProvider(owner, "secret", ""),
	})
	_, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantAPIError(t, err, "SignatureDoesNotMatch", "Credential should be scoped to a valid region", "moon")
}
