package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

const (
	stateOwner   = "111111111111"
	statePartner = "333333333333"
	stateCust    = "444444444444"
)

func ctx() context.Context { return context.Background() }

func sdk(addr, account, region string) *directconnect.Client {
	return directconnect.New(directconnect.Options{
		Region: region, BaseEndpoint: aws.String("http://" + addr),
		Credentials: credentials.NewStaticCredentialsProvider(account, "secret", ""), Retryer: aws.NopRetryer{},
	})
}

func getBody(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return b
}

// everything answers every Describe of every account there is, the tags and the admin
// catalog, as one text.
func everything(t *testing.T, addr string) string {
	t.Helper()
	var out []any
	must := func(v any, err error) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	for _, acct := range []string{stateOwner, statePartner, stateCust} {
		dx := sdk(addr, acct, "us-east-1")
		conns, err := dx.DescribeConnections(ctx(), &directconnect.DescribeConnectionsInput{})
		must(conns.Connections, err)
		ics, err := dx.DescribeInterconnects(ctx(), &directconnect.DescribeInterconnectsInput{})
		must(ics.Interconnects, err)
		lags, err := dx.DescribeLags(ctx(), &directconnect.DescribeLagsInput{})
		must(lags.Lags, err)
		var arns []string
		for _, c := range conns.Connections {
			arns = append(arns, "arn:aws:directconnect:us-east-1:"+acct+":dxcon/"+*c.ConnectionId)
		}
		for _, ic := range ics.Interconnects {
			h, err := dx.DescribeHostedConnections(ctx(), &directconnect.DescribeHostedConnectionsInput{ConnectionId: ic.InterconnectId})
			must(h.Connections, err)
		}
		if len(arns) > 0 {
			tags, err := dx.DescribeTags(ctx(), &directconnect.DescribeTagsInput{ResourceArns: arns})
			must(tags.ResourceTags, err)
		}
	}
	out = append(out, string(getBody(t, "http://"+addr+"/_dxlocal/catalog")), string(getBody(t, "http://"+addr+"/_dxlocal/resources")))
	b, _ := json.Marshal(out)
	return string(b)
}

// withoutClock drops the clock of a state document: the binary lives in real time.
func withoutClock(t *testing.T, doc []byte) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatalf("state is not JSON: %v", err)
	}
	if m["format"] != 1.0 {
		t.Fatalf("format %v", m["format"])
	}
	delete(m, "clock")
	b, _ := json.Marshal(m)
	return string(b)
}

