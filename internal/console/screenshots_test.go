package console_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"

	"github.com/dxlocal/dxlocal/internal/location"
)

// TestScreenshots makes the screenshots of docs/ from a small but busy scene:
//
//	go test ./internal/console -run TestScreenshots -update-screenshots
//
// A page whose admin endpoint this dxlocal lacks is left as it is in docs/.
func TestScreenshots(t *testing.T) {
	if !*updateScreenshots {
		t.Skip("run with -update-screenshots to rewrite docs/console-*.png")
	}
	e := newEnv(t, nil)
	loc := site(t)
	cust, part, other := e.client(customer), e.client(partner), e.client("444444444444")

	// At the shown location: a partner's interconnect with a hosted connection, a customer's
	// two connections (one of them down, when the control endpoint exists), another account's
	// LAG of two.
	icx, err := part.CreateInterconnect(bg, &directconnect.CreateInterconnectInput{
		InterconnectName: aws.String("partner-nni"), Bandwidth: aws.String("10Gbps"), Location: aws.String(loc.Code)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := part.AllocateHostedConnection(bg, &directconnect.AllocateHostedConnectionInput{
		ConnectionId: icx.InterconnectId, OwnerAccount: aws.String(customer), Bandwidth: aws.String("500Mbps"),
		ConnectionName: aws.String("customer-hosted"), Vlan: 101}); err != nil {
		t.Fatal(err)
	}
	first := createConnection(t, cust, loc.Code, "primary")
	second := createConnection(t, cust, loc.Code, "secondary")
	createLag(t, other, loc.Code, 2)
	// Elsewhere, so that the overview has something to show.
	n := 0
	for _, l := range location.Default().InRegion(usEast) {
		if l == loc || n >= 6 {
			continue
		}
		if containsSpeed(l.PortSpeeds(), location.Speed10G) {
			for i := 0; i <= n%3; i++ {
				createConnection(t, cust, l.Code, fmt.Sprintf("site-%d-%d", n, i))
			}
			n++
		}
	}
	_, _ = cust.CreateConnection(bg, &directconnect.CreateConnectionInput{Location: aws.String("NoSuchPlace"), Bandwidth: aws.String("10Gbps"), ConnectionName: aws.String("typo")})
	if e.has("/_dxlocal/resources") {
		req, _ := http.NewRequest("POST", e.url("/_dxlocal/resources/"+second), strings.NewReader(`{"state":"down"}`))
		req.Header.Set("Content-Type", "application/json")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}

	ctx := tab(t)
	write := func(name string) {
		png := screenshot(t, ctx, name)
		path := filepath.Join("..", "..", "docs", "console-"+name+".png")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d KiB)", path, len(png)/1024)
	}

	open(t, ctx, e.url("/_dxlocal/ui/?region="+usEast))
	write("overview")

	open(t, ctx, e.url("/_dxlocal/ui/locations/"+loc.Code))
	click(t, ctx, fmt.Sprintf(`button.port[data-holder=%q]`, aws.ToString(icx.InterconnectId)))
	waitFor(t, ctx, `!document.querySelector('#riding')?.textContent.includes('Loading')`)
	write("location")

	if !e.has("/_dxlocal/resources") {
		t.Log("GET /_dxlocal/resources answers 404: the resources screenshots are left as they are")
	} else {
		open(t, ctx, e.url("/_dxlocal/ui/resources"))
		write("resources")
		open(t, ctx, e.url("/_dxlocal/ui/resources/"+first))
		waitFor(t, ctx, `!!document.querySelector('#aws-answer pre')`)
		write("resource")
	}
	if !e.has("/_dxlocal/journal") {
		t.Log("GET /_dxlocal/journal answers 404: the activity screenshot is left as it is")
	} else {
		open(t, ctx, e.url("/_dxlocal/ui/activity"))
		waitFor(t, ctx, `document.querySelectorAll('#feed tr').length > 0`)
		write("activity")
	}
}

func containsSpeed(list []location.Speed, s location.Speed) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
