package clock

import (
	"testing"
	"time"
)

func TestShiftedAdvancesAndResets(t *testing.T) {
	c := NewShifted()
	if d := time.Since(c.Now()); d < -time.Second || d > time.Second {
		t.Fatalf("a new shifted clock is %v off real time", d)
	}
	c.Advance(72 * time.Hour)
	if d := c.Now().Sub(time.Now()); d < 72*time.Hour-time.Second || d > 72*time.Hour+time.Second {
		t.Fatalf("after Advance(72h) the clock is %v ahead, want 72h", d)
	}
	c.Advance(-time.Hour) // never back
	if d := c.Now().Sub(time.Now()); d < 72*time.Hour-time.Second {
		t.Fatalf("a negative Advance moved the clock back: %v ahead", d)
	}
	c.Reset()
	if d := time.Since(c.Now()); d < -time.Second || d > time.Second {
		t.Fatalf("after Reset the clock is %v off real time", d)
	}
}

func TestManualReset(t *testing.T) {
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	c := NewManual(start)
	c.Advance(time.Hour)
	if !c.Now().Equal(start.Add(time.Hour)) {
		t.Fatalf("Now = %v", c.Now())
	}
	c.Reset()
	if !c.Now().Equal(start) {
		t.Fatalf("after Reset Now = %v, want %v", c.Now(), start)
	}
	var _ Adjustable = c
	var _ Adjustable = NewShifted()
}

// An advance the offset cannot hold changes nothing: the clock never wraps round to the past.
func TestShiftedNeverWrapsRound(t *testing.T) {
	s := NewShifted()
	s.Advance(2562047 * time.Hour)
	far := s.Now()
	s.Advance(2562047 * time.Hour)
	if now := s.Now(); now.Before(far) {
		t.Fatalf("a second advance of 2562047h took the clock from %s back to %s", far, now)
	}
}

// Set puts a shifted clock at a restored state's time, ahead of real time or behind it, and
// it runs on from there.
func TestShiftedSet(t *testing.T) {
	c := NewShifted()
	for _, want := range []time.Time{time.Now().Add(72 * time.Hour), time.Now().Add(-time.Hour)} {
		c.Set(want)
		if d := c.Now().Sub(want); d < 0 || d > time.Second {
			t.Fatalf("after Set(%v) the clock reads %v", want, c.Now())
		}
	}
}
