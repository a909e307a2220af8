package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/dxlocal/dxlocal/internal/api"
)

// guarded is an env whose handler allows the given extra origins.
func guarded(t *testing.T, allow ...string) *env {
	e := newEnv(t)
	srv := httptest.NewServer(api.New(api.Options{Store: e.store, DefaultAccount: "123456789012", DefaultRegion: usEast, AllowOrigins: allow}))
	t.Cleanup(srv.Close)
	e.srv = srv
	return e
}

// send makes one request; host, when given, replaces the Host header (a rebound name).
func (e *env) send(method, path, host, body string, headers ...string) (int, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if host != "" {
		req.Host = host
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
	json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

func (e *env) connectionCount() int {
	e.t.Helper()
	out, err := e.client(owner).DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(out.Connections)
}

func TestRequestsFromWebPages(t *testing.T) {
	e := guarded(t, "console.example")
	self := strings.TrimPrefix(e.srv.URL, "http://")
	_, port, _ := strings.Cut(self, ":")
	cases := []struct {
		name, host string
		headers    []string
		want       int
	}{
		{"no Origin, any Host (SDKs, docker-compose)", "dxlocal:" + port, nil, 200},
		{"cross-site page", "", []string{"Origin", "http://evil.example"}, 403},
		{"cross-site page, text/plain", "", []string{"Origin", "https://evil.example", "Content-Type", "text/plain"}, 403},
		{"sandboxed page", "", []string{"Origin", "null"}, 403},
		{"page on localhost", "", []string{"Origin", "http://localhost:3000"}, 200},
		{"page on a loopback address", "", []string{"Origin", "http://127.0.0.2:8080"}, 200},
		{"same origin (the web console)", "", []string{"Origin", "http://" + self}, 200},
		{"DNS rebinding: same origin on the attacker's name", "evil.example:" + port, []string{"Origin", "http://evil.example:" + port}, 403},
		{"DNS rebinding without Origin, marked by Sec-Fetch", "evil.example:" + port, []string{"Sec-Fetch-Site", "same-origin", "Sec-Fetch-Mode", "cors"}, 403},
		{"allowed name, same origin", "console.example:" + port, []string{"Origin", "http://console.example:" + port}, 200},
		{"allowed name as the page", "", []string{"Origin", "https://console.example"}, 200},
		{"localhost Host from a page", "localhost:" + port, []string{"Origin", "http://localhost:" + port}, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.store.Reset()
			createConnection(t, e.client(owner), "TstA1", "1Gbps")
			before := e.connectionCount()
			status, m := e.send("POST", "/_dxlocal/reset", tc.host, "", tc.headers...)
			if status != tc.want {
				t.Fatalf("reset: %d %v, want %d", status, m, tc.want)
			}
			after := e.connectionCount()
			if tc.want == 403 {
				if msg, _ := m["message"].(string); msg == "" || after != before {
					t.Fatalf("refused reset: message %q, connections %d -> %d", msg, before, after)
				}
			} else if after != 0 {
				t.Fatalf("allowed reset kept %d connections", after)
			}
			// Reads of the admin API follow the same rule.
			if status, _ := e.send("GET", "/_dxlocal/catalog", tc.host, "", tc.headers...); status != tc.want {
				t.Fatalf("GET catalog: %d, want %d", status, tc.want)
			}
		})
	}
}

// The AWS endpoint is guarded too: the SDK in a foreign page is refused with an error it reads,
// the SDK in a local page works.
func TestAWSEndpointFromWebPages(t *testing.T) {
	e := guarded(t)
	withOrigin := func(origin string) *directconnect.Client {
		return directconnect.New(directconnect.Options{
			Region: usEast, BaseEndpoint: aws.String(e.srv.URL), Retryer: aws.NopRetryer{},
			Credentials: e.client(owner).Options().Credentials,
			APIOptions:  []func(*middleware.Stack) error{smithyhttp.AddHeaderValue("Origin", origin)},
		})
	}
	_, err := withOrigin("http://evil.example").CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("x"), Location: aws.String("TstA1"), Bandwidth: aws.String("1Gbps")})
	wantAPIError(t, err, "AccessDeniedException", "Origin http://evil.example is not allowed")
	if n := e.connectionCount(); n != 0 {
		t.Fatalf("a refused call made %d connections", n)
	}
	if _, err := withOrigin("http://localhost:5173").CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("x"), Location: aws.String("TstA1"), Bandwidth: aws.String("1Gbps")}); err != nil {
		t.Fatal(err)
	}
}

func TestAdminWritesNeedJSON(t *testing.T) {
	e := newEnv(t)
	gw := `{"gatewayId":"vgw-0123abcd"}`
	cases := []struct {
		name, method, path, contentType, body string
		want                                  int
	}{
		{"text/plain", "POST", "/_dxlocal/gateways", "text/plain", gw, 415},
		{"form", "POST", "/_dxlocal/gateways", "application/x-www-form-urlencoded", gw, 415},
		{"none", "POST", "/_dxlocal/gateways", "", gw, 415},
		{"partner as text", "PUT", "/_dxlocal/partners/" + partner, "text/plain", `{"partnerName":"x"}`, 415},
		{"reset without a body needs none", "POST", "/_dxlocal/reset", "", "", 200},
		{"JSON with a charset", "POST", "/_dxlocal/gateways", "application/json; charset=utf-8", gw, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var headers []string
			if tc.contentType != "" {
				headers = []string{"Content-Type", tc.contentType}
			}
			status, m := e.send(tc.method, tc.path, "", tc.body, headers...)
			if status != tc.want {
				t.Fatalf("%d %v, want %d", status, m, tc.want)
			}
			if tc.want == 415 {
				if msg, _ := m["message"].(string); !strings.Contains(msg, "application/json") {
					t.Fatalf("message %q", msg)
				}
				if _, list := e.admin("GET", "/gateways", ""); len(list["gateways"].([]any)) != 0 {
					t.Fatal("a refused write registered a gateway")
				}
				if _, list := e.admin("GET", "/partners", ""); len(list["partners"].([]any)) != 0 {
					t.Fatal("a refused write made a partner")
				}
			}
		})
	}
}
