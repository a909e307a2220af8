package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestAppendJSON(t *testing.T) {
	tests := []struct {
		name string
		in   Output
		want string
	}{
		{"empty structure", &TagResourceResponse{}, `{}`},
		{"all members unset", &Connection{}, `{}`},
		{"nil receiver", (*Connection)(nil), `null`},
		{
			name: "members in model order, unset omitted",
			in: &Connection{
				OwnerAccount:      String("123456789012"),
				ConnectionId:      String("dxcon-abc"),
				ConnectionState:   String(ConnectionStateAvailable),
				Vlan:              Int32(101),
				LoaIssueTime:      Time(time.UnixMilli(1491568964123)),
				JumboFrameCapable: Bool(false),
				Tags:              []Tag{{Key: String("k"), Value: String("v")}, {Key: String("only-key")}},
				MacSecKeys:        []MacSecKey{},
			},
			want: `{"ownerAccount":"123456789012","connectionId":"dxcon-abc","connectionState":"available","vlan":101,"loaIssueTime":1491568964.123,"jumboFrameCapable":false,"tags":[{"key":"k","value":"v"},{"key":"only-key"}],"macSecKeys":[]}`,
		},
		{"nested structure", &CreateBGPPeerResponse{VirtualInterface: &VirtualInterface{Vlan: Int32(-1), AsnLong: Int64(4200000000)}}, `{"virtualInterface":{"vlan":-1,"asnLong":4200000000}}`},
		{"list of strings", &VirtualInterfaceTestHistory{BgpPeers: []string{"a", "b\"c"}}, `{"bgpPeers":["a","b\"c"]}`},
		{"empty list of strings", &VirtualInterfaceTestHistory{BgpPeers: []string{}}, `{"bgpPeers":[]}`},
		{"blob", &Loa{LoaContent: []byte("%PDF-1.4\xff"), LoaContentType: String(LoaContentTypeApplicationPdf)}, `{"loaContent":"JVBERi0xLjT/","loaContentType":"application/pdf"}`},
		{"empty blob", &Loa{LoaContent: []byte{}}, `{"loaContent":""}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in.AppendJSON([]byte("prefix"))
			if !bytes.HasPrefix(got, []byte("prefix")) {
				t.Fatal("AppendJSON overwrote the buffer")
			}
			got = got[len("prefix"):]
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if !json.Valid(got) {
				t.Error("invalid JSON")
			}
		})
	}
}

func TestMarshalJSONInteroperates(t *testing.T) {
	got, err := json.Marshal(map[string]any{"c": &Connection{ConnectionId: String("x")}})
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != `{"c":{"connectionId":"x"}}` {
		t.Errorf("got %s", got)
	}
}

// stdString is encoding/json's encoding of s without HTML escaping, the reference for
// appendString.
func stdString(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func TestAppendString(t *testing.T) {
	for _, s := range []string{
		"", "plain", `quote " backslash \`, "<html> & co", "\x00\x01\b\f\n\r\t\x1f\x7f",
		"é日本語🎉", "bad \xff utf8 \xc3", "\xed\xa0\x80 surrogate", "line\u2028para\u2029end",
	} {
		if got, want := string(appendString(nil, s)), stdString(s); got != want {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
}

func TestAppendStringAtEveryOffset(t *testing.T) {
	// The fast path reads eight bytes at a time; specials must be caught at any offset.
	for _, special := range []string{"\"", "\\", "\x00", "\x1f", "\x7f", "é", "\xff", "\u2028"} {
		for offset := range 20 {
			s := strings.Repeat("a", offset) + special + strings.Repeat("b", 19-offset)
			if got, want := string(appendString(nil, s)), stdString(s); got != want {
				t.Errorf("appendString(%q) = %s, want %s", s, got, want)
			}
		}
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("a\"b\\c\x00\xff\u2028é")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendString(nil, s)), stdString(s); got != want {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}

func TestTimestampAppendJSON(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Unix(1491568964, 0), "1491568964"},
		{time.UnixMilli(1491568964123), "1491568964.123"},
		{time.UnixMilli(1491568964120), "1491568964.12"},
		{time.UnixMilli(1491568964100), "1491568964.1"},
		{time.UnixMilli(1491568964001), "1491568964.001"},
		{time.Unix(1491568964, 999999999), "1491568964.999"}, // truncated to milliseconds
		{time.Unix(0, 0), "0"},
		{time.UnixMilli(-1500), "-1.5"},
		{time.UnixMilli(-1), "-0.001"},
		{time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), "253402300799"},
	}
	for _, tt := range tests {
		if got := string(Timestamp(tt.in).AppendJSON(nil)); got != tt.want {
			t.Errorf("AppendJSON(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestTimestampUnmarshalJSON(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"1491568964", time.Unix(1491568964, 0), true},
		{"1491568964.123", time.UnixMilli(1491568964123), true},
		{"1491568964.123456789123", time.Unix(1491568964, 123456789), true},
		{"-1.5", time.UnixMilli(-1500), true},
		{"1.491568964e9", time.Unix(1491568964, 0), true},
		{"0", time.Unix(0, 0), true},
		{`"1491568964"`, time.Time{}, false},
		{"true", time.Time{}, false},
		{"1e300", time.Time{}, false},
		{"99999999999999999999", time.Time{}, false},
		{"01", time.Time{}, false},
		{"1.", time.Time{}, false},
	}
	for _, tt := range tests {
		var ts Timestamp
		err := ts.UnmarshalJSON([]byte(tt.in))
		if (err == nil) != tt.ok {
			t.Errorf("UnmarshalJSON(%s) error = %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if tt.ok && !ts.Time().Equal(tt.want) {
			t.Errorf("UnmarshalJSON(%s) = %v, want %v", tt.in, ts.Time(), tt.want)
		}
	}
	// null leaves the value alone, as encoding/json expects of an Unmarshaler.
	ts := Timestamp(time.Unix(5, 0))
	if err := ts.UnmarshalJSON([]byte("null")); err != nil || !ts.Time().Equal(time.Unix(5, 0)) {
		t.Errorf("null: %v %v", ts.Time(), err)
	}
}

func TestTimestampRoundTrip(t *testing.T) {
	for _, ms := range []int64{0, 1, 999, 1000, 1491568964123, -1, -999, -1001, 253402300799000} {
		in := Timestamp(time.UnixMilli(ms))
		var out Timestamp
		if err := out.UnmarshalJSON(in.AppendJSON(nil)); err != nil {
			t.Fatal(err)
		}
		if !out.Time().Equal(in.Time()) {
			t.Errorf("%d ms: got %v, want %v", ms, out.Time(), in.Time())
		}
	}
}

// listOfConnections is a DescribeConnections answer shaped like a busy account's.
func listOfConnections(n int) *Connections {
	out := &Connections{Connections: make([]Connection, n)}
	for i := range out.Connections {
		out.Connections[i] = Connection{
			OwnerAccount:         String("123456789012"),
			ConnectionId:         String(fmt.Sprintf("dxcon-%08x", i)),
			ConnectionName:       String(fmt.Sprintf("connection %d", i)),
			ConnectionState:      String(ConnectionStateAvailable),
			Region:               String("us-east-1"),
			Location:             String("EqDC2"),
			Bandwidth:            String("10Gbps"),
			Vlan:                 Int32(int32(i % 4094)),
			PartnerName:          String("partner"),
			LoaIssueTime:         Time(time.UnixMilli(1491568964123)),
			LagId:                String("dxlag-ffabc123"),
			AwsDevice:            String("EqDC2-123h49s71dabc"),
			JumboFrameCapable:    Bool(true),
			AwsDeviceV2:          String("EqDC2-123h49s71dabc"),
			AwsLogicalDeviceId:   String("EqDC2-3b1k4bkzyt4wd"),
			HasLogicalRedundancy: String(HasLogicalRedundancyYes),
			Tags:                 []Tag{{Key: String("env"), Value: String("prod")}, {Key: String("team"), Value: String("network")}},
			ProviderName:         String("provider"),
			MacSecCapable:        Bool(false),
			PortEncryptionStatus: String("Encryption Up"),
			EncryptionMode:       String("must_encrypt"),
			MacSecKeys:           []MacSecKey{{SecretARN: String("arn:aws:secretsmanager:us-east-1:123456789012:secret:x"), Ckn: String("0123456789abcdef"), State: String("associated"), StartOn: String("2024-01-01")}},
		}
	}
	return out
}

// TestEncodeTenThousandConnections checks that a large list encodes to valid JSON; how fast
// is measured by BenchmarkAppendJSONConnections10k, never asserted here.
func TestEncodeTenThousandConnections(t *testing.T) {
	b := listOfConnections(10000).AppendJSON(nil)
	if !json.Valid(b) {
		t.Fatal("invalid JSON")
	}
}

func BenchmarkAppendJSONConnections10k(b *testing.B) {
	out := listOfConnections(10000)
	buf := out.AppendJSON(nil)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		out.AppendJSON(nil)
	}
}
