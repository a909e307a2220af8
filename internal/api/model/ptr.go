package model

import "time"

// The model's scalar members are pointers so that "absent" differs from the zero value;
// these helpers make literals of them short.

// String returns a pointer to s.
func String(s string) *string { return &s }

// Int32 returns a pointer to v.
func Int32(v int32) *int32 { return &v }

// Int64 returns a pointer to v.
func Int64(v int64) *int64 { return &v }

// Bool returns a pointer to v.
func Bool(v bool) *bool { return &v }

// Time returns a pointer to t as a Timestamp.
func Time(t time.Time) *Timestamp {
	ts := Timestamp(t)
	return &ts
}
