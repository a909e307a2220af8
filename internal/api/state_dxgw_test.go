package api_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"

	"github.com/dxlocal/dxlocal/internal/snapshot"
	"github.com/dxlocal/dxlocal/internal/store"
)

const (
	gwVIFAttached = "dxvif-ffaa0001"
	gwVIFDetached = "dxvif-ffaa0002"
	gwGoneID      = "0c0c0c0c-1111-4222-8333-444444444444"
)

// gwBook builds a gateway book with every state there is, mid-dwell: gateways pending (held),
// available (tagged), reverted from a delete; associations with a VGW (updating), a TGW,
// disassociated; proposals requested, accepted and deleted. Attachments are added to the state
// document by gwWithAttachments, since only VIFs make them.
func gwBook(t *testing.T, e *env) (gws []string) {
	t.Helper()
	dx := e.client(owner)
	e.seedGateway(`{"gatewayId":"` + gwTGW1 + `","ownerAccount":"` + other + `","region":"` + usEast + `","amazonSideAsn":65000}`)

	tagged := e.gwFinished(owner, 64512)
	if _, err := dx.TagResource(ctx, &directconnect.TagResourceInput{ResourceArn: aws.String("arn:aws:directconnect::" + owner + ":dx-gateway/" + tagged),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("net")}, {Key: aws.String("env")}}}); err != nil {
		t.Fatal(err)
	}
	a, err := e.gwAssociate(owner, tagged, gwVGW1, "10.0.0.0/16", "10.1.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	e.gwControl(aws.ToString(a.AssociationId), `{"state":"associated"}`, 200)
	if _, err := dx.UpdateDirectConnectGatewayAssociation(ctx, &directconnect.UpdateDirectConnectGatewayAssociationInput{
		AssociationId: a.AssociationId, RemoveAllowedPrefixesToDirectConnectGateway: cidrList("10.1.0.0/16")}); err != nil {
		t.Fatal(err)
	}

	held := aws.ToString(e.createDXGW(owner, "held", 65001).DirectConnectGatewayId)
	e.gwControl(held, `{"hold":true}`, 200)

	// other's gateway with its TGW, and a VGW association that is gone.
	transit := e.gwFinished(other, 64600)
	ta, err := e.gwAssociate(other, transit, gwTGW1, "192.168.0.0/24")
	if err != nil {
		t.Fatal(err)
	}
	e.gwControl(aws.ToString(ta.AssociationId), `{"state":"associated"}`, 200)
	reverted := e.gwFinished(other, 64700)
	ra, err := e.gwAssociate(other, reverted, gwVGW2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client(other).DeleteDirectConnectGateway(ctx, &directconnect.DeleteDirectConnectGatewayInput{DirectConnectGatewayId: aws.String(reverted)}); err != nil {
		t.Fatal(err)
	}
	e.gwControl(reverted, `{"state":"available"}`, 200) // back, with its stateChangeError
	if _, err := e.client(other).DeleteDirectConnectGatewayAssociation(ctx, &directconnect.DeleteDirectConnectGatewayAssociationInput{AssociationId: ra.AssociationId}); err != nil {
		t.Fatal(err)
	}
	e.gwControl(aws.ToString(ra.AssociationId), `{"state":"disassociated"}`, 200)

	// Proposals from partner to owner's tagged gateway: one accepted, one deleted, one requested
	// (of a change to the accepted association's prefixes).
	e.seedGateway(`{"gatewayId":"vgw-0000000000000000a","ownerAccount":"` + partner + `","region":"` + usEast + `"}`)
	e.seedGateway(`{"gatewayId":"vgw-0000000b","ownerAccount":"` + partner + `","region":"` + usEast + `","vpcCidrs":["172.16.0.0/16"]}`)
	acc, err := e.gwPropose(partner, tagged, owner, "vgw-0000000000000000a", []string{"10.20.0.0/16"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.gwAccept(owner, usEast, tagged, aws.ToString(acc.ProposalId), partner); err != nil {
		t.Fatal(err)
	}
	del, err := e.gwPropose(partner, tagged, owner, "vgw-0000000b", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client(partner).DeleteDirectConnectGatewayAssociationProposal(ctx, &directconnect.DeleteDirectConnectGatewayAssociationProposalInput{ProposalId: del.ProposalId}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(20 * time.Minute)
	if _, err := e.gwPropose(partner, tagged, owner, "vgw-0000000000000000a", []string{"10.21.0.0/16"}, []string{"10.20.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	// A gateway on its way in, not held: its change is still to come.
	pending := aws.ToString(e.createDXGW(partner, "fresh", 64800).DirectConnectGatewayId)
	e.clock.Advance(10 * time.Minute)
	// The connection gwWithAttachments puts the attached VIF on.
	e.availableConnection(owner)
	return []string{tagged, held, transit, reverted, pending}
}

// gwWithAttachments adds two attachments to a state document: a VIF attached to gw and one
// detached from a gateway that is gone.
func gwWithAttachments(t *testing.T, doc, gw string, at time.Time) string {
	t.Helper()
	st, err := snapshot.Decode(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	// The attached VIF is in the state too (a restore checks that VIFs and attachments agree),
	// on owner's connection in usEast.
	addAttachedVIF(t, st, gwVIFAttached, gw, at)
	st.GatewayAttachments = append(st.GatewayAttachments,
		snapshot.GatewayAttachment{DirectConnectGatewayID: gw, VirtualInterfaceID: gwVIFAttached, Region: usEast, OwnerAccount: owner, Kind: "private", State: "attached", Since: at},
		snapshot.GatewayAttachment{DirectConnectGatewayID: gwGoneID, VirtualInterfaceID: gwVIFDetached, Region: usEast, OwnerAccount: owner, Kind: "private", State: "detached", Since: at},
	)
	var buf bytes.Buffer
	if err := snapshot.Encode(&buf, st); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// describeGateways answers every Describe call of the gateway operations of every account and
// region, the tags of every DX gateway, and the admin resources, as one text to compare.
func describeGateways(t *testing.T, e *env) string {
	t.Helper()
	var out []any
	add := func(v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	associated := []string{gwVGW1, gwVGW2, gwTGW1, "vgw-0000000000000000a", "vgw-0000000b"}
	for _, region := range []string{usEast, euWest} {
		for _, acct := range []string{owner, other, partner} {
			dx := e.clientIn(acct, region)
			gws, err := dx.DescribeDirectConnectGateways(ctx, &directconnect.DescribeDirectConnectGatewaysInput{})
			add(gws.DirectConnectGateways, err)
			var arns []string
			for _, g := range gws.DirectConnectGateways {
				arns = append(arns, "arn:aws:directconnect::"+acct+":dx-gateway/"+aws.ToString(g.DirectConnectGatewayId))
				as, err := dx.DescribeDirectConnectGatewayAssociations(ctx, &directconnect.DescribeDirectConnectGatewayAssociationsInput{DirectConnectGatewayId: g.DirectConnectGatewayId})
				add(as.DirectConnectGatewayAssociations, err)
				at, err := dx.DescribeDirectConnectGatewayAttachments(ctx, &directconnect.DescribeDirectConnectGatewayAttachmentsInput{DirectConnectGatewayId: g.DirectConnectGatewayId})
				add(at.DirectConnectGatewayAttachments, err)
			}
			for _, id := range associated {
				as, err := dx.DescribeDirectConnectGatewayAssociations(ctx, &directconnect.DescribeDirectConnectGatewayAssociationsInput{AssociatedGatewayId: aws.String(id)})
				add(as.DirectConnectGatewayAssociations, err)
			}
			for _, vif := range []string{gwVIFAttached, gwVIFDetached} {
				at, err := dx.DescribeDirectConnectGatewayAttachments(ctx, &directconnect.DescribeDirectConnectGatewayAttachmentsInput{VirtualInterfaceId: aws.String(vif)})
				add(at.DirectConnectGatewayAttachments, err)
			}
			ps, err := dx.DescribeDirectConnectGatewayAssociationProposals(ctx, &directconnect.DescribeDirectConnectGatewayAssociationProposalsInput{})
			add(ps.DirectConnectGatewayAssociationProposals, err)
			vgws, err := dx.DescribeVirtualGateways(ctx, &directconnect.DescribeVirtualGatewaysInput{})
			add(vgws.VirtualGateways, err)
			if len(arns) > 0 {
				tags, err := dx.DescribeTags(ctx, &directconnect.DescribeTagsInput{ResourceArns: arns})
				add(tags.ResourceTags, err)
			}
		}
	}
	_, res := e.admin("GET", "/resources", "")
	_, reg := e.admin("GET", "/gateways", "")
	out = append(out, res, reg)
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStateGatewayBookRoundTrip(t *testing.T) {
	e := newEnv(t, withDwell(time.Hour))
	gws := gwBook(t, e)
	doc := gwWithAttachments(t, e.stateBody(), gws[0], e.clock.Now())
	if status, m := e.putState(doc); status != 200 {
		t.Fatalf("PUT the attachments: %d %v", status, m)
	}
	if got := e.stateBody(); got != doc {
		t.Fatalf("GET after PUT differs:\n%s\nput:\n%s", got, doc)
	}
	for _, member := range []string{`"directConnectGateways"`, `"gatewayAssociations"`, `"associationProposals"`, `"gatewayAttachments"`, `"hold":true`, `"stateChangeError"`, `"existingPrefixes"`, `"expires"`} {
		if !strings.Contains(doc, member) {
			t.Fatalf("the state lacks %s:\n%s", member, doc)
		}
	}
	described := describeGateways(t, e)
	for _, want := range []string{gwVIFAttached, "attached", "detached", "updating", "disassociated", "requested", "accepted", "deleted", "net"} {
		if !strings.Contains(described, want) {
			t.Fatalf("the book as described lacks %s: %s", want, described)
		}
	}

	// A fresh dxlocal, later, with a gateway of its own, takes the state.
	e2 := newEnv(t, withDwell(time.Hour))
	e2.clock.Advance(500 * time.Hour)
	e2.createDXGW(stranger, "mine", 64512)
	if status, m := e2.putState(doc); status != 200 {
		t.Fatalf("PUT state: %d %v", status, m)
	}
	if got := e2.stateBody(); got != doc {
		t.Fatalf("GET after PUT differs:\n%s\nput:\n%s", got, doc)
	}
	if after := describeGateways(t, e2); after != described {
		t.Fatalf("Describe answers differ after the restore:\nbefore %s\nafter  %s", described, after)
	}
	// The changes still to come come at the same times and in the same order: the updating
	// association, the pending gateway, proposal expiry, retention.
	for _, step := range []time.Duration{30 * time.Minute, time.Hour, 3 * 24 * time.Hour, 5 * 24 * time.Hour} {
		e.clock.Advance(step)
		e2.clock.Advance(step)
		if a, b := describeGateways(t, e), describeGateways(t, e2); a != b {
			t.Fatalf("after %v more they differ:\n%s\n%s", step, a, b)
		}
	}
	// The held gateway is still pending in both, and its hold is still one.
	if s := e2.gwState(owner, gws[1]); s != "pending" {
		t.Fatalf("the held gateway is %s", s)
	}
	e2.gwControl(gws[1], `{"hold":false}`, 200)
	e2.clock.Advance(time.Hour)
	if s := e2.gwState(owner, gws[1]); s != "available" {
		t.Fatalf("released after the restore: %s", s)
	}
	// New gateways get the same ids in both.
	a, b := e.createDXGW(owner, "next", 64512), e2.createDXGW(owner, "next", 64512)
	if aws.ToString(a.DirectConnectGatewayId) != aws.ToString(b.DirectConnectGatewayId) {
		t.Fatalf("ids go on differently: %s and %s", aws.ToString(a.DirectConnectGatewayId), aws.ToString(b.DirectConnectGatewayId))
	}
}

// TestStateGatewayBookEmpty: a state without a gateway book (a file written before gateways were
// saved) has none of its members, and loads as an empty book.
func TestStateGatewayBookEmpty(t *testing.T) {
	empty := newEnv(t).stateBody()
	for _, member := range []string{"directConnectGateways", "gatewayAssociations", "associationProposals", "gatewayAttachments"} {
		if strings.Contains(empty, member) {
			t.Fatalf("an empty book writes %s: %s", member, empty)
		}
	}
	e := newEnv(t, withDwell(time.Hour))
	gws := gwBook(t, e)
	if status, m := e.putState(empty); status != 200 {
		t.Fatalf("PUT: %d %v", status, m)
	}
	if _, ok := e.readDXGW(owner, gws[0]); ok {
		t.Fatal("a gateway survived a state without gateways")
	}
	if got := e.gwResourceList(""); len(got) != 0 {
		t.Fatalf("resources %v", got)
	}
}

func TestStateGatewayBookRefusals(t *testing.T) {
	e := newEnv(t, withDwell(time.Hour))
	gws := gwBook(t, e)
	doc := gwWithAttachments(t, e.stateBody(), gws[0], e.clock.Now())
	if status, m := e.putState(doc); status != 200 {
		t.Fatalf("PUT: %d %v", status, m)
	}
	var base snapshot.State
	if err := json.Unmarshal([]byte(doc), &base); err != nil {
		t.Fatal(err)
	}
	find := func(st *snapshot.State, state string) *snapshot.GatewayAssociation {
		for i := range st.GatewayAssociations {
			if st.GatewayAssociations[i].State == state {
				return &st.GatewayAssociations[i]
			}
		}
		t.Fatalf("no %s association", state)
		return nil
	}
	cases := []struct {
		name   string
		change func(st *snapshot.State)
		want   []string
	}{
		{"an association naming a missing gateway", func(st *snapshot.State) { find(st, "updating").DirectConnectGatewayID = gwGoneID },
			[]string{"Direct Connect gateway " + gwGoneID + " does not exist"}},
		{"an association naming a gateway of another owner", func(st *snapshot.State) { find(st, "updating").GatewayOwnerAccount = other },
			[]string{"is owned by " + owner + ", not " + other}},
		{"an association with a gateway the registry lacks", func(st *snapshot.State) { find(st, "updating").AssociatedGatewayID = "vgw-0fffffff" },
			[]string{"vgw-0fffffff", "not in the gateway registry"}},
		{"a prefix with host bits", func(st *snapshot.State) { find(st, "updating").AllowedPrefixes = []string{"10.0.0.1/16"} },
			[]string{"10.0.0.1/16"}},
		{"a proposal with a gateway the registry lacks", func(st *snapshot.State) { st.AssociationProposals[0].AssociatedGatewayID = "tgw-0ffffffffffffffff" },
			[]string{"tgw-0ffffffffffffffff", "not in the gateway registry"}},
		{"a requested proposal without expiry", func(st *snapshot.State) {
			for i := range st.AssociationProposals {
				if st.AssociationProposals[i].State == "requested" {
					st.AssociationProposals[i].Expires = time.Time{}
				}
			}
		}, []string{"needs its expires time"}},
		{"a live attachment to a missing gateway", func(st *snapshot.State) {
			st.GatewayAttachments[0].DirectConnectGatewayID = gwGoneID
		}, []string{gwVIFAttached, gwGoneID, "does not exist"}},
		{"an attachment of an unknown kind", func(st *snapshot.State) { st.GatewayAttachments[0].Kind = "public" },
			[]string{"kind public"}},
		{"a deleted gateway", func(st *snapshot.State) { st.DirectConnectGateways[0].State = "deleted" },
			[]string{"state deleted", gws[0]}},
		{"a gateway ASN out of range", func(st *snapshot.State) { st.DirectConnectGateways[0].AmazonSideAsn = 100 },
			[]string{"100"}},
		{"a gateway id twice", func(st *snapshot.State) { st.AssociationProposals[0].ID = st.DirectConnectGateways[0].ID },
			[]string{"id " + gws[0] + " appears twice"}},
		{"a malformed gateway id", func(st *snapshot.State) { st.DirectConnectGateways[0].ID = "dxgw-1" },
			[]string{"dxgw-1"}},
		{"an association state that does not exist", func(st *snapshot.State) { find(st, "updating").State = "attached" },
			[]string{"state attached"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var st snapshot.State
			if err := json.Unmarshal([]byte(doc), &st); err != nil {
				t.Fatal(err)
			}
			c.change(&st)
			var buf bytes.Buffer
			if err := snapshot.Encode(&buf, &st); err != nil {
				t.Fatal(err)
			}
			status, m := e.putState(buf.String())
			msg, _ := m["message"].(string)
			if status != 400 {
				t.Fatalf("PUT: %d %v, want 400", status, m)
			}
			for _, part := range c.want {
				if !strings.Contains(msg, part) {
					t.Fatalf("message %q lacks %q", msg, part)
				}
			}
			if got := e.stateBody(); got != doc {
				t.Fatalf("a refused state changed the state:\n%s", got)
			}
		})
	}
}

// TestStateGatewayBookKeepsTheOrderOfChangesDueTogether: changes due at the same moment come,
// after a restore, in the order they would have come without it (here not creation order: the
// association was made after the gateway, whose delete was asked after it).
func TestStateGatewayBookKeepsTheOrderOfChangesDueTogether(t *testing.T) {
	e := newEnv(t, withDwell(time.Hour))
	first := e.gwFinished(owner, 64512)
	second := e.gwFinished(owner, 64513)
	a, err := e.gwAssociate(owner, second, gwVGW1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client(owner).DeleteDirectConnectGateway(ctx, &directconnect.DeleteDirectConnectGatewayInput{DirectConnectGatewayId: aws.String(first)}); err != nil {
		t.Fatal(err)
	}
	doc := e.stateBody()

	var mu sync.Mutex
	var got []string
	e2 := newEnv(t, withDwell(time.Hour), withOnChange(func(c store.Change) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, c.ResourceID+" "+c.To)
	}))
	if status, m := e2.putState(doc); status != 200 {
		t.Fatalf("PUT: %d %v", status, m)
	}
	e2.clock.Advance(time.Hour)
	e2.gwResourceList("") // settles the book
	want := []string{aws.ToString(a.AssociationId) + " associated", first + " deleted"}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("changes after the restore %v, want %v", got, want)
	}
}
