package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"

	"github.com/dxlocal/dxlocal/internal/api"
	"github.com/dxlocal/dxlocal/internal/gateway"
	"github.com/dxlocal/dxlocal/internal/snapshot"
)

// stateBody reads GET /_dxlocal/state as raw bytes.
func (e *env) stateBody() string {
	e.t.Helper()
	resp, err := http.Get(e.srv.URL + "/_dxlocal/state")
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		e.t.Fatalf("GET state: %d %s", resp.StatusCode, b)
	}
	return string(b)
}

func (e *env) putState(body string) (int, map[string]any) {
	e.t.Helper()
	return e.admin("PUT", "/state", body)
}

// richState builds resources of every family there is, in two regions and four accounts,
// with tags, MACsec keys, a LOA, a hold, a link down, gateways, a partner, an agreement and
// changed quotas; it leaves the clock mid-dwell so that some changes are still to come.
func richState(t *testing.T, e *env) {
	t.Helper()
	dx, p, o := e.client(owner), e.client(partner), e.client(other)
	c, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{
		ConnectionName: aws.String("tagged"), Location: aws.String("TstA1"), Bandwidth: aws.String("10Gbps"), RequestMACSec: aws.Bool(true),
		Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Hour)
	if _, err := dx.AssociateMacSecKey(ctx, &directconnect.AssociateMacSecKeyInput{ConnectionId: c.ConnectionId,
		Ckn: aws.String(strings.Repeat("ab", 32)), Cak: aws.String(strings.Repeat("cd", 32))}); err != nil {
		t.Fatal(err)
	}
	if _, err := dx.DescribeLoa(ctx, &directconnect.DescribeLoaInput{ConnectionId: c.ConnectionId}); err != nil {
		t.Fatal(err)
	}
	createLag(t, o, "TstA1", "10Gbps", 2)
	ic := createInterconnect(t, p, "TstB1", "10Gbps")
	pl := createPartnerLag(t, p, "TstB1", "10Gbps", 1)
	if _, err := allocate(p, ic.InterconnectId, "500Mbps", 10); err != nil {
		t.Fatal(err)
	}
	h2, err := allocate(p, pl.LagId, "1Gbps", 11)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client(customer).ConfirmConnection(ctx, &directconnect.ConfirmConnectionInput{ConnectionId: h2.ConnectionId}); err != nil {
		t.Fatal(err)
	}
	gone := createConnection(t, dx, "TstA1", "1Gbps")
	if _, err := dx.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: gone.ConnectionId}); err != nil {
		t.Fatal(err)
	}
	held := createConnection(t, e.clientIn(owner, euWest), "TstE1", "1Gbps")
	e.admin("POST", "/resources/"+*held.ConnectionId, `{"hold":true}`)
	e.clock.Advance(30 * time.Minute)
	if status, m := e.admin("POST", "/resources/"+*c.ConnectionId, `{"state":"down"}`); status != 200 {
		t.Fatalf("%d %v", status, m)
	}
	e.admin("POST", "/gateways", `{"gatewayId":"vgw-0123abcd","ownerAccount":"111111111111"}`)
	// An auto-registered TGW: no ASN.
	e.store.Gateways().Register(gateway.Record{ID: "tgw-0123456789abcdef0", OwnerAccount: other, Region: euWest})
	e.admin("PUT", "/partners/"+partner, `{"nniPartnerType":"v2","partnerName":"Acme Fiber"}`)
	e.store.ConfirmCustomerAgreement(owner, "dxlocal-test-agreement")
	q := e.store.Quotas()
	q.ConnectionsPerLocation, q.TagsPerResource = 25, 7
	e.store.SetQuotas(q)
}

