package api

import (
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"

	"go.uber.org/zap"

	"github.com/dxlocal/dxlocal/internal/limit"
)

// Requests from web pages.
//
// dxlocal listens on a developer's machine without credentials, so any page open in their
// browser could reach it: a cross-site POST (a form, or fetch with text/plain) would reset it
// or register gateways, and a page on a name that resolves to 127.0.0.1 (DNS rebinding) could
// call anything as if it were same-origin. Browsers mark what they send: an Origin header on
// every cross-site request and every same-origin one that is not a GET or HEAD, and the
// Sec-Fetch-* headers on every request at all. SDKs, the CLI, Terraform and containers calling
// each other send none of these, so they keep working from anywhere the server listens.
//
// A request a browser sent is refused (403, nothing changes) unless
//   - its Host is localhost (or a name under .localhost), a loopback address, the address of
//     the listener the request came in on, or a name the user allows (-allow-origin); this
//     is what stops DNS rebinding, where the page's own origin is the attacker's name; and
//   - its Origin, when it has one, is the Host itself (same origin: the web console at
//     /_dxlocal/ui/), or names localhost, a loopback address or an allowed name.
//
// The check covers every route: the admin API, reads included (a rebound page could read the
// journal and state), and the AWS endpoint POST / (a rebound page can send X-Amz-Target without
// a preflight). The JavaScript SDK in a page served from localhost, or from an allowed name,
// passes it like any other allowed origin.

// AllowAnyOrigin in Options.AllowOrigins turns the check off.
const AllowAnyOrigin = "*"

// browserGuard refuses requests from web pages that are neither local nor allowed.
func (h *Handler) browserGuard(next http.Handler) http.Handler {
	allowed := map[string]bool{}
	for _, name := range h.opts.AllowOrigins {
		allowed[strings.ToLower(name)] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		fromBrowser := origin != "" || r.Header.Get("Sec-Fetch-Site") != "" || r.Header.Get("Sec-Fetch-Mode") != ""
		if !fromBrowser || allowed[AllowAnyOrigin] {
			next.ServeHTTP(w, r)
			return
		}
		if !h.hostAllowed(r, allowed) {
			h.refuseBrowser(w, r, "Host "+limit.Cut(r.Host, limit.Echo)+" is not allowed for requests from a web page: use localhost or 127.0.0.1, or start dxlocal with -allow-origin "+limit.Cut(hostname(r.Host), limit.Echo)+".")
			return
		}
		if origin != "" && !originAllowed(origin, r.Host, allowed) {
			h.refuseBrowser(w, r, "Origin "+limit.Cut(origin, limit.Echo)+" is not allowed: dxlocal answers web pages only from localhost, a loopback address, its own address, or a name given to -allow-origin.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// hostAllowed reports whether the Host a browser sent the request to is one that cannot be
// an attacker's name rebound to this machine.
func (h *Handler) hostAllowed(r *http.Request, allowed map[string]bool) bool {
	name := hostname(r.Host)
	if isLocalName(name) || allowed[name] {
		return true
	}
	ip := net.ParseIP(name)
	if ip == nil {
		return false
	}
	if ip.IsLoopback() {
		return true
	}
	// The address the request came in on, as an IP literal: a rebound name is never one.
	if la, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if tcp, ok := la.(*net.TCPAddr); ok && tcp.IP.Equal(ip) {
			return true
		}
	}
	return false
}

// originAllowed reports whether a page of origin may call dxlocal at host.
func originAllowed(origin, host string, allowed map[string]bool) bool {
	if origin == "null" { // sandboxed frames and file:// pages
		return allowed["null"]
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, host) {
		return true // same origin; Host was checked already
	}
	name := strings.ToLower(u.Hostname())
	if isLocalName(name) || allowed[name] {
		return true
	}
	ip := net.ParseIP(name)
	return ip != nil && ip.IsLoopback()
}

// hostname is the lower-cased name or address of a Host header, without port or brackets.
func hostname(hostport string) string {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	}
	return strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"))
}

// isLocalName: localhost and names under .localhost always resolve to loopback (RFC 6761).
func isLocalName(name string) bool {
	name = strings.TrimSuffix(name, ".")
	return name == "localhost" || strings.HasSuffix(name, ".localhost")
}

// refuseBrowser answers 403 with {"message": ...}; on the AWS endpoint in the AWS envelope,
// which carries the same member, so that an SDK in a page reads it as an error of its own.
func (h *Handler) refuseBrowser(w http.ResponseWriter, r *http.Request, msg string) {
	h.opts.Logger.Warn("refused a request from a web page", zap.String("requestId", w.Header().Get("x-amzn-RequestId")),
		zap.String("method", r.Method), zap.String("path", limit.Cut(r.URL.Path, limit.Echo)), zap.String("reason", msg))
	if isAdminPath(r.URL.Path) {
		writeAdmin(w, http.StatusForbidden, map[string]string{"message": msg})
		return
	}
	writeError(w, wireError{http.StatusForbidden, codeAccessDenied, msg})
}

func isAdminPath(p string) bool { return p == "/_dxlocal" || strings.HasPrefix(p, "/_dxlocal/") }

// requireJSON refuses an admin write whose body is not declared as JSON (415, nothing
// changes): a page can send text/plain or a form cross-site without a preflight, never
// application/json. A write without a body (POST /reset) needs no content type.
func requireJSON(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if r.ContentLength != 0 {
				ct := r.Header.Get("Content-Type")
				if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
					if ct == "" {
						ct = "none"
					}
					writeAdmin(w, http.StatusUnsupportedMediaType, map[string]string{"message": "the body of " + r.Method + " " + limit.Cut(r.URL.Path, limit.Echo) + " must be sent as Content-Type: application/json, not " + limit.Cut(ct, limit.Echo)})
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
