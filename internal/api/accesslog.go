package api

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/dxlocal/dxlocal/internal/store"
)

// maxLoggedBody bounds each body a debug log line carries, so that listing 10,000 connections
// does not write megabytes of log.
const maxLoggedBody = 4 << 10

// apiCall is what the access log line of one Direct Connect call says.
type apiCall struct {
	start     time.Time
	caller    store.Caller
	operation string
	status    int
	failure   wireError // what a refused call answered; code is empty when none
	// At debug level only: the request body, and the first maxLoggedBody bytes of the answer
	// (copied: the answer's buffer goes back to a pool) with the answer's full length.
	reqBody, respBody []byte
	respLen           int
}

// debugEnabled says whether bodies are to be kept for the log. Checked once per call, so that
// at info level nothing is copied.
func (h *Handler) debugEnabled() bool { return h.opts.Logger.Core().Enabled(zapcore.DebugLevel) }

// keepResponse copies, at debug level, the head of an answer for the log.
func (c *apiCall) keepResponse(debug bool, b []byte) {
	if debug {
		c.respBody = append([]byte(nil), b[:min(len(b), maxLoggedBody)]...)
		c.respLen = len(b)
	}
}

// log writes the one access log line of a call: request id, account, region, operation,
// status, duration; a refused call adds its error type and message; debug adds the bodies.
func (h *Handler) logAPICall(w http.ResponseWriter, c *apiCall) {
	level := zap.InfoLevel
	if c.status >= 500 {
		level = zap.ErrorLevel
	}
	// Check first, so that a quieter log level costs no fields per request.
	ce := h.opts.Logger.Check(level, "request")
	if ce == nil {
		return
	}
	n := 6
	if c.failure.code != "" {
		n += 2
	}
	if c.reqBody != nil {
		n++
	}
	if c.respBody != nil {
		n++
	}
	fields := make([]zap.Field, 0, n)
	fields = append(fields,
		zap.String("requestId", w.Header().Get("x-amzn-RequestId")),
		zap.String("account", c.caller.Account),
		zap.String("region", c.caller.Region),
		zap.String("operation", c.operation),
		zap.Int("status", c.status),
		zap.Duration("duration", time.Since(c.start)))
	if c.failure.code != "" {
		fields = append(fields, zap.String("error", c.failure.code), zap.String("message", c.failure.message))
	}
	if c.reqBody != nil {
		fields = append(fields, zap.String("requestBody", clip(c.reqBody, len(c.reqBody))))
	}
	if c.respBody != nil {
		fields = append(fields, zap.String("responseBody", clip(c.respBody, c.respLen)))
	}
	ce.Write(fields...)
}

// clip is b cut to maxLoggedBody, saying how long the whole was when cut.
func clip(b []byte, total int) string {
	if len(b) > maxLoggedBody {
		b = b[:maxLoggedBody]
	}
	if total > len(b) {
		return string(b) + "... (" + strconv.Itoa(total) + " bytes)"
	}
	return string(b)
}

// adminLog writes one log line per admin call: request id, method, path, query, status,
// duration; at debug level, the bodies too. Health checks are logged at debug only: Docker's
// HEALTHCHECK asks every few seconds and would bury everything else.
func (h *Handler) adminLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		level := zap.InfoLevel
		if r.URL.Path == "/_dxlocal/health" {
			level = zap.DebugLevel
		}
		if !h.opts.Logger.Core().Enabled(level) {
			next.ServeHTTP(w, r)
			return
		}
		debug := h.debugEnabled()
		rec := &statusRecorder{ResponseWriter: w, keep: debug}
		var req *headTee
		if debug && r.Body != nil && r.Body != http.NoBody {
			req = &headTee{ReadCloser: r.Body}
			r.Body = req
		}
		defer func() {
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			ce := h.opts.Logger.Check(level, "admin")
			if ce == nil {
				return
			}
			fields := []zap.Field{
				zap.String("requestId", w.Header().Get("x-amzn-RequestId")),
				zap.String("method", r.Method),
				zap.String("path", r.URL.Path),
				zap.Int("status", status),
				zap.Duration("duration", time.Since(start)),
			}
			if r.URL.RawQuery != "" {
				fields = append(fields, zap.String("query", r.URL.RawQuery))
			}
			if req != nil {
				fields = append(fields, zap.String("requestBody", clip(req.head, req.n)))
			}
			if debug {
				fields = append(fields, zap.String("responseBody", clip(rec.head, rec.n)))
			}
			ce.Write(fields...)
		}()
		next.ServeHTTP(rec, r)
	})
}

// statusRecorder notes the status of an answer and, when keep is set, its first bytes.
type statusRecorder struct {
	http.ResponseWriter
	status int
	keep   bool
	head   []byte
	n      int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	if s.keep {
		s.head = append(s.head, p[:min(len(p), maxLoggedBody-len(s.head))]...)
		s.n += len(p)
	}
	return s.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the server's writer (flush, deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// headTee keeps the first bytes of a request body as the handler reads it.
type headTee struct {
	io.ReadCloser
	head []byte
	n    int
}

func (t *headTee) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	t.head = append(t.head, p[:min(n, maxLoggedBody-len(t.head))]...)
	t.n += n
	return n, err
}
