package api_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

func createPartnerLag(t *testing.T, dx *directconnect.Client, loc, bw string, n int32) *directconnect.CreateLagOutput {
	t.Helper()
	lag, err := dx.CreateLag(ctx, &directconnect.CreateLagInput{
		LagName: aws.String("partner-lag"), Location: aws.String(loc), ConnectionsBandwidth: aws.String(bw), NumberOfConnections: n,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !lag.AllowsHostedConnections {
		t.Fatalf("a partner's LAG must allow hosted connections")
	}
	return lag
}

func TestInterconnectWithLagLandsOnTheLagsDevice(t *testing.T) {
	e := newEnv(t, withPartners(partner))
	dx := e.client(partner)
	lag := createPartnerLag(t, dx, "TstA1", "10Gbps", 1)
	for range 2 {
		ic, err := dx.CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{
			InterconnectName: aws.String("ic"), Location: aws.String("tsta1"), Bandwidth: aws.String("10Gbps"), LagId: lag.LagId,
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := aws.ToString(ic.AwsDeviceV2), aws.ToString(lag.AwsDeviceV2); got != want {
			t.Fatalf("interconnect on %s, LAG on %s", got, want)
		}
		if aws.ToString(ic.LagId) != aws.ToString(lag.LagId) || ic.InterconnectState != types.InterconnectStateRequested {
			t.Fatalf("interconnect %+v", ic)
		}
		if aws.ToString(ic.Location) != "TstA1" {
			t.Fatalf("location answered as %q, want the catalog spelling TstA1", aws.ToString(ic.Location))
		}
	}
	lags, err := dx.DescribeLags(ctx, &directconnect.DescribeLagsInput{LagId: lag.LagId})
	if err != nil {
		t.Fatal(err)
	}
	if n := lags.Lags[0].NumberOfConnections; n != 3 || len(lags.Lags[0].Connections) != 3 {
		t.Fatalf("LAG has %d members, want 3", n)
	}
}

func TestInterconnectWithLagFailsCleanlyWhenTheDeviceIsFull(t *testing.T) {
	e := newEnv(t, withPartners(partner))
	dx := e.client(partner)
	// 100G ports exist only on device A2 (two of them); a 100G LAG holds at most two members
	// anyway, so fill the device with one standalone interconnect and a one-member LAG.
	lag := createPartnerLag(t, dx, "TstA1", "100Gbps", 1)
	if _, err := dx.CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{
		InterconnectName: aws.String("filler"), Location: aws.String("TstA1"), Bandwidth: aws.String("100Gbps"),
	}); err != nil {
		t.Fatal(err)
	}
	if n := e.free(deviceA2, "100Gbps"); n != 0 {
		t.Fatalf("want device full, %d free", n)
	}
	before := e.holders()
	_, err := dx.CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{
		InterconnectName: aws.String("ic"), Location: aws.String("TstA1"), Bandwidth: aws.String("100Gbps"), LagId: lag.LagId,
	})
	wantAPIError(t, err, "DirectConnectClientException", deviceA2, aws.ToString(lag.LagId))
	ics, err := dx.DescribeInterconnects(ctx, &directconnect.DescribeInterconnectsInput{})
	if err != nil {
		t.Fatal(err)
	}
	// The LAG's own member is an interconnect too: 1 member + 1 filler.
	if len(ics.Interconnects) != 2 {
		t.Fatalf("want 2 interconnects after the refusal, got %d", len(ics.Interconnects))
	}
	if after := e.holders(); len(after) != len(before) {
		t.Fatalf("ports held before %d, after %d", len(before), len(after))
	}
}

func TestInterconnectWithLagRefusals(t *testing.T) {
	e := newEnv(t, withPartners(partner))
	dx := e.client(partner)
	lag10 := createPartnerLag(t, dx, "TstA1", "10Gbps", 1)
	dedicatedLag, err := e.client(owner).CreateLag(ctx, &directconnect.CreateLagInput{
		LagName: aws.String("dedicated"), Location: aws.String("TstA1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, account, loc, bw string
		lagID                  *string
		want                   []string
	}{
		{"other location", partner, "TstB1", "10Gbps", lag10.LagId, []string{"Location TstB1", "TstA1"}},
		{"other speed", partner, "TstA1", "1Gbps", lag10.LagId, []string{"Bandwidth 1Gbps", "10Gbps"}},
		{"LAG of dedicated connections", owner, "TstA1", "10Gbps", dedicatedLag.LagId, []string{"does not allow hosted connections"}},
		{"someone else's LAG", owner, "TstA1", "10Gbps", lag10.LagId, []string{"Could not find Lag with ID " + aws.ToString(lag10.LagId)}},
		{"malformed LAG id", partner, "TstA1", "10Gbps", aws.String("lag-1"), []string{"lag-1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(e.holders())
			_, err := e.client(tc.account).CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{
				InterconnectName: aws.String("x"), Location: aws.String(tc.loc), Bandwidth: aws.String(tc.bw), LagId: tc.lagID,
			})
			wantAPIError(t, err, "DirectConnectClientException", tc.want...)
			if after := len(e.holders()); after != before {
				t.Fatalf("a refused create took a port: %d -> %d", before, after)
			}
		})
	}
}

func TestDeleteInterconnectFreesItsPortAtOnce(t *testing.T) {
	e := newEnv(t)
	dx := e.client(partner)
	ic, err := dx.CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{
		InterconnectName: aws.String("ic"), Location: aws.String("TstB1"), Bandwidth: aws.String("10"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(ic.Bandwidth) != "10Gbps" {
		t.Fatalf("bandwidth 10 stored as %q, want 10Gbps", aws.ToString(ic.Bandwidth))
	}
	if e.holders()[aws.ToString(ic.InterconnectId)] != "TstB1-cccccccccccc3" {
		t.Fatalf("port not held by %s", aws.ToString(ic.InterconnectId))
	}
	del, err := dx.DeleteInterconnect(ctx, &directconnect.DeleteInterconnectInput{InterconnectId: ic.InterconnectId})
	if err != nil {
		t.Fatal(err)
	}
	if del.InterconnectState != types.InterconnectStateDeleted {
		t.Fatalf("DeleteInterconnect answered %s", del.InterconnectState)
	}
	if _, held := e.holders()[aws.ToString(ic.InterconnectId)]; held {
		t.Fatalf("deleted interconnect still holds its port")
	}
	if n := e.free("TstB1-cccccccccccc3", "10Gbps"); n != 8 {
		t.Fatalf("want 8 free ports, got %d", n)
	}
	// Still visible as deleted.
	got, err := dx.DescribeInterconnects(ctx, &directconnect.DescribeInterconnectsInput{InterconnectId: ic.InterconnectId})
	if err != nil {
		t.Fatal(err)
	}
	if got.Interconnects[0].InterconnectState != types.InterconnectStateDeleted {
		t.Fatalf("state %s", got.Interconnects[0].InterconnectState)
	}
	_, err = dx.DescribeInterconnects(ctx, &directconnect.DescribeInterconnectsInput{InterconnectId: aws.String("dxcon-fzzzzzzz")})
	wantAPIError(t, err, "DirectConnectClientException", "Could not find Interconnect with ID dxcon-fzzzzzzz")
}

func TestInterconnectStatesFollowTheDwell(t *testing.T) {
	e := newEnv(t, withDwell(2_000_000_000)) // 2s
	dx := e.client(partner)
	ic, err := dx.CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{
		InterconnectName: aws.String("ic"), Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []types.InterconnectState{types.InterconnectStateRequested, types.InterconnectStatePending, types.InterconnectStateAvailable, types.InterconnectStateAvailable} {
		got, err := dx.DescribeInterconnects(ctx, &directconnect.DescribeInterconnectsInput{InterconnectId: ic.InterconnectId})
		if err != nil {
			t.Fatal(err)
		}
		if s := got.Interconnects[0].InterconnectState; s != want {
			t.Fatalf("state %s, want %s", s, want)
		}
		e.clock.Advance(2_000_000_000)
	}
}

// Many callers race for fewer ports than callers: exactly as many win as there were ports.
func TestConcurrentInterconnectsTakeEachPortOnce(t *testing.T) {
	e := newEnv(t)
	const callers = 40
	free := e.free("TstB1-cccccccccccc3", "10Gbps")
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	var failures []error
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dx := e.client(fmt.Sprintf("%012d", 500000000000+i%4))
			_, err := dx.CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{
				InterconnectName: aws.String(fmt.Sprintf("ic-%d", i)), Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"),
			})
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				won++
				return
			}
			failures = append(failures, err)
		}()
	}
	wg.Wait()
	if won != free || len(failures) != callers-free {
		t.Fatalf("won %d lost %d, want %d and %d", won, len(failures), free, callers-free)
	}
	for _, err := range failures {
		wantAPIError(t, err, "DirectConnectClientException", "No ports are available at location TstB1")
	}
	held := 0
	for _, dev := range e.holders() {
		if dev == "TstB1-cccccccccccc3" {
			held++
		}
	}
	if held != free {
		t.Fatalf("%d ports held, want %d", held, free)
	}
}
