package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/dxlocal/dxlocal/internal/account"
	"github.com/dxlocal/dxlocal/internal/console"
	"github.com/dxlocal/dxlocal/internal/gateway"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/store"
)

// adminRoutes serves the admin API of contract.md under /_dxlocal/: plain JSON, not AWS's protocol.
func (h *Handler) adminRoutes(r chi.Router) {
	r.Use(requireJSON)
	r.Get("/health", h.health)
	r.Post("/reset", h.reset)
	r.Get("/catalog", h.catalog)
	r.Get("/gateways", h.listGateways)
	r.Post("/gateways", h.registerGateway)
	// The web console: static pages that read this API from the same origin.
	r.Handle("/ui", console.Handler())
	r.Handle("/ui/*", console.Handler())
	r.Get("/partners", h.listPartners)
	r.Put("/partners/{account}", h.setPartner)
	r.Delete("/partners/{account}", h.removePartner)
	h.controlRoutes(r)
	h.stateRoutes(r)
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
	h.resetControl()
	writeAdmin(w, http.StatusOK, map[string]string{"status": "ok"})
}

type adminPort struct {
	Speed  string `json:"speed"`
	MacSec bool   `json:"macSec"`
	HeldBy string `json:"heldBy,omitempty"`
	// HolderAccount, HolderType ("connection" or "interconnect") and HolderLagID describe
	// the holder of a taken port; all absent on a free one.
	HolderAccount string `json:"holderAccount,omitempty"`
	HolderType    string `json:"holderType,omitempty"`
	HolderLagID   string `json:"holderLagId,omitempty"`
}

type adminEndpoint struct {
	Device string      `json:"device"`
	Ports  []adminPort `json:"ports"`
}

// adminSpeed counts the ports of one speed at a location.
type adminSpeed struct {
	Speed string `json:"speed"`
	Free  int    `json:"free"`
	Taken int    `json:"taken"`
}

type adminLocation struct {
	Code      string          `json:"code"`
	Name      string          `json:"name"`
	Region    string          `json:"region"`
	Endpoints []adminEndpoint `json:"endpoints"`
	// Speeds counts, ascending by speed, the free and taken ports of the whole location.
	Speeds []adminSpeed `json:"speeds"`
}

// catalog answers every location, endpoint and port in catalog order, each port with its
// holder, and per location the free and taken ports of each speed. ?region= and ?location=
// (a code, matched case-insensitively) narrow it; a filter nothing matches answers no
// locations.
func (h *Handler) catalog(w http.ResponseWriter, r *http.Request) {
	region, code := r.URL.Query().Get("region"), r.URL.Query().Get("location")
	usage := h.opts.Store.PortUsage(region)
	byDevice := map[string][]adminPort{}
	for _, u := range usage {
		for _, d := range u.Devices {
			ports := make([]adminPort, len(d.Ports))
			for i, p := range d.Ports {
				hold := u.Holders[p.HeldBy]
				ports[i] = adminPort{Speed: string(p.Speed), MacSec: p.MacSec, HeldBy: p.HeldBy,
					HolderAccount: hold.Account, HolderType: hold.Type, HolderLagID: hold.LagID}
			}
			byDevice[d.Device] = ports
		}
	}
	var out struct {
		Locations []adminLocation `json:"locations"`
	}
	out.Locations = []adminLocation{}
	for _, l := range h.opts.Store.Catalog().Locations {
		if (region != "" && l.Region != region) || (code != "" && !strings.EqualFold(l.Code, code)) {
			continue
		}
		al := adminLocation{Code: l.Code, Name: l.Name, Region: l.Region, Endpoints: []adminEndpoint{}, Speeds: []adminSpeed{}}
		counts := map[string]*adminSpeed{}
		for _, e := range l.Endpoints {
			ports := byDevice[e.Device]
			if ports == nil {
				ports = []adminPort{}
			}
			for _, p := range ports {
				c := counts[p.Speed]
				if c == nil {
					c = &adminSpeed{Speed: p.Speed}
					counts[p.Speed] = c
				}
				if p.HeldBy == "" {
					c.Free++
				} else {
					c.Taken++
				}
			}
			al.Endpoints = append(al.Endpoints, adminEndpoint{Device: e.Device, Ports: ports})
		}
		for _, sp := range location.Speeds {
			if c := counts[string(sp)]; c != nil {
				al.Speeds = append(al.Speeds, *c)
			}
		}
		out.Locations = append(out.Locations, al)
	}
	writeAdmin(w, http.StatusOK, out)
}

