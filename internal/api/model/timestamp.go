package model

import (
	"math"
	"strconv"
	"time"
)

// Timestamp is a model timestamp. The JSON protocol carries timestamps as epoch seconds
// in a JSON number, which is what AppendJSON writes and UnmarshalJSON reads.
type Timestamp time.Time

// Time returns t as a time.Time.
func (t Timestamp) Time() time.Time { return time.Time(t) }

// AppendJSON appends t as epoch seconds with at most millisecond precision (truncated),
// never in exponent form: 1491568964 or 1491568964.123.
func (t Timestamp) AppendJSON(b []byte) []byte {
	ms := time.Time(t).UnixMilli()
	abs := uint64(ms)
	if ms < 0 {
		b = append(b, '-')
		abs = -abs // two's complement keeps math.MinInt64 right as well
	}
	b = strconv.AppendUint(b, abs/1000, 10)
	frac := abs % 1000
	if frac == 0 {
		return b
	}
	digits := [4]byte{'.', byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
	n := len(digits)
	for digits[n-1] == '0' {
		n--
	}
	return append(b, digits[:n]...)
}

// MarshalJSON lets encoding/json use AppendJSON.
func (t Timestamp) MarshalJSON() ([]byte, error) { return t.AppendJSON(nil), nil }

// maxEpochSeconds bounds accepted timestamps to years -9999..9999, far beyond any real
// request and safely inside what time.Time and UnixMilli can represent.
const maxEpochSeconds = 253402300799

// UnmarshalJSON reads epoch seconds from a JSON number; a fraction is kept to the
// nanosecond. JSON null leaves t unchanged, as encoding/json expects.
func (t *Timestamp) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	v, ok := parseEpochSeconds(data)
	if !ok {
		return &SerializationError{Message: "Value " + displayValue(data) + " cannot be converted to timestamp"}
	}
	*t = Timestamp(v)
	return nil
}

// parseEpochSeconds parses a JSON number of seconds. Plain decimals are parsed exactly,
// so 1491568964.123 is 123 ms and not 122.99999 ms as a float64 would make it.
func parseEpochSeconds(data []byte) (time.Time, bool) {
	s := string(data)
	if !isJSONNumber(s) {
		return time.Time{}, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] == 'e' || s[i] == 'E' {
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || math.Abs(f) > maxEpochSeconds {
				return time.Time{}, false
			}
			sec := math.Floor(f)
			nsec := math.Round((f - sec) * 1e9)
			return time.Unix(int64(sec), int64(nsec)).UTC(), true
		}
	}
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	intPart, fracPart := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			intPart, fracPart = s[:i], s[i+1:]
			break
		}
	}
	sec, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil || sec > maxEpochSeconds {
		return time.Time{}, false
	}
	var nsec int64
	for i := range 9 {
		nsec *= 10
		if i < len(fracPart) {
			nsec += int64(fracPart[i] - '0')
		}
	}
	if neg {
		sec, nsec = -sec, -nsec
	}
	return time.Unix(sec, nsec).UTC(), true
}

// isJSONNumber reports whether s follows the JSON number grammar.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	if i < len(s) && s[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