// describeAll answers every Describe call of every account and region, the tags of every
// resource and the admin catalog, as one text to compare.
func describeAll(t *testing.T, e *env) string {
	t.Helper()
	var out []any
	add := func(v any, err error) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	for _, region := range []string{usEast, euWest} {
		for _, acct := range []string{owner, other, partner, customer} {
			dx := e.clientIn(acct, region)
			conns, err := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
			add(conns.Connections, err)
			ics, err := dx.DescribeInterconnects(ctx, &directconnect.DescribeInterconnectsInput{})
			add(ics.Interconnects, err)
			lags, err := dx.DescribeLags(ctx, &directconnect.DescribeLagsInput{})
			add(lags.Lags, err)
			md, err := dx.DescribeCustomerMetadata(ctx, &directconnect.DescribeCustomerMetadataInput{})
			add([]any{md.Agreements, md.NniPartnerType}, err)
			var arns []string
			for _, c := range conns.Connections {
				arns = append(arns, *arnOf(region, acct, "dxcon", *c.ConnectionId))
				if c.ConnectionState != types.ConnectionStateDeleted && acct == owner && region == usEast {
					loa, err := dx.DescribeLoa(ctx, &directconnect.DescribeLoaInput{ConnectionId: c.ConnectionId})
					add(loa.LoaContent, err)
				}
			}
			for _, ic := range ics.Interconnects {
				hosted, err := dx.DescribeHostedConnections(ctx, &directconnect.DescribeHostedConnectionsInput{ConnectionId: ic.InterconnectId})
				add(hosted.Connections, err)
			}
			for _, l := range lags.Lags {
				arns = append(arns, *arnOf(region, acct, "dxlag", *l.LagId))
				hosted, err := dx.DescribeHostedConnections(ctx, &directconnect.DescribeHostedConnectionsInput{ConnectionId: l.LagId})
				add(hosted.Connections, err)
			}
			if len(arns) > 0 {
				tags, err := dx.DescribeTags(ctx, &directconnect.DescribeTagsInput{ResourceArns: arns})
				add(tags.ResourceTags, err)
			}
		}
	}
	out = append(out, e.catalog())
	_, gws := e.admin("GET", "/gateways", "")
	_, res := e.admin("GET", "/resources", "")
	_, quotas := e.admin("GET", "/partners", "")
	out = append(out, gws, res, quotas)
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStateRoundTrip(t *testing.T) {
	e := newEnv(t, withDwell(time.Hour), withPartners(partner))
	richState(t, e)
	doc := e.stateBody()
	var parsed map[string]any
	if err := json.Unmarshal([]byte(doc), &parsed); err != nil || parsed["format"] != 1.0 {
		t.Fatalf("state document: %v format %v", err, parsed["format"])
	}

	// A fresh dxlocal at another time, with other resources, takes the state.
	e2 := newEnv(t, withDwell(time.Hour), withPartners(partner))
	e2.clock.Advance(1000 * time.Hour)
	createConnection(t, e2.client(stranger), "TstA1", "1Gbps")
	if status, m := e2.putState(doc); status != 200 {
		t.Fatalf("PUT state: %d %v", status, m)
	}
	if got := e2.stateBody(); got != doc {
		t.Fatalf("GET after PUT differs from what was put:\n%s\nput:\n%s", got, doc)
	}
	if !e2.clock.Now().Equal(e.clock.Now()) {
		t.Fatalf("clock %v after restore, want %v", e2.clock.Now(), e.clock.Now())
	}
	before, after := describeAll(t, e), describeAll(t, e2)
	if before != after {
		t.Fatalf("Describe answers differ after the restore:\nbefore %s\nafter  %s", before, after)
	}
	// Later changes come at the same times, and ids go on the same.
	for _, env := range []*env{e, e2} {
		env.clock.Advance(2 * time.Hour)
	}
	if describeAll(t, e) != describeAll(t, e2) {
		t.Fatal("the two differ after the clock moves on")
	}
	a := createConnection(t, e.client(owner), "TstA1", "1Gbps")
	b := createConnection(t, e2.client(owner), "TstA1", "1Gbps")
	if *a.ConnectionId != *b.ConnectionId {
		t.Fatalf("ids after the restore go on differently: %s and %s", *a.ConnectionId, *b.ConnectionId)
	}
	// The quota came back: 25 connections per location.
	if _, m := e2.admin("GET", "/state", ""); m["quotas"].(map[string]any)["connectionsPerLocation"] != 25.0 {
		t.Fatalf("quotas %v", m["quotas"])
	}
}

func TestStatePutRefusesWhatDoesNotFit(t *testing.T) {
	e := newEnv(t, withDwell(time.Hour), withPartners(partner))
	richState(t, e)
	doc := e.stateBody()
	target := newEnv(t)
	createConnection(t, target.client(owner), "TstA1", "1Gbps")
	kept := target.stateBody()

	var st snapshot.State
	if err := json.Unmarshal([]byte(doc), &st); err != nil {
		t.Fatal(err)
	}
	firstConn := func(s *snapshot.State) *snapshot.Connection { return &s.Regions[1].Connections[0] }
	if st.Regions[1].Name != usEast || firstConn(&st).Port == nil {
		t.Fatalf("unexpected fixture: %+v", st.Regions[1].Connections[0])
	}
	cases := []struct {
		name   string
		change func(s *snapshot.State)
		want   string
	}{
		{"format 2", func(s *snapshot.State) { s.Format = 2 }, "format"},
		{"unknown location", func(s *snapshot.State) { firstConn(s).Location = "NoSuch1" }, "NoSuch1"},
		{"unknown device", func(s *snapshot.State) { firstConn(s).Device = "NoSuch1-x"; firstConn(s).Port.Device = "NoSuch1-x" }, "NoSuch1-x"},
		{"port speed the location lacks", func(s *snapshot.State) { firstConn(s).Bandwidth = "400Gbps"; firstConn(s).Port.Speed = "400Gbps" }, "400Gbps"},
		{"port beyond the device", func(s *snapshot.State) { firstConn(s).Port.Index = 99 }, "99"},
		{"port held twice", func(s *snapshot.State) {
			cs := s.Regions[1].Connections
			for i := range cs {
				for j := range i {
					if cs[i].Port != nil && cs[j].Port != nil && cs[i].Device == cs[j].Device && cs[i].Bandwidth == cs[j].Bandwidth {
						*cs[i].Port = *cs[j].Port
						return
					}
				}
			}
			panic("no second port")
		}, "held by both"},
		{"unknown region of a location", func(s *snapshot.State) { s.Regions[1].Name = "ap-south-1" }, "ap-south-1"},
		{"id twice", func(s *snapshot.State) { s.Regions[1].Connections[1].ID = firstConn(s).ID }, "twice"},
		{"member missing", func(s *snapshot.State) {
			s.Regions[1].Lags[0].Members = append(s.Regions[1].Lags[0].Members, "dxcon-fmissing1")
		}, "dxcon-fmissing1"},
		{"bad quota", func(s *snapshot.State) { s.Quotas.TagsPerResource = 0 }, "tagsPerResource"},
		{"bad gateway", func(s *snapshot.State) { s.Gateways[0].GatewayID = "vgw-nothex" }, "vgw-nothex"},
		{"bad ids", func(s *snapshot.State) { s.IDs.RNG = []byte("nonsense") }, "ids"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var s snapshot.State
			json.Unmarshal([]byte(doc), &s)
			tc.change(&s)
			b, _ := json.Marshal(&s)
			status, m := target.putState(string(b))
			if status != 400 || !strings.Contains(m["message"].(string), tc.want) {
				t.Fatalf("%d %v, want 400 naming %q", status, m, tc.want)
			}
			if got := target.stateBody(); got != kept {
				t.Fatal("a refused state changed the state")
			}
		})
	}
	for _, body := range []string{`{`, `[]`, `{"format":1} {}`, ``} {
		if status, _ := target.putState(body); status != 400 {
			t.Errorf("body %q: %d", body, status)
		}
	}
	if target.stateBody() != kept {
		t.Fatal("a refused body changed the state")
	}
}

