package dxlocaltest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/aws/smithy-go"

	"github.com/dxlocal/dxlocal/dxlocaltest"
)

// These tests are written as a user of dxlocal writes theirs.

const account = "111111111111"

func createConnection(t *testing.T, dx *directconnect.Client) string {
	t.Helper()
	c, err := dx.CreateConnection(context.Background(), &directconnect.CreateConnectionInput{
		ConnectionName: aws.String("primary"), Location: aws.String("EqDC2"), Bandwidth: aws.String("10Gbps")})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(c.ConnectionId)
}

func state(t *testing.T, dx *directconnect.Client, id string) types.ConnectionState {
	t.Helper()
	out, err := dx.DescribeConnections(context.Background(), &directconnect.DescribeConnectionsInput{ConnectionId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	return out.Connections[0].ConnectionState
}

// A provisioning that takes a day is over after one call, not a day's sleep.
func TestAdvanceInsteadOfWaiting(t *testing.T) {
	dx := dxlocaltest.Start(t, dxlocaltest.WithDwell(24*time.Hour))
	client := directconnect.NewFromConfig(dx.AWSConfig(account, "us-east-1"))
	id := createConnection(t, client)
	before := dx.Now()
	if s := state(t, client, id); s != types.ConnectionStateRequested {
		t.Fatalf("new connection is %s", s)
	}
	if now := dx.Advance(72 * time.Hour); now.Sub(before) < 72*time.Hour {
		t.Fatalf("Advance(72h) moved the clock from %v to %v", before, now)
	}
	if s := state(t, client, id); s != types.ConnectionStateAvailable {
		t.Fatalf("72 hours later the connection is %s", s)
	}
	became := dx.WaitForState(id, "available", time.Second)
	if became.Cause != "clock" || became.Type != "connection" || became.Account != account {
		t.Fatalf("change %+v", became)
	}
}

// With a real dwell, a test waits for the change without sleeping: dxlocal settles it when due.
func TestWaitForStateWithARealDwell(t *testing.T) {
	dx := dxlocaltest.Start(t, dxlocaltest.WithDwell(100*time.Millisecond))
	client := directconnect.NewFromConfig(dx.AWSConfig(account, "us-east-1"))
	id := createConnection(t, client)
	// No call touches the connection meanwhile: the waiting read settles it when due.
	e := dx.WaitForState(id, "available", 10*time.Second)
	if e.ResourceID != id || e.From != "pending" {
		t.Fatalf("change %+v", e)
	}
}

// The SDK's default retryer retries throttled calls; the journal shows each attempt.
func TestThrottlingIsRetriedBySDK(t *testing.T) {
	dx := dxlocaltest.Start(t)
	client := directconnect.NewFromConfig(dx.AWSConfig(account, "us-east-1"))
	f := dx.InjectFault(dxlocaltest.Fault{Operation: "CreateConnection", Error: "ThrottlingException", Count: 2})
	id := createConnection(t, client)
	calls, _ := dx.Journal(dxlocaltest.Query{Kind: "call", Operation: "CreateConnection"})
	if len(calls) != 3 || calls[0].FaultID != f.ID || calls[1].ErrorType != "ThrottlingException" || calls[2].Status != 200 || calls[2].ResourceIDs[0] != id {
		t.Fatalf("journal %+v", calls)
	}
	if len(dx.Faults()) != 0 {
		t.Fatal("a used-up fault is still in force")
	}
}

func TestFaults(t *testing.T) {
	dx := dxlocaltest.Start(t)
	client := directconnect.NewFromConfig(dx.AWSConfig(account, "us-east-1"), func(o *directconnect.Options) {
		o.Retryer = aws.NopRetryer{}
	})
	f := dx.InjectFault(dxlocaltest.Fault{Operation: "*", Error: "DirectConnectServerException", Message: "Try later.", Count: dxlocaltest.UntilRemoved, Region: "us-east-1"})
	if f.ID == "" || f.Status != 500 || f.Remaining != dxlocaltest.UntilRemoved || f.Count != dxlocaltest.UntilRemoved {
		t.Fatalf("fault %+v", f)
	}
	_, err := client.DescribeLocations(context.Background(), &directconnect.DescribeLocationsInput{})
	var se *types.DirectConnectServerException
	if !errors.As(err, &se) || se.ErrorMessage() != "Try later." {
		t.Fatalf("want the injected DirectConnectServerException, got %v", err)
	}
	other := directconnect.NewFromConfig(dx.AWSConfig(account, "eu-west-1"))
	if _, err := other.DescribeLocations(context.Background(), &directconnect.DescribeLocationsInput{}); err != nil {
		t.Fatalf("a fault of us-east-1 hit eu-west-1: %v", err)
	}
	dx.RemoveFault(f.ID)
	if _, err := client.DescribeLocations(context.Background(), &directconnect.DescribeLocationsInput{}); err != nil {
		t.Fatal(err)
	}
	dx.InjectFault(dxlocaltest.Fault{Operation: "DescribeLocations", Error: "DirectConnectClientException", After: 1})
	if _, err := client.DescribeLocations(context.Background(), &directconnect.DescribeLocationsInput{}); err != nil {
		t.Fatalf("the first call must pass (After 1): %v", err)
	}
	_, err = client.DescribeLocations(context.Background(), &directconnect.DescribeLocationsInput{})
	var ce *types.DirectConnectClientException
	if !errors.As(err, &ce) {
		t.Fatalf("want DirectConnectClientException, got %v", err)
	}
	dx.InjectFault(dxlocaltest.Fault{Operation: "*", Delay: time.Millisecond, Count: 5})
	dx.ClearFaults()
	if len(dx.Faults()) != 0 {
		t.Fatal("ClearFaults left faults")
	}
	_, err = dx.TryInjectFault(dxlocaltest.Fault{Operation: "CreateWidget", Error: "DirectConnectServerException"})
	var ae *dxlocaltest.AdminError
	if !errors.As(err, &ae) || ae.Status != http.StatusBadRequest {
		t.Fatalf("want a 400 AdminError for an unknown operation, got %v", err)
	}
}

func TestJournalQueries(t *testing.T) {
	dx := dxlocaltest.Start(t)
	client := directconnect.NewFromConfig(dx.AWSConfig(account, "us-east-1"))
	id := createConnection(t, client)
	state(t, client, id)
	events, last := dx.Journal(dxlocaltest.Query{Resource: id})
	if len(events) < 4 || events[0].Operation != "CreateConnection" || events[1].To != "requested" || last < events[len(events)-1].Seq {
		t.Fatalf("journal %+v", events)
	}
	if string(events[0].Request) != `{"bandwidth":"10Gbps","connectionName":"primary","location":"EqDC2"}` {
		t.Fatalf("request %s", events[0].Request)
	}
	if _, _, err := dx.TryJournal(dxlocaltest.Query{Kind: "both"}); err == nil {
		t.Fatal("a bad kind was accepted")
	}
	// A wait with nothing to come ends empty.
	if _, err := dx.WaitFor(dxlocaltest.Query{After: last, Kind: "change"}, 50*time.Millisecond, nil); !errors.Is(err, dxlocaltest.ErrTimeout) {
		t.Fatalf("want ErrTimeout, got %v", err)
	}
	dx.ClearJournal()
	if events, _ := dx.Journal(dxlocaltest.Query{}); len(events) != 0 {
		t.Fatalf("after ClearJournal %d events", len(events))
	}
}

func TestQuotas(t *testing.T) {
	dx := dxlocaltest.Start(t)
	if q := dx.Quotas(); q.LagsPerRegion != 10 || q.TagsPerResource != 50 {
		t.Fatalf("defaults %+v", q)
	}
	q := dx.SetQuotas(dxlocaltest.Quotas{ConnectionsPerLocation: 1})
	if q.ConnectionsPerLocation != 1 || q.LagsPerRegion != 10 {
		t.Fatalf("after SetQuotas %+v", q)
	}
	client := directconnect.NewFromConfig(dx.AWSConfig(account, "us-east-1"))
	createConnection(t, client)
	_, err := client.CreateConnection(context.Background(), &directconnect.CreateConnectionInput{
		ConnectionName: aws.String("second"), Location: aws.String("EqDC2"), Bandwidth: aws.String("10Gbps")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "DirectConnectClientException" {
		t.Fatalf("want the quota refusal, got %v", err)
	}
	dx.Reset()
	if q := dx.Quotas(); q.ConnectionsPerLocation != 10 {
		t.Fatalf("after Reset %+v", q)
	}
}

// The same seed and calls give the same ids, in a new dxlocal and after a reset.
func TestSeed(t *testing.T) {
	a := dxlocaltest.Start(t, dxlocaltest.WithSeed(7))
	b := dxlocaltest.Start(t, dxlocaltest.WithSeed(7))
	idA := createConnection(t, directconnect.NewFromConfig(a.AWSConfig(account, "us-east-1")))
	idB := createConnection(t, directconnect.NewFromConfig(b.AWSConfig(account, "us-east-1")))
	a.Reset()
	again := createConnection(t, directconnect.NewFromConfig(a.AWSConfig(account, "us-east-1")))
	if idA != idB || idA != again {
		t.Fatalf("seed 7 made %s, %s and after reset %s", idA, idB, again)
	}
}

// Do reaches every admin call, those without a helper too.
func TestDo(t *testing.T) {
	dx := dxlocaltest.Start(t)
	var health struct{ Status string }
	if err := dx.Do(http.MethodGet, "/health", nil, &health); err != nil || health.Status != "ok" {
		t.Fatalf("health %+v %v", health, err)
	}
	err := dx.Do(http.MethodDelete, "/faults/fault-404", nil, nil)
	var ae *dxlocaltest.AdminError
	if !errors.As(err, &ae) || ae.Status != http.StatusNotFound {
		t.Fatalf("want 404, got %v", err)
	}
}

// Attach drives a dxlocal started elsewhere, here one of New's.
func TestAttach(t *testing.T) {
	srv, err := dxlocaltest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dx := dxlocaltest.Attach(t, srv.URL)
	if dx.Now().IsZero() {
		t.Fatal("no clock")
	}
}
