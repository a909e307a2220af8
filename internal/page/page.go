// Package page cuts result lists into pages with opaque tokens. A token carries the offset of
// the next page and a hash of the request it belongs to, so a token replayed against another
// request (other filters, account or region) is refused instead of silently skipping results.
package page

import (
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"

	"github.com/dxlocal/dxlocal/internal/dxerr"
)

// MaxSize is the largest page AWS returns; larger requests are clamped to it.
const MaxSize = 100

// Key identifies a request for token purposes: the operation, the caller's account and region,
// and every request member except the paging ones.
func Key(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// Request is the paging part of a list request.
type Request struct {
	// Max is maxResults; nil means the whole list.
	Max *int32
	// Token is nextToken from the previous page.
	Token *string
	// Key identifies the request (see Key).
	Key uint64
}

// Window returns the [start, end) range of a list of n items to answer, and the token for the
// next page ("" when this is the last).
func (p Request) Window(n int) (start, end int, next string, err error) {
	maxResults, token, key := p.Max, p.Token, p.Key
	if token != nil && *token != "" {
		start, err = decode(*token, key)
		if err != nil {
			return 0, 0, "", err
		}
		if start > n {
			start = n
		}
	}
	if maxResults == nil {
		return start, n, "", nil
	}
	size := int(*maxResults)
	if size < 1 {
		return 0, 0, "", dxerr.New(dxerr.Invalid, "maxResults must be between 1 and %d.", MaxSize)
	}
	if size > MaxSize {
		size = MaxSize
	}
	end = min(start+size, n)
	if end < n {
		next = encode(end, key)
	}
	return start, end, next, nil
}

func encode(offset int, key uint64) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(offset))
	binary.BigEndian.PutUint64(b[8:], key)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func decode(token string, key uint64) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != 16 || binary.BigEndian.Uint64(b[8:]) != key {
		return 0, dxerr.New(dxerr.Invalid, "Invalid pagination token.")
	}
	off := binary.BigEndian.Uint64(b[:8])
	if off > 1<<31 {
		return 0, dxerr.New(dxerr.Invalid, "Invalid pagination token.")
	}
	return int(off), nil
}
