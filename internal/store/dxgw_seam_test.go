package store

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/dxgw"
	"github.com/dxlocal/dxlocal/internal/page"
)

// attachStandIn stands in for a VIF create that names a DX gateway, until VIFs exist: it takes the
// book, then the VIF's region (the lock order), checks and attaches.
func attachStandIn(s *Store, gatewayID, vif, region, account string, kind AttachmentKind) error {
	now := s.lockGateways()
	defer s.unlockGateways()
	r := s.Region(region)
	r.lock()
	defer r.unlock()
	if _, err := s.checkAttach(gatewayID, account, kind); err != nil {
		return err
	}
	s.attach(gatewayID, Attachment{VirtualInterfaceID: vif, Region: region, Owner: account, Kind: kind}, now)
	return nil
}

func detachStandIn(s *Store, gatewayID, vif string) {
	now := s.lockGateways()
	defer s.unlockGateways()
	s.detach(gatewayID, vif, now)
}

// unsettledAttachmentState reads the state of a VIF's last attachment without settling the book.
func unsettledAttachmentState(s *Store, vif string) string {
	s.dxgws.mu.Lock()
	defer s.dxgws.mu.Unlock()
	list := slices.Collect(s.dxgws.attachmentsByVIF.get(vif).all())
	return list[len(list)-1].State
}

