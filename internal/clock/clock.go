// Package clock abstracts time so that state changes, which dxlocal derives on read from the
// time of the last change, can be driven deterministically in tests.
package clock

import (
	"sync"
	"sync/atomic"
	"time"
)

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// Adjustable is a clock the admin API can move: Advance moves it forward, Reset sets it back
// to where it started.
type Adjustable interface {
	Clock
	Advance(d time.Duration)
	Reset()
}

// Format is how dxlocal writes a time outside the AWS API (admin API, journal): UTC with
// milliseconds, as 2026-11-25T10:00:00.000Z.
const Format = "2006-01-02T15:04:05.000Z07:00"

// System is the wall clock.
type System struct{}

// Now returns the current wall-clock time in UTC.
func (System) Now() time.Time { return time.Now().UTC() }

// Shifted is the wall clock plus an offset: the emulator's clock by default. Advance moves the
// offset forward, so a test can jump 72 hours ahead instead of waiting; Reset sets it back to
// real time. Safe for concurrent use.
type Shifted struct {
	offset atomic.Int64 // nanoseconds added to the wall clock
}

// NewShifted returns a clock at real time.
func NewShifted() *Shifted { return &Shifted{} }

// Now returns the wall-clock time plus the offset, in UTC.
func (s *Shifted) Now() time.Time {
	return time.Now().UTC().Add(time.Duration(s.offset.Load()))
}

// Latest is as far as the admin API moves a clock. A Shifted clock's offset is int64
// nanoseconds, about 292 years: two advances of 2562047h wrapped it round, sending the clock
// back to today. The states and times dxlocal writes also need a year of four digits.
var Latest = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)

// Advance moves the clock forward by d; a d of zero or less changes nothing, and so does one
// the offset cannot hold.
func (s *Shifted) Advance(d time.Duration) {
	for d > 0 {
		old := s.offset.Load()
		if old+int64(d) < old || s.offset.CompareAndSwap(old, old+int64(d)) {
			return
		}
	}
}

// Reset sets the clock back to real time.
func (s *Shifted) Reset() { s.offset.Store(0) }

// Set puts the clock at t (a restored state's time): from then on it runs on from t.
func (s *Shifted) Set(t time.Time) { s.offset.Store(int64(t.Sub(time.Now().UTC()))) }

// Manual is a clock that moves only when told to; safe for concurrent use.
type Manual struct {
	mu    sync.Mutex // guards now
	now   time.Time
	start time.Time // where Reset puts it back
}

// NewManual returns a manual clock set to t.
func NewManual(t time.Time) *Manual { return &Manual{now: t, start: t} }

// Now returns the clock's current time.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

// Advance moves the clock forward by d.
func (m *Manual) Advance(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.now = m.now.Add(d)
}

// Set puts the clock at t (a restored state's time).
func (m *Manual) Set(t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.now = t
}

// Reset sets the clock back to the time it was made with.
func (m *Manual) Reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.now = m.start
}
