package store

import (
	"time"

	"github.com/dxlocal/dxlocal/internal/clock"
)

// A LAG's state is derived from its members and its age on every read, so no code path sets it.
// To report its changes to the observer all the same, every event that can change it (a member's
// state, a member joining or leaving, minimumLinks, deletion, the end of its first dwell)
// touches it, and the derived state is compared with the one last reported when the settle or
// the operation ends. Members settling one after the other therefore report one change of the
// LAG, not every intermediate one.

// lagTouch is a LAG whose derived state may have changed: when last, and why.
type lagTouch struct {
	lag   *Lag
	at    time.Time
	cause string
}

// touchLag records that l's derived state may have changed at at.
func (r *Region) touchLag(l *Lag, at time.Time, cause string) {
	if r.store.opts.OnChange == nil {
		return
	}
	for i := range r.touched {
		if r.touched[i].lag == l {
			if at.After(r.touched[i].at) {
				r.touched[i].at = at
			}
			return
		}
	}
	r.touched = append(r.touched, lagTouch{lag: l, at: at, cause: cause})
}

// flushLags reports the touched LAGs whose derived state is not the one last reported. A LAG in
// its first dwell stays pending until the settle that ends it.
func (r *Region) flushLags() {
	for _, t := range r.touched {
		l := t.lag
		if l.settling && l.Deleted.IsZero() {
			continue
		}
		state := r.lagState(l, r.now)
		if state == l.reported {
			continue
		}
		r.store.emit(Change{At: t.at, ResourceID: l.ID, Type: TypeLag, Account: l.Owner, Region: r.name, From: l.reported, To: state, Cause: t.cause})
		l.reported = state
	}
	clear(r.touched)
	r.touched = r.touched[:0]
}

// addLag reports a new LAG, made by a call, as pending and starts its first dwell.
func (r *Region) addLag(l *Lag) {
	l.settling = true
	l.reported = StatePending
	r.settlingLags = append(r.settlingLags, l)
	r.store.emit(Change{At: l.created, ResourceID: l.ID, Type: TypeLag, Account: l.Owner, Region: r.name, To: StatePending, Cause: CauseCall})
}

// Clock is the clock every time of the emulator comes from.
func (s *Store) Clock() clock.Clock { return s.opts.Clock }

// Settle applies, in every region, every automatic change whose time has come, so that the
// observer of changes sees them without waiting for a request to touch the region (a journal
// reader waiting for "dxcon-... became available", a clock advance).
func (s *Store) Settle() {
	// The gateway book first, alone: its lock is never taken while a region's is held.
	s.lockGateways()
	s.unlockGateways()
	for _, r := range s.allRegions() {
		r.lock()
		r.unlock()
	}
}

// NextDue is the earliest time an automatic change is due in any region, and false when none is.
func (s *Store) NextDue() (time.Time, bool) {
	var next time.Time
	found := false
	s.dxgws.mu.Lock()
	if len(s.dxgws.due) > 0 {
		next, found = s.dxgws.due[0].at, true
	}
	s.dxgws.mu.Unlock()
	for _, r := range s.allRegions() {
		if at, ok := r.nextDue(); ok && (!found || at.Before(next)) {
			next, found = at, true
		}
	}
	return next, found
}

func (s *Store) allRegions() []*Region {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Region, 0, len(s.regions))
	for _, r := range s.regions {
		out = append(out, r)
	}
	return out
}

func (r *Region) nextDue() (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var next time.Time
	found := false
	if len(r.due) > 0 {
		next, found = r.due[0].at, true
	}
	if len(r.settlingLags) > 0 {
		if at := r.settlingLags[0].created.Add(r.dwell()); !found || at.Before(next) {
			next, found = at, true
		}
	}
	if len(r.vifs.due) > 0 {
		if at := r.vifs.due[0].at; !found || at.Before(next) {
			next, found = at, true
		}
	}
	return next, found
}