func gwAttachmentState(t *testing.T, s *Store, c Caller, gatewayID, vif string) string {
	t.Helper()
	list, _, err := s.DescribeDirectConnectGatewayAttachments(c, gatewayID, vif, page.Request{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		return ""
	}
	return list[0].State
}

func TestSeamAttachLifecycle(t *testing.T) {
	for _, dwell := range []time.Duration{0, time.Minute} {
		t.Run(dwell.String(), func(t *testing.T) {
			s, clk := newTestStore(t, dwell)
			c := Caller{Account: "111111111111", Region: "us-east-1"}
			g, err := s.CreateDirectConnectGateway(c, NewDXGateway{Name: "g"})
			if err != nil {
				t.Fatal(err)
			}
			if dwell > 0 {
				// A pending gateway takes no VIF.
				err := attachStandIn(s, g.ID, "dxvif-ffaaaaaa", "us-east-1", c.Account, AttachPrivate)
				if dxerr.KindOf(err) != dxerr.Conflict {
					t.Fatalf("attach to a pending gateway: %v", err)
				}
				clk.Advance(dwell)
			}
			if err := attachStandIn(s, g.ID, "dxvif-ffaaaaaa", "us-east-1", c.Account, AttachPrivate); err != nil {
				t.Fatal(err)
			}
			// The entry state, as attach left it (with a zero dwell the next request settles it).
			if st := unsettledAttachmentState(s, "dxvif-ffaaaaaa"); st != dxgw.AttachmentAttaching {
				t.Fatalf("after attach: %q", st)
			}
			clk.Advance(dwell)
			if st := gwAttachmentState(t, s, c, g.ID, "dxvif-ffaaaaaa"); st != dxgw.AttachmentAttached {
				t.Fatalf("after a dwell: %q", st)
			}
			if _, err := s.DeleteDirectConnectGateway(c, g.ID); dxerr.KindOf(err) != dxerr.Conflict {
				t.Fatalf("delete with a VIF attached: %v", err)
			}
			detachStandIn(s, g.ID, "dxvif-ffaaaaaa")
			if st := unsettledAttachmentState(s, "dxvif-ffaaaaaa"); st != dxgw.AttachmentDetaching {
				t.Fatalf("after detach: %q", st)
			}
			// A detaching attachment no longer holds the gateway.
			if _, err := s.DeleteDirectConnectGateway(c, g.ID); err != nil {
				t.Fatalf("delete with a VIF detaching: %v", err)
			}
			clk.Advance(dwell)
			if st := gwAttachmentState(t, s, c, "", "dxvif-ffaaaaaa"); st != dxgw.AttachmentDetached {
				t.Fatalf("after a dwell: %q", st)
			}
			clk.Advance(s.opts.Retention)
			if st := gwAttachmentState(t, s, c, "", "dxvif-ffaaaaaa"); st != "" {
				t.Fatalf("after the retention: %q", st)
			}
		})
	}
}

func TestSeamCheckAttach(t *testing.T) {
	s, _ := newTestStore(t, 0)
	c := Caller{Account: "111111111111", Region: "us-east-1"}
	asn65000 := int64(65000)
	g, _ := s.CreateDirectConnectGateway(c, NewDXGateway{Name: "g", ASN: &asn65000})
	s.DescribeDirectConnectGateways(c, "", page.Request{}) // settle: available

	s.lockGateways()
	ref, err := s.checkAttach(g.ID, c.Account, AttachTransit)
	if err != nil || ref != (DXGatewayRef{ID: g.ID, Owner: c.Account, AmazonSideAsn: 65000}) {
		t.Fatalf("checkAttach = %+v, %v", ref, err)
	}
	const unknown = "5f294f92-bafb-4011-916d-9b0bd0000000"
	for _, tc := range []struct{ id, account string }{{unknown, c.Account}, {g.ID, "222222222222"}} {
		_, err := s.checkAttach(tc.id, tc.account, AttachPrivate)
		if dxerr.KindOf(err) != dxerr.NotFound || !strings.Contains(err.Error(), tc.id) {
			t.Fatalf("checkAttach(%s, %s) = %v; want not found naming the id", tc.id, tc.account, err)
		}
	}
	s.unlockGateways()

	q := s.Quotas()
	q.AttachmentsPerGateway = 2
	s.SetQuotas(q)
	for i := range 2 {
		if err := attachStandIn(s, g.ID, fmt.Sprintf("dxvif-ff%06d", i), "us-east-1", c.Account, AttachTransit); err != nil {
			t.Fatal(err)
		}
	}
	err = attachStandIn(s, g.ID, "dxvif-ffzzzzzz", "us-east-1", c.Account, AttachTransit)
	if dxerr.KindOf(err) != dxerr.Limit || !strings.Contains(err.Error(), g.ID) || !strings.Contains(err.Error(), "2") {
		t.Fatalf("third attachment: %v", err)
	}
	// The VIF owner sees its attachment; a stranger sees nothing.
	if st := gwAttachmentState(t, s, Caller{Account: "222222222222"}, g.ID, ""); st != "" {
		t.Fatalf("a stranger sees an attachment: %q", st)
	}
	if _, _, err := s.DescribeDirectConnectGatewayAttachments(c, "", "", page.Request{}); dxerr.KindOf(err) != dxerr.Invalid {
		t.Fatalf("describe with no filter: %v", err)
	}
}

// TestSeamLockOrderRace runs operations that span the book and a region (book first: a stand-in
// VIF attach, DescribeTags) beside region-only and book-only operations; under -race and with
// the lock order kept it neither races nor deadlocks.
func TestSeamLockOrderRace(t *testing.T) {
	s, clk := newTestStore(t, time.Second)
	c := Caller{Account: "111111111111", Region: "us-east-1"}
	g, _ := s.CreateDirectConnectGateway(c, NewDXGateway{Name: "g"})
	clk.Advance(time.Second)
	q := s.Quotas()
	q.AttachmentsPerGateway = 1000
	s.SetQuotas(q)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(3)
		go func() {
			defer wg.Done()
			for i := range 25 {
				vif := fmt.Sprintf("dxvif-f%d%06d", w, i)
				if err := attachStandIn(s, g.ID, vif, "us-east-1", c.Account, AttachPrivate); err != nil {
					t.Error(err)
					return
				}
				if i%2 == 0 {
					detachStandIn(s, g.ID, vif)
				}
			}
		}()
		go func() {
			defer wg.Done()
			r := s.Region("us-east-1")
			for range 25 {
				if conn, err := r.CreateConnection(c, NewConnection{Location: "LocA", Bandwidth: "1Gbps", Name: "x"}); err == nil {
					r.DeleteConnection(c, conn.ID)
				}
				clk.Advance(time.Millisecond)
			}
		}()
		go func() {
			defer wg.Done()
			arn := "arn:aws:directconnect::" + c.Account + ":dx-gateway/" + g.ID
			for range 25 {
				s.CreateDirectConnectGateway(c, NewDXGateway{Name: "more"})
				s.DescribeDirectConnectGatewayAttachments(c, g.ID, "", page.Request{})
				// DescribeTags holds the book and the region together.
				if _, err := s.DescribeTags(c, []string{arn}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	list, _, _ := s.DescribeDirectConnectGatewayAttachments(c, g.ID, "", page.Request{})
	if len(list) != 100 {
		t.Fatalf("%d attachments recorded, want 100", len(list))
	}
}

// TestAttachmentsDecideTheAssociationKind: a gateway with private VIFs takes no TGW, one with
// transit VIFs no VGW; once the VIFs are detaching, it takes either.
func TestAttachmentsDecideTheAssociationKind(t *testing.T) {
	s, _ := newTestStore(t, 0)
	c := Caller{Account: "111111111111", Region: "us-east-1"}
	priv, _ := s.CreateDirectConnectGateway(c, NewDXGateway{Name: "private"})
	tran, _ := s.CreateDirectConnectGateway(c, NewDXGateway{Name: "transit"})
	s.DescribeDirectConnectGateways(c, "", page.Request{}) // settle: available
	if err := attachStandIn(s, priv.ID, "dxvif-ffpriv01", "us-east-1", c.Account, AttachPrivate); err != nil {
		t.Fatal(err)
	}
	if err := attachStandIn(s, tran.ID, "dxvif-fftran01", "us-east-1", c.Account, AttachTransit); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		gw, target string
		add        []string
		parts      []string
	}{
		{priv.ID, "tgw-0123456789abcdef0", []string{"10.0.0.0/8"}, []string{priv.ID, "private virtual interfaces", "tgw-0123456789abcdef0"}},
		{tran.ID, "vgw-0123abcd", nil, []string{tran.ID, "transit virtual interfaces", "vgw-0123abcd"}},
	} {
		_, err := s.CreateDirectConnectGatewayAssociation(c, NewAssociation{GatewayID: tc.gw, AssociatedID: tc.target, Add: tc.add})
		if dxerr.KindOf(err) != dxerr.Invalid {
			t.Fatalf("%s with %s: %v", tc.gw, tc.target, err)
		}
		for _, p := range tc.parts {
			if !strings.Contains(err.Error(), p) {
				t.Fatalf("%q does not name %s", err, p)
			}
		}
	}
	// A VIF of the right kind is fine; after detaching, the other kind is too.
	if _, err := s.CreateDirectConnectGatewayAssociation(c, NewAssociation{GatewayID: priv.ID, AssociatedID: "vgw-0123abcd"}); err != nil {
		t.Fatal(err)
	}
	detachStandIn(s, tran.ID, "dxvif-fftran01")
	if _, err := s.CreateDirectConnectGatewayAssociation(c, NewAssociation{GatewayID: tran.ID, AssociatedID: "vgw-0123abce"}); err != nil {
		t.Fatal(err)
	}
	// And a gateway's associations decide which VIFs may attach.
	s.DescribeDirectConnectGateways(c, "", page.Request{})
	if err := attachStandIn(s, tran.ID, "dxvif-fftran02", "us-east-1", c.Account, AttachTransit); dxerr.KindOf(err) != dxerr.Invalid || !strings.Contains(err.Error(), "vgw-0123abce") {
		t.Fatalf("transit VIF on a VGW gateway: %v", err)
	}
}
