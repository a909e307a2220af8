package api_test

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// updateVIFGolden rewrites testdata/vif_list.golden.json. The file was written by the
// encoder before the list was made faster, so that the faster paths are held to its bytes.
var updateVIFGolden = flag.Bool("update-vif-golden", false, "rewrite testdata/vif_list.golden.json")

// rawBytes sends one AWS JSON 1.1 request as account and answers the status and the exact body.
func (e *env) rawBytes(account, op, body string) (int, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "OvertureService."+op)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+account+"/20261125/us-east-1/directconnect/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, b
}

// TestVIFListBytesUnchanged lists VIFs of every kind (types, states, IPv6 peers, tags seen by
// their owner and hidden from the connection owner, names that need escaping, a public VIF's
// route filters, a deleted one) and compares the answers byte for byte with the golden file.
func TestVIFListBytesUnchanged(t *testing.T) {
	e := newEnv(t, withDwell(time.Minute))
	dx := e.client(owner)
	conn := e.readyConnection(dx, time.Minute)
	var answers []string
	create := func(op, body string) {
		t.Helper()
		status, b := e.rawBytes(owner, op, fmt.Sprintf(body, conn))
		if status != http.StatusOK {
			t.Fatalf("%s: %d %s", op, status, b)
		}
		answers = append(answers, string(b))
	}
	create("CreatePrivateVirtualInterface", `{"connectionId":%q,"newPrivateVirtualInterface":{"virtualInterfaceName":"plain","vlan":101,"asn":65000,"virtualGatewayId":"vgw-0123456789abcdef0"}}`)
	create("CreatePrivateVirtualInterface", `{"connectionId":%q,"newPrivateVirtualInterface":{"virtualInterfaceName":"tagged - with_,/ signs","vlan":102,"asn":0,"asnLong":4200000000,"mtu":9001,"authKey":"k<&>\"'","virtualGatewayId":"vgw-0123456789abcdef0","tags":[{"key":"team","value":"net+ops"},{"key":"env"}]}}`)
	create("CreatePrivateVirtualInterface", `{"connectionId":%q,"newPrivateVirtualInterface":{"virtualInterfaceName":"v6","vlan":103,"asn":65010,"addressFamily":"ipv6","virtualGatewayId":"vgw-0123456789abcdef1"}}`)
	create("CreatePublicVirtualInterface", `{"connectionId":%q,"newPublicVirtualInterface":{"virtualInterfaceName":"pub","vlan":104,"asn":65001,"amazonAddress":"203.0.113.1/30","customerAddress":"203.0.113.2/30","routeFilterPrefixes":[{"cidr":"198.51.100.0/24"},{"cidr":"192.0.2.0/25"}]}}`)
	create("AllocatePrivateVirtualInterface", `{"connectionId":%q,"ownerAccount":"`+other+`","newPrivateVirtualInterfaceAllocation":{"virtualInterfaceName":"for other","vlan":105,"asn":65002,"tags":[{"key":"hidden","value":"from the connection owner"}]}}`)
	list := func(name string) {
		t.Helper()
		status, b := e.rawBytes(owner, "DescribeVirtualInterfaces", `{}`)
		if status != http.StatusOK {
			t.Fatalf("list %s: %d %s", name, status, b)
		}
		answers = append(answers, string(b))
	}
	list("pending")
	e.clock.Advance(2 * time.Minute) // public VIFs take two dwells
	list("available")
	status, b := e.rawBytes(owner, "DeleteVirtualInterface", `{"virtualInterfaceId":`+jsonField(t, answers[0], "virtualInterfaceId")+`}`)
	if status != http.StatusOK {
		t.Fatalf("delete: %d %s", status, b)
	}
	e.clock.Advance(time.Minute)
	list("one deleted")
	status, b = e.rawBytes(other, "DescribeVirtualInterfaces", `{}`)
	if status != http.StatusOK {
		t.Fatalf("list as other: %d %s", status, b)
	}
	answers = append(answers, string(b))
	status, b = e.rawBytes(owner, "DescribeVirtualInterfaces", `{"virtualInterfaceId":`+jsonField(t, answers[1], "virtualInterfaceId")+`}`)
	if status != http.StatusOK {
		t.Fatalf("describe by id: %d %s", status, b)
	}
	answers = append(answers, string(b))

	got := []byte(strings.Join(answers, "\n") + "\n")
	const golden = "testdata/vif_list.golden.json"
	if *updateVIFGolden {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("answer %d differs from %s:\n got %s\nwant %s", i, golden, gl[i], wl[i])
			}
		}
		t.Fatalf("answers differ from %s in number: %d, want %d", golden, len(gl), len(wl))
	}
}

// jsonField is one string member of a JSON object, quoted again.
func jsonField(t *testing.T, doc, name string) string {
	t.Helper()
	i := strings.Index(doc, `"`+name+`":"`)
	if i < 0 {
		t.Fatalf("no %s in %s", name, doc)
	}
	rest := doc[i+len(name)+4:]
	return `"` + rest[:strings.IndexByte(rest, '"')] + `"`
}

// TestVIFListCacheFollowsChanges: a list answers a VIF's JSON kept from an earlier answer
// only while the VIF is unchanged; a rename, a new peer and tags all show at once.
func TestVIFListCacheFollowsChanges(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	status, b := e.rawBytes(owner, "CreatePrivateVirtualInterface", fmt.Sprintf(`{"connectionId":%q,"newPrivateVirtualInterface":{"virtualInterfaceName":"before","vlan":101,"asn":65000,"virtualGatewayId":"vgw-0123456789abcdef0"}}`, conn))
	if status != http.StatusOK {
		t.Fatalf("create: %d %s", status, b)
	}
	id := jsonField(t, string(b), "virtualInterfaceId")
	list := func() string {
		t.Helper()
		status, b := e.rawBytes(owner, "DescribeVirtualInterfaces", `{}`)
		if status != http.StatusOK {
			t.Fatalf("list: %d %s", status, b)
		}
		return string(b)
	}
	first := list()
	if again := list(); again != first || !strings.Contains(first, `"virtualInterfaceName":"before"`) {
		t.Fatalf("lists of an unchanged VIF differ or miss its name:\n%s\n%s", first, again)
	}
	steps := []struct {
		op, body, want string
	}{
		{"UpdateVirtualInterfaceAttributes", `{"virtualInterfaceId":` + id + `,"virtualInterfaceName":"after"}`, `"virtualInterfaceName":"after"`},
		{"CreateBGPPeer", `{"virtualInterfaceId":` + id + `,"newBGPPeer":{"asn":65000,"addressFamily":"ipv6"}}`, `"addressFamily":"ipv6"`},
		{"TagResource", `{"resourceArn":"arn:aws:directconnect:us-east-1:` + owner + `:dxvif/` + strings.Trim(id, `"`) + `","tags":[{"key":"team","value":"net"}]}`, `"tags":[{"key":"team","value":"net"}]`},
		{"UntagResource", `{"resourceArn":"arn:aws:directconnect:us-east-1:` + owner + `:dxvif/` + strings.Trim(id, `"`) + `","tagKeys":["team"]}`, `"tags":[]`},
	}
	for _, s := range steps {
		if status, b := e.rawBytes(owner, s.op, s.body); status != http.StatusOK {
			t.Fatalf("%s: %d %s", s.op, status, b)
		}
		if got := list(); !strings.Contains(got, s.want) {
			t.Fatalf("after %s the list misses %s:\n%s", s.op, s.want, got)
		}
	}
}
