package api_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

func TestVIFAttachmentQuotaDXGateway(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	gw := e.newDXGateway(owner, 64600)
	q := e.store.Quotas()
	q.AttachmentsPerGateway = 1
	e.store.SetQuotas(q)
	in := privateVIF(1, "")
	in.VirtualGatewayId, in.DirectConnectGatewayId = nil, aws.String(gw)
	if _, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &conn, NewPrivateVirtualInterface: in}); err != nil {
		t.Fatal(err)
	}
	in.Vlan = 2
	_, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &conn, NewPrivateVirtualInterface: in})
	wantAPIError(t, err, clientErr, "attachment limit of 1 exceeded for Direct Connect gateway "+gw)
	if all := e.vifIDs(dx); len(all) != 1 {
		t.Fatalf("%d VIFs after the refusal", len(all))
	}
}

func TestVIFMoveRefusals(t *testing.T) {
	e := newEnv(t, withPartners(partner))
	dx := e.client(owner)
	a, b := e.readyConnection(dx, 0), e.readyConnection(dx, 0)
	mine := privateVIF(1, vgwA)
	mine.AmazonAddress, mine.CustomerAddress = aws.String("169.254.50.1/30"), aws.String("169.254.50.2/30")
	v, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &a, NewPrivateVirtualInterface: mine})
	if err != nil {
		t.Fatal(err)
	}
	theirs := privateVIF(2, vgwA)
	theirs.AmazonAddress, theirs.CustomerAddress = aws.String("169.254.50.1/30"), aws.String("169.254.50.2/30")
	if _, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &b, NewPrivateVirtualInterface: theirs}); err != nil {
		t.Fatal(err)
	}
	_, err = dx.AssociateVirtualInterface(ctx, &directconnect.AssociateVirtualInterfaceInput{VirtualInterfaceId: v.VirtualInterfaceId, ConnectionId: &b})
	wantAPIError(t, err, clientErr, "169.254.50.2/30", "overlaps", b)
	if got := e.describeVIF(dx, aws.ToString(v.VirtualInterfaceId)); aws.ToString(got.ConnectionId) != a {
		t.Fatalf("refused move moved the VIF to %s", aws.ToString(got.ConnectionId))
	}

	// A VIF on a hosted connection stays there.
	p := e.client(partner)
	ic := createInterconnect(t, p, "TstB1", "10Gbps")
	h, err := p.AllocateHostedConnection(ctx, &directconnect.AllocateHostedConnectionInput{ConnectionId: ic.InterconnectId, OwnerAccount: aws.String(owner), Bandwidth: aws.String("500Mbps"), ConnectionName: aws.String("h"), Vlan: 9})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dx.ConfirmConnection(ctx, &directconnect.ConfirmConnectionInput{ConnectionId: h.ConnectionId}); err != nil {
		t.Fatal(err)
	}
	e.raw("OvertureService.DescribeLocations", `{}`)
	hv, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: h.ConnectionId, NewPrivateVirtualInterface: privateVIF(9, vgwA)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = dx.AssociateVirtualInterface(ctx, &directconnect.AssociateVirtualInterfaceInput{VirtualInterfaceId: hv.VirtualInterfaceId, ConnectionId: &a})
	wantAPIError(t, err, clientErr, "hosted connection "+aws.ToString(h.ConnectionId))
	_, err = dx.AssociateVirtualInterface(ctx, &directconnect.AssociateVirtualInterfaceInput{VirtualInterfaceId: v.VirtualInterfaceId, ConnectionId: h.ConnectionId})
	wantAPIError(t, err, clientErr, "cannot move to hosted connection "+aws.ToString(h.ConnectionId))
}

func TestVIFPublicTakesNoSiteLinkOrJumbo(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	v, err := dx.CreatePublicVirtualInterface(ctx, &directconnect.CreatePublicVirtualInterfaceInput{ConnectionId: &conn, NewPublicVirtualInterface: publicVIF(3)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(v.VirtualInterfaceId)
	e.state(dx, id)
	_, err = dx.UpdateVirtualInterfaceAttributes(ctx, &directconnect.UpdateVirtualInterfaceAttributesInput{VirtualInterfaceId: &id, EnableSiteLink: aws.Bool(true)})
	wantAPIError(t, err, clientErr, "enableSiteLink is not supported on public virtual interfaces.")
	_, err = dx.UpdateVirtualInterfaceAttributes(ctx, &directconnect.UpdateVirtualInterfaceAttributesInput{VirtualInterfaceId: &id, Mtu: aws.Int32(9001)})
	wantAPIError(t, err, clientErr, "MTU 9001 is not supported for public virtual interfaces.")
	if got := e.describeVIF(dx, id); got.VirtualInterfaceState != types.VirtualInterfaceStateAvailable || aws.ToInt32(got.Mtu) != 1500 || aws.ToBool(got.SiteLinkEnabled) {
		t.Fatalf("refused updates changed the VIF: %+v", got)
	}
}

func TestVIFBadAddressFamilyOnTheWire(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	conn := e.readyConnection(dx, 0)
	status, _, body := e.raw("OvertureService.CreatePrivateVirtualInterface",
		`{"connectionId":"`+conn+`","newPrivateVirtualInterface":{"virtualInterfaceName":"v","vlan":5,"asn":1,"addressFamily":"ipv5","virtualGatewayId":"`+vgwA+`"}}`,
		"Authorization", "AWS4-HMAC-SHA256 Credential="+owner+"/20261125/us-east-1/directconnect/aws4_request")
	if status != 400 || body["__type"] != clientErr || body["message"] == nil {
		t.Fatalf("%d %v", status, body)
	}
	if msg := body["message"].(string); !(len(msg) > 0 && strings.Contains(msg, "addressFamily") && strings.Contains(msg, "ipv5")) {
		t.Fatalf("message %q does not name the member and value", msg)
	}
}