// The state survives a restart of the binary with -state: saved at SIGTERM, loaded at start,
// every Describe answer the same; POST /_dxlocal/state/save writes it at once; SIGINT saves too.
func TestStateFileAcrossRestart(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "state.json")
	p := start(t, []string{"-addr", "127.0.0.1:0", "-state", file, "-partners", statePartner})
	dx, pa := sdk(p.addr, stateOwner, "us-east-1"), sdk(p.addr, statePartner, "us-east-1")
	c, err := dx.CreateConnection(ctx(), &directconnect.CreateConnectionInput{ConnectionName: aws.String("c"), Location: aws.String("EqDC2"), Bandwidth: aws.String("10Gbps"),
		Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dx.CreateLag(ctx(), &directconnect.CreateLagInput{LagName: aws.String("l"), Location: aws.String("EqDC2"), ConnectionsBandwidth: aws.String("1Gbps"), NumberOfConnections: 2}); err != nil {
		t.Fatal(err)
	}
	ic, err := pa.CreateInterconnect(ctx(), &directconnect.CreateInterconnectInput{InterconnectName: aws.String("ic"), Location: aws.String("EqDC2"), Bandwidth: aws.String("10Gbps")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pa.AllocateHostedConnection(ctx(), &directconnect.AllocateHostedConnectionInput{ConnectionId: ic.InterconnectId, OwnerAccount: aws.String(stateCust),
		Bandwidth: aws.String("500Mbps"), ConnectionName: aws.String("h"), Vlan: 101}); err != nil {
		t.Fatal(err)
	}
	resp, err := client.Post("http://"+p.addr+"/_dxlocal/resources/"+*c.ConnectionId, "application/json", strings.NewReader(`{"state":"down"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("link down: %v %v", err, resp)
	}
	resp.Body.Close()
	// The clock is part of the state: a test 72 hours ahead stays there across the restart.
	resp, err = client.Post("http://"+p.addr+"/_dxlocal/clock", "application/json", strings.NewReader(`{"advance":"72h"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("advance the clock: %v %v", err, resp)
	}
	resp.Body.Close()
	before := everything(t, p.addr)
	doc := getBody(t, "http://"+p.addr+"/_dxlocal/state")
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t); code != 0 {
		t.Fatalf("exit %d; stderr %s", code, p.stderr)
	}
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("no state file after SIGTERM: %v", err)
	}
	if withoutClock(t, saved) != withoutClock(t, doc) {
		t.Fatalf("saved at stop:\n%s\nGET before the stop:\n%s", saved, doc)
	}

	// Restart from the file (named by the environment this time).
	p = start(t, []string{"-addr", "127.0.0.1:0", "-partners", statePartner}, "DXLOCAL_STATE="+file)
	if after := everything(t, p.addr); after != before {
		t.Fatalf("after the restart:\n%s\nbefore:\n%s", after, before)
	}
	var clk struct {
		Now time.Time `json:"now"`
	}
	if err := json.Unmarshal(getBody(t, "http://"+p.addr+"/_dxlocal/clock"), &clk); err != nil {
		t.Fatal(err)
	}
	if ahead := time.Until(clk.Now); ahead < 71*time.Hour {
		t.Fatalf("after the restart the clock is %v ahead of real time, want the saved 72h", ahead)
	}
	// Ids go on from where they stood, unused so far.
	c2, err := sdk(p.addr, stateOwner, "us-east-1").CreateConnection(ctx(), &directconnect.CreateConnectionInput{ConnectionName: aws.String("c2"), Location: aws.String("EqDC2"), Bandwidth: aws.String("1Gbps")})
	if err != nil || strings.Contains(string(saved), *c2.ConnectionId) {
		t.Fatalf("new connection after the restart: %v %v", err, c2)
	}
	resp, err = client.Post("http://"+p.addr+"/_dxlocal/state/save", "application/json", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("save: %v %v", err, resp)
	}
	resp.Body.Close()
	if b, _ := os.ReadFile(file); !strings.Contains(string(b), *c2.ConnectionId) {
		t.Fatal("POST /_dxlocal/state/save did not write the new connection")
	}
	resp, err = client.Post("http://"+p.addr+"/_dxlocal/resources/"+*c2.ConnectionId, "application/json", strings.NewReader(`{"hold":true}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("hold: %v %v", err, resp)
	}
	resp.Body.Close()
	p.cmd.Process.Signal(syscall.SIGINT)
	if code := p.wait(t); code != 0 {
		t.Fatalf("exit %d after SIGINT; stderr %s", code, p.stderr)
	}
	var st struct {
		Regions []struct {
			Connections []struct {
				ID   string `json:"id"`
				Hold bool   `json:"hold"`
			} `json:"connections"`
		} `json:"regions"`
	}
	b, _ := os.ReadFile(file)
	json.Unmarshal(b, &st)
	held := false
	for _, r := range st.Regions {
		for _, c := range r.Connections {
			held = held || (c.ID == *c2.ConnectionId && c.Hold)
		}
	}
	if !held {
		t.Fatal("the hold made after the save was not saved at SIGINT")
	}
	if entries, _ := os.ReadDir(filepath.Dir(file)); len(entries) != 1 {
		t.Fatalf("files beside the state: %v", entries)
	}
}

// Without -state, POST /_dxlocal/state/save is refused with 409.
func TestStateSaveWithoutFile(t *testing.T) {
	t.Parallel()
	p := start(t, []string{"-addr", "127.0.0.1:0"})
	resp, err := client.Post("http://"+p.addr+"/_dxlocal/state/save", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("save without -state: %d", resp.StatusCode)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.wait(t)
}

// A state file that cannot be read or does not fit the catalog ends the start: exit 2, one line.
func TestStateFileStartFailures(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notJSON := writeFile(t, dir, "broken.json", `{"format": 1,`)
	format := writeFile(t, dir, "format.json", `{"format": 7}`)
	quotas := `"quotas": {"connectionsPerLocation":10,"lagsPerRegion":10,"vifsPerConnection":50,"transitVifsPerConnection":4,"vifsPerHostedConnection":1,"gatewaysPerAccount":200,"vgwAssociationsPerGateway":20,"tgwAssociationsPerGateway":6,"attachmentsPerGateway":30,"gatewaysPerTransitGateway":20,"routeFilterPrefixes":1000,"allowedPrefixesPerAssociation":200,"tagsPerResource":50}`
	rng := `"ids": {"rng": "cGNnOgAAAAAAAAAAAAAAAAAAAAA="}`
	noLocation := writeFile(t, dir, "location.json", `{"format": 1, `+rng+`, `+quotas+`, "regions": [{"name": "us-east-1", "connections": [
		{"order": 1, "id": "dxcon-fabcdefg", "type": "connection", "ownerAccount": "111111111111", "location": "Atlantis1", "bandwidth": "1Gbps",
		 "device": "Atlantis1-x", "state": "available", "port": {"device": "Atlantis1-x", "speed": "1Gbps", "index": 1}}], "lags": []}]}`)
	cases := []struct {
		name string
		file string
		want []string
	}{
		{"not JSON", notJSON, []string{notJSON}},
		{"unknown format", format, []string{format, "format 7"}},
		{"location the catalog lacks", noLocation, []string{noLocation, "Atlantis1"}},
		{"a directory", dir, []string{dir}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := run(t, []string{"-addr", "127.0.0.1:0", "-state", tc.file})
			if code != 2 || stdout != "" {
				t.Errorf("exit %d stdout %q, want 2 and nothing", code, stdout)
			}
			if !strings.HasSuffix(stderr, "\n") || strings.Count(stderr, "\n") != 1 {
				t.Fatalf("stderr is not exactly one line: %q", stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not name %q", stderr, w)
				}
			}
		})
	}
}
