package api_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

// Every way of taking a member out of a LAG of interconnects is refused while the LAG's live
// hosted connections need that member's bandwidth; nothing changes, and once the load fits
// the members left, the same call succeeds.
func TestMemberRemovalKeepsHostedWithinLagCapacity(t *testing.T) {
	removals := []struct {
		name   string
		remove func(p *directconnect.Client, member, lagID, otherLag string) error
	}{
		{"DisassociateConnectionFromLag", func(p *directconnect.Client, member, lagID, _ string) error {
			_, err := p.DisassociateConnectionFromLag(ctx, &directconnect.DisassociateConnectionFromLagInput{ConnectionId: &member, LagId: &lagID})
			return err
		}},
		{"DeleteInterconnect", func(p *directconnect.Client, member, _, _ string) error {
			_, err := p.DeleteInterconnect(ctx, &directconnect.DeleteInterconnectInput{InterconnectId: &member})
			return err
		}},
		{"AssociateConnectionWithLag to another LAG", func(p *directconnect.Client, member, _, otherLag string) error {
			_, err := p.AssociateConnectionWithLag(ctx, &directconnect.AssociateConnectionWithLagInput{ConnectionId: &member, LagId: &otherLag})
			return err
		}},
		{"CreateLag around the member", func(p *directconnect.Client, member, _, _ string) error {
			_, err := p.CreateLag(ctx, &directconnect.CreateLagInput{LagName: aws.String("around"), Location: aws.String("TstB1"),
				ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 1, ConnectionId: &member})
			return err
		}},
	}
	for _, tc := range removals {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, withPartners(partner))
			p, cu := e.client(partner), e.client(customer)
			lag := createPartnerLag(t, p, "TstB1", "10Gbps", 2) // capacity 2 × 10 Gbps
			lagID := aws.ToString(lag.LagId)
			member := aws.ToString(lag.Connections[1].ConnectionId)
			otherLag := aws.ToString(createPartnerLag(t, p, "TstB1", "10Gbps", 1).LagId)
			var hosted []string
			for i, bw := range []string{"10Gbps", "5Gbps", "5Gbps"} {
				h, err := allocate(p, lag.LagId, bw, int32(100+i))
				if err != nil {
					t.Fatal(err)
				}
				hosted = append(hosted, aws.ToString(h.ConnectionId))
			}

			err := tc.remove(p, member, lagID, otherLag)
			wantAPIError(t, err, "DirectConnectClientException", "Lag "+lagID, "20000 Mbps", "10000 Mbps", member)
			got, err := p.DescribeLags(ctx, &directconnect.DescribeLagsInput{LagId: &lagID})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(got.Lags[0].Connections); n != 2 {
				t.Fatalf("the refused removal left %d members, want 2", n)
			}
			// The customer's hosted connection still confirms onto a LAG that can carry it.
			if _, err := cu.ConfirmConnection(ctx, &directconnect.ConfirmConnectionInput{ConnectionId: &hosted[0]}); err != nil {
				t.Fatal(err)
			}

			// With 10 Gbps of hosted connections left, one 10 Gbps member is enough.
			if _, err := p.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: &hosted[0]}); err != nil {
				t.Fatal(err)
			}
			if err := tc.remove(p, member, lagID, otherLag); err != nil {
				t.Fatalf("removal once the load fits: %v", err)
			}
			got, err = p.DescribeLags(ctx, &directconnect.DescribeLagsInput{LagId: &lagID})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(got.Lags[0].Connections); n != 1 {
				t.Fatalf("%d members after the removal, want 1", n)
			}
			// And the last member cannot go while 10 Gbps of hosted connections remain.
			last := aws.ToString(got.Lags[0].Connections[0].ConnectionId)
			_, err = p.DisassociateConnectionFromLag(ctx, &directconnect.DisassociateConnectionFromLagInput{ConnectionId: &last, LagId: &lagID})
			wantAPIError(t, err, "DirectConnectClientException", "Lag "+lagID, "10000 Mbps", "capacity would be 0 Mbps")
		})
	}
}

// The first thing people try: a LAG, then an interconnect in it. An ordinary account's LAG is
// a LAG of dedicated connections, and the refusal says how to get one that takes interconnects.
func TestCreateInterconnectOnACustomersLagSaysHowToGetOne(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	lag, err := dx.CreateLag(ctx, &directconnect.CreateLagInput{LagName: aws.String("lag"), Location: aws.String("TstB1"),
		ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = dx.CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{InterconnectName: aws.String("ic"),
		Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"), LagId: lag.LagId})
	wantAPIError(t, err, "DirectConnectClientException", aws.ToString(lag.LagId), "LAG of dedicated connections",
		"-partners "+owner, "DXLOCAL_PARTNERS", "create the LAG as that account")
	var ce *types.DirectConnectClientException
	if !errors.As(err, &ce) {
		t.Fatalf("want a DirectConnectClientException, got %T", err)
	}
	if held := e.free("TstB1-cccccccccccc3", "10Gbps"); held != 7 {
		t.Fatalf("%d free 10G ports after the refusal, want 7 (the LAG's member holds one)", held)
	}

	// Started with -partners naming the account, the same two calls work.
	e = newEnv(t, withPartners(owner))
	dx = e.client(owner)
	lag, err = dx.CreateLag(ctx, &directconnect.CreateLagInput{LagName: aws.String("lag"), Location: aws.String("TstB1"),
		ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 1})
	if err != nil {
		t.Fatal(err)
	}
	ic, err := dx.CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{InterconnectName: aws.String("ic"),
		Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"), LagId: lag.LagId})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(ic.LagId) != aws.ToString(lag.LagId) {
		t.Fatalf("interconnect in LAG %q, want %s", aws.ToString(ic.LagId), aws.ToString(lag.LagId))
	}
}
