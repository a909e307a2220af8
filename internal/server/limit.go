package server

import (
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// limitListener bounds the connections open at once. At the bound, Accept waits until one
// closes: the next client waits in the kernel's accept queue rather than being refused, so a
// burst of clients is served late rather than failed. It also counts the open connections, so
// that a stop can say how many it closed.
type limitListener struct {
	net.Listener
	slots  chan struct{} // one token per open connection; nil: no bound
	closed chan struct{} // closed by Close, to free an Accept waiting for a slot
	once   sync.Once
	open   atomic.Int64
}

func newLimitListener(ln net.Listener, max int) *limitListener {
	l := &limitListener{Listener: ln, closed: make(chan struct{})}
	if max > 0 {
		l.slots = make(chan struct{}, max)
	}
	return l
}

func (l *limitListener) Accept() (net.Conn, error) {
	if l.slots != nil {
		select {
		case l.slots <- struct{}{}:
		case <-l.closed:
			return nil, net.ErrClosed
		}
	}
	c, err := l.Listener.Accept()
	if err != nil {
		l.release()
		return nil, err
	}
	l.open.Add(1)
	return &limitConn{Conn: c, l: l}, nil
}

func (l *limitListener) release() {
	if l.slots != nil {
		<-l.slots
	}
}

func (l *limitListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// Open is the number of connections accepted and not yet closed.
func (l *limitListener) Open() int64 { return l.open.Load() }

type limitConn struct {
	net.Conn
	l    *limitListener
	once sync.Once
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.open.Add(-1)
		c.l.release()
	})
	return err
}

// writeChunk is how much of an answer must leave within one write timeout.
const writeChunk = 64 << 10

// withDeadlines applies the read and write timeouts per request, where http.Server's own
// would cut the wrong things:
//
//   - The server's ReadTimeout bounds reading the request, head and body. Its deadline stays
//     on the connection while the handler runs, and when it passes, the server cancels the
//     request's context; a long poll (up to 60 s) would be cut. So once the body has been read
//     (at once when there is none), the read deadline is lifted.
//   - http.Server's WriteTimeout counts from the request to the end of the answer, handler
//     time included: it would cut a long poll, or a slow reader of a 4 MiB list. Here the write
//     timeout is the longest a client may stall: each 64 KiB of the answer, and the final
//     flush, get a fresh deadline.
func withDeadlines(next http.Handler, read, write time.Duration) http.Handler {
	if read == 0 && write == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if read > 0 {
			if r.Body == nil || r.Body == http.NoBody {
				rc.SetReadDeadline(time.Time{})
			} else {
				r.Body = &liftOnEOF{ReadCloser: r.Body, rc: rc}
			}
		}
		if write > 0 {
			rc.SetWriteDeadline(time.Now().Add(write))
			w = &stallWriter{ResponseWriter: w, rc: rc, timeout: write}
		}
		next.ServeHTTP(w, r)
		if write > 0 {
			// The server flushes what is buffered after the handler returns.
			rc.SetWriteDeadline(time.Now().Add(write))
		}
	})
}

// liftOnEOF lifts the connection's read deadline once the request body has been read whole.
type liftOnEOF struct {
	io.ReadCloser
	rc *http.ResponseController
}

func (b *liftOnEOF) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

// stallWriter writes an answer in chunks, each with a fresh write deadline.
type stallWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
}

func (s *stallWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		chunk := p[:min(len(p), writeChunk)]
		s.rc.SetWriteDeadline(time.Now().Add(s.timeout))
		n, err := s.ResponseWriter.Write(chunk)
		written += n
		if err != nil {
			return written, err
		}
		p = p[n:]
	}
	return written, nil
}

func (s *stallWriter) Flush() {
	s.rc.SetWriteDeadline(time.Now().Add(s.timeout))
	s.rc.Flush()
}

// Unwrap lets http.ResponseController reach the server's writer.
func (s *stallWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
