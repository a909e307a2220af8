package console_test

import (
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The console is mounted in dxlocal's own handler: its pages, its files, and nothing else.
func TestServedByDxlocal(t *testing.T) {
	e := newEnv(t, nil)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range []struct {
		method, path string
		status       int
		contentType  string
		body         string
	}{
		{"GET", "/_dxlocal/ui/", 200, "text/html", `<script src="/_dxlocal/ui/static/app.js"`},
		{"GET", "/_dxlocal/ui/locations/EqDC2", 200, "text/html", `<main id="main">`},
		{"GET", "/_dxlocal/ui/resources/dxcon-abc12345", 200, "text/html", `<main id="main">`},
		{"GET", "/_dxlocal/ui/activity", 200, "text/html", `<main id="main">`},
		{"GET", "/_dxlocal/ui/static/app.js", 200, "javascript", "'use strict'"},
		{"GET", "/_dxlocal/ui/static/style.css", 200, "text/css", "--page:"},
		{"GET", "/_dxlocal/ui", 301, "", ""},
		{"GET", "/_dxlocal/ui/static/nothing.js", 404, "", ""},
		{"GET", "/_dxlocal/ui/static/", 404, "", ""},
		{"POST", "/_dxlocal/ui/", 405, "", ""},
	} {
		req, _ := http.NewRequest(c.method, e.url(c.path), nil)
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s %s: status %d, want %d", c.method, c.path, resp.StatusCode, c.status)
			continue
		}
		if c.status == 301 && resp.Header.Get("Location") != "/_dxlocal/ui/" {
			t.Errorf("%s %s redirects to %q, want /_dxlocal/ui/", c.method, c.path, resp.Header.Get("Location"))
		}
		if c.status != 200 {
			continue
		}
		if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, c.contentType) {
			t.Errorf("%s %s: Content-Type %q, want %s", c.method, c.path, ct, c.contentType)
		}
		if !strings.Contains(string(body), c.body) {
			t.Errorf("%s %s: body lacks %q", c.method, c.path, c.body)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "connect-src 'self'") {
			t.Errorf("%s %s: Content-Security-Policy %q does not keep the page to its own origin", c.method, c.path, csp)
		}
	}
}

// Nothing of the console comes from the internet: no file names another host.
func TestNoExternalReferences(t *testing.T) {
	files, err := filepath.Glob("static/*")
	if err != nil || len(files) < 3 {
		t.Fatalf("static files: %v %v", files, err)
	}
	external := regexp.MustCompile(`(?i:(https?:)?//[a-z0-9.-]+\.[a-z]{2,})|@import|url\(`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if m := external.FindString(line); m != "" && !strings.HasPrefix(strings.TrimSpace(line), "//") {
				t.Errorf("%s refers outside dxlocal (%q): %s", f, m, strings.TrimSpace(line))
			}
		}
	}
}

// The palette passes WCAG 2.1 AA: 4.5:1 for text on its background, 3:1 for the fills and
// edges that tell ports and controls apart from the page (non-text contrast).
func TestPaletteContrast(t *testing.T) {
	css, err := os.ReadFile("static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	palette := map[string]string{}
	root := regexp.MustCompile(`(?s):root\s*\{(.*?)\}`).FindSubmatch(css)
	if root == nil {
		t.Fatal("style.css has no :root block")
	}
	for _, m := range regexp.MustCompile(`--([a-z-]+):\s*(#[0-9a-fA-F]{6});`).FindAllSubmatch(root[1], -1) {
		palette[string(m[1])] = string(m[2])
	}
	for _, c := range []struct {
		fg, bg string
		min    float64
	}{
		// Text.
		{"ink", "page", 4.5}, {"muted", "page", 4.5}, {"link", "page", 4.5},
		{"ink", "panel", 4.5}, {"muted", "panel", 4.5}, {"link", "panel", 4.5},
		{"free-ink", "free-bg", 4.5}, {"conn-ink", "conn-bg", 4.5}, {"icx-ink", "icx-bg", 4.5},
		{"lag-ink", "lag-bg", 4.5}, {"down-ink", "down-bg", 4.5}, {"held-ink", "held-bg", 4.5},
		{"err-ink", "err-bg", 4.5}, {"err-ink", "page", 4.5}, {"ok-ink", "page", 4.5}, {"ink", "err-bg", 4.5},
		// Fills and edges against the page.
		{"free-edge", "page", 3}, {"conn-bg", "page", 3}, {"icx-bg", "page", 3}, {"lag-bg", "page", 3},
		{"down-bg", "page", 3}, {"held-bg", "page", 3}, {"line", "page", 3}, {"focus", "page", 3},
		{"bar-taken", "bar-free", 3}, {"free-edge", "panel", 3}, {"line", "panel", 3},
	} {
		fg, bg := palette[c.fg], palette[c.bg]
		if fg == "" || bg == "" {
			t.Errorf("--%s or --%s is not in the palette", c.fg, c.bg)
			continue
		}
		if r := contrast(fg, bg); r < c.min {
			t.Errorf("--%s %s on --%s %s: contrast %.2f:1, want at least %.1f:1", c.fg, fg, c.bg, bg, r, c.min)
		}
	}
}

// contrast is the WCAG 2.1 contrast ratio of two sRGB colours written #rrggbb.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	v, _ := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	lin := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(v>>16&0xff) + 0.7152*lin(v>>8&0xff) + 0.0722*lin(v&0xff)
}

func TestContrastFormula(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{{"#000000", "#ffffff", 21}, {"#ffffff", "#ffffff", 1}, {"#777777", "#ffffff", 4.48}} {
		if got := contrast(c.a, c.b); math.Abs(got-c.want) > 0.01 {
			t.Errorf("contrast(%s, %s) = %.3f, want %.2f", c.a, c.b, got, c.want)
		}
	}
}
