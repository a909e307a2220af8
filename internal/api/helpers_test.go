package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/aws/smithy-go"

	"github.com/dxlocal/dxlocal/internal/api"
	"github.com/dxlocal/dxlocal/internal/clock"
	"github.com/dxlocal/dxlocal/internal/id"
	"github.com/dxlocal/dxlocal/internal/journal"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/store"
)

const (
	owner    = "111111111111"
	other    = "222222222222"
	partner  = "333333333333"
	usEast   = "us-east-1"
	euWest   = "eu-west-1"
	deviceA1 = "TstA1-aaaaaaaaaaaa1"
	deviceA2 = "TstA1-bbbbbbbbbbbb2"
)

var ctx = context.Background()

// env is one dxlocal behind an httptest server, with a manual clock.
type env struct {
	t       *testing.T
	srv     *httptest.Server
	store   *store.Store
	clock   *clock.Manual
	journal *journal.Journal
}

type option func(*store.Options)

func withDwell(d time.Duration) option { return func(o *store.Options) { o.Dwell = d } }
func withPartners(accounts ...string) option {
	return func(o *store.Options) {
		for _, a := range accounts {
			o.Partners = append(o.Partners, store.Partner{Account: a})
		}
	}
}
func withQuota(n int) option     { return func(o *store.Options) { o.ConnectionsPerLocation = n } }
func withStrictPartners() option { return func(o *store.Options) { o.StrictPartners = true } }

func newEnv(t testing.TB, opts ...option) *env {
	t.Helper()
	cat, err := location.LoadFile("testdata/catalog.json")
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	jr := journal.New(0, clk)
	o := store.Options{Catalog: cat, Clock: clk, IDs: id.NewSource(1), OnChange: jr.Observe}
	for _, opt := range opts {
		opt(&o)
	}
	st := store.New(o)
	h := api.New(api.Options{Store: st, DefaultAccount: "123456789012", DefaultRegion: usEast, Journal: jr})
	srv := httptest.NewUnstartedServer(h)
	srv.Config.RegisterOnShutdown(h.Close)
	srv.Start()
	t.Cleanup(func() { h.Close(); srv.Close() })
	tt, _ := t.(*testing.T)
	return &env{t: tt, srv: srv, store: st, clock: clk, journal: jr}
}

// client is the real SDK client of account in us-east-1, retries off so that no failure is
// retried away.
func (e *env) client(account string) *directconnect.Client { return e.clientIn(account, usEast) }

func (e *env) clientIn(account, region string) *directconnect.Client {
	return directconnect.New(directconnect.Options{
		Region:       region,
		BaseEndpoint: aws.String(e.srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(account, "secret", ""),
		Retryer:      aws.NopRetryer{},
	})
}

// wantAPIError asserts err is an AWS error of code whose message contains each of parts.
func wantAPIError(t *testing.T, err error, code string, parts ...string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want %s error, got %v", code, err)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("want error code %s, got %s: %s", code, ae.ErrorCode(), ae.ErrorMessage())
	}
	for _, p := range parts {
		if !strings.Contains(ae.ErrorMessage(), p) {
			t.Fatalf("error message %q does not contain %q", ae.ErrorMessage(), p)
		}
	}
}

// raw sends one AWS JSON 1.1 request by hand, for what the SDK would refuse to send.
func (e *env) raw(target, body string, headers ...string) (int, http.Header, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		e.t.Fatalf("response body is not a JSON object: %q", b)
	}
	return resp.StatusCode, resp.Header, m
}

// adminCatalog reads GET /_dxlocal/catalog.
type catalogPort struct {
	Speed  string `json:"speed"`
	MacSec bool   `json:"macSec"`
	HeldBy string `json:"heldBy"`
}

type catalogDoc struct {
	Locations []struct {
		Code      string `json:"code"`
		Region    string `json:"region"`
		Endpoints []struct {
			Device string        `json:"device"`
			Ports  []catalogPort `json:"ports"`
		} `json:"endpoints"`
	} `json:"locations"`
}

func (e *env) catalog() catalogDoc {
	e.t.Helper()
	resp, err := http.Get(e.srv.URL + "/_dxlocal/catalog")
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc catalogDoc
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		e.t.Fatal(err)
	}
	return doc
}

// holders maps each held port's holder to its device; it fails on a holder seen twice.
func (e *env) holders() map[string]string {
	e.t.Helper()
	out := map[string]string{}
	for _, l := range e.catalog().Locations {
		for _, ep := range l.Endpoints {
			for _, p := range ep.Ports {
				if p.HeldBy == "" {
					continue
				}
				if d, dup := out[p.HeldBy]; dup {
					e.t.Fatalf("%s holds ports on %s and %s", p.HeldBy, d, ep.Device)
				}
				out[p.HeldBy] = ep.Device
			}
		}
	}
	return out
}

// free counts the free ports of speed on device.
func (e *env) free(device, speed string) int {
	e.t.Helper()
	n := 0
	for _, l := range e.catalog().Locations {
		for _, ep := range l.Endpoints {
			if ep.Device != device {
				continue
			}
			for _, p := range ep.Ports {
				if p.Speed == speed && p.HeldBy == "" {
					n++
				}
			}
		}
	}
	return n
}

// newDXGateway creates a Direct Connect gateway of account through the SDK; with the
// environment's dwell of zero it is available at the next request.
func (e *env) newDXGateway(account string, asn int64) string {
	e.t.Helper()
	out, err := e.client(account).CreateDirectConnectGateway(ctx, &directconnect.CreateDirectConnectGatewayInput{
		DirectConnectGatewayName: aws.String("gw-" + account), AmazonSideAsn: aws.Int64(asn)})
	if err != nil {
		e.t.Fatal(err)
	}
	return aws.ToString(out.DirectConnectGateway.DirectConnectGatewayId)
}

// attachedVIFs lists the virtual interfaces attaching or attached to gateway gw, as account
// sees them through DescribeDirectConnectGatewayAttachments.
func (e *env) attachedVIFs(account, gw string) []string {
	e.t.Helper()
	out, err := e.client(account).DescribeDirectConnectGatewayAttachments(ctx, &directconnect.DescribeDirectConnectGatewayAttachmentsInput{DirectConnectGatewayId: &gw})
	if err != nil {
		e.t.Fatal(err)
	}
	var ids []string
	for _, a := range out.DirectConnectGatewayAttachments {
		if a.AttachmentState == types.DirectConnectGatewayAttachmentStateAttaching || a.AttachmentState == types.DirectConnectGatewayAttachmentStateAttached {
			ids = append(ids, aws.ToString(a.VirtualInterfaceId))
		}
	}
	return ids
}
