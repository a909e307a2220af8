package vif

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/dxlocal/dxlocal/internal/dxerr"
)

func i32(v int32) *int32 { return &v }
func i64(v int64) *int64 { return &v }

func TestStateTables(t *testing.T) {
	for _, c := range []struct {
		typ       Type
		allocated bool
		want      string
	}{
		{Private, false, StatePending},
		{Transit, false, StatePending},
		{Public, false, StateVerifying},
		{Private, true, StateConfirming},
		{Public, true, StateConfirming},
		{Transit, true, StateConfirming},
	} {
		if got := Entry(c.typ, c.allocated); got != c.want {
			t.Errorf("Entry(%s, %v) = %s, want %s", c.typ, c.allocated, got, c.want)
		}
	}
	chain := []string{StateVerifying, StatePending, StateAvailable}
	for i := 0; i+1 < len(chain); i++ {
		if next, ok := Next(chain[i]); !ok || next != chain[i+1] {
			t.Errorf("Next(%s) = %s, %v", chain[i], next, ok)
		}
	}
	for _, s := range []string{StateConfirming, StateAvailable, StateDown, StateTesting, StateDeleted, StateRejected} {
		if _, ok := Next(s); ok {
			t.Errorf("Next(%s) moves on its own", s)
		}
	}
	if next, _ := Next(StateDeleting); next != StateDeleted {
		t.Errorf("deleting leads to %s", next)
	}
	for _, c := range []struct {
		state   string
		byOwner bool
		want    string
	}{
		{StateConfirming, true, StateRejected},
		{StateConfirming, false, StateDeleting},
		{StateRejected, false, StateDeleting},
		{StateRejected, true, StateRejected},
		{StateAvailable, true, StateDeleting},
		{StateVerifying, false, StateDeleting},
		{StateDeleting, true, StateDeleting},
		{StateDeleted, true, StateDeleted},
	} {
		if got := AfterDelete(c.state, c.byOwner); got != c.want {
			t.Errorf("AfterDelete(%s, owner=%v) = %s, want %s", c.state, c.byOwner, got, c.want)
		}
	}
	if next, gone, ok := PeerNext(PeerDeleting); !ok || !gone || next != "" {
		t.Errorf("a deleting peer does not go away: %q %v %v", next, gone, ok)
	}
	if next, _, _ := PeerNext(PeerVerifying); next != PeerPending {
		t.Errorf("a verifying peer goes to %s", next)
	}
	if PeerEntry(Public) != PeerVerifying || PeerEntry(Private) != PeerPending {
		t.Error("peer entry states")
	}
	for s, want := range map[string]bool{StateAvailable: true, StateDown: true, StatePending: true, StateConfirming: false, StateVerifying: false, StateTesting: false, StateDeleting: false} {
		if TakesPeers(s) != want {
			t.Errorf("TakesPeers(%s) = %v", s, !want)
		}
	}
	if Live(StateDeleted) || Live(StateRejected) || !Live(StateDeleting) || !Live(StateConfirming) {
		t.Error("Live")
	}
}

func wantErr(t *testing.T, err error, kind dxerr.Kind, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want an error containing %q", parts)
	}
	if dxerr.KindOf(err) != kind {
		t.Fatalf("error %q has kind %d, want %d", err, dxerr.KindOf(err), kind)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Fatalf("error %q does not name %q", err, p)
		}
	}
}

func TestRules(t *testing.T) {
	for _, v := range []int{1, 100, 4094} {
		if err := CheckVLAN(v); err != nil {
			t.Errorf("vlan %d: %v", v, err)
		}
	}
	for _, v := range []int{0, -1, 4095} {
		wantErr(t, CheckVLAN(v), dxerr.Invalid, "vlan", "4094")
	}
	for _, n := range []string{"a", "my vif-1_a,b/c", strings.Repeat("x", 100)} {
		if err := CheckName(n); err != nil {
			t.Errorf("name %q: %v", n, err)
		}
	}
	for _, n := range []string{"", "bad!", strings.Repeat("x", 101)} {
		wantErr(t, CheckName(n), dxerr.Invalid, "virtualInterfaceName")
	}
	wantErr(t, CheckAuthKey("12345"), dxerr.Invalid, "authKey", "12345")
	wantErr(t, CheckAuthKey(strings.Repeat("k", 81)), dxerr.Invalid, "authKey")
	if err := CheckAuthKey("secret"); err != nil {
		t.Error(err)
	}
	if af, err := AddressFamily(nil); af != IPv4 || err != nil {
		t.Errorf("default address family %s %v", af, err)
	}
	bad := "ipv5"
	_, err := AddressFamily(&bad)
	wantErr(t, err, dxerr.Invalid, "addressFamily", "ipv5")
}

