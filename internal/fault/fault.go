// Package fault holds the failures a test asks for: an error, throttling or added latency on
// the calls of one operation (or all), for a number of calls after skipping some, narrowed to
// one account or region. The API layer asks Match before it runs an operation, so a call hit by
// an error changes nothing.
package fault

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// AnyOperation matches every operation.
const AnyOperation = "*"

// Throttling is the error the AWS SDKs retry; it is not in the Direct Connect model.
const Throttling = "ThrottlingException"

// serverError is the model's server-side error type, answered with 500 by default.
const serverError = "DirectConnectServerException"

// MaxDelay bounds the latency one fault adds, so that a typo cannot hang a test for hours.
const MaxDelay = 10 * time.Minute

// MaxFaults bounds the faults in force at once: every call walks them, and each is kept until
// it is used up or removed. No test needs more.
const MaxFaults = 1000

// MaxMessage bounds a fault's message (bytes), which every call it hits answers.
const MaxMessage = 4096

// ErrFull is returned by Add when MaxFaults faults are in force.
var ErrFull = fmt.Errorf("%d faults are in force, the most there may be: remove some first", MaxFaults)

// Spec is what a test asks for. Zero values take the defaults.
type Spec struct {
	Operation string // an operation of the model, or AnyOperation
	Error     string // an error type; "" only delays
	Message   string
	Status    int // default 500 for DirectConnectServerException, 400 otherwise
	Count     int // how many matching calls it hits; 0 until removed
	After     int // matching calls to let through first
	Delay     time.Duration
	Account   string // "" any
	Region    string // "" any
}

// Fault is a spec in force, with its id and how many hits it has left (-1: until removed).
type Fault struct {
	ID string
	Spec
	Remaining int
	skip      int // matching calls still to let through
}

// Hit is what a matched call must do: wait Delay, then answer the error when Error is set.
type Hit struct {
	FaultID string
	Error   string
	Message string
	Status  int
	Delay   time.Duration
}

// Set is the faults in force; safe for concurrent use.
type Set struct {
	// active counts the faults in force, so that a call checks for none without the lock.
	active atomic.Int32

	mu     sync.Mutex // guards faults and serial
	faults []*Fault   // in the order they were added
	serial int
}

// Check validates s against the model's operations and error types and fills in the defaults.
func Check(s Spec, isOperation func(string) bool, isError func(string) bool) (Spec, error) {
	switch {
	case s.Operation == "":
		return s, fmt.Errorf("operation is required: an operation name such as CreateConnection, or %q for all", AnyOperation)
	case s.Operation != AnyOperation && !isOperation(s.Operation):
		return s, fmt.Errorf("operation %q is not a Direct Connect operation", s.Operation)
	case s.Error != "" && s.Error != Throttling && !isError(s.Error):
		return s, fmt.Errorf("error %q is not an error type of Direct Connect or %s", s.Error, Throttling)
	case s.Error == "" && (s.Message != "" || s.Status != 0):
		return s, fmt.Errorf("message and status need an error")
	case s.Error == "" && s.Delay == 0:
		return s, fmt.Errorf("a fault needs an error, a delay, or both")
	case s.Status != 0 && (s.Status < 400 || s.Status > 599):
		return s, fmt.Errorf("status %d is not an HTTP error status (400-599)", s.Status)
	case s.Count < 0:
		return s, fmt.Errorf("count %d is negative (0 means until removed)", s.Count)
	case s.After < 0:
		return s, fmt.Errorf("after %d is negative", s.After)
	case s.Delay < 0 || s.Delay > MaxDelay:
		return s, fmt.Errorf("delay %s is not between 0s and %s", s.Delay, MaxDelay)
	case len(s.Message) > MaxMessage:
		return s, fmt.Errorf("message has %d bytes; at most %d", len(s.Message), MaxMessage)
	}
	if s.Error != "" && s.Status == 0 {
		s.Status = http.StatusBadRequest
		if s.Error == serverError {
			s.Status = http.StatusInternalServerError
		}
	}
	if s.Error != "" && s.Message == "" {
		s.Message = "Fault injected by dxlocal."
		if s.Error == Throttling {
			s.Message = "Rate exceeded"
		}
	}
	return s, nil
}

// Add puts a checked spec in force and returns the fault; ErrFull when MaxFaults are in force.
func (set *Set) Add(s Spec) (Fault, error) {
	set.mu.Lock()
	defer set.mu.Unlock()
	if len(set.faults) >= MaxFaults {
		return Fault{}, ErrFull
	}
	set.serial++
	f := &Fault{ID: "fault-" + strconv.Itoa(set.serial), Spec: s, Remaining: s.Count, skip: s.After}
	if s.Count == 0 {
		f.Remaining = -1
	}
	set.faults = append(set.faults, f)
	set.active.Add(1)
	return *f, nil
}

// List returns the faults in force, in the order they were added.
func (set *Set) List() []Fault {
	set.mu.Lock()
	defer set.mu.Unlock()
	out := make([]Fault, len(set.faults))
	for i, f := range set.faults {
		out[i] = *f
	}
	return out
}

// Remove takes one fault out of force; false when there is none of that id.
func (set *Set) Remove(id string) bool {
	set.mu.Lock()
	defer set.mu.Unlock()
	for i, f := range set.faults {
		if f.ID == id {
			set.drop(i)
			return true
		}
	}
	return false
}

// Clear takes every fault out of force.
func (set *Set) Clear() {
	set.mu.Lock()
	defer set.mu.Unlock()
	set.faults = nil
	set.active.Store(0)
}

func (set *Set) drop(i int) {
	set.faults = append(set.faults[:i:i], set.faults[i+1:]...)
	set.active.Add(-1)
}

// Match finds what a call of operation by account in region must suffer. Faults are tried in
// the order they were added: each that matches the call counts it, letting it through while it
// has calls to skip; the first one past its skips hits the call and uses one of its count, and
// the faults after it do not see the call. A fault whose count is used up is removed.
func (set *Set) Match(operation, account, region string) (Hit, bool) {
	if set.active.Load() == 0 {
		return Hit{}, false
	}
	set.mu.Lock()
	defer set.mu.Unlock()
	for i, f := range set.faults {
		if (f.Operation != AnyOperation && f.Operation != operation) ||
			(f.Account != "" && f.Account != account) || (f.Region != "" && f.Region != region) {
			continue
		}
		if f.skip > 0 {
			f.skip--
			continue
		}
		if f.Remaining > 0 {
			f.Remaining--
			if f.Remaining == 0 {
				set.drop(i)
			}
		}
		return Hit{FaultID: f.ID, Error: f.Error, Message: f.Message, Status: f.Status, Delay: f.Delay}, true
	}
	return Hit{}, false
}
