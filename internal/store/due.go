package store

import (
	"container/heap"
	"time"
)

// dueQueue orders connections by when their next automatic state change is due, so that
// settling costs nothing for resources whose time has not come: a request reads the top
// only, however many resources are on their way. An entry may be stale (the connection was
// deleted or moved on meanwhile); settling such an entry changes nothing.
type dueQueue []dueEntry

type dueEntry struct {
	at   time.Time
	conn *Connection
}

func (q dueQueue) Len() int           { return len(q) }
func (q dueQueue) Less(i, j int) bool { return q[i].at.Before(q[j].at) }
func (q dueQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *dueQueue) Push(x any)        { *q = append(*q, x.(dueEntry)) }
func (q *dueQueue) Pop() any {
	old := *q
	n := len(old) - 1
	e := old[n]
	// The slot past the end would otherwise keep the connection reachable through the
	// backing array until it is overwritten.
	old[n] = dueEntry{}
	*q = old[:n]
	if cap(old) > 64 && n < cap(old)/4 {
		// Give back the memory of a burst: a heap's backing array never shrinks by itself.
		*q = append(make(dueQueue, 0, 2*n), old[:n]...)
	}
	return e
}

// schedule records that c's next automatic change is due at.
func (q *dueQueue) schedule(c *Connection, at time.Time) { heap.Push(q, dueEntry{at: at, conn: c}) }

// popDue removes and returns the connections whose entries are due by now.
func (q *dueQueue) popDue(now time.Time, visit func(*Connection)) {
	for q.Len() > 0 && !now.Before((*q)[0].at) {
		visit(heap.Pop(q).(dueEntry).conn)
	}
}
