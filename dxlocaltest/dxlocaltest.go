// Package dxlocaltest runs dxlocal, the AWS Direct Connect emulator, inside a Go test and drives
// its test controls: the clock, injected faults, the journal of calls and state changes, the
// quotas, and reset.
//
// One call starts it on a free loopback port and stops it when the test ends:
//
//	func TestMyTool(t *testing.T) {
//		dx := dxlocaltest.Start(t, dxlocaltest.WithSeed(1))
//		client := directconnect.NewFromConfig(dx.AWSConfig("111111111111", "us-east-1"))
//		// ... run the code under test against client ...
//		dx.Advance(72 * time.Hour) // instead of waiting for provisioning
//	}
//
// The helpers speak the admin API over HTTP, so they work as well against a dxlocal started
// elsewhere, such as its Docker image (Attach). A helper that fails ends the test (Start,
// Attach) or panics (New, for examples and TestMain); Do answers errors instead.
package dxlocaltest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/dxlocal/dxlocal/internal/server"
)

// Option configures a dxlocal that Start or New runs. Most are one of dxlocal's flags; every
// flag of contract.md is available, the newer ones through WithFlags.
type Option func(*settings)

type settings struct {
	flags []string
	logs  io.Writer
}

// WithSeed makes every generated id follow from seed: the same seed and calls give the same ids.
func WithSeed(seed uint64) Option { return WithFlags("-seed", strconv.FormatUint(seed, 10)) }

// WithDwell sets how long each automatic state change waits (default 0: settled at the next
// request).
func WithDwell(d time.Duration) Option { return WithFlags("-dwell", d.String()) }

// WithCatalog loads the port catalog from a file instead of the embedded one.
func WithCatalog(path string) Option { return WithFlags("-catalog", path) }

// WithPartners makes accounts Direct Connect Partners.
func WithPartners(accounts ...string) Option {
	return WithFlags("-partners", strings.Join(accounts, ","))
}

// WithLogs sends dxlocal's log, at level info, to w (by default it is discarded).
func WithLogs(w io.Writer) Option {
	return func(s *settings) {
		s.flags = append(s.flags, "-log-level", "info")
		s.logs = w
	}
}

// WithFlags passes command-line flags as they are, such as WithFlags("-strict-partners").
func WithFlags(args ...string) Option {
	return func(s *settings) { s.flags = append(s.flags, args...) }
}

// Server is one running dxlocal and the helpers that drive it.
type Server struct {
	// URL is the base URL of the Direct Connect endpoint and of the admin API under /_dxlocal/.
	URL string

	client *http.Client
	fail   func(format string, args ...any)
	stop   func() error
}

// Start runs dxlocal in the test's process on a free loopback port and stops it when the test
// and its subtests end. Helpers that fail end the test, so call them from the test's goroutine.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := New(opts...)
	if err != nil {
		t.Fatalf("dxlocaltest: %v", err)
	}
	s.fail = t.Fatalf
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("dxlocaltest: stopping dxlocal: %v", err)
		}
	})
	return s
}

// Attach drives a dxlocal that runs elsewhere (its Docker image, a shared instance) at url,
// such as "http://localhost:4599". It checks that dxlocal answers.
func Attach(t testing.TB, url string) *Server {
	t.Helper()
	s := &Server{URL: strings.TrimSuffix(url, "/"), client: &http.Client{}, fail: t.Fatalf, stop: func() error { return nil }}
	if err := s.Do(http.MethodGet, "/health", nil, nil); err != nil {
		t.Fatalf("dxlocaltest: no dxlocal at %s: %v", url, err)
	}
	return s
}

