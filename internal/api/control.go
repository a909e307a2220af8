package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/snapshot"
	"github.com/dxlocal/dxlocal/internal/store"
)

// maxStateBody bounds a PUT /_dxlocal/state body: a state of 10,000 connections is about 6 MiB.
const maxStateBody = 256 << 20

// stateRoutes serves the resource control and the state of contract.md's Test control section.
func (h *Handler) stateRoutes(r chi.Router) {
	r.Get("/resources", h.listResources)
	r.Get("/resources/{id}", h.getResource)
	r.Post("/resources/{id}", h.controlResource)
	r.Get("/state", h.getState)
	r.Put("/state", h.putState)
	r.Post("/state/save", h.saveState)
}

// resourceDoc is one resource as the admin API shows it.
type resourceDoc struct {
	ID           string `json:"id"`
	Type         string `json:"type"`
	OwnerAccount string `json:"ownerAccount"`
	Region       string `json:"region"`
	State        string `json:"state"`
	Hold         bool   `json:"hold"`
}

func resourceOut(r store.Resource) resourceDoc {
	return resourceDoc{ID: r.ID, Type: r.Type, OwnerAccount: r.Owner, Region: r.Region, State: r.State, Hold: r.Hold}
}

func adminMessage(w http.ResponseWriter, status int, msg string) {
	writeAdmin(w, status, map[string]string{"message": msg})
}

// adminError answers a store error with the status of its kind.
func adminError(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	switch dxerr.KindOf(err) {
	case dxerr.Invalid:
		status = http.StatusBadRequest
	case dxerr.NotFound:
		status = http.StatusNotFound
	case dxerr.Conflict:
		status = http.StatusConflict
	}
	adminMessage(w, status, err.Error())
}

func (h *Handler) listResources(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.ResourceFilter{Account: q.Get("account"), Region: q.Get("region"), Type: q.Get("type")}
	if f.Type != "" && !slices.Contains(store.ResourceTypes, f.Type) {
		adminMessage(w, http.StatusBadRequest, "type "+f.Type+" is not one of "+strings.Join(store.ResourceTypes, ", "))
		return
	}
	list := h.opts.Store.Resources(f)
	out := struct {
		Resources []resourceDoc `json:"resources"`
	}{Resources: make([]resourceDoc, len(list))}
	for i, res := range list {
		out.Resources[i] = resourceOut(res)
	}
	writeAdmin(w, http.StatusOK, out)
}

func (h *Handler) getResource(w http.ResponseWriter, r *http.Request) {
	res, err := h.opts.Store.Resource(chi.URLParam(r, "id"))
	if err != nil {
		adminError(w, err)
		return
	}
	writeAdmin(w, http.StatusOK, resourceOut(res))
}

// controlDoc is the body of POST /_dxlocal/resources/{id}.
type controlDoc struct {
	State     *string `json:"state"`
	Hold      *bool   `json:"hold"`
	BGPStatus *string `json:"bgpStatus"`
	BGPPeerID *string `json:"bgpPeerId"`
}

// controlResource drives one resource: 200 with the record after the change, 400 for a bad
// body, 404 for an unknown id, 409 for a change not allowed from the current state.
func (h *Handler) controlResource(w http.ResponseWriter, r *http.Request) {
	var in controlDoc
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		adminMessage(w, http.StatusBadRequest, "the body must be a JSON object with any of state, hold, bgpStatus, bgpPeerId: "+err.Error())
		return
	}
	ch := store.Control{State: in.State, Hold: in.Hold, BGPStatus: in.BGPStatus, BGPPeerID: in.BGPPeerID}
	if ch == (store.Control{}) {
		adminMessage(w, http.StatusBadRequest, "the body names no change: give any of state, hold, bgpStatus, bgpPeerId")
		return
	}
	res, err := h.opts.Store.ControlResource(chi.URLParam(r, "id"), ch)
	if err != nil {
		adminError(w, err)
		return
	}
	writeAdmin(w, http.StatusOK, resourceOut(res))
}

func (h *Handler) getState(w http.ResponseWriter, r *http.Request) {
	st := h.opts.Store.Snapshot()
	var buf bytes.Buffer
	if err := snapshot.Encode(&buf, st); err != nil {
		adminMessage(w, http.StatusInternalServerError, "encoding the state: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

// putState replaces the whole state with the body, or refuses it with 400 and changes nothing.
func (h *Handler) putState(w http.ResponseWriter, r *http.Request) {
	st, err := snapshot.Decode(http.MaxBytesReader(w, r.Body, maxStateBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			adminMessage(w, http.StatusRequestEntityTooLarge, "the state is larger than 256 MiB")
			return
		}
		adminMessage(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := h.opts.Store.Restore(st); err != nil {
		adminError(w, err)
		return
	}
	writeAdmin(w, http.StatusOK, map[string]string{"status": "ok"})
}

// saveState writes the state file now; 409 when dxlocal runs without one.
func (h *Handler) saveState(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, io.LimitReader(r.Body, maxBody))
	if h.opts.StateFile == "" {
		adminMessage(w, http.StatusConflict, "dxlocal runs without a state file: start it with -state FILE or DXLOCAL_STATE")
		return
	}
	if err := snapshot.WriteFile(h.opts.StateFile, h.opts.Store.Snapshot()); err != nil {
		adminMessage(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeAdmin(w, http.StatusOK, map[string]string{"status": "ok", "file": h.opts.StateFile})
}
