package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/dxlocal/dxlocal/internal/account"
	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/clock"
	"github.com/dxlocal/dxlocal/internal/fault"
	"github.com/dxlocal/dxlocal/internal/journal"
	"github.com/dxlocal/dxlocal/internal/limit"
	"github.com/dxlocal/dxlocal/internal/store"
)

// The test controls of contract.md: the clock, injected faults, the journal and the quotas.

// maxWait bounds a journal read's wait.
const maxWait = 60 * time.Second

// control is the handler's state for the test controls.
type control struct {
	faults *fault.Set
	// quotaMu serialises quota updates, each a read-modify-write of the whole set.
	quotaMu sync.Mutex
	// stopping is closed when the server stops, to end journal reads that wait.
	stopping  chan struct{}
	closeOnce sync.Once
}

func newControl() control {
	return control{faults: &fault.Set{}, stopping: make(chan struct{})}
}

// Close ends the waits of journal readers, so that a stopping server need not wait for them;
// give it to http.Server.RegisterOnShutdown.
func (h *Handler) Close() { h.ctl.closeOnce.Do(func() { close(h.ctl.stopping) }) }

// controlRoutes adds the test controls to the admin routes.
func (h *Handler) controlRoutes(r chi.Router) {
	r.Get("/clock", h.getClock)
	r.Post("/clock", h.advanceClock)
	r.Get("/faults", h.listFaults)
	r.Post("/faults", h.addFault)
	r.Delete("/faults", h.clearFaults)
	r.Delete("/faults/{id}", h.removeFault)
	r.Get("/journal", h.readJournal)
	r.Delete("/journal", h.clearJournal)
	r.Get("/quotas", h.getQuotas)
	r.Put("/quotas", h.putQuotas)
}

// resetControl is the test controls' part of reset: no faults, an empty journal. The store's
// reset puts the clock back and the quotas to their defaults.
func (h *Handler) resetControl() {
	h.ctl.faults.Clear()
	if h.opts.Journal != nil {
		h.opts.Journal.Clear()
	}
}

func badRequest(w http.ResponseWriter, format string, args ...any) {
	writeAdmin(w, http.StatusBadRequest, map[string]string{"message": fmt.Sprintf(format, args...)})
}

// decodeBody reads a JSON object into v, refusing members v does not have (a misspelt field
// must not pass silently).
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		badRequest(w, "the body must be a JSON object of the documented fields: %v", err)
		return false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		badRequest(w, "the body must hold one JSON object")
		return false
	}
	return true
}

// --- clock

type clockDoc struct {
	Now string `json:"now"`
}

func (h *Handler) getClock(w http.ResponseWriter, r *http.Request) {
	writeAdmin(w, http.StatusOK, clockDoc{Now: h.opts.Store.Clock().Now().Format(clock.Format)})
}