func TestASN(t *testing.T) {
	for _, c := range []struct {
		asn     *int32
		asnLong *int64
		want    int64
		err     string
	}{
		{i32(65000), nil, 65000, ""},
		{i32(65000), i64(4200000001), 4200000001, ""},
		{nil, i64(4294967294), 4294967294, ""},
		{nil, nil, 0, "asn is required"},
		{i32(0), nil, 0, "BGP ASN 0 must have value greater than or equal to 1"},
		{i32(-5), nil, 0, "BGP ASN -5 must have value greater than or equal to 1"},
		{i32(2147483647), nil, 0, "BGP ASN 2147483647 must have value less than or equal to 2147483646"},
		{nil, i64(4294967295), 0, "BGP ASN 4294967295 must have value less than or equal to 4294967294"},
		{nil, i64(0), 0, "BGP ASN 0 must have value greater than or equal to 1"},
	} {
		got, err := ResolveASN(c.asn, c.asnLong)
		if c.err != "" {
			wantErr(t, err, dxerr.Invalid, c.err)
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ResolveASN = %d, %v; want %d", got, err, c.want)
		}
	}
	if a, l := SplitASN(65000); a != 65000 || l != 65000 {
		t.Errorf("SplitASN(65000) = %d, %d", a, l)
	}
	if a, l := SplitASN(2147483647); a != 2147483647 || l != 2147483647 {
		t.Errorf("SplitASN(2^31-1) = %d, %d", a, l)
	}
	if a, l := SplitASN(4200000000); a != 0 || l != 4200000000 {
		t.Errorf("SplitASN(4200000000) = %d, %d", a, l)
	}
	for v, want := range map[int64]bool{64511: false, 64512: true, 65534: true, 65535: false, 7224: false, 4199999999: false, 4200000000: true, 4294967294: true} {
		if IsPrivateASN(v) != want {
			t.Errorf("IsPrivateASN(%d) = %v", v, !want)
		}
	}
}

func TestMTU(t *testing.T) {
	for _, c := range []struct {
		typ  Type
		mtu  *int32
		want int
		ok   bool
	}{
		{Private, nil, 1500, true},
		{Private, i32(1500), 1500, true},
		{Private, i32(9001), 9001, true},
		{Private, i32(8500), 0, false},
		{Transit, i32(8500), 8500, true},
		{Transit, i32(9001), 0, false},
		{Public, nil, 1500, true},
		{Public, i32(1500), 1500, true},
		{Public, i32(9001), 0, false},
	} {
		got, err := ResolveMTU(c.typ, c.mtu)
		if !c.ok {
			wantErr(t, err, dxerr.Invalid, "MTU", string(c.typ))
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ResolveMTU(%s) = %d, %v", c.typ, got, err)
		}
	}
	if Jumbo(1500) || !Jumbo(9001) {
		t.Error("Jumbo")
	}
}

func TestParsePair(t *testing.T) {
	ok := []struct{ a, c string }{
		{"169.254.10.1/30", "169.254.10.2/30"},
		{"10.0.0.0/31", "10.0.0.1/31"},
		{"192.0.2.1/29", "192.0.2.6/29"},
	}
	for _, p := range ok {
		if _, err := ParsePair(p.a, p.c); err != nil {
			t.Errorf("%s %s: %v", p.a, p.c, err)
		}
	}
	bad := []struct{ a, c, part string }{
		{"169.254.10.1", "169.254.10.2/30", "amazonAddress 169.254.10.1"},
		{"169.254.10.1/30", "nonsense", "customerAddress nonsense"},
		{"169.254.10.1/30", "169.254.10.2/29", "same prefix length"},
		{"169.254.10.1/28", "169.254.10.2/28", "same prefix length"},
		{"169.254.10.1/30", "169.254.10.5/30", "same subnet"},
		{"169.254.10.1/30", "169.254.10.1/30", "must differ"},
		{"169.254.10.0/30", "169.254.10.1/30", "network or broadcast"},
		{"169.254.10.1/30", "169.254.10.3/30", "network or broadcast"},
		{"2001:db8::1/125", "2001:db8::6/125", "IPv4"},
	}
	for _, p := range bad {
		_, err := ParsePair(p.a, p.c)
		wantErr(t, err, dxerr.Invalid, p.part)
	}
}

