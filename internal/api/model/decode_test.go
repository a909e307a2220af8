package model

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		body string
		want *CreatePrivateVirtualInterfaceRequest
	}{
		{"empty body", "", &CreatePrivateVirtualInterfaceRequest{}},
		{"whitespace body", " \r\n\t", &CreatePrivateVirtualInterfaceRequest{}},
		{"empty object", "{}", &CreatePrivateVirtualInterfaceRequest{}},
		{
			name: "nested members",
			body: `{"connectionId":"dxcon-1","newPrivateVirtualInterface":{"virtualInterfaceName":"vif","vlan":101,"asn":65000,"asnLong":4200000000,"enableSiteLink":true,"tags":[{"key":"k","value":"v"}]}}`,
			want: &CreatePrivateVirtualInterfaceRequest{
				ConnectionId: String("dxcon-1"),
				NewPrivateVirtualInterface: &NewPrivateVirtualInterface{
					VirtualInterfaceName: String("vif"),
					Vlan:                 Int32(101),
					Asn:                  Int32(65000),
					AsnLong:              Int64(4200000000),
					EnableSiteLink:       Bool(true),
					Tags:                 []Tag{{Key: String("k"), Value: String("v")}},
				},
			},
		},
		{"unknown members are ignored", `{"connectionId":"x","bogus":{"deep":[1,2]}}`, &CreatePrivateVirtualInterfaceRequest{ConnectionId: String("x")}},
		{"member names are case-sensitive", `{"ConnectionID":"x","newPrivateVirtualInterface":{"VLAN":"not even a number"}}`, &CreatePrivateVirtualInterfaceRequest{NewPrivateVirtualInterface: &NewPrivateVirtualInterface{}}},
		{"null reads as absent", `{"connectionId":null,"newPrivateVirtualInterface":null}`, &CreatePrivateVirtualInterfaceRequest{}},
		{"empty list stays non-nil", `{"newPrivateVirtualInterface":{"tags":[]}}`, &CreatePrivateVirtualInterfaceRequest{NewPrivateVirtualInterface: &NewPrivateVirtualInterface{Tags: []Tag{}}}},
		{"null list element is an empty structure", `{"newPrivateVirtualInterface":{"tags":[null]}}`, &CreatePrivateVirtualInterfaceRequest{NewPrivateVirtualInterface: &NewPrivateVirtualInterface{Tags: []Tag{{}}}}},
		{"escapes", `{"connectionId":"a\"b\\c\u00e9\n"}`, &CreatePrivateVirtualInterfaceRequest{ConnectionId: String("a\"b\\cé\n")}},
		{"empty string is present", `{"connectionId":""}`, &CreatePrivateVirtualInterfaceRequest{ConnectionId: String("")}},
		{"last duplicate wins", `{"connectionId":"a","connectionId":"b"}`, &CreatePrivateVirtualInterfaceRequest{ConnectionId: String("b")}},
		{"int32 bounds", `{"newPrivateVirtualInterface":{"vlan":-2147483648,"asn":2147483647}}`, &CreatePrivateVirtualInterfaceRequest{NewPrivateVirtualInterface: &NewPrivateVirtualInterface{Vlan: Int32(-2147483648), Asn: Int32(2147483647)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := new(CreatePrivateVirtualInterfaceRequest)
			if err := Decode([]byte(tt.body), got); err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %s\nwant %s", got.AppendJSON(nil), tt.want.AppendJSON(nil))
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wantMember string
		wantMsg    string // empty: only the type is checked
	}{
		{"invalid JSON", `{"connectionId":`, "", ""},
		{"trailing garbage", `{} x`, "", ""},
		{"null body", `null`, "", ""},
		{"array body", `[]`, "", ""},
		{"string body", `"x"`, "", ""},
		{"number body", `1`, "", ""},
		{"bool body", `true`, "", ""},
		{"vertical tab is not JSON whitespace", "\v", "", ""},
		{"string for integer", `{"newPrivateVirtualInterface":{"vlan":"101"}}`, "newPrivateVirtualInterface.vlan",
			`Value "101" for member newPrivateVirtualInterface.vlan cannot be converted to integer`},
		{"fraction for integer", `{"newPrivateVirtualInterface":{"vlan":1.5}}`, "newPrivateVirtualInterface.vlan",
			`Value 1.5 for member newPrivateVirtualInterface.vlan cannot be converted to integer`},
		{"exponent for integer", `{"newPrivateVirtualInterface":{"vlan":1e2}}`, "newPrivateVirtualInterface.vlan", ""},
		{"int32 overflow", `{"newPrivateVirtualInterface":{"vlan":2147483648}}`, "newPrivateVirtualInterface.vlan",
			`Value 2147483648 for member newPrivateVirtualInterface.vlan cannot be converted to integer`},
		{"int64 overflow", `{"newPrivateVirtualInterface":{"asnLong":9223372036854775808}}`, "newPrivateVirtualInterface.asnLong",
			`Value 9223372036854775808 for member newPrivateVirtualInterface.asnLong cannot be converted to long`},
		{"object for list", `{"newPrivateVirtualInterface":{"tags":{}}}`, "newPrivateVirtualInterface.tags",
			`Value {...} for member newPrivateVirtualInterface.tags cannot be converted to list`},
		{"number for string", `{"connectionId":5}`, "connectionId", `Value 5 for member connectionId cannot be converted to string`},
		{"string for boolean", `{"newPrivateVirtualInterface":{"enableSiteLink":"true"}}`, "newPrivateVirtualInterface.enableSiteLink", ""},
		{"array for structure", `{"newPrivateVirtualInterface":[]}`, "newPrivateVirtualInterface",
			`Value [...] for member newPrivateVirtualInterface cannot be converted to structure`},
		{"list element path", `{"newPrivateVirtualInterface":{"tags":[{"key":"a"},{"key":7}]}}`, "newPrivateVirtualInterface.tags[1].key", ""},
		{"list element type", `{"newPrivateVirtualInterface":{"tags":[1]}}`, "newPrivateVirtualInterface.tags[0]", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Decode([]byte(tt.body), new(CreatePrivateVirtualInterfaceRequest))
			var serr *SerializationError
			if !errors.As(err, &serr) {
				t.Fatalf("got %T %v, want *SerializationError", err, err)
			}
			if serr.Member != tt.wantMember {
				t.Errorf("Member = %q, want %q", serr.Member, tt.wantMember)
			}
			if tt.wantMsg != "" && serr.Message != tt.wantMsg {
				t.Errorf("Message = %q, want %q", serr.Message, tt.wantMsg)
			}
			if serr.Error() == "" {
				t.Error("empty error text")
			}
		})
	}
}

func TestDecodeStringList(t *testing.T) {
	var in UntagResourceRequest
	if err := Decode([]byte(`{"tagKeys":["a",null,"c"]}`), &in); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "", "c"}; !reflect.DeepEqual(in.TagKeys, want) {
		t.Errorf("TagKeys = %q, want %q", in.TagKeys, want)
	}
	err := Decode([]byte(`{"tagKeys":["a",{}]}`), &in)
	var serr *SerializationError
	if !errors.As(err, &serr) || serr.Member != "tagKeys[1]" {
		t.Errorf("got %v, want a SerializationError on tagKeys[1]", err)
	}
}

