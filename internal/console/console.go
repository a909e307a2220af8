// Package console is dxlocal's web console: a few static files, embedded in the binary, that a
// browser loads from /_dxlocal/ui/ and that read the admin API (and, for a resource's own
// answer, the AWS API) from the same origin. There is no build step and nothing is loaded from
// the internet: the Content-Security-Policy below forbids it, so a stray CDN link fails loudly.
package console

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

// Prefix is where the console lives (contract.md, § Web console).
const Prefix = "/_dxlocal/ui/"

//go:embed static
var files embed.FS

// staticFS is the static folder itself, so that /_dxlocal/ui/static/app.js is static/app.js.
var staticFS, _ = fs.Sub(files, "static")

// csp allows only this origin: scripts, styles, fetches and images all come from dxlocal.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Handler serves the console. Paths under Prefix+"static/" are the embedded files; every other
// path under Prefix is a page of the console (overview, a location, resources, activity), all
// answered with the same index.html whose script reads location.pathname to know which.
func Handler() http.Handler {
	assets := http.StripPrefix(Prefix+"static/", http.FileServerFS(staticFS))
	index, err := fs.ReadFile(staticFS, "index.html")
	if err != nil {
		panic("console: index.html is not embedded: " + err.Error())
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "the console answers only GET", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		// The files change only with the binary; revalidating is cheap on loopback and spares
		// a person a stale console after an upgrade.
		h.Set("Cache-Control", "no-cache")
		path := r.URL.Path
		switch {
		case path == strings.TrimSuffix(Prefix, "/"):
			http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
		case strings.HasPrefix(path, Prefix+"static/") && !strings.HasSuffix(path, "/"):
			assets.ServeHTTP(w, r)
		case strings.HasPrefix(path, Prefix+"static/"):
			http.NotFound(w, r) // no listing of the files
		case strings.HasPrefix(path, Prefix):
			h.Set("Content-Type", "text/html; charset=utf-8")
			w.Write(index)
		default:
			http.NotFound(w, r)
		}
	})
}
