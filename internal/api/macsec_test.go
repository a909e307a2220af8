package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
)

var (
	ckn1 = strings.Repeat("0a", 32)
	ckn2 = strings.Repeat("1b", 32)
	cak  = strings.Repeat("Ff", 32)
)

func TestMacSecKeysOnAConnection(t *testing.T) {
	e := newEnv(t, withDwell(time.Second))
	dx := e.client(owner)
	c, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("m"), Location: aws.String("TstA1"), Bandwidth: aws.String("10Gbps"), RequestMACSec: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(c.PortEncryptionStatus) != "Encryption Down" || c.MacSecKeys == nil {
		t.Fatalf("new MACsec connection %+v", c)
	}
	a, err := dx.AssociateMacSecKey(ctx, &directconnect.AssociateMacSecKeyInput{ConnectionId: c.ConnectionId, Ckn: aws.String(ckn1), Cak: aws.String(cak)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(a.ConnectionId) != aws.ToString(c.ConnectionId) || len(a.MacSecKeys) != 1 {
		t.Fatalf("associate %+v", a)
	}
	k := a.MacSecKeys[0]
	arn := aws.ToString(k.SecretARN)
	if aws.ToString(k.Ckn) != ckn1 || aws.ToString(k.State) != "associating" || aws.ToString(k.StartOn) == "" ||
		!strings.HasPrefix(arn, "arn:aws:secretsmanager:us-east-1:"+owner+":secret:directconnect!prod/us-east-1/directconnect/"+ckn1+"-") {
		t.Fatalf("key %+v", k)
	}
	_, err = dx.AssociateMacSecKey(ctx, &directconnect.AssociateMacSecKeyInput{ConnectionId: c.ConnectionId, SecretARN: aws.String(arn)})
	wantAPIError(t, err, "DirectConnectClientException", "CKN "+ckn1+" is already associated")
	cases := []struct {
		name string
		in   directconnect.AssociateMacSecKeyInput
		want string
	}{
		{"both forms", directconnect.AssociateMacSecKeyInput{SecretARN: aws.String(arn), Ckn: aws.String(ckn2), Cak: aws.String(cak)}, "either secretARN, or both ckn and cak"},
		{"ckn alone", directconnect.AssociateMacSecKeyInput{Ckn: aws.String(ckn2)}, "either secretARN, or both ckn and cak"},
		{"nothing", directconnect.AssociateMacSecKeyInput{}, "either secretARN"},
		{"short ckn", directconnect.AssociateMacSecKeyInput{Ckn: aws.String("abc"), Cak: aws.String(cak)}, "ckn abc is not valid"},
		{"foreign secret", directconnect.AssociateMacSecKeyInput{SecretARN: aws.String("arn:aws:secretsmanager:us-east-1:" + other + ":secret:x")}, "does not exist"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.ConnectionId = c.ConnectionId
			_, err := dx.AssociateMacSecKey(ctx, &tc.in)
			wantAPIError(t, err, "DirectConnectClientException", tc.want)
		})
	}
	// Another account cannot use the secret.
	_, err = e.client(other).AssociateMacSecKey(ctx, &directconnect.AssociateMacSecKeyInput{ConnectionId: c.ConnectionId, SecretARN: aws.String(arn)})
	wantAPIError(t, err, "DirectConnectClientException", "Could not find Connection with ID")

	e.clock.Advance(3 * time.Second) // connection available, key associated
	if _, err := dx.UpdateConnection(ctx, &directconnect.UpdateConnectionInput{ConnectionId: c.ConnectionId, EncryptionMode: aws.String("must_encrypt")}); err != nil {
		t.Fatal(err)
	}
	got, _ := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: c.ConnectionId})
	cc := got.Connections[0]
	if aws.ToString(cc.PortEncryptionStatus) != "Encryption Up" || aws.ToString(cc.MacSecKeys[0].State) != "associated" {
		t.Fatalf("after the dwell %+v", cc)
	}
	d, err := dx.DisassociateMacSecKey(ctx, &directconnect.DisassociateMacSecKeyInput{ConnectionId: c.ConnectionId, SecretARN: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.MacSecKeys) != 1 || aws.ToString(d.MacSecKeys[0].State) != "disassociating" {
		t.Fatalf("disassociate %+v", d)
	}
	got, _ = dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: c.ConnectionId})
	if aws.ToString(got.Connections[0].EncryptionMode) != "should_encrypt" {
		t.Fatalf("must_encrypt without keys: %s", aws.ToString(got.Connections[0].EncryptionMode))
	}
	e.clock.Advance(time.Second)
	got, _ = dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: c.ConnectionId})
	if len(got.Connections[0].MacSecKeys) != 0 || aws.ToString(got.Connections[0].PortEncryptionStatus) != "Encryption Down" {
		t.Fatalf("after disassociation %+v", got.Connections[0])
	}
	// The secret outlives the association and can be used again.
	if _, err := dx.AssociateMacSecKey(ctx, &directconnect.AssociateMacSecKeyInput{ConnectionId: c.ConnectionId, SecretARN: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	plain := createConnection(t, dx, "TstA1", "10Gbps")
	_, err = dx.AssociateMacSecKey(ctx, &directconnect.AssociateMacSecKeyInput{ConnectionId: plain.ConnectionId, SecretARN: aws.String(arn)})
	wantAPIError(t, err, "DirectConnectClientException", "is not MACsec capable")
}

func TestMacSecKeysOnALagReachItsMembers(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	l, err := dx.CreateLag(ctx, &directconnect.CreateLagInput{LagName: aws.String("m"), Location: aws.String("TstA1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 2, RequestMACSec: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dx.AssociateMacSecKey(ctx, &directconnect.AssociateMacSecKeyInput{ConnectionId: l.LagId, Ckn: aws.String(ckn1), Cak: aws.String(cak)}); err != nil {
		t.Fatal(err)
	}
	got, _ := dx.DescribeLags(ctx, &directconnect.DescribeLagsInput{LagId: l.LagId})
	lag := got.Lags[0]
	if len(lag.MacSecKeys) != 1 || aws.ToString(lag.MacSecKeys[0].State) != "associated" {
		t.Fatalf("LAG keys %+v", lag.MacSecKeys)
	}
	for _, m := range lag.Connections {
		if len(m.MacSecKeys) != 1 || aws.ToString(m.MacSecKeys[0].Ckn) != ckn1 {
			t.Fatalf("member keys %+v", m.MacSecKeys)
		}
	}
	_, err = dx.AssociateMacSecKey(ctx, &directconnect.AssociateMacSecKeyInput{ConnectionId: lag.Connections[0].ConnectionId, Ckn: aws.String(ckn2), Cak: aws.String(cak)})
	wantAPIError(t, err, "DirectConnectClientException", "associate MACsec keys with the LAG")
	_, err = dx.CreateLag(ctx, &directconnect.CreateLagInput{LagName: aws.String("x"), Location: aws.String("TstB1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 1, RequestMACSec: aws.Bool(true)})
	wantAPIError(t, err, "DirectConnectClientException", "MACsec is not available at location TstB1")
}
