package api

import (
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/dxlocal/dxlocal/internal/fault"
	"github.com/dxlocal/dxlocal/internal/journal"
	"github.com/dxlocal/dxlocal/internal/store"
)

// readBody reads a request body of at most maxBody bytes. A body of known length is read into
// a slice of that size: the journal keeps it, so it should hold no spare capacity.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body := http.MaxBytesReader(w, r.Body, maxBody)
	if n := r.ContentLength; n >= 0 && n <= maxBody {
		b := make([]byte, n)
		if _, err := io.ReadFull(body, b); err != nil {
			return nil, err
		}
		return b, nil
	}
	return io.ReadAll(body)
}

// journalCall is one Direct Connect call's place in the journal.
type journalCall struct {
	active bool
	call   journal.Call
	event  journal.Event
}

func (c *journalCall) begin(j *journal.Journal, e journal.Event) {
	c.active, c.call, c.event = true, j.Begin(), e
}

// endWith records the call's outcome once; later calls do nothing. answer is the encoded
// answer of a successful call: the ids of what a creating call made are read from it.
func (c *journalCall) endWith(status int, errorType string, answer []byte) {
	if !c.active {
		return
	}
	c.active = false
	c.event.Status, c.event.ErrorType = status, errorType
	if answer != nil && creates(c.event.Operation) {
		c.event.Created = journal.IDs(nil, answer)
	}
	c.call.End(c.event)
}

// creates reports whether an operation makes resources, whose ids its answer carries.
func creates(op string) bool {
	return strings.HasPrefix(op, "Create") || strings.HasPrefix(op, "Allocate") ||
		strings.HasPrefix(op, "Accept") || op == "StartBgpFailoverTest"
}

// recordRefused journals a call that did not reach its operation.
func (h *Handler) recordRefused(w http.ResponseWriter, c store.Caller, op string, body []byte, status int, errorType, faultID string) {
	if h.opts.Journal == nil {
		return
	}
	h.opts.Journal.Record(journal.Event{RequestID: requestIDOf(w), Account: c.Account, Region: c.Region,
		Operation: op, Status: status, ErrorType: errorType, FaultID: faultID, Request: body})
}

// suffer holds a faulted call for the fault's delay; false when the client went away meanwhile.
func (h *Handler) suffer(r *http.Request, hit fault.Hit) bool {
	if hit.Delay <= 0 {
		return true
	}
	t := time.NewTimer(hit.Delay)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// requestIDOf is the response's x-amzn-RequestId, read by its canonical key: Header.Get would
// canonicalise the key into a new string on every call.
func requestIDOf(w http.ResponseWriter) string {
	if v := w.Header()["X-Amzn-Requestid"]; len(v) > 0 {
		return v[0]
	}
	return ""
}