// gatewayDoc is a registry record as the admin API reads and writes it.
type gatewayDoc struct {
	GatewayID     string   `json:"gatewayId"`
	OwnerAccount  string   `json:"ownerAccount,omitempty"`
	Region        string   `json:"region,omitempty"`
	AmazonSideAsn *int64   `json:"amazonSideAsn,omitempty"`
	VpcCidrs      []string `json:"vpcCidrs,omitempty"`
}

func gatewayOut(rec gateway.Record) gatewayDoc {
	return gatewayDoc{GatewayID: rec.ID, OwnerAccount: rec.OwnerAccount, Region: rec.Region, AmazonSideAsn: rec.ASN, VpcCidrs: rec.VPCCIDRs}
}

func (h *Handler) listGateways(w http.ResponseWriter, r *http.Request) {
	list := h.opts.Store.Gateways().List()
	out := struct {
		Gateways []gatewayDoc `json:"gateways"`
	}{Gateways: make([]gatewayDoc, len(list))}
	for i, rec := range list {
		out.Gateways[i] = gatewayOut(rec)
	}
	writeAdmin(w, http.StatusOK, out)
}

// registerGateway seeds one VGW or TGW: 200 with the record, 400 for a bad body, 409 when the
// id is registered already.
func (h *Handler) registerGateway(w http.ResponseWriter, r *http.Request) {
	var in gatewayDoc
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	if err := dec.Decode(&in); err != nil {
		writeAdmin(w, http.StatusBadRequest, map[string]string{"message": "the body must be a JSON object: " + err.Error()})
		return
	}
	rec, err := gateway.Normalize(gateway.Record{ID: in.GatewayID, OwnerAccount: in.OwnerAccount, Region: in.Region, ASN: in.AmazonSideAsn, VPCCIDRs: in.VpcCidrs},
		h.opts.DefaultAccount, h.opts.DefaultRegion)
	if err != nil {
		writeAdmin(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return
	}
	switch err := h.opts.Store.Gateways().Register(rec); {
	case errors.Is(err, gateway.ErrExists):
		writeAdmin(w, http.StatusConflict, map[string]string{"message": "gateway " + rec.ID + " is already registered"})
		return
	case errors.Is(err, gateway.ErrFull):
		writeAdmin(w, http.StatusBadRequest, map[string]string{"message": "gateway " + rec.ID + " is not registered: " + err.Error()})
		return
	}
	writeAdmin(w, http.StatusOK, gatewayOut(rec))
}

// partnerDoc is a partner's settings as the admin API reads and writes them.
type partnerDoc struct {
	Account        string `json:"account"`
	NniPartnerType string `json:"nniPartnerType,omitempty"`
	PartnerName    string `json:"partnerName,omitempty"`
}

func (h *Handler) listPartners(w http.ResponseWriter, r *http.Request) {
	list := h.opts.Store.Partners()
	slices.SortFunc(list, func(a, b store.Partner) int { return strings.Compare(a.Account, b.Account) })
	out := struct {
		Partners []partnerDoc `json:"partners"`
	}{Partners: make([]partnerDoc, len(list))}
	for i, p := range list {
		out.Partners[i] = partnerDoc{Account: p.Account, NniPartnerType: p.NNIType, PartnerName: p.Name}
	}
	writeAdmin(w, http.StatusOK, out)
}

// setPartner makes an account a partner with an NNI type and a partner name (both optional).
func (h *Handler) setPartner(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "account")
	if !account.IsID(id) {
		writeAdmin(w, http.StatusBadRequest, map[string]string{"message": "account " + id + " is not a 12-digit account id"})
		return
	}
	var in partnerDoc
	if r.ContentLength != 0 {
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&in); err != nil {
			writeAdmin(w, http.StatusBadRequest, map[string]string{"message": "the body must be a JSON object: " + err.Error()})
			return
		}
	}
	p := store.Partner{Account: id, NNIType: in.NniPartnerType, Name: in.PartnerName}
	if err := h.opts.Store.SetPartner(p); err != nil {
		writeAdmin(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return
	}
	writeAdmin(w, http.StatusOK, partnerDoc{Account: id, NniPartnerType: p.NNIType, PartnerName: p.Name})
}

func (h *Handler) removePartner(w http.ResponseWriter, r *http.Request) {
	h.opts.Store.RemovePartner(chi.URLParam(r, "account"))
	w.WriteHeader(http.StatusNoContent)
}
