package api_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

// TestVIFConcurrentCreates races many creates on one connection, half of them on a few shared
// VLANs, with a low quota: every VLAN ends up held by at most one live VIF, the quota holds,
// and every refused call left nothing behind.
func TestVIFConcurrentCreates(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	q := e.store.Quotas()
	q.VifsPerConnection = 12
	e.store.SetQuotas(q)
	const workers = 40
	var wg sync.WaitGroup
	var mu sync.Mutex // guards created and refused
	created, refused := map[string]int32{}, 0
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vlan := int32(1 + i%4) // contested VLANs
			if i%2 == 1 {
				vlan = int32(100 + i) // own VLANs
			}
			v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &conn, NewPrivateVirtualInterface: privateVIF(vlan, vgwA)})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				wantAPIErrorNoFatal(t, err)
				refused++
				return
			}
			created[aws.ToString(v.VirtualInterfaceId)] = vlan
		}()
	}
	// Reads and deletes run alongside.
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				if _, err := dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{ConnectionId: &conn}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if len(created) != 12 || refused != workers-12 {
		t.Fatalf("%d created, %d refused; want 12 and %d", len(created), refused, workers-12)
	}
	out, err := dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{ConnectionId: &conn})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.VirtualInterfaces) != len(created) {
		t.Fatalf("%d VIFs stored, %d creates succeeded", len(out.VirtualInterfaces), len(created))
	}
	held := map[int32]string{}
	addrs := map[string]string{}
	for _, v := range out.VirtualInterfaces {
		id := aws.ToString(v.VirtualInterfaceId)
		if v.VirtualInterfaceState == types.VirtualInterfaceStateDeleted {
			continue
		}
		if other, dup := held[v.Vlan]; dup {
			t.Fatalf("VLAN %d held by %s and %s", v.Vlan, other, id)
		}
		held[v.Vlan] = id
		if other, dup := addrs[aws.ToString(v.AmazonAddress)]; dup {
			t.Fatalf("address %s given to %s and %s", aws.ToString(v.AmazonAddress), other, id)
		}
		addrs[aws.ToString(v.AmazonAddress)] = id
		if created[id] != v.Vlan {
			t.Fatalf("%s has VLAN %d, created with %d", id, v.Vlan, created[id])
		}
	}
}

// wantAPIErrorNoFatal checks a refusal from a goroutine: a client error naming a VLAN in use
// or the limit.
func wantAPIErrorNoFatal(t *testing.T, err error) {
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != clientErr ||
		!(strings.Contains(ae.ErrorMessage(), "is already in use on") || strings.Contains(ae.ErrorMessage(), "has reached its limit of 12")) {
		t.Errorf("unexpected refusal %v", err)
	}
}

// TestVIFConcurrentDXGatewayAttachments races VIF creates and deletes that take the gateway
// book and the region (in that order) with calls that take the region only: nothing deadlocks,
// and the book ends with exactly the live VIFs attached.
func TestVIFConcurrentDXGatewayAttachments(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	gw := e.newDXGateway(owner, 64900)
	var wg sync.WaitGroup
	var mu sync.Mutex // guards kept
	kept := map[string]bool{}
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := privateVIF(int32(10+i), "")
			in.VirtualGatewayId, in.DirectConnectGatewayId = nil, aws.String(gw)
			v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &conn, NewPrivateVirtualInterface: in})
			if err != nil {
				t.Error(err)
				return
			}
			if i%2 == 0 {
				if _, err := dx.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: v.VirtualInterfaceId}); err != nil {
					t.Error(err)
				}
				return
			}
			mu.Lock()
			kept[aws.ToString(v.VirtualInterfaceId)] = true
			mu.Unlock()
		}()
	}
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps"), ConnectionName: aws.String("x")})
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := dx.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: c.ConnectionId}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	attached := e.attachedVIFs(owner, gw)
	if len(attached) != len(kept) {
		t.Fatalf("%d attached, %d kept", len(attached), len(kept))
	}
	for _, id := range attached {
		if !kept[id] {
			t.Fatalf("%s attached but deleted", id)
		}
	}
}