func TestAllocV4(t *testing.T) {
	p, ok := AllocV4(nil)
	if !ok || p.Amazon.String() != "169.254.0.1/30" || p.Customer.String() != "169.254.0.2/30" {
		t.Fatalf("first block %v %v", p, ok)
	}
	used := []netip.Prefix{
		netip.MustParsePrefix("169.254.0.0/30"),
		netip.MustParsePrefix("169.254.0.5/30"),
		netip.MustParsePrefix("169.254.0.9/29"), // blocks 2 and 3
		netip.MustParsePrefix("169.254.0.16/31"),
		netip.MustParsePrefix("10.0.0.0/30"), // outside the range: ignored
	}
	p, ok = AllocV4(used)
	if !ok || p.Amazon.String() != "169.254.0.21/30" || p.Customer.String() != "169.254.0.22/30" {
		t.Fatalf("block after used ones: %v %v", p, ok)
	}
	if _, ok := AllocV4([]netip.Prefix{netip.MustParsePrefix("169.254.0.0/16")}); ok {
		t.Fatal("allocated from a full range")
	}
	if _, ok := AllocV4([]netip.Prefix{netip.MustParsePrefix("169.0.0.0/8")}); ok {
		t.Fatal("allocated inside a covering prefix")
	}
}

func TestV6Block(t *testing.T) {
	p, ok := V6Block(DefaultIPv6Pool, 0)
	if !ok || p.Amazon.String() != "2001:db8::1/125" || p.Customer.String() != "2001:db8::6/125" {
		t.Fatalf("block 0: %v", p)
	}
	p, _ = V6Block(DefaultIPv6Pool, 3)
	if p.Amazon.String() != "2001:db8::19/125" || p.Customer.String() != "2001:db8::1e/125" {
		t.Fatalf("block 3: %v", p)
	}
	if _, ok := V6Block(netip.MustParsePrefix("2001:db8::/124"), 2); ok {
		t.Fatal("block beyond a small pool")
	}
}

func TestRouteFilterPrefixes(t *testing.T) {
	got, err := RouteFilterPrefixes([]string{"203.0.113.0/24", "2001:db8:1::/64"}, 10)
	if err != nil || len(got) != 2 || got[1] != "2001:db8:1::/64" {
		t.Fatalf("%v %v", got, err)
	}
	for _, c := range []struct {
		in   []string
		max  int
		kind dxerr.Kind
		part string
	}{
		{nil, 10, dxerr.Invalid, "routeFilterPrefixes"},
		{[]string{"a", "b", "c"}, 2, dxerr.Limit, "limit of 2"},
		{[]string{"203.0.113.1/24"}, 10, dxerr.Invalid, "203.0.113.1/24"},
		{[]string{"nonsense"}, 10, dxerr.Invalid, "nonsense"},
		{[]string{"2001:db8::/96"}, 10, dxerr.Invalid, "2001:db8::/96"},
		{[]string{"203.0.113.0/24", "203.0.113.0/24"}, 10, dxerr.Invalid, "twice"},
	} {
		_, err := RouteFilterPrefixes(c.in, c.max)
		wantErr(t, err, c.kind, c.part)
	}
}

func TestRouterConfig(t *testing.T) {
	l := Logical{ID: "dxvif-fabc1234", Type: Private, VLAN: 101, AmazonASN: 64512, Peers: []Peering{
		{Family: IPv4, Customer: "169.254.0.2/30", Amazon: "169.254.0.1/30", ASN: 65000, AuthKey: "k<1"},
		{Family: IPv6, Customer: "2001:db8::6/125", Amazon: "2001:db8::1/125", ASN: 65000, AuthKey: "k2"},
	}}
	xml := CustomerRouterConfig(l)
	for _, want := range []string{
		`<logical_connection id="dxvif-fabc1234">`, "\n  <vlan>101</vlan>\n", "<bgp_auth_key>k&lt;1</bgp_auth_key>",
		"<ipv6_customer_address>2001:db8::6/125</ipv6_customer_address>", "<amazon_bgp_asn>64512</amazon_bgp_asn>",
		"<connection_type>private</connection_type>\n</logical_connection>\n",
	} {
		if !strings.Contains(xml, want) {
			t.Errorf("XML lacks %q:\n%s", want, xml)
		}
	}
	l.Peers = l.Peers[:1]
	if strings.Contains(CustomerRouterConfig(l), "ipv6") {
		t.Error("IPv6 elements without an IPv6 peer")
	}
	if _, ok := LookupRouter("nonsense"); ok {
		t.Fatal("unknown router found")
	}
	for _, r := range routers {
		got, ok := LookupRouter(r.Identifier)
		if !ok || got.Vendor == "" || got.XSLT == "" {
			t.Fatalf("router %s: %+v", r.Identifier, got)
		}
		text := RouterConfig(got, l)
		if !strings.Contains(text, "101") || !strings.Contains(text, "169.254.0.1") {
			t.Errorf("%s config lacks VLAN or neighbour:\n%s", r.Identifier, text)
		}
	}
}