// A state PUT racing with ordinary traffic: every request is answered, the race detector
// finds nothing, and the end state is a whole one.
func TestStatePutRacesWithTraffic(t *testing.T) {
	e := newEnv(t, withQuota(1000), withPartners(partner))
	richState(t, e)
	doc := e.stateBody()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dx := e.client([]string{owner, other, partner, customer}[g])
			for range 20 {
				dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("x"), Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps")})
				dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
				dx.DescribeLags(ctx, &directconnect.DescribeLagsInput{})
			}
		}()
	}
	for range 10 {
		if status, m := e.putState(doc); status != 200 {
			t.Fatalf("%d %v", status, m)
		}
		e.admin("GET", "/resources", "")
		e.stateBody()
	}
	wg.Wait()
	e.putState(doc)
	if got := e.stateBody(); got != doc {
		t.Fatal("the last PUT did not win")
	}
	// Every held port is held by a resource the state lists.
	ids := map[string]bool{}
	_, m := e.admin("GET", "/resources", "")
	for _, r := range m["resources"].([]any) {
		ids[r.(map[string]any)["id"].(string)] = true
	}
	for holder := range e.holders() {
		if !ids[holder] {
			t.Fatalf("port held by %s, which is no resource", holder)
		}
	}
}

func TestStateSave(t *testing.T) {
	e := newEnv(t)
	if status, m := e.admin("POST", "/state/save", ""); status != 409 || !strings.Contains(m["message"].(string), "-state") {
		t.Fatalf("save without a state file: %d %v", status, m)
	}
	file := filepath.Join(t.TempDir(), "state.json")
	srv := httptest.NewServer(api.New(api.Options{Store: e.store, StateFile: file}))
	defer srv.Close()
	createConnection(t, e.client(owner), "TstA1", "1Gbps")
	resp, err := http.Post(srv.URL+"/_dxlocal/state/save", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(saved) != e.stateBody() {
		t.Fatal("the file is not the state")
	}
	if entries, _ := os.ReadDir(filepath.Dir(file)); len(entries) != 1 {
		t.Fatalf("temporary files left: %v", entries)
	}
}
