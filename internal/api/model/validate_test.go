package model

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	validTags := []Tag{{Key: String("env"), Value: String("dev")}}
	tests := []struct {
		name       string
		in         interface{ Validate() error }
		wantMember string // empty: valid
		wantMsg    string
	}{
		{"valid", &CreateConnectionRequest{Location: String("EqDC2"), Bandwidth: String("1Gbps"), ConnectionName: String("c"), Tags: validTags}, "", ""},
		{"nil receiver", (*CreateConnectionRequest)(nil), "", ""},
		{"first missing required member in model order", &CreateConnectionRequest{ConnectionName: String("c")}, "location", "location is required."},
		{"empty string is present", &CreateConnectionRequest{Location: String(""), Bandwidth: String(""), ConnectionName: String("")}, "", ""},
		{"required beats constraints", &CreateConnectionRequest{Location: String("l"), Tags: []Tag{}}, "bandwidth", "bandwidth is required."},
		{"list too short", &CreateConnectionRequest{Location: String("l"), Bandwidth: String("b"), ConnectionName: String("c"), Tags: []Tag{}}, "tags", "tags must have at least 1 items, not 0."},
		{"required inside list element", &CreateConnectionRequest{Location: String("l"), Bandwidth: String("b"), ConnectionName: String("c"), Tags: []Tag{{Key: String("a")}, {Value: String("v")}}}, "tags[1].key", "tags[1].key is required."},
		{"tag key too short", &TagResourceRequest{ResourceArn: String("arn"), Tags: []Tag{{Key: String("")}}}, "tags[0].key", "tags[0].key  is not valid: length must be between 1 and 128, not 0."},
		{"tag key pattern", &TagResourceRequest{ResourceArn: String("arn"), Tags: []Tag{{Key: String("a*b")}}}, "tags[0].key", "tags[0].key a*b is not valid."},
		{"tag key unicode letters", &TagResourceRequest{ResourceArn: String("arn"), Tags: []Tag{{Key: String("Größe ü_.:/=+-@1")}}}, "", ""},
		{"length counts characters, not bytes", &TagResourceRequest{ResourceArn: String("arn"), Tags: []Tag{{Key: String(strings.Repeat("é", 128))}}}, "", ""},
		{"tag key too long", &TagResourceRequest{ResourceArn: String("arn"), Tags: []Tag{{Key: String(strings.Repeat("é", 129))}}}, "tags[0].key", ""},
		{"tag value empty is fine", &TagResourceRequest{ResourceArn: String("arn"), Tags: []Tag{{Key: String("k"), Value: String("")}}}, "", ""},
		{"tag value too long", &TagResourceRequest{ResourceArn: String("arn"), Tags: []Tag{{Key: String("k"), Value: String(strings.Repeat("v", 257))}}}, "tags[0].value", "tags[0].value " + strings.Repeat("v", 64) + "... is not valid: length must be between 0 and 256, not 257."},
		{"list of strings elements", &UntagResourceRequest{ResourceArn: String("arn"), TagKeys: []string{"ok", "bad!"}}, "tagKeys[1]", "tagKeys[1] bad! is not valid."},
		{"at most", &ConfirmCustomerAgreementRequest{AgreementName: String(strings.Repeat("a", 101))}, "agreementName", "agreementName " + strings.Repeat("a", 64) + "... is not valid: length must be at most 100, not 101."},
		{"name bound of dxlocal", &CreateConnectionRequest{Location: String("l"), Bandwidth: String("b"), ConnectionName: String(strings.Repeat("n", 257))}, "connectionName", "connectionName " + strings.Repeat("n", 64) + "... is not valid: length must be at most 256, not 257."},
		{"name at the bound", &CreateLagRequest{Location: String("l"), ConnectionsBandwidth: String("b"), LagName: String(strings.Repeat("n", 256)), NumberOfConnections: Int32(1)}, "", ""},
		{"list bound of dxlocal", &DescribeTagsRequest{ResourceArns: make([]string, 101)}, "resourceArns", "resourceArns must have at most 100 items, not 101."},
		{"enum", &CreateBGPPeerRequest{NewBGPPeer: &NewBGPPeer{AddressFamily: String("ipv5")}}, "newBGPPeer.addressFamily", "newBGPPeer.addressFamily ipv5 is not valid."},
		{"enum valid", &CreateBGPPeerRequest{NewBGPPeer: &NewBGPPeer{AddressFamily: String(AddressFamilyIpv6)}}, "", ""},
		{"nested required", &CreatePrivateVirtualInterfaceRequest{ConnectionId: String("c"), NewPrivateVirtualInterface: &NewPrivateVirtualInterface{VirtualInterfaceName: String("v")}}, "newPrivateVirtualInterface.vlan", "newPrivateVirtualInterface.vlan is required."},
		{"nested list element", &CreatePrivateVirtualInterfaceRequest{ConnectionId: String("c"), NewPrivateVirtualInterface: &NewPrivateVirtualInterface{VirtualInterfaceName: String("v"), Vlan: Int32(1), Asn: Int32(1), Tags: []Tag{{}}}}, "newPrivateVirtualInterface.tags[0].key", ""},
		{"required nested structure", &CreatePrivateVirtualInterfaceRequest{ConnectionId: String("c")}, "newPrivateVirtualInterface", "newPrivateVirtualInterface is required."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.Validate()
			if tt.wantMember == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			var perr *InvalidParamError
			if !errors.As(err, &perr) {
				t.Fatalf("got %T %v, want *InvalidParamError", err, err)
			}
			if perr.Member != tt.wantMember {
				t.Errorf("Member = %q, want %q", perr.Member, tt.wantMember)
			}
			if tt.wantMsg != "" && perr.Message != tt.wantMsg {
				t.Errorf("Message = %q, want %q", perr.Message, tt.wantMsg)
			}
			if perr.Error() != perr.Message {
				t.Errorf("Error() = %q, want the Message", perr.Error())
			}
		})
	}
}

func TestInvalidParamErrorValue(t *testing.T) {
	err := (&CreateBGPPeerRequest{NewBGPPeer: &NewBGPPeer{AddressFamily: String("ipv5")}}).Validate()
	var perr *InvalidParamError
	if !errors.As(err, &perr) || perr.Value != "ipv5" {
		t.Fatalf("got %#v, want Value ipv5", err)
	}
}
