// Package api is dxlocal's HTTP face: the AWS JSON 1.1 protocol of Direct Connect on "/" and
// the admin API under /_dxlocal/. It decodes, validates, calls the store and encodes; the rules
// live in the store and the domain packages.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"weak"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/journal"
	"github.com/dxlocal/dxlocal/internal/limit"
	"github.com/dxlocal/dxlocal/internal/store"
)

const (
	contentType  = "application/x-amz-json-1.1"
	targetPrefix = "OvertureService."
	// maxBody bounds a request body; the largest real request (a public VIF with 1,000
	// prefixes and 50 tags) is far below it.
	maxBody = 1 << 20
	// maxPooledBuffer is the largest response buffer kept in bufPool; larger ones (long lists)
	// go to the one slot of bigBuf.
	maxPooledBuffer = 256 << 10
	// maxBigBuffer is the largest response buffer kept at all: a list of 10,000 VIFs (14 MB)
	// or connections (4 MB) fits.
	maxBigBuffer = 16 << 20
)

// Options configures the handler.
type Options struct {
	Store          *store.Store
	Logger         *zap.Logger
	DefaultAccount string
	DefaultRegion  string
	// AllowOrigins are the host names, besides localhost and loopback addresses, that web
	// pages may call dxlocal from and at (guard.go); AllowAnyOrigin allows every one.
	AllowOrigins []string
	// StateFile is where POST /_dxlocal/state/save writes the state; "" when there is none.
	StateFile string
	// Journal, when set, records every call; the store's OnChange feeds it the state changes.
	Journal *journal.Journal
}

// Handler serves the Direct Connect API and the admin API.
type Handler struct {
	opts Options
	svc  *service
	mux  http.Handler
	ctl  control
}