// advanceClock moves the clock forward and applies every change whose time has come, so that
// journal readers see them at once.
func (h *Handler) advanceClock(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Advance string `json:"advance"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	d, err := time.ParseDuration(in.Advance)
	if err != nil || d <= 0 {
		badRequest(w, "advance %q is not a Go duration above zero, such as 90s or 72h", in.Advance)
		return
	}
	c, ok := h.opts.Store.Clock().(clock.Adjustable)
	if !ok {
		writeAdmin(w, http.StatusConflict, map[string]string{"message": "this clock cannot be moved"})
		return
	}
	if to := c.Now().Add(d); to.After(clock.Latest) {
		badRequest(w, "advance %s would take the clock to %s, past %s", in.Advance, to.Format(clock.Format), clock.Latest.Format(clock.Format))
		return
	}
	c.Advance(d)
	h.opts.Store.Settle()
	h.getClock(w, r)
}

// --- faults

// faultDoc is a fault as the admin API reads and writes it.
type faultDoc struct {
	FaultID   string `json:"faultId,omitempty"`
	Operation string `json:"operation"`
	Error     string `json:"error,omitempty"`
	Message   string `json:"message,omitempty"`
	Status    int    `json:"status,omitempty"`
	Count     *int   `json:"count,omitempty"`
	After     int    `json:"after"`
	Delay     string `json:"delay,omitempty"`
	Account   string `json:"account,omitempty"`
	Region    string `json:"region,omitempty"`
	// Remaining is how many calls it still hits; 0, like count, for a fault in force until
	// removed. Set by dxlocal only.
	Remaining *int `json:"remaining,omitempty"`
}

func faultOut(f fault.Fault) faultDoc {
	count := f.Count
	d := faultDoc{FaultID: f.ID, Operation: f.Operation, Error: f.Error, Message: f.Message, Status: f.Status,
		Count: &count, After: f.After, Delay: f.Delay.String(), Account: f.Account, Region: f.Region}
	rem := max(f.Remaining, 0)
	d.Remaining = &rem
	return d
}

// errorTypes are the error types of the model a fault may answer.
var errorTypes = map[string]bool{codeClient: true, codeServer: true, codeDuplicateTagKeys: true, codeTooManyTags: true}

func (h *Handler) addFault(w http.ResponseWriter, r *http.Request) {
	var in faultDoc
	if !decodeBody(w, r, &in) {
		return
	}
	spec := fault.Spec{Operation: in.Operation, Error: in.Error, Message: in.Message, Status: in.Status, After: in.After,
		Account: in.Account, Region: in.Region, Count: 1}
	if in.Count != nil {
		spec.Count = *in.Count
	}
	if in.Delay != "" {
		d, err := time.ParseDuration(in.Delay)
		if err != nil {
			badRequest(w, "delay %q is not a Go duration, such as 500ms or 2s", in.Delay)
			return
		}
		spec.Delay = d
	}
	if in.Account != "" && !account.IsID(in.Account) {
		badRequest(w, "account %q is not a 12-digit account id", in.Account)
		return
	}
	if in.FaultID != "" || in.Remaining != nil {
		badRequest(w, "faultId and remaining are given by dxlocal, not by the caller")
		return
	}
	spec, err := fault.Check(spec, func(op string) bool { _, ok := model.Operations[op]; return ok },
		func(e string) bool { return errorTypes[e] })
	if err != nil {
		badRequest(w, "%v", err)
		return
	}
	f, err := h.ctl.faults.Add(spec)
	if err != nil {
		badRequest(w, "%v", err)
		return
	}
	writeAdmin(w, http.StatusOK, faultOut(f))
}

func (h *Handler) listFaults(w http.ResponseWriter, r *http.Request) {
	list := h.ctl.faults.List()
	out := struct {
		Faults []faultDoc `json:"faults"`
	}{Faults: make([]faultDoc, len(list))}
	for i, f := range list {
		out.Faults[i] = faultOut(f)
	}
	writeAdmin(w, http.StatusOK, out)
}

func (h *Handler) clearFaults(w http.ResponseWriter, r *http.Request) {
	h.ctl.faults.Clear()
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) removeFault(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if !h.ctl.faults.Remove(id) {
		writeAdmin(w, http.StatusNotFound, map[string]string{"message": "no fault " + id})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// --- journal

// eventDoc is an event as the journal answers it; members that do not apply to its kind are
// absent.
type eventDoc struct {
	Seq         uint64          `json:"seq"`
	Time        string          `json:"time"`
	Kind        string          `json:"kind"`
	RequestID   string          `json:"requestId,omitempty"`
	ResourceID  string          `json:"resourceId,omitempty"`
	Type        string          `json:"type,omitempty"`
	Account     string          `json:"account"`
	Region      string          `json:"region"`
	Operation   string          `json:"operation,omitempty"`
	Status      int             `json:"status,omitempty"`
	ErrorType   string          `json:"errorType,omitempty"`
	FaultID     string          `json:"faultId,omitempty"`
	ResourceIDs []string        `json:"resourceIds,omitzero"`
	Request     json.RawMessage `json:"request,omitempty"`
	// RequestDropped is the size of a body the journal no longer holds (journal.DefaultBodyBytes).
	RequestDropped int    `json:"requestDropped,omitempty"`
	From           string `json:"from,omitempty"`
	To             string `json:"to,omitempty"`
	Cause          string `json:"cause,omitempty"`
}

func eventOut(e *journal.Event) eventDoc {
	d := eventDoc{Seq: e.Seq, Time: e.Time.Format(clock.Format), Kind: e.Kind, Account: e.Account, Region: e.Region}
	if e.Kind == journal.KindChange {
		d.ResourceID, d.Type, d.From, d.To, d.Cause = e.ResourceID, e.Type, e.From, e.To, e.Cause
		return d
	}
	d.RequestID, d.Operation, d.Status, d.ErrorType, d.FaultID = e.RequestID, e.Operation, e.Status, e.ErrorType, e.FaultID
	d.ResourceIDs, d.RequestDropped = e.ResourceIDs(), e.RequestDropped
	switch {
	case len(e.Request) == 0:
	case json.Valid(e.Request):
		d.Request = e.Request
	default:
		// Not JSON: answered as a string, so that the journal stays JSON.
		d.Request, _ = json.Marshal(string(e.Request))
	}
	return d
}

// journalQuery reads the query of a journal read.
func journalQuery(r *http.Request) (journal.Query, time.Duration, error) {
	v := r.URL.Query()
	var q journal.Query
	var err error
	if s := v.Get("after"); s != "" {
		if q.After, err = strconv.ParseUint(s, 10, 64); err != nil {
			return q, 0, fmt.Errorf("after %q is not a sequence number (0 or more)", s)
		}
	}
	switch q.Kind = v.Get("kind"); q.Kind {
	case "", journal.KindCall, journal.KindChange:
	default:
		return q, 0, fmt.Errorf("kind %q is not %s or %s", q.Kind, journal.KindCall, journal.KindChange)
	}
	if q.Operation = v.Get("operation"); q.Operation != "" {
		if _, ok := model.Operations[q.Operation]; !ok {
			return q, 0, fmt.Errorf("operation %q is not a Direct Connect operation", q.Operation)
		}
	}
	q.Resource, q.Account = v.Get("resource"), v.Get("account")
	if s := v.Get("limit"); s != "" {
		if q.Limit, err = strconv.Atoi(s); err != nil || q.Limit < 1 || q.Limit > journal.MaxLimit {
			return q, 0, fmt.Errorf("limit %q is not a number from 1 to %d", s, journal.MaxLimit)
		}
	}
	var wait time.Duration
	if s := v.Get("wait"); s != "" {
		if wait, err = time.ParseDuration(s); err != nil || wait < 0 || wait > maxWait {
			return q, 0, fmt.Errorf("wait %q is not a Go duration from 0s to %s", s, maxWait)
		}
	}
	return q, wait, nil
}

// readJournal answers the events the query selects. With wait, when none is there yet, it
// answers as soon as one is, or with none when the wait is over.
//
// With the clock-derived model, a change such as "dxcon-... became available" happens when
// something settles the region. So that a reader waiting for it need not make calls of its
// own, a read settles every region first, and a waiting read settles them again whenever the
// next automatic change falls due (a timer set to that time: no polling). Advancing the clock
// settles them too.
func (h *Handler) readJournal(w http.ResponseWriter, r *http.Request) {
	j := h.opts.Journal
	if j == nil {
		writeAdmin(w, http.StatusNotFound, map[string]string{"message": "the journal is off"})
		return
	}
	q, wait, err := journalQuery(r)
	if err != nil {
		badRequest(w, "%v", err)
		return
	}
	st := h.opts.Store
	st.Settle()
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	due := time.NewTimer(time.Hour)
	defer due.Stop()
	for {
		events, last, wake := j.Read(q)
		if len(events) > 0 || wait == 0 {
			writeEvents(w, events, last)
			return
		}
		// Nothing up to last matched: look only after it next time.
		q.After = last
		due.Stop()
		if next, ok := st.NextDue(); ok {
			if d := next.Sub(st.Clock().Now()); d > 0 {
				due.Reset(d)
			}
		}
		select {
		case <-wake:
		case <-due.C:
			st.Settle()
		case <-deadline.C:
			writeEvents(w, nil, last)
			return
		case <-r.Context().Done():
			return
		case <-h.ctl.stopping:
			writeEvents(w, nil, last)
			return
		}
	}
}

func writeEvents(w http.ResponseWriter, events []journal.Event, last uint64) {
	out := struct {
		Events []eventDoc `json:"events"`
		Last   uint64     `json:"last"`
	}{Events: make([]eventDoc, len(events)), Last: last}
	for i := range events {
		out.Events[i] = eventOut(&events[i])
	}
	writeAdmin(w, http.StatusOK, out)
}

func (h *Handler) clearJournal(w http.ResponseWriter, r *http.Request) {
	if h.opts.Journal != nil {
		h.opts.Journal.Clear()
	}
	w.WriteHeader(http.StatusNoContent)
}

// --- quotas

// quotaNames maps the admin API's names of the quotas to the store's fields, in contract order.
var quotaNames = []struct {
	name  string
	field func(*store.Quotas) *int
}{
	{"connectionsPerLocation", func(q *store.Quotas) *int { return &q.ConnectionsPerLocation }},
	{"lagsPerRegion", func(q *store.Quotas) *int { return &q.LagsPerRegion }},
	{"vifsPerConnection", func(q *store.Quotas) *int { return &q.VifsPerConnection }},
	{"transitVifsPerConnection", func(q *store.Quotas) *int { return &q.TransitVifsPerConnection }},
	{"vifsPerHostedConnection", func(q *store.Quotas) *int { return &q.VifsPerHostedConnection }},
	{"gatewaysPerAccount", func(q *store.Quotas) *int { return &q.GatewaysPerAccount }},
	{"vgwAssociationsPerGateway", func(q *store.Quotas) *int { return &q.VgwAssociationsPerGateway }},
	{"tgwAssociationsPerGateway", func(q *store.Quotas) *int { return &q.TgwAssociationsPerGateway }},
	{"attachmentsPerGateway", func(q *store.Quotas) *int { return &q.AttachmentsPerGateway }},
	{"gatewaysPerTransitGateway", func(q *store.Quotas) *int { return &q.GatewaysPerTransitGateway }},
	{"routeFilterPrefixes", func(q *store.Quotas) *int { return &q.RouteFilterPrefixes }},
	{"allowedPrefixesPerAssociation", func(q *store.Quotas) *int { return &q.AllowedPrefixesPerAssociation }},
	{"tagsPerResource", func(q *store.Quotas) *int { return &q.TagsPerResource }},
}

// writeQuotas answers the quotas as one flat object, in contract order.
func writeQuotas(w http.ResponseWriter, q store.Quotas) {
	var b strings.Builder
	b.WriteByte('{')
	for i, n := range quotaNames {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%d", n.name, *n.field(&q))
	}
	b.WriteString("}\n")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, b.String())
}

func (h *Handler) getQuotas(w http.ResponseWriter, r *http.Request) {
	writeQuotas(w, h.opts.Store.Quotas())
}

// putQuotas changes some quotas; one unknown name or a value out of range refuses them all. The
// prefix quotas go up to limit.Prefixes, the others to limit.Quota: far above AWS's, and low
// enough that no rule that counts up to them turns into a long walk under a lock.
func (h *Handler) putQuotas(w http.ResponseWriter, r *http.Request) {
	var in map[string]json.RawMessage
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&in); err != nil {
		badRequest(w, "the body must be a JSON object of quota names and positive integers: %v", err)
		return
	}
	h.ctl.quotaMu.Lock()
	defer h.ctl.quotaMu.Unlock()
	q := h.opts.Store.Quotas()
	for name, v := range in {
		var field *int
		for _, n := range quotaNames {
			if n.name == name {
				field = n.field(&q)
			}
		}
		if field == nil {
			names := make([]string, len(quotaNames))
			for i, n := range quotaNames {
				names[i] = n.name
			}
			badRequest(w, "quota %q is not one of %s", name, strings.Join(names, ", "))
			return
		}
		most := limit.Quota
		if name == "routeFilterPrefixes" || name == "allowedPrefixesPerAssociation" {
			most = limit.Prefixes
		}
		n, err := strconv.Atoi(string(v)) // a JSON integer, not a string or a fraction
		if err != nil || n < 1 || n > most {
			badRequest(w, "quota %s: %s is not an integer from 1 to %d", name, limit.Cut(string(v), limit.Echo), most)
			return
		}
		*field = n
	}
	h.opts.Store.SetQuotas(q)
	writeQuotas(w, q)
}
