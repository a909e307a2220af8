// Package tag holds the rules for resource tags: at most a quota per resource (50 by default),
// keys unique within a request, and keys with the reserved "aws:" prefix out of the caller's reach. Length and
// character rules are checked earlier, by the validators generated from the API model.
package tag

import (
	"strings"

	"github.com/dxlocal/dxlocal/internal/dxerr"
)

// MaxPerResource is AWS's default limit of user tags on one resource; "aws:" keys do not count.
const MaxPerResource = 50

const reservedPrefix = "aws:"

// Tag is one key/value pair.
type Tag struct {
	Key   string
	Value string
}

// CheckRequest refuses a tag list that repeats a key or touches a reserved key.
func CheckRequest(tags []Tag) error {
	seen := make(map[string]struct{}, len(tags))
	for _, t := range tags {
		if _, dup := seen[t.Key]; dup {
			return dxerr.New(dxerr.DuplicateTagKeys, "Duplicate tag keys are not allowed: %s.", t.Key)
		}
		seen[t.Key] = struct{}{}
		if err := checkKey(t.Key); err != nil {
			return err
		}
	}
	return nil
}

func checkKey(key string) error {
	if strings.HasPrefix(key, reservedPrefix) {
		return dxerr.New(dxerr.Invalid, "Tag keys with the aws: prefix are reserved. Key %s cannot be used.", key)
	}
	return nil
}

// Merge returns existing with add applied: existing keys are overwritten in place, new keys are
// appended in request order. It fails when the result would have more than max user tags.
// existing is not modified.
func Merge(existing, add []Tag, max int) ([]Tag, error) {
	if err := CheckRequest(add); err != nil {
		return nil, err
	}
	out := make([]Tag, len(existing), len(existing)+len(add))
	copy(out, existing)
	for _, t := range add {
		replaced := false
		for i := range out {
			if out[i].Key == t.Key {
				out[i].Value = t.Value
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	if n := countUser(out); n > max {
		return nil, dxerr.New(dxerr.TooManyTags, "A resource can have at most %d tags; this request would leave %d.", max, n)
	}
	return out, nil
}

// Remove returns existing without the given keys; keys that are absent are ignored.
func Remove(existing []Tag, keys []string) ([]Tag, error) {
	drop := make(map[string]struct{}, len(keys))
	for _, k := range keys {
		if err := checkKey(k); err != nil {
			return nil, err
		}
		drop[k] = struct{}{}
	}
	out := make([]Tag, 0, len(existing))
	for _, t := range existing {
		if _, gone := drop[t.Key]; !gone {
			out = append(out, t)
		}
	}
	return out, nil
}

func countUser(tags []Tag) int {
	n := 0
	for _, t := range tags {
		if !strings.HasPrefix(t.Key, reservedPrefix) {
			n++
		}
	}
	return n
}
