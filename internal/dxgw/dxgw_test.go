package dxgw

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCheckASN(t *testing.T) {
	for _, tc := range []struct {
		asn int64
		ok  bool
	}{
		{64511, false}, {64512, true}, {65000, true}, {65534, true}, {65535, false},
		{7224, false}, {0, false}, {-1, false},
		{4199999999, false}, {4200000000, true}, {4294967294, true}, {4294967295, false},
	} {
		err := CheckASN(tc.asn)
		if (err == nil) != tc.ok {
			t.Errorf("CheckASN(%d) = %v, want ok=%v", tc.asn, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "amazonSideAsn") {
			t.Errorf("message %q does not name amazonSideAsn", err)
		}
	}
}

func TestCheckName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"gw", true}, {"", false}, {"  ", false}, {strings.Repeat("n", 100), true}, {strings.Repeat("n", 101), false},
	} {
		if err := CheckName("directConnectGatewayName", tc.name); (err == nil) != tc.ok {
			t.Errorf("CheckName(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

func TestGatewayID(t *testing.T) {
	const id = "5f294f92-bafb-4011-916d-9b0bdexample"
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{id, id, true},
		{"arn:aws:directconnect::123456789012:dx-gateway/" + id, id, true},
		{"dxcon-ffabcdef", "", false},
		{"arn:aws:directconnect::123456789012:dx-gateway/nope", "", false},
		{"", "", false},
	} {
		got, err := GatewayID(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("GatewayID(%q) = %q, %v; want %q ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestParsePrefixes(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want Prefixes
		bad  string
	}{
		{in: []string{"10.0.0.0/16", "10.0.0.0/16", "192.168.0.0/24"}, want: Prefixes{"10.0.0.0/16", "192.168.0.0/24"}},
		{in: []string{"2001:DB8::/32"}, want: Prefixes{"2001:db8::/32"}},
		{in: nil, want: Prefixes{}},
		{in: []string{"10.0.0.1/16"}, bad: "10.0.0.1/16"},
		{in: []string{"10.0.0.0/33"}, bad: "10.0.0.0/33"},
		{in: []string{"ten"}, bad: "ten"},
	} {
		got, err := ParsePrefixes("addAllowedPrefixesToDirectConnectGateway", tc.in)
		if tc.bad != "" {
			if err == nil || !strings.Contains(err.Error(), tc.bad) || !strings.Contains(err.Error(), "addAllowedPrefixesToDirectConnectGateway") {
				t.Errorf("ParsePrefixes(%v) = %v, want an error naming the member and %s", tc.in, err, tc.bad)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("ParsePrefixes(%v) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestApply(t *testing.T) {
	for _, tc := range []struct {
		cur, add, remove, want Prefixes
	}{
		{Prefixes{"10.0.0.0/16"}, Prefixes{"10.1.0.0/16"}, nil, Prefixes{"10.0.0.0/16", "10.1.0.0/16"}},
		{Prefixes{"10.0.0.0/16", "10.1.0.0/16"}, nil, Prefixes{"10.0.0.0/16"}, Prefixes{"10.1.0.0/16"}},
		{Prefixes{"10.0.0.0/16"}, Prefixes{"10.0.0.0/16"}, Prefixes{"10.9.0.0/16"}, Prefixes{"10.0.0.0/16"}},
		{Prefixes{"10.0.0.0/16"}, Prefixes{"10.2.0.0/16"}, Prefixes{"10.2.0.0/16"}, Prefixes{"10.0.0.0/16"}},
		{nil, nil, nil, Prefixes{}},
	} {
		if got := tc.cur.Apply(tc.add, tc.remove); !slices.Equal(got, tc.want) {
			t.Errorf("%v.Apply(%v, %v) = %v, want %v", tc.cur, tc.add, tc.remove, got, tc.want)
		}
	}
}

func TestOverlap(t *testing.T) {
	for _, tc := range []struct {
		a, b Prefixes
		want bool
	}{
		{Prefixes{"10.0.0.0/16"}, Prefixes{"10.0.1.0/24"}, true},
		{Prefixes{"10.0.1.0/24"}, Prefixes{"10.0.0.0/8"}, true},
		{Prefixes{"10.0.0.0/16"}, Prefixes{"10.1.0.0/16"}, false},
		{Prefixes{"2001:db8::/32"}, Prefixes{"10.0.0.0/8"}, false},
		{nil, Prefixes{"10.0.0.0/8"}, false},
	} {
		if _, _, got := Overlap(tc.a, tc.b); got != tc.want {
			t.Errorf("Overlap(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestStateTables(t *testing.T) {
	type step struct{ from, to string }
	for name, tc := range map[string]struct {
		next  func(string) (string, bool)
		steps []step
		still []string
	}{
		"gateway":     {GatewayNext, []step{{GatewayPending, GatewayAvailable}, {GatewayDeleting, GatewayDeleted}}, []string{GatewayAvailable, GatewayDeleted}},
		"association": {AssociationNext, []step{{AssociationAssociating, AssociationAssociated}, {AssociationUpdating, AssociationAssociated}, {AssociationDisassociating, AssociationDisassociated}}, []string{AssociationAssociated, AssociationDisassociated}},
		"attachment":  {AttachmentNext, []step{{AttachmentAttaching, AttachmentAttached}, {AttachmentDetaching, AttachmentDetached}}, []string{AttachmentAttached, AttachmentDetached}},
	} {
		for _, s := range tc.steps {
			if got, ok := tc.next(s.from); !ok || got != s.to {
				t.Errorf("%s: next(%s) = %s, %v; want %s", name, s.from, got, ok, s.to)
			}
		}
		for _, s := range tc.still {
			if got, ok := tc.next(s); ok {
				t.Errorf("%s: %s moves on by itself to %s", name, s, got)
			}
		}
	}
}

func TestHoldsGatewayAndLiveAttachment(t *testing.T) {
	for state, want := range map[string]bool{
		AssociationAssociating: true, AssociationAssociated: true, AssociationUpdating: true,
		AssociationDisassociating: false, AssociationDisassociated: false,
	} {
		if HoldsGateway(state) != want {
			t.Errorf("HoldsGateway(%s) != %v", state, want)
		}
	}
	for state, want := range map[string]bool{
		AttachmentAttaching: true, AttachmentAttached: true, AttachmentDetaching: false, AttachmentDetached: false,
	} {
		if LiveAttachment(state) != want {
			t.Errorf("LiveAttachment(%s) != %v", state, want)
		}
	}
}

func TestProposalExpiry(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := ProposalExpiry(at); !got.Equal(at.Add(168 * time.Hour)) {
		t.Fatalf("ProposalExpiry = %v, want 7 days later", got)
	}
}
