package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

// vifBook answers DescribeVirtualInterfaces and ListVirtualInterfaceTestHistory of the state
// test's owner and the admin resources, as one text.
func vifBook(t *testing.T, addr string) string {
	t.Helper()
	dx := sdk(addr, stateOwner, "us-east-1")
	vifs, err := dx.DescribeVirtualInterfaces(ctx(), &directconnect.DescribeVirtualInterfacesInput{})
	if err != nil {
		t.Fatal(err)
	}
	tests, err := dx.ListVirtualInterfaceTestHistory(ctx(), &directconnect.ListVirtualInterfaceTestHistoryInput{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal([]any{vifs.VirtualInterfaces, tests.VirtualInterfaceTestHistory, string(getBody(t, "http://"+addr+"/_dxlocal/resources"))})
	return string(b)
}

// VIFs survive a restart of the binary with -state: peers, sessions set down, link down, a
// running test; a state with two VIFs on one VLAN of a connection stops the start.
func TestStateFileKeepsTheVIFs(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "state.json")
	p := start(t, []string{"-addr", "127.0.0.1:0", "-state", file})
	dx := sdk(p.addr, stateOwner, "us-east-1")
	control := func(id, body string) {
		t.Helper()
		resp, err := client.Post("http://"+p.addr+"/_dxlocal/resources/"+id, "application/json", strings.NewReader(body))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("POST %s %s: %v %v", id, body, err, resp)
		}
		resp.Body.Close()
	}
	c, err := dx.CreateConnection(ctx(), &directconnect.CreateConnectionInput{ConnectionName: aws.String("c"), Location: aws.String("EqDC2"), Bandwidth: aws.String("10Gbps")})
	if err != nil {
		t.Fatal(err)
	}
	control(*c.ConnectionId, `{"state":"available"}`)
	var ids []string
	for _, vlan := range []int32{10, 11} {
		v, err := dx.CreatePrivateVirtualInterface(ctx(), &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: c.ConnectionId,
			NewPrivateVirtualInterface: &types.NewPrivateVirtualInterface{VirtualInterfaceName: aws.String("v"), Vlan: vlan, Asn: 65000, VirtualGatewayId: aws.String("vgw-0123abcd")}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, *v.VirtualInterfaceId)
		control(*v.VirtualInterfaceId, `{"state":"available"}`)
	}
	if _, err := dx.CreateBGPPeer(ctx(), &directconnect.CreateBGPPeerInput{VirtualInterfaceId: aws.String(ids[0]),
		NewBGPPeer: &types.NewBGPPeer{Asn: 65000, AddressFamily: types.AddressFamilyIPv6}}); err != nil {
		t.Fatal(err)
	}
	control(ids[0], `{"bgpStatus":"down"}`)
	if _, err := dx.StartBgpFailoverTest(ctx(), &directconnect.StartBgpFailoverTestInput{VirtualInterfaceId: aws.String(ids[1])}); err != nil {
		t.Fatal(err)
	}
	control(*c.ConnectionId, `{"state":"down"}`)

	before := vifBook(t, p.addr)
	for _, want := range []string{"in_progress", `"BgpStatus":"down"`, "ipv6", `"VirtualInterfaceState":"down"`} {
		if !strings.Contains(before, want) {
			t.Fatalf("the VIFs lack %s: %s", want, before)
		}
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t); code != 0 {
		t.Fatalf("exit %d; stderr %s", code, p.stderr)
	}
	p = start(t, []string{"-addr", "127.0.0.1:0", "-state", file})
	if after := vifBook(t, p.addr); after != before {
		t.Fatalf("after the restart:\n%s\nbefore:\n%s", after, before)
	}
	// The link comes back, and the VIFs with it, as they would have without the restart.
	control(*c.ConnectionId, `{"state":"available"}`)
	if got := vifBook(t, p.addr); !strings.Contains(got, `"VirtualInterfaceState":"testing"`) || !strings.Contains(got, `"VirtualInterfaceState":"available"`) {
		t.Fatalf("after the link came back: %s", got)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t); code != 0 {
		t.Fatalf("exit %d; stderr %s", code, p.stderr)
	}

	// Two VIFs on VLAN 10 of one connection: exit 2, one line naming the VLAN.
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(saved), `"vlan":11`, `"vlan":10`, 1)
	if broken == string(saved) {
		t.Fatal("the saved state has no VIF on VLAN 11")
	}
	bad := writeFile(t, t.TempDir(), "broken.json", broken)
	code, stdout, stderr := run(t, []string{"-addr", "127.0.0.1:0", "-state", bad})
	if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "VLAN 10") {
		t.Fatalf("exit %d stdout %q stderr %q", code, stdout, stderr)
	}
}
