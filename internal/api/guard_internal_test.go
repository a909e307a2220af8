package api

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A Host that is the listener's own IP address (dxlocal on 0.0.0.0, opened in a browser by
// the machine's LAN address) is allowed; any other non-loopback address, and any name that
// is not local or allowed, is not.
func TestHostAllowed(t *testing.T) {
	h := &Handler{}
	listener := &net.TCPAddr{IP: net.ParseIP("10.1.2.3"), Port: 4599}
	allowed := map[string]bool{"console.example": true}
	cases := []struct {
		host string
		want bool
	}{
		{"10.1.2.3:4599", true},
		{"10.9.9.9:4599", false},
		{"127.0.0.1:4599", true},
		{"[::1]:4599", true},
		{"localhost:4599", true},
		{"app.localhost", true},
		{"Console.Example:8080", true},
		{"evil.example:4599", false},
		{"localhost.evil.example", false},
	}
	for _, tc := range cases {
		r := httptest.NewRequest("GET", "/_dxlocal/health", nil)
		r.Host = tc.host
		r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, net.Addr(listener)))
		if got := h.hostAllowed(r, allowed); got != tc.want {
			t.Errorf("Host %s: allowed %v, want %v", tc.host, got, tc.want)
		}
	}
}
