package model

import (
	"encoding/base64"
	"encoding/binary"
	"math/bits"
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
//
// It skips plain bytes eight at a time and jumps straight to the first byte of a word that
// needs a look (specialBytes), so a string with a few escapes, such as the multi-line
// customerRouterConfig XML of every VIF, costs little more than a plain one.
func appendString(b []byte, s string) []byte {
	if plainString(s) {
		// Most strings (ids, states, addresses, names) have nothing to escape.
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	b = append(b, '"')
	start := 0 // s[start:i] is pending, to be copied in one go
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			m := specialBytes(s[i : i+8])
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) >> 3 // the first special byte of the word
		} else if c := s[i]; c < utf8.RuneSelf && plainASCII[c] {
			i++ // the tail, shorter than a word
			continue
		}
		// s[i] is not plain ASCII.
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
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
			i++
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
			i += size // valid UTF-8 goes out as itself
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainString reports whether s has nothing to escape, a word at a time; the last word
// overlaps the one before it instead of going through the tail byte by byte.
func plainString(s string) bool {
	if len(s) < 8 {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c >= utf8.RuneSelf || !plainASCII[c] {
				return false
			}
		}
		return true
	}
	for i := 0; i+8 < len(s); i += 8 {
		if specialBytes(s[i:i+8]) != 0 {
			return false
		}
	}
	return specialBytes(s[len(s)-8:]) == 0
}

// specialBytes marks, by the high bit of each byte, the bytes of the eight-byte w that are not
// plain ASCII, using the classic SWAR tests: a byte below 0x20, equal to '"' or '\', or with
// the high bit set. Borrows can mark a byte after a special one falsely, never one before it,
// so the lowest mark is always exact; that is the only one appendString uses.
func specialBytes(w string) uint64 {
	x := binary.LittleEndian.Uint64([]byte(w[:8])) // the compiler copies 8 bytes, no allocation
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	control := (x - ones*0x20) &^ x
	quote := x ^ (ones * '"')
	quote = (quote - ones) &^ quote
	backslash := x ^ (ones * '\\')
	backslash = (backslash - ones) &^ backslash
	return (x | control | quote | backslash) & highs
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
