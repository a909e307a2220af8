package gateway

import (
	"errors"
	"strings"
	"testing"
)

func asn(v int64) *int64 { return &v }

func TestNormalize(t *testing.T) {
	cases := []struct {
		name    string
		in      Record
		wantErr string
		check   func(Record) bool
	}{
		{"VGW defaults", Record{ID: "vgw-0123abcd"}, "", func(r Record) bool {
			return r.OwnerAccount == "123456789012" && r.Region == "us-east-1" && *r.ASN == 64512 && r.VPCCIDRs[0] == "10.0.0.0/16" && r.Type() == VirtualPrivateGateway
		}},
		{"long VGW id", Record{ID: "vgw-0ed7b3566fcdcc27e"}, "", nil},
		{"TGW keeps no CIDRs", Record{ID: "tgw-0123456789abcdef0", ASN: asn(65001)}, "", func(r Record) bool {
			return r.Type() == TransitGateway && len(r.VPCCIDRs) == 0 && *r.ASN == 65001
		}},
		{"missing id", Record{}, "gatewayId is required", nil},
		{"short TGW id", Record{ID: "tgw-0123abcd"}, "gatewayId tgw-0123abcd is not valid", nil},
		{"upper-case hex", Record{ID: "vgw-0123ABCD"}, "is not valid", nil},
		{"bad account", Record{ID: "vgw-0123abcd", OwnerAccount: "12"}, "ownerAccount 12", nil},
		{"ASN 0", Record{ID: "vgw-0123abcd", ASN: asn(0)}, "amazonSideAsn 0", nil},
		{"ASN too big", Record{ID: "vgw-0123abcd", ASN: asn(4294967295)}, "amazonSideAsn 4294967295", nil},
		{"bad CIDR", Record{ID: "vgw-0123abcd", VPCCIDRs: []string{"10.0.0.1/16"}}, "10.0.0.1/16", nil},
		{"CIDRs on a TGW", Record{ID: "tgw-0123456789abcdef0", VPCCIDRs: []string{"10.0.0.0/16"}}, "transit gateway", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Normalize(tc.in, "123456789012", "us-east-1")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.check != nil && !tc.check(got) {
				t.Fatalf("record %+v", got)
			}
		})
	}
}

func TestRegistry(t *testing.T) {
	g := New()
	a, _ := Normalize(Record{ID: "vgw-0123abcd"}, "111111111111", "us-east-1")
	b, _ := Normalize(Record{ID: "tgw-0123456789abcdef0"}, "111111111111", "eu-west-1")
	if err := g.Register(a); err != nil {
		t.Fatal(err)
	}
	if err := g.Register(b); err != nil {
		t.Fatal(err)
	}
	dup := a
	dup.OwnerAccount = "222222222222"
	if err := g.Register(dup); !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate: %v", err)
	}
	if rec, _ := g.Lookup(a.ID); rec.OwnerAccount != "111111111111" {
		t.Fatal("a refused duplicate changed the record")
	}
	list := g.List()
	if len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID {
		t.Fatalf("list %+v", list)
	}
	list[0].VPCCIDRs[0] = "changed"
	if rec, _ := g.Lookup(a.ID); rec.VPCCIDRs[0] != "10.0.0.0/16" {
		t.Fatal("List aliases stored state")
	}
	g.Reset()
	if len(g.List()) != 0 {
		t.Fatal("reset kept records")
	}
}
