// Package api is dxlocal's HTTP face: the AWS JSON 1.1 protocol of Direct Connect on "/" and
// the admin API under /_dxlocal/. It decodes, validates, calls the store and encodes; the rules
// live in the store and the domain packages.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/store"
)

const (
	contentType  = "application/x-amz-json-1.1"
	targetPrefix = "OvertureService."
	// maxBody bounds a request body; the largest real request (a public VIF with 1,000
	// prefixes and 50 tags) is far below it.
	maxBody = 1 << 20
	// maxPooledBuffer is the largest response buffer kept for reuse.
	maxPooledBuffer = 16 << 20
)

// Options configures the handler.
type Options struct {
	Store          *store.Store
	Logger         *zap.Logger
	DefaultAccount string
	DefaultRegion  string
}

// Handler serves the Direct Connect API and the admin API.
type Handler struct {
	opts Options
	svc  *service
	mux  http.Handler
}

// New returns the handler for every route dxlocal answers.
func New(opts Options) *Handler {
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	h := &Handler{opts: opts, svc: &service{store: opts.Store}}
	r := chi.NewRouter()
	r.Use(h.requestID, h.recoverer)
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

// serveAPI is one Direct Connect call: target -> operation -> decode, validate, call, encode.
func (h *Handler) serveAPI(w http.ResponseWriter, r *http.Request) {
	if isQueryRequest(r) {
		h.serveSTS(w, r)
		return
	}
	call := apiCall{start: time.Now(), caller: callerOf(r, h.opts.DefaultAccount, h.opts.DefaultRegion)}
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
		msg := "Operation " + target + " is not known to Direct Connect."
		if target == "" {
			msg = "The X-Amz-Target header is missing."
		} else if r.Method != http.MethodPost || r.URL.Path != "/" {
			msg = "Direct Connect answers only POST / (got " + r.Method + " " + r.URL.Path + ")."
		}
		fail(wireError{http.StatusBadRequest, codeUnknownOperation, msg})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(wireError{http.StatusRequestEntityTooLarge, codeSerialization, "The request body is larger than 1 MiB."})
			return
		}
		fail(wireError{http.StatusBadRequest, codeSerialization, "The request body could not be read."})
		return
	}
	if debug {
		call.reqBody = body
	}
	out, err := op.Invoke(withCaller(r.Context(), call.caller), h.svc, body)
	if err != nil {
		fail(toWire(err))
		return
	}
	bp := bufPool.Get().(*[]byte)
	b := out.AppendJSON((*bp)[:0])
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	call.status = http.StatusOK
	call.keepResponse(debug, b)
	w.Write(b)
	// Keep buffers up to the size of a large list (10,000 connections are about 4 MiB), so
	// that listing them again does not allocate and zero a new one.
	if cap(b) <= maxPooledBuffer {
		*bp = b
		bufPool.Put(bp)
	}
}

func appendJSONString(b []byte, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return append(b, bytes.TrimRight(buf.Bytes(), "\n")...)
}
