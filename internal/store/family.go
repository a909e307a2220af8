package store

import (
	"time"

	"github.com/dxlocal/dxlocal/internal/snapshot"
)

// A resource family (connections, LAGs, virtual interfaces, Direct Connect gateways, ...) joins
// the admin API's resource control and the state snapshot by implementing one of the two
// interfaces below and adding itself to regionalFamilies or globalFamilies from an init func in
// its own file. The store then lists, finds, drives, saves and restores its resources with no
// other change. The methods are called with the lock of the family's state held (the region's
// for a regional family, the family's own for a global one) and must not take it again.

// regionalFamily is a family whose resources live in a Region.
type regionalFamily interface {
	// list appends every resource of the family in r, in any order.
	list(r *Region, now time.Time, out []Resource) []Resource
	// find returns the resource id names, when the family has it in r.
	find(r *Region, id string, now time.Time) (Resource, bool)
	// control applies ch to the resource id (found by find): it checks everything first and
	// changes nothing when it refuses (a dxerr Invalid for a request that cannot apply to this
	// family, Conflict for a change not allowed from the current state). Every state change it
	// makes goes through the family's state-setting function with cause CauseControl.
	control(r *Region, id string, ch Control, now time.Time) error
	// save writes the family's resources in r into out.
	save(r *Region, out *snapshot.Region)
	// load checks the family's part of in against the catalog and its rules and adds it to r,
	// a new region nobody sees yet. Families load in registration order, so a family may refer
	// to what an earlier one loaded; ids records every id and the highest creation order.
	load(r *Region, in *snapshot.Region, ids *loadedIDs) error
}

// globalFamily is a family whose resources live outside the regions (Direct Connect gateways
// and their associations, under their own lock, which is taken before any region's).
type globalFamily interface {
	// lock takes the family's lock and settles its due changes; it returns now.
	lock(s *Store) time.Time
	unlock(s *Store)
	list(s *Store, now time.Time, out []Resource) []Resource
	find(s *Store, id string, now time.Time) (Resource, bool)
	control(s *Store, id string, ch Control, now time.Time) error
	save(s *Store, out *snapshot.State)
	// prepare checks the family's part of in and builds its new state without changing
	// anything; commit, called with the family locked, puts it in place and cannot fail.
	prepare(s *Store, in *snapshot.State, ids *loadedIDs) (commit func(), err error)
}

// regionalFamilies are the regional families in load order: a family comes after those it
// refers to (a VIF after connections and LAGs).
var regionalFamilies = []regionalFamily{connectionFamily{}, lagFamily{}}

// globalFamilies are the global families: the gateway book's (dxgw_family.go).
var globalFamilies []globalFamily

// linkHooks are told when a connection, hosted connection or interconnect goes down (up false)
// or comes back (up true) by the resource control, with its region locked. The VIF family adds
// the hook that turns the connection's VIFs and their BGP peers down and back.
var linkHooks []func(r *Region, conn *Connection, up bool, now time.Time)

// restoreChecks check what spans families of a state being restored, once every family has
// checked and built its own part: the regions built (nobody sees them yet) and the document.
// The VIF family adds the check that the gateway book's attachments and the VIFs agree.
var restoreChecks []func(st *snapshot.State, regions map[string]*Region) error