// New runs dxlocal in this process on a free loopback port until Close. Its helpers panic when
// they fail; in tests prefer Start.
func New(opts ...Option) (*Server, error) {
	set := settings{flags: []string{"-addr", "127.0.0.1:0", "-log-level", "error"}, logs: io.Discard}
	for _, o := range opts {
		o(&set)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addr := &addrWriter{found: make(chan string, 1)}
	done := make(chan error, 1)
	// The environment is not read: a test's dxlocal is configured by its options alone.
	noEnv := func(string) string { return "" }
	go func() { done <- server.Run(ctx, set.flags, noEnv, addr, set.logs) }()
	select {
	case a := <-addr.found:
		s := &Server{URL: "http://" + a, client: &http.Client{},
			fail: func(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }}
		s.stop = func() error {
			cancel()
			err := <-done
			s.client.CloseIdleConnections()
			return err
		}
		return s, nil
	case err := <-done:
		cancel()
		return nil, fmt.Errorf("dxlocal did not start: %v", err)
	}
}

// Close stops dxlocal; requests in flight are answered first.
func (s *Server) Close() error {
	if s.stop == nil {
		return nil
	}
	stop := s.stop
	s.stop = nil
	return stop()
}

// addrWriter receives dxlocal's standard output and reports the address it prints.
type addrWriter struct {
	mu    sync.Mutex // guards buf and sent
	buf   []byte
	sent  bool
	found chan string
}

func (w *addrWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for !w.sent {
		line, rest, ok := bytes.Cut(w.buf, []byte("\n"))
		if !ok {
			break
		}
		w.buf = rest
		if a, ok := strings.CutPrefix(string(line), "dxlocal listening on "); ok {
			w.sent = true
			w.found <- strings.TrimSpace(a)
		}
	}
	return len(p), nil
}

// AWSConfig is an AWS SDK configuration that sends every call to this dxlocal as account (12
// digits) in region. The SDK's default retryer is kept, so throttling faults are retried as
// they would be against AWS.
func (s *Server) AWSConfig(account, region string) aws.Config {
	return aws.Config{
		Region:       region,
		BaseEndpoint: aws.String(s.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(account, "dxlocal", ""),
		HTTPClient:   s.client,
	}
}

// AdminError is an admin call answered with an error status.
type AdminError struct {
	Method, Path string
	Status       int
	Message      string
}

func (e *AdminError) Error() string {
	return fmt.Sprintf("%s /_dxlocal%s: %d %s", e.Method, e.Path, e.Status, e.Message)
}

// Do makes one admin call: method on /_dxlocal + path, with in encoded as the JSON body (none
// when nil), the JSON answer decoded into out (when not nil). An answer of 400 or more is an
// *AdminError. It is the base of every helper, and reaches the admin calls they do not cover
// (resources, state).
func (s *Server) Do(method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL+"/_dxlocal"+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 400 {
		var m struct{ Message string }
		json.Unmarshal(b, &m)
		if m.Message == "" {
			m.Message = strings.TrimSpace(string(b))
		}
		return &AdminError{Method: method, Path: path, Status: resp.StatusCode, Message: m.Message}
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s /_dxlocal%s: the answer is not what was expected: %v", method, path, err)
		}
	}
	return nil
}

// must runs an admin call and fails the test (or panics) on error.
func (s *Server) must(method, path string, in, out any) {
	if err := s.Do(method, path, in, out); err != nil {
		s.fail("dxlocaltest: %v", err)
	}
}

// Reset forgets every resource, fault, journal event and quota change, restarts the id sequence
// and puts the clock back to real time.
func (s *Server) Reset() { s.must(http.MethodPost, "/reset", nil, nil) }

// --- clock

type clockDoc struct {
	Now     string `json:"now,omitempty"`
	Advance string `json:"advance,omitempty"`
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// Now is the time the emulator lives in.
func (s *Server) Now() time.Time {
	var c clockDoc
	s.must(http.MethodGet, "/clock", nil, &c)
	return parseTime(c.Now)
}

// Advance moves the emulator's clock forward by d (more than zero) and returns the new time.
// Every automatic state change whose time has come has happened when it returns.
func (s *Server) Advance(d time.Duration) time.Time {
	var c clockDoc
	s.must(http.MethodPost, "/clock", clockDoc{Advance: d.String()}, &c)
	return parseTime(c.Now)
}

// --- faults

// UntilRemoved as a Fault's Count makes it hit every matching call until it is removed.
const UntilRemoved = -1

// Fault is an injected failure. Only Operation is required.
type Fault struct {
	// ID is given by dxlocal.
	ID string
	// Operation is a Direct Connect operation, such as "CreateConnection", or "*" for all.
	Operation string
	// Error is an error type of the API model, or "ThrottlingException" (which the SDKs
	// retry); empty, the fault only delays.
	Error   string
	Message string
	// Status defaults to 500 for DirectConnectServerException, 400 for the others.
	Status int
	// Count is how many matching calls it hits: 0 means the default, 1; UntilRemoved, all.
	Count int
	// After is how many matching calls pass before it hits.
	After int
	// Delay holds each hit call that long.
	Delay time.Duration
	// Account and Region narrow the calls it matches.
	Account, Region string
	// Remaining is how many calls it will still hit, UntilRemoved for all (set by dxlocal).
	Remaining int
}

type faultDoc struct {
	FaultID   string `json:"faultId,omitempty"`
	Operation string `json:"operation"`
	Error     string `json:"error,omitempty"`
	Message   string `json:"message,omitempty"`
	Status    int    `json:"status,omitempty"`
	Count     *int   `json:"count,omitempty"`
	After     int    `json:"after,omitempty"`
	Delay     string `json:"delay,omitempty"`
	Account   string `json:"account,omitempty"`
	Region    string `json:"region,omitempty"`
	Remaining *int   `json:"remaining,omitempty"`
}

func (d faultDoc) fault() Fault {
	f := Fault{ID: d.FaultID, Operation: d.Operation, Error: d.Error, Message: d.Message, Status: d.Status, After: d.After,
		Account: d.Account, Region: d.Region, Remaining: UntilRemoved, Count: UntilRemoved}
	if d.Count != nil && *d.Count > 0 {
		f.Count = *d.Count
		if d.Remaining != nil {
			f.Remaining = *d.Remaining
		}
	}
	f.Delay, _ = time.ParseDuration(d.Delay)
	return f
}

// InjectFault puts f in force and returns it with its ID.
func (s *Server) InjectFault(f Fault) Fault {
	out, err := s.TryInjectFault(f)
	if err != nil {
		s.fail("dxlocaltest: %v", err)
	}
	return out
}

// TryInjectFault is InjectFault answering the error (an *AdminError for a refused fault).
func (s *Server) TryInjectFault(f Fault) (Fault, error) {
	in := faultDoc{Operation: f.Operation, Error: f.Error, Message: f.Message, Status: f.Status, After: f.After,
		Account: f.Account, Region: f.Region}
	switch {
	case f.Count == UntilRemoved:
		in.Count = new(int)
	case f.Count != 0:
		in.Count = &f.Count
	}
	if f.Delay != 0 {
		in.Delay = f.Delay.String()
	}
	var out faultDoc
	if err := s.Do(http.MethodPost, "/faults", in, &out); err != nil {
		return Fault{}, err
	}
	return out.fault(), nil
}

// Faults lists the faults in force.
func (s *Server) Faults() []Fault {
	var out struct{ Faults []faultDoc }
	s.must(http.MethodGet, "/faults", nil, &out)
	list := make([]Fault, len(out.Faults))
	for i, d := range out.Faults {
		list[i] = d.fault()
	}
	return list
}

// RemoveFault takes one fault out of force.
func (s *Server) RemoveFault(id string) { s.must(http.MethodDelete, "/faults/"+id, nil, nil) }

// ClearFaults takes every fault out of force.
func (s *Server) ClearFaults() { s.must(http.MethodDelete, "/faults", nil, nil) }

// --- journal

// Event is one Direct Connect call (Kind "call") or one state change of a resource (Kind
// "change").
type Event struct {
	Seq     uint64
	Time    time.Time
	Kind    string
	Account string
	Region  string
	// A call.
	RequestID   string
	Operation   string
	Status      int
	ErrorType   string
	FaultID     string
	ResourceIDs []string
	Request     json.RawMessage
	// A change.
	ResourceID string
	Type       string
	From, To   string
	Cause      string
}

type eventDoc struct {
	Seq         uint64          `json:"seq"`
	Time        string          `json:"time"`
	Kind        string          `json:"kind"`
	Account     string          `json:"account"`
	Region      string          `json:"region"`
	RequestID   string          `json:"requestId"`
	Operation   string          `json:"operation"`
	Status      int             `json:"status"`
	ErrorType   string          `json:"errorType"`
	FaultID     string          `json:"faultId"`
	ResourceIDs []string        `json:"resourceIds"`
	Request     json.RawMessage `json:"request"`
	ResourceID  string          `json:"resourceId"`
	Type        string          `json:"type"`
	From        string          `json:"from"`
	To          string          `json:"to"`
	Cause       string          `json:"cause"`
}

// Query selects journal events; zero fields select all.
type Query struct {
	After     uint64 // events after this seq
	Kind      string // "call" or "change"
	Operation string
	Resource  string // events about this id
	Account   string
	Limit     int           // at most this many (dxlocal's maximum, 10,000, by default)
	Wait      time.Duration // when none matches yet, wait up to this long (at most 60s) for one
}

func (q Query) path() string {
	v := make([]string, 0, 7)
	add := func(k, val string) {
		if val != "" {
			v = append(v, k+"="+val)
		}
	}
	if q.After > 0 {
		add("after", strconv.FormatUint(q.After, 10))
	}
	add("kind", q.Kind)
	add("operation", q.Operation)
	add("resource", q.Resource)
	add("account", q.Account)
	if q.Limit > 0 {
		add("limit", strconv.Itoa(q.Limit))
	}
	if q.Wait > 0 {
		add("wait", q.Wait.String())
	}
	return "/journal?" + strings.Join(v, "&")
}

// Journal answers the events q selects, oldest first, and the seq to pass as After next time.
func (s *Server) Journal(q Query) ([]Event, uint64) {
	events, last, err := s.TryJournal(q)
	if err != nil {
		s.fail("dxlocaltest: %v", err)
	}
	return events, last
}

// TryJournal is Journal answering the error.
func (s *Server) TryJournal(q Query) ([]Event, uint64, error) {
	var out struct {
		Events []eventDoc `json:"events"`
		Last   uint64     `json:"last"`
	}
	if err := s.Do(http.MethodGet, q.path(), nil, &out); err != nil {
		return nil, 0, err
	}
	events := make([]Event, len(out.Events))
	for i, d := range out.Events {
		events[i] = Event{Seq: d.Seq, Time: parseTime(d.Time), Kind: d.Kind, Account: d.Account, Region: d.Region,
			RequestID: d.RequestID, Operation: d.Operation, Status: d.Status, ErrorType: d.ErrorType, FaultID: d.FaultID,
			ResourceIDs: d.ResourceIDs, Request: d.Request, ResourceID: d.ResourceID, Type: d.Type, From: d.From, To: d.To, Cause: d.Cause}
	}
	return events, out.Last, nil
}

// ErrTimeout is WaitFor's error when nothing matched in time.
var ErrTimeout = errors.New("dxlocaltest: no matching journal event in time")

// WaitFor waits up to timeout for the first event that q selects and match accepts (match nil
// accepts every one), looking from q.After on, and answers it. It long-polls the journal: no
// sleeping, and dxlocal settles due state changes while it waits.
func (s *Server) WaitFor(q Query, timeout time.Duration, match func(Event) bool) (Event, error) {
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return Event{}, ErrTimeout
		}
		q.Wait = min(left, 60*time.Second)
		events, last, err := s.TryJournal(q)
		if err != nil {
			return Event{}, err
		}
		for _, e := range events {
			if match == nil || match(e) {
				return e, nil
			}
		}
		q.After = last
	}
}

