package store

import "iter"

// ordered is a list in order of addition (creation order, which listings and pagination
// follow) with removal in O(1) amortized time. A removed item leaves a hole; holes are closed
// all at once when they outnumber the items, so that purging n records costs O(n), not the
// O(n²) of copying the rest of the list at each removal, and the memory of removed items is
// given back as the list shrinks.
type ordered[T comparable] struct {
	items []T       // in order of addition; the zero T is a hole
	at    map[T]int // index in items of each item
	holes int
}

// add appends v.
func (o *ordered[T]) add(v T) {
	if o.at == nil {
		o.at = map[T]int{}
	}
	o.at[v] = len(o.items)
	o.items = append(o.items, v)
}

// remove takes v out; it reports whether v was there.
func (o *ordered[T]) remove(v T) bool {
	i, ok := o.at[v]
	if !ok {
		return false
	}
	var zero T
	o.items[i] = zero
	delete(o.at, v)
	o.holes++
	if o.holes*2 > len(o.items) {
		o.compact()
	}
	return true
}

// compact closes the holes into fresh storage sized to the items, so that the old backing
// array and index (Go maps never shrink) are released.
func (o *ordered[T]) compact() {
	n := len(o.items) - o.holes
	if n == 0 {
		*o = ordered[T]{}
		return
	}
	var zero T
	items := make([]T, 0, n)
	at := make(map[T]int, n)
	for _, v := range o.items {
		if v != zero {
			at[v] = len(items)
			items = append(items, v)
		}
	}
	*o = ordered[T]{items: items, at: at}
}

// has reports whether v is in the list.
func (o *ordered[T]) has(v T) bool {
	if o == nil {
		return false
	}
	_, ok := o.at[v]
	return ok
}

// len is the number of items.
func (o *ordered[T]) len() int {
	if o == nil {
		return 0
	}
	return len(o.items) - o.holes
}

// all yields the items in order.
func (o *ordered[T]) all() iter.Seq[T] {
	return func(yield func(T) bool) {
		if o == nil {
			return
		}
		var zero T
		for _, v := range o.items {
			if v != zero && !yield(v) {
				return
			}
		}
	}
}

// window returns the items from position start (counted in items, not holes) to end.
func (o *ordered[T]) window(start, end int) []T {
	out := make([]T, 0, max(end-start, 0))
	i := 0
	for v := range o.all() {
		if i >= end {
			break
		}
		if i >= start {
			out = append(out, v)
		}
		i++
	}
	return out
}

// orderedIndex keeps one ordered list per key (an owner account, a parent id) and forgets a
// key whose list becomes empty.
type orderedIndex[K comparable, T comparable] map[K]*ordered[T]

func (m orderedIndex[K, T]) add(k K, v T) {
	o, ok := m[k]
	if !ok {
		o = &ordered[T]{}
		m[k] = o
	}
	o.add(v)
}

func (m orderedIndex[K, T]) remove(k K, v T) {
	o, ok := m[k]
	if !ok {
		return
	}
	o.remove(v)
	if o.len() == 0 {
		delete(m, k)
	}
}

// get returns k's list; nil (which reads as empty) when it has none.
func (m orderedIndex[K, T]) get(k K) *ordered[T] { return m[k] }
