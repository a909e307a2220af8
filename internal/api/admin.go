package api

import (
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"
)

// adminRoutes serves the admin API of contract.md under /_dxlocal/: plain JSON, not AWS's protocol.
func (h *Handler) adminRoutes(r chi.Router) {
	r.Get("/health", h.health)
	r.Post("/reset", h.reset)
	r.Get("/catalog", h.catalog)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeAdmin(w, http.StatusNotFound, map[string]string{"message": "no admin call " + r.Method + " " + r.URL.Path})
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeAdmin(w, http.StatusMethodNotAllowed, map[string]string{"message": r.Method + " is not allowed on " + r.URL.Path})
	})
}

func writeAdmin(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	writeAdmin(w, http.StatusOK, map[string]any{
		"status":    "ok",
		"locations": len(h.opts.Store.Catalog().Locations),
	})
}

func (h *Handler) reset(w http.ResponseWriter, r *http.Request) {
	h.opts.Store.Reset()
	writeAdmin(w, http.StatusOK, map[string]string{"status": "ok"})
}

type adminPort struct {
	Speed  string `json:"speed"`
	MacSec bool   `json:"macSec"`
	HeldBy string `json:"heldBy,omitempty"`
}

type adminEndpoint struct {
	Device string      `json:"device"`
	Ports  []adminPort `json:"ports"`
}

type adminLocation struct {
	Code      string          `json:"code"`
	Name      string          `json:"name"`
	Region    string          `json:"region"`
	Endpoints []adminEndpoint `json:"endpoints"`
}

// catalog answers every location, endpoint and port in catalog order, each port with its holder.
func (h *Handler) catalog(w http.ResponseWriter, r *http.Request) {
	snap := h.opts.Store.PortSnapshot()
	byDevice := map[string][]adminPort{}
	for _, devices := range snap {
		for _, d := range devices {
			ports := make([]adminPort, len(d.Ports))
			for i, p := range d.Ports {
				ports[i] = adminPort{Speed: string(p.Speed), MacSec: p.MacSec, HeldBy: p.HeldBy}
			}
			byDevice[d.Device] = ports
		}
	}
	var out struct {
		Locations []adminLocation `json:"locations"`
	}
	out.Locations = []adminLocation{}
	for _, l := range h.opts.Store.Catalog().Locations {
		al := adminLocation{Code: l.Code, Name: l.Name, Region: l.Region, Endpoints: []adminEndpoint{}}
		for _, e := range l.Endpoints {
			ports := byDevice[e.Device]
			if ports == nil {
				ports = []adminPort{}
			}
			al.Endpoints = append(al.Endpoints, adminEndpoint{Device: e.Device, Ports: ports})
		}
		out.Locations = append(out.Locations, al)
	}
	writeAdmin(w, http.StatusOK, out)
}
