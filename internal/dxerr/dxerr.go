// Package dxerr is the small error vocabulary the domain speaks. Each error has a kind and
// a client-facing message; the API layer maps kinds to the wire exceptions in one place.
package dxerr

import (
	"errors"
	"fmt"

	"github.com/dxlocal/dxlocal/internal/limit"
)

// Kind classifies a failure by what the caller can do about it.
type Kind int

const (
	// Invalid: the request is wrong (bad value, wrong state, rule broken).
	Invalid Kind = iota + 1
	// NotFound: the resource does not exist or is not visible to the caller.
	NotFound
	// Conflict: the resource is busy or in the way (state, VLAN in use).
	Conflict
	// Limit: a quota or the physical capacity is exhausted.
	Limit
	// DuplicateTagKeys: one request repeats a tag key.
	DuplicateTagKeys
	// TooManyTags: the resource would carry more tags than allowed.
	TooManyTags
	// Internal: a bug in dxlocal.
	Internal
)

// Error is a domain failure with the message the caller will read.
type Error struct {
	Kind    Kind
	Message string
}

func (e *Error) Error() string { return e.Message }

// New builds an error of kind k with a formatted message. A string argument longer than any
// real id, ARN or name (limit.EchoWhole) is repeated by its start only, so that no request can
// make a message as large as itself.
func New(k Kind, format string, args ...any) *Error {
	for i, a := range args {
		if s, ok := a.(string); ok && len(s) > limit.EchoWhole {
			args[i] = limit.Cut(s, limit.Echo)
		}
	}
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...)}
}

// KindOf reports the kind of err, Internal for errors outside this vocabulary.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}