// New returns the handler for every route dxlocal answers.
func New(opts Options) *Handler {
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	h := &Handler{opts: opts, svc: &service{store: opts.Store}, ctl: newControl()}
	r := chi.NewRouter()
	r.Use(h.requestID, h.recoverer, h.browserGuard)
	r.With(h.adminLog).Route("/_dxlocal", h.adminRoutes)
	r.HandleFunc("/*", h.serveAPI)
	h.mux = r
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// requestID gives every response an x-amzn-RequestId, as AWS does.
func (h *Handler) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-amzn-RequestId", uuid.NewString())
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a 500 with the JSON envelope; a client never sees an empty body.
func (h *Handler) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				h.opts.Logger.Error("panic", zap.Any("value", v), zap.String("requestId", w.Header().Get("x-amzn-RequestId")), zap.Stack("stack"))
				writeError(w, wireError{http.StatusInternalServerError, codeServer, "Internal error in dxlocal."})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// bigBuf is at most one large response buffer, kept for reuse until the next GC. A sync.Pool
// keeps one per P, and keeps them through a GC (its victim cache), so with lists of 10,000 VIFs
// it held several 14 MB buffers that the GC counted as live: each let the heap grow by as
// much again before the next collection. bigBuf holds its buffer weakly: lists in a row reuse
// it (sparing the allocation of a fresh one), and a GC frees it instead of counting it.
var bigBuf struct {
	mu sync.Mutex // guards p
	p  weak.Pointer[[]byte]
}

// responseBuffer is an empty buffer for an answer: the big one when it is there, so that a
// long list needs no fresh memory, else one from bufPool.
func responseBuffer() *[]byte {
	bigBuf.mu.Lock()
	bp := bigBuf.p.Value()
	bigBuf.p = weak.Pointer[[]byte]{}
	bigBuf.mu.Unlock()
	if bp != nil {
		return bp
	}
	return bufPool.Get().(*[]byte)
}

// releaseBuffer keeps b for reuse: a small one in bufPool, a large one in bigBuf unless it
// holds one already; larger ones are left to the GC.
func releaseBuffer(bp *[]byte, b []byte) {
	*bp = b
	switch {
	case cap(b) <= maxPooledBuffer:
		bufPool.Put(bp)
	case cap(b) <= maxBigBuffer:
		bigBuf.mu.Lock()
		if bigBuf.p.Value() == nil {
			bigBuf.p = weak.Make(bp)
		}
		bigBuf.mu.Unlock()
	}
}

// serveAPI is one Direct Connect call: target -> operation -> decode, validate, call, encode.
func (h *Handler) serveAPI(w http.ResponseWriter, r *http.Request) {
	if isQueryRequest(r) {
		h.serveSTS(w, r)
		return
	}
	caller, callerErr := callerOf(r, h.opts.DefaultAccount, h.opts.DefaultRegion)
	call := apiCall{start: time.Now(), caller: caller}
	debug := h.debugEnabled()
	defer h.logAPICall(w, &call)
	fail := func(e wireError) {
		call.status, call.failure = e.status, e
		writeError(w, e)
	}
	target := r.Header.Get("X-Amz-Target")
	opName := strings.TrimPrefix(target, targetPrefix)
	call.operation = opName
	op, ok := model.Operations[opName]
	if r.Method != http.MethodPost || r.URL.Path != "/" || !strings.HasPrefix(target, targetPrefix) || !ok {
		// Whatever the client sent is repeated only in part, in the answer and the log.
		call.operation = limit.Cut(opName, limit.Echo)
		msg := "Operation " + limit.Cut(target, limit.Echo) + " is not known to Direct Connect."
		if target == "" {
			msg = "The X-Amz-Target header is missing."
		} else if r.Method != http.MethodPost || r.URL.Path != "/" {
			msg = "Direct Connect answers only POST / (got " + limit.Cut(r.Method, limit.Echo) + " " + limit.Cut(r.URL.Path, limit.Echo) + ")."
		}
		fail(wireError{http.StatusBadRequest, codeUnknownOperation, msg})
		h.recordRefused(w, caller, strings.Clone(call.operation), nil, call.status, call.failure.code, "")
		return
	}
	var badRegion *badRegionError
	if errors.As(callerErr, &badRegion) {
		fail(badRegion.wire())
		h.recordRefused(w, caller, op.Name, nil, call.status, call.failure.code, "")
		return
	}
	body, err := readBody(w, r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			// behaviour.md §1.1: a body that cannot be read as a JSON object is a 400
			// SerializationException; SDKs do not retry it, as they would not a 413 either.
			fail(wireError{http.StatusBadRequest, codeSerialization, "The request body is larger than 1 MiB."})
		} else {
			fail(wireError{http.StatusBadRequest, codeSerialization, "The request body could not be read."})
		}
		h.recordRefused(w, caller, op.Name, nil, call.status, call.failure.code, "")
		return
	}
	if debug {
		call.reqBody = body
	}
	// An injected fault acts before the operation runs, so a failed call changes nothing.
	faultID := ""
	if hit, ok := h.ctl.faults.Match(op.Name, caller.Account, caller.Region); ok {
		if !h.suffer(r, hit) {
			return // the client went away during the delay
		}
		faultID = hit.FaultID
		if hit.Error != "" {
			fail(wireError{hit.Status, hit.Error, hit.Message})
			h.recordRefused(w, caller, op.Name, body, call.status, call.failure.code, faultID)
			return
		}
	}
	var journaled journalCall
	if h.opts.Journal != nil {
		journaled.begin(h.opts.Journal, journal.Event{RequestID: requestIDOf(w), Account: caller.Account,
			Region: caller.Region, Operation: op.Name, FaultID: faultID, Request: body})
		// Ends the call whatever happens: a panic is answered 500 by the recoverer.
		defer journaled.endWith(http.StatusInternalServerError, codeServer, nil)
	}
	out, err := op.Invoke(withCaller(r.Context(), caller), h.svc, body)
	if err != nil {
		fail(toWire(err))
		journaled.endWith(call.status, call.failure.code, nil)
		return
	}
	bp := responseBuffer()
	b := out.AppendJSON((*bp)[:0])
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	call.status = http.StatusOK
	journaled.endWith(call.status, "", b)
	call.keepResponse(debug, b)
	w.Write(b)
	releaseBuffer(bp, b)
}

func appendJSONString(b []byte, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return append(b, bytes.TrimRight(buf.Bytes(), "\n")...)
}