func TestDecodeOutputShapes(t *testing.T) {
	// Outputs decode too, which lets tests and clients read responses back.
	body := `{"loa":{"loaContent":"JVBERi0=","loaContentType":"application/pdf"}}`
	var out DescribeConnectionLoaResponse
	if err := Decode([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	if string(out.Loa.LoaContent) != "%PDF-" {
		t.Errorf("LoaContent = %q", out.Loa.LoaContent)
	}
	err := Decode([]byte(`{"loa":{"loaContent":"not base64!"}}`), &out)
	var serr *SerializationError
	if !errors.As(err, &serr) || serr.Member != "loa.loaContent" {
		t.Errorf("got %v, want a SerializationError on loa.loaContent", err)
	}

	var hist VirtualInterfaceTestHistory
	if err := Decode([]byte(`{"startTime":1491568964.123,"endTime":1491568964}`), &hist); err != nil {
		t.Fatal(err)
	}
	if got, want := hist.StartTime.Time(), time.UnixMilli(1491568964123); !got.Equal(want) {
		t.Errorf("StartTime = %v, want %v", got, want)
	}
	err = Decode([]byte(`{"startTime":"2017-04-07T12:42:44Z"}`), &hist)
	if !errors.As(err, &serr) || serr.Member != "startTime" {
		t.Errorf("got %v, want a SerializationError on startTime", err)
	}
}

func TestUnmarshalJSONInteroperates(t *testing.T) {
	// encoding/json goes through the generated UnmarshalJSON, so exact names apply there too.
	var in NewBGPPeer
	if err := json.Unmarshal([]byte(`{"asn":1,"ASN":2,"authKey":"k"}`), &in); err != nil {
		t.Fatal(err)
	}
	if *in.Asn != 1 || *in.AuthKey != "k" {
		t.Errorf("got %s", in.AppendJSON(nil))
	}
}

func TestDecodeFallback(t *testing.T) {
	var m map[string]int
	if err := Decode([]byte(`{"a":1}`), &m); err != nil || m["a"] != 1 {
		t.Fatalf("got %v %v", m, err)
	}
	err := Decode([]byte(`{"a":"x"}`), &m)
	var serr *SerializationError
	if !errors.As(err, &serr) {
		t.Fatalf("got %T, want *SerializationError", err)
	}
}

func BenchmarkDecodeCreatePrivateVirtualInterface(b *testing.B) {
	body := []byte(`{"connectionId":"dxcon-fg5678gh","newPrivateVirtualInterface":{"virtualInterfaceName":"PrivateVirtualInterface","vlan":101,"asn":65000,"authKey":"asdf34example","amazonAddress":"192.168.1.1/30","customerAddress":"192.168.1.2/30","addressFamily":"ipv4","virtualGatewayId":"vgw-aba37db6","tags":[{"key":"env","value":"prod"}]}}`)
	b.ReportAllocs()
	for b.Loop() {
		var in CreatePrivateVirtualInterfaceRequest
		if err := Decode(body, &in); err != nil {
			b.Fatal(err)
		}
		if err := in.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
