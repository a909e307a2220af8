package model

import (
	"encoding/base64"
	"encoding/binary"
	"slices"
	"unicode/utf8"
)

// Support for the generated AppendJSON methods. Encoding is on the hot path of every
// Describe call, so it appends into one buffer instead of going through reflection.

// closeObject finishes an object whose members were each appended with a leading comma
// from index start on: the first comma becomes the opening brace.
func closeObject(b []byte, start int) []byte {
	if len(b) == start {
		return append(b, '{', '}')
	}
	b[start] = '{'
	return append(b, '}')
}

// plainASCII marks the ASCII bytes that appear in a JSON string as themselves.
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string the way encoding/json does without HTML
// escaping: invalid UTF-8 becomes \ufffd, and U+2028 and U+2029 are escaped because
// JavaScript treats them as line ends.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0 // s[start:i] is pending, to be copied in one go
	for i := 0; i < len(s); {
		// Skip eight plain bytes at a time; most strings have nothing to escape.
		if i+8 <= len(s) && plainWord(s[i:i+8]) {
			i += 8
			continue
		}
		// Something in the next eight bytes (or in the tail) needs a look: go through them
		// one by one before trying whole words again, instead of retrying a word at each byte.
		for end := min(i+8, len(s)); i < end; {
			c := s[i]
			if c < utf8.RuneSelf {
				i++
				if plainASCII[c] {
					continue
				}
				b = append(b, s[start:i-1]...)
				switch c {
				case '"', '\\':
					b = append(b, '\\', c)
				case '\b':
					b = append(b, '\\', 'b')
				case '\f':
					b = append(b, '\\', 'f')
				case '\n':
					b = append(b, '\\', 'n')
				case '\r':
					b = append(b, '\\', 'r')
				case '\t':
					b = append(b, '\\', 't')
				default:
					b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
				}
				start = i
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b = append(b, s[start:i]...)
				b = append(b, `\ufffd`...)
			case r == '\u2028' || r == '\u2029':
				b = append(b, s[start:i]...)
				b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			default:
				i += size
				continue
			}
			i += size
			start = i
		}
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainWord reports whether all eight bytes of w are plain ASCII, using the classic
// SWAR tests: a byte below 0x20, equal to '"' or '\\', or with the high bit set makes
// the corresponding expression set that byte's high bit.
func plainWord(w string) bool {
	x := binary.LittleEndian.Uint64([]byte(w[:8])) // the compiler copies 8 bytes, no allocation
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	control := (x - ones*0x20) &^ x
	quote := x ^ (ones * '"')
	quote = (quote - ones) &^ quote
	backslash := x ^ (ones * '\\')
	backslash = (backslash - ones) &^ backslash
	return (x|control|quote|backslash)&highs == 0
}

// appendStringList appends a JSON array of strings.
func appendStringList(b []byte, list []string) []byte {
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendBlob appends data as a standard base64 JSON string, as encoding/json does.
func appendBlob(b []byte, data []byte) []byte {
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, data)
	return append(b, '"')
}

// reserveList grows b once for the rest of a list, guessing from the first element's
// size (plus slack). Long Describe answers would otherwise double the buffer a dozen
// times, and the copying and fresh memory cost several times the encoding itself.
func reserveList(b []byte, firstLen, n int) []byte {
	if n < 2 {
		return b
	}
	need := (firstLen + 1) * (n - 1)
	need += need / 8
	return slices.Grow(b, need)
}
