package console_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/chromedp/chromedp"
)

func createConnection(t *testing.T, dx *directconnect.Client, loc, name string) string {
	t.Helper()
	out, err := dx.CreateConnection(bg, &directconnect.CreateConnectionInput{
		Location: aws.String(loc), Bandwidth: aws.String("10Gbps"), ConnectionName: aws.String(name),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("network")}},
	})
	if err != nil {
		t.Fatalf("CreateConnection at %s: %v", loc, err)
	}
	return aws.ToString(out.ConnectionId)
}

func createLag(t *testing.T, dx *directconnect.Client, loc string, n int32) *directconnect.CreateLagOutput {
	t.Helper()
	out, err := dx.CreateLag(bg, &directconnect.CreateLagInput{
		Location: aws.String(loc), ConnectionsBandwidth: aws.String("10Gbps"), LagName: aws.String("core-lag"), NumberOfConnections: n,
	})
	if err != nil {
		t.Fatalf("CreateLag at %s: %v", loc, err)
	}
	return out
}

// The overview shows every location grouped by region, with taken and free ports per speed,
// and filters by region and by text.
func TestOverviewCountsPortsAndFilters(t *testing.T) {
	e := newEnv(t, nil)
	loc := site(t)
	createConnection(t, e.client(customer), loc.Code, "one")
	createConnection(t, e.client(customer), loc.Code, "two")
	ctx := tab(t)

	open(t, ctx, e.url("/_dxlocal/ui/"))
	row := fmt.Sprintf(`tr[data-location=%q]`, loc.Code)
	waitFor(t, ctx, `document.querySelectorAll('tr[data-location]').length === 143`)
	counts := eval[string](t, ctx, `document.querySelector('`+row+` [data-speed="10Gbps"] .counts').textContent`)
	if !strings.HasPrefix(counts, "2 taken") {
		t.Errorf("10Gbps of %s reads %q, want 2 taken", loc.Code, counts)
	}
	label := eval[string](t, ctx, `document.querySelector('`+row+` [data-speed="10Gbps"] .bar').getAttribute('aria-label')`)
	if !strings.Contains(label, "2 taken") {
		t.Errorf("the bar's label %q does not say 2 taken", label)
	}
	checkControls(t, ctx)
	screenshot(t, ctx, "overview")

	// Filter by region: only that region's section is left.
	choose(t, ctx, "#region-filter", "eu-west-1")
	waitFor(t, ctx, `[...document.querySelectorAll('section.region')].every(s => s.dataset.region === 'eu-west-1') && document.querySelectorAll('section.region').length === 1`)
	// Filter by text, over every region: the one location.
	choose(t, ctx, "#region-filter", "")
	if err := chromedpSendKeys(ctx, "#text-filter", loc.Code); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.querySelectorAll('tr[data-location]').length === 1 && !!document.querySelector('`+row+`')`)
	if got := evalString(ctx, `location.search`); !strings.Contains(got, "q=") {
		t.Errorf("the filter is not kept in the address (%q), so a reload loses it", got)
	}
}

// A location page shows each endpoint as a row of ports: a held port shows its holder's id as
// text and says what holds it in words; a LAG is a group of ports on one endpoint; choosing a
// port shows its owner, state and LAG.
func TestLocationShowsHoldersAndLags(t *testing.T) {
	e := newEnv(t, nil)
	loc := site(t)
	dx := e.client(defaultAccount)
	conn := createConnection(t, dx, loc.Code, "edge")
	lag := createLag(t, dx, loc.Code, 2)
	icx, err := dx.CreateInterconnect(bg, &directconnect.CreateInterconnectInput{
		InterconnectName: aws.String("nni"), Bandwidth: aws.String("10Gbps"), Location: aws.String(loc.Code)})
	if err != nil {
		t.Fatal(err)
	}
	hosted, err := dx.AllocateHostedConnection(bg, &directconnect.AllocateHostedConnectionInput{
		ConnectionId: icx.InterconnectId, OwnerAccount: aws.String(customer), Bandwidth: aws.String("500Mbps"),
		ConnectionName: aws.String("hosted"), Vlan: 101})
	if err != nil {
		t.Fatal(err)
	}
	ctx := tab(t)

	open(t, ctx, e.url("/_dxlocal/ui/locations/"+loc.Code))
	port := fmt.Sprintf(`button.port[data-holder=%q]`, conn)
	waitFor(t, ctx, `!!document.querySelector('`+port+`')`)
	if got := eval[string](t, ctx, `document.querySelector('`+port+` .port-holder').textContent`); got != conn {
		t.Errorf("the held port shows %q, want its holder %s", got, conn)
	}
	if got := eval[string](t, ctx, `document.querySelector('`+port+`').title`); !strings.Contains(got, conn) {
		t.Errorf("hovering the port says %q, without the holder", got)
	}
	free := eval[int](t, ctx, `document.querySelectorAll('button.port[data-kind=free]').length`)
	total := 0
	for _, ep := range loc.Endpoints {
		for _, n := range ep.Ports {
			total += n
		}
	}
	if free != total-4 {
		t.Errorf("%d free ports shown, want %d of %d", free, total-4, total)
	}
	// The LAG: its two members in one group on one endpoint.
	group := fmt.Sprintf(`.lag-group[data-lag=%q]`, aws.ToString(lag.LagId))
	waitFor(t, ctx, `document.querySelectorAll('`+group+` button.port[data-kind=lag]').length === 2`)
	if n := eval[int](t, ctx, `new Set([...document.querySelectorAll('`+group+`')].map(g => g.closest('section.endpoint').dataset.device)).size`); n != 1 {
		t.Errorf("the LAG's ports are drawn on %d endpoints, want 1", n)
	}
	if got := eval[string](t, ctx, `document.querySelector('`+group+` button.port').innerText`); !strings.Contains(got, "LAG member") {
		t.Errorf("a LAG member port reads %q: its state must be in words, not colour alone", got)
	}
	// Choosing a port shows its details.
	click(t, ctx, port)
	waitFor(t, ctx, `document.querySelector('#port-detail').innerText.includes('`+conn+`') && document.querySelector('#port-detail').innerText.includes('Owner account')`)
	// The interconnect's port says so, and shows the hosted connection that rides on it.
	icxPort := fmt.Sprintf(`button.port[data-holder=%q]`, aws.ToString(icx.InterconnectId))
	waitFor(t, ctx, `document.querySelector('`+icxPort+`')?.dataset.kind === 'icx' && document.querySelector('`+icxPort+`').innerText.includes('interconnect')`)
	click(t, ctx, icxPort)
	waitFor(t, ctx, `document.querySelector('#riding')?.innerText.includes('`+aws.ToString(hosted.ConnectionId)+`')`)
	checkControls(t, ctx)
	screenshot(t, ctx, "location")

	// A code typed in another case finds the same location.
	open(t, ctx, e.url("/_dxlocal/ui/locations/"+strings.ToLower(loc.Code)))
	waitFor(t, ctx, `document.querySelector('h1')?.textContent.startsWith('`+loc.Code+`') && !!document.querySelector('`+port+`')`)
}

// A link-down button on a held port turns the port and the connection down, as the console
// shows it and as the SDK sees it.
func TestLinkDownButton(t *testing.T) {
	e := newEnv(t, nil)
	e.need("/_dxlocal/resources")
	loc := site(t)
	dx := e.client(customer)
	conn := createConnection(t, dx, loc.Code, "edge")
	ctx := tab(t)

	open(t, ctx, e.url("/_dxlocal/ui/locations/"+loc.Code))
	port := fmt.Sprintf(`button.port[data-holder=%q]`, conn)
	waitFor(t, ctx, `document.querySelector('`+port+`')?.dataset.kind === 'conn'`)
	click(t, ctx, port)
	waitFor(t, ctx, `!!document.querySelector('#port-detail button[data-action=down]')`)
	checkControls(t, ctx)
	click(t, ctx, `#port-detail button[data-action=down]`)
	waitFor(t, ctx, `document.querySelector('`+port+`')?.dataset.kind === 'down' && document.querySelector('`+port+`').innerText.includes('down')`)
	// The panel stays on the port and now offers the way back up.
	waitFor(t, ctx, `!!document.querySelector('#port-detail button[data-action=up]')`)
	screenshot(t, ctx, "location-down")
	// Hold: the record says so and the button turns into its release.
	click(t, ctx, `#port-detail button[data-action=hold]`)
	waitFor(t, ctx, `!!document.querySelector('#port-detail button[data-action=release]') && document.querySelector('#port-detail').innerText.includes('held where it is')`)

	out, err := dx.DescribeConnections(bg, &directconnect.DescribeConnectionsInput{ConnectionId: aws.String(conn)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Connections) != 1 || out.Connections[0].ConnectionState != types.ConnectionStateDown {
		t.Fatalf("after Link down the SDK sees %+v, want one connection in state down", out.Connections)
	}
}

// The resources table lists every account's resources, filters them, and links each to its
// detail: the AWS API's own answer, its tags and its journal events.
func TestResourcesTableAndDetail(t *testing.T) {
	e := newEnv(t, nil)
	e.need("/_dxlocal/resources")
	loc := site(t)
	mine := createConnection(t, e.client(customer), loc.Code, "mine")
	theirs := createConnection(t, e.client(partner), loc.Code, "theirs")
	ctx := tab(t)

	open(t, ctx, e.url("/_dxlocal/ui/resources"))
	waitFor(t, ctx, fmt.Sprintf(`!!document.querySelector('tr[data-id=%q]') && !!document.querySelector('tr[data-id=%q]')`, mine, theirs))
	choose(t, ctx, "#account-filter", customer)
	waitFor(t, ctx, fmt.Sprintf(`!!document.querySelector('tr[data-id=%q]') && !document.querySelector('tr[data-id=%q]')`, mine, theirs))
	checkControls(t, ctx)
	screenshot(t, ctx, "resources")

	follow(t, ctx, fmt.Sprintf(`tr[data-id=%q] a`, mine))
	if got := evalString(ctx, `location.pathname`); got != "/_dxlocal/ui/resources/"+mine {
		t.Fatalf("the row's link leads to %s", got)
	}
	waitFor(t, ctx, `document.querySelector('#aws-answer pre')?.textContent.includes('"connectionState"')`)
	if got := eval[string](t, ctx, `document.querySelector('#aws-answer pre').textContent`); !strings.Contains(got, mine) || !strings.Contains(got, `"mine"`) {
		t.Errorf("the AWS answer shown is not the connection's:\n%s", got)
	}
	if got := evalString(ctx, `document.querySelector('#location-link')?.getAttribute('href')`); got != "/_dxlocal/ui/locations/"+loc.Code {
		t.Errorf("the detail links to %q for its ports, want the location page of %s", got, loc.Code)
	}
	waitFor(t, ctx, `document.querySelector('#tags').innerText.includes('team') && document.querySelector('#tags').innerText.includes('network')`)
	checkControls(t, ctx)
	if !e.has("/_dxlocal/journal") {
		waitFor(t, ctx, `document.querySelector('#events .note.missing')?.textContent.includes('/_dxlocal/journal')`)
		screenshot(t, ctx, "resource")
		t.Skip("journal part SKIPPED until GET /_dxlocal/journal exists: it answers 404 on this dxlocal")
	}
	waitFor(t, ctx, `document.querySelector('#events').innerText.includes('CreateConnection')`)
	screenshot(t, ctx, "resource")
}

// The activity feed shows calls as they happen, errors marked in words and colour, and keeps
// a bounded number of rows however many events come.
func TestActivityFeed(t *testing.T) {
	e := newEnv(t, nil)
	e.need("/_dxlocal/journal")
	loc := site(t)
	dx := e.client(customer)
	ctx := tab(t)

	open(t, ctx, e.url("/_dxlocal/ui/activity"))
	waitFor(t, ctx, `!!document.querySelector('#feed')`)
	createConnection(t, dx, loc.Code, "seen")
	_, err := dx.CreateConnection(bg, &directconnect.CreateConnectionInput{Location: aws.String("NoSuchPlace"), Bandwidth: aws.String("10Gbps"), ConnectionName: aws.String("x")})
	if err == nil {
		t.Fatal("CreateConnection at an unknown location succeeded")
	}
	waitFor(t, ctx, `[...document.querySelectorAll('#feed tr.err')].some(r => r.innerText.includes('CreateConnection') && r.innerText.includes('⚠'))`)
	waitFor(t, ctx, `[...document.querySelectorAll('#feed tr:not(.err)')].some(r => r.innerText.includes('CreateConnection'))`)
	checkControls(t, ctx)
	screenshot(t, ctx, "activity")

	// Far more events than the feed keeps: it drops the oldest rows.
	for i := 0; i < 400; i++ {
		if _, err := dx.DescribeLocations(bg, &directconnect.DescribeLocationsInput{}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, ctx, `[...document.querySelectorAll('#feed tr')].filter(r => r.innerText.includes('DescribeLocations')).length >= 250`)
	waitFor(t, ctx, `document.querySelector('#feed-state').textContent.includes('#' + Math.max(...[...document.querySelectorAll('#feed tr')].map(r => +r.dataset.seq)))`)
	if n := eval[int](t, ctx, `document.querySelectorAll('#feed tr').length`); n > 300 {
		t.Errorf("the feed holds %d rows, want at most 300", n)
	}
}

// The clock and reset buttons call the admin API and the page shows the result.
func TestClockAndResetButtons(t *testing.T) {
	e := newEnv(t, nil)
	loc := site(t)
	dx := e.client(customer)
	createConnection(t, dx, loc.Code, "gone soon")
	ctx := tab(t)
	row := fmt.Sprintf(`tr[data-location=%q] [data-speed="10Gbps"] .counts`, loc.Code)

	open(t, ctx, e.url("/_dxlocal/ui/"))
	waitFor(t, ctx, `document.querySelector('`+row+`')?.textContent.startsWith('1 taken')`)
	click(t, ctx, "#reset")
	waitFor(t, ctx, `document.querySelector('`+row+`')?.textContent.startsWith('0 taken')`)
	out, err := dx.DescribeConnections(bg, &directconnect.DescribeConnectionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Connections) != 0 {
		t.Errorf("after Reset the SDK still sees %d connections", len(out.Connections))
	}

	resp, err := http.Get(e.url("/_dxlocal/clock"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		// Until the clock endpoint exists, the console says so and disables its button.
		waitFor(t, ctx, `document.querySelector('#clock-now').textContent === 'not available' && document.querySelector('#advance-clock').disabled`)
		t.Skip("clock part SKIPPED until GET /_dxlocal/clock exists: it answers 404 on this dxlocal")
	}
	waitFor(t, ctx, `document.querySelector('#clock-now').textContent.startsWith('20')`)
	before := evalString(ctx, `document.querySelector('#clock-now').textContent`)
	eval[string](t, ctx, `document.querySelector('#advance-by').value = '72h'`)
	click(t, ctx, "#advance-clock")
	waitFor(t, ctx, `document.querySelector('#clock-now').textContent !== '`+before+`' && document.querySelector('#status').textContent.includes('done')`)
	// The emulator's clock runs with real time besides: 72h and the moments the clicks took.
	moved := time.Duration(eval[float64](t, ctx, `Date.parse(document.querySelector('#clock-now').textContent) - Date.parse('`+before+`')`)) * time.Millisecond
	if moved < 72*time.Hour || moved > 72*time.Hour+pageTimeout {
		t.Errorf("the clock moved by %v, want 72h", moved)
	}
}

// Without the admin endpoints the console needs, each page says which one is not available
// and the rest of the page works.
func TestMissingEndpointsAreNamed(t *testing.T) {
	hide := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			for _, p := range []string{"/_dxlocal/resources", "/_dxlocal/journal", "/_dxlocal/clock"} {
				if strings.HasPrefix(r.URL.Path, p) {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusNotFound)
					fmt.Fprintf(w, `{"message":"no admin call %s %s"}`, r.Method, r.URL.Path)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
	e := newEnv(t, hide)
	loc := site(t)
	conn := createConnection(t, e.client(defaultAccount), loc.Code, "edge")
	ctx := tab(t)

	for _, c := range []struct{ page, missing string }{
		{"/_dxlocal/ui/resources", "/_dxlocal/resources"},
		{"/_dxlocal/ui/activity", "/_dxlocal/journal"},
		{"/_dxlocal/ui/resources/" + conn, "/_dxlocal/resources/" + conn},
	} {
		open(t, ctx, e.url(c.page))
		waitFor(t, ctx, `[...document.querySelectorAll('.note.missing')].some(n => n.textContent.includes('`+c.missing+`') && n.textContent.includes('not available'))`)
		waitFor(t, ctx, `document.querySelector('#clock-now').textContent === 'not available'`)
	}
	// The location page still shows who holds each port, and says what it cannot show.
	open(t, ctx, e.url("/_dxlocal/ui/locations/"+loc.Code))
	waitFor(t, ctx, fmt.Sprintf(`document.querySelector('button.port[data-holder=%q] .port-holder')?.textContent === %q`, conn, conn))
	waitFor(t, ctx, `document.querySelector('.note.missing')?.textContent.includes('/_dxlocal/resources')`)
}

// chromedpSendKeys types into an input as a person would, firing input events.
func chromedpSendKeys(ctx context.Context, css, text string) error {
	return chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(css), text, chromedp.NodeVisible))
}