// WaitForState waits up to timeout until resource id has entered state (now or earlier: the
// journal is read from its start) and answers that change.
func (s *Server) WaitForState(id, state string, timeout time.Duration) Event {
	e, err := s.WaitFor(Query{Kind: "change", Resource: id}, timeout, func(e Event) bool { return e.To == state })
	if err != nil {
		s.fail("dxlocaltest: waiting for %s to become %s: %v", id, state, err)
	}
	return e
}

// ClearJournal forgets every event so far; numbering goes on.
func (s *Server) ClearJournal() { s.must(http.MethodDelete, "/journal", nil, nil) }

// --- quotas

// Quotas are the limits dxlocal enforces, by contract.md's names. In SetQuotas, zero fields are
// left as they are.
type Quotas struct {
	ConnectionsPerLocation        int `json:"connectionsPerLocation,omitempty"`
	LagsPerRegion                 int `json:"lagsPerRegion,omitempty"`
	VifsPerConnection             int `json:"vifsPerConnection,omitempty"`
	TransitVifsPerConnection      int `json:"transitVifsPerConnection,omitempty"`
	VifsPerHostedConnection       int `json:"vifsPerHostedConnection,omitempty"`
	GatewaysPerAccount            int `json:"gatewaysPerAccount,omitempty"`
	VgwAssociationsPerGateway     int `json:"vgwAssociationsPerGateway,omitempty"`
	TgwAssociationsPerGateway     int `json:"tgwAssociationsPerGateway,omitempty"`
	AttachmentsPerGateway         int `json:"attachmentsPerGateway,omitempty"`
	GatewaysPerTransitGateway     int `json:"gatewaysPerTransitGateway,omitempty"`
	RouteFilterPrefixes           int `json:"routeFilterPrefixes,omitempty"`
	AllowedPrefixesPerAssociation int `json:"allowedPrefixesPerAssociation,omitempty"`
	TagsPerResource               int `json:"tagsPerResource,omitempty"`
}

// Quotas answers the quotas in force.
func (s *Server) Quotas() Quotas {
	var q Quotas
	s.must(http.MethodGet, "/quotas", nil, &q)
	return q
}

// SetQuotas changes the quotas q sets (its non-zero fields) and answers all of them.
func (s *Server) SetQuotas(q Quotas) Quotas {
	var out Quotas
	s.must(http.MethodPut, "/quotas", q, &out)
	return out
}
