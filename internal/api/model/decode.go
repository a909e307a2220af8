package model

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Decoding goes through the generated decodeJSON methods rather than encoding/json's
// struct binding, because encoding/json matches member names case-insensitively ("VLAN"
// would fill vlan) and reports member paths without list indexes. Each structure reads
// its object into a map of raw members and looks every model member up by exact name,
// in model order, so the first error reported is deterministic.

// structDecoder is implemented by every generated structure.
type structDecoder interface {
	decodeJSON(data []byte, path string) error
}

// Decode reads a request body into v, normally a pointer to a generated structure.
// An empty or whitespace-only body reads as {}. Unknown members are ignored. Every
// failure is a *SerializationError.
func Decode(body []byte, v any) error {
	body = trimJSONSpace(body)
	if len(body) == 0 {
		body = []byte("{}")
	}
	if !json.Valid(body) {
		return &SerializationError{Message: "The request body is not valid JSON."}
	}
	if body[0] != '{' {
		return &SerializationError{Message: "The request body must be a JSON object."}
	}
	if d, ok := v.(structDecoder); ok {
		if err := d.decodeJSON(body, ""); err != nil {
			return err
		}
		// Members the model knows were checked above, naming the member; anything else
		// (an unknown member, a key) must be valid UTF-8 too.
		if !utf8.Valid(body) {
			return &SerializationError{Message: "The request body is not valid UTF-8."}
		}
		return nil
	}
	// Not a generated structure: encoding/json's rules apply, errors still translated.
	if err := json.Unmarshal(body, v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return &SerializationError{Member: typeErr.Field, Message: "Value of type " + typeErr.Value + " for member " + typeErr.Field + " cannot be converted to " + typeErr.Type.String()}
		}
		return &SerializationError{Message: err.Error()}
	}
	return nil
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// trimJSONSpace trims the four whitespace bytes of the JSON grammar, and no others.
func trimJSONSpace(b []byte) []byte {
	for len(b) > 0 && isJSONSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isJSONSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// typeError reports a member whose JSON value does not fit the model type typeName.
func typeError(path string, raw []byte, typeName string) *SerializationError {
	msg := "Value " + displayValue(raw)
	if path != "" {
		msg += " for member " + path
	}
	return &SerializationError{Member: path, Message: msg + " cannot be converted to " + typeName}
}

// displayValue shows a raw JSON value in a message: scalars as written (shortened when
// long), objects and arrays by their brackets only.
func displayValue(raw []byte) string {
	raw = trimJSONSpace(raw)
	if len(raw) == 0 {
		return "(empty)"
	}
	switch raw[0] {
	case '{':
		return "{...}"
	case '[':
		return "[...]"
	}
	const maxLen = 64
	if len(raw) <= maxLen {
		return string(raw)
	}
	cut := maxLen
	for cut > 0 && !utf8.RuneStart(raw[cut]) {
		cut--
	}
	return string(raw[:cut]) + "..."
}

func isNull(raw []byte) bool { return string(raw) == "null" }

// decodeObject reads a JSON object into its raw members; null reads as a nil map.
func decodeObject(data []byte, path string) (map[string]json.RawMessage, error) {
	data = trimJSONSpace(data)
	if isNull(data) {
		return nil, nil
	}
	if len(data) == 0 || data[0] != '{' {
		return nil, typeError(path, data, "structure")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return nil, &SerializationError{Member: path, Message: "The request body is not valid JSON."}
	}
	return fields, nil
}

// member returns the raw value of a member, with ok false when it is absent or null:
// the JSON protocol treats an explicit null like a missing member.
func member(fields map[string]json.RawMessage, name string) (raw json.RawMessage, ok bool) {
	raw, ok = fields[name]
	if !ok || isNull(raw) {
		return nil, false
	}
	return raw, true
}

// jsonString unquotes a raw JSON string value; ok is false for any other JSON type, and
// valid is false when the string is not valid Unicode: raw bytes that are not UTF-8, or a
// \u escape of a lone surrogate. encoding/json would silently turn either into U+FFFD, so
// a name would be stored other than as sent; the protocol refuses it instead.
func jsonString(raw []byte) (s string, ok, valid bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", false, false
	}
	inner := raw[1 : len(raw)-1]
	if !utf8.Valid(inner) {
		return "", true, false
	}
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner), true, true
	}
	// Escapes: let encoding/json apply its exact rules.
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false, false
	}
	if strings.ContainsRune(s, utf8.RuneError) && !bytes.ContainsRune(inner, utf8.RuneError) && !bytes.Contains(bytes.ToLower(inner), []byte(`\ufffd`)) {
		return "", true, false
	}
	return s, true, true
}

// stringValue reads a member that must be a string: a type error when it is another JSON
// type, a SerializationException naming the member when it is not valid Unicode.
func stringValue(path string, raw []byte, typeName string) (string, error) {
	s, ok, valid := jsonString(raw)
	if !ok {
		return "", typeError(path, raw, typeName)
	}
	if !valid {
		return "", &SerializationError{Member: path, Message: "Value for member " + path + " is not valid UTF-8."}
	}
	return s, nil
}

func decodeString(fields map[string]json.RawMessage, path, name string, dst **string) error {
	raw, ok := member(fields, name)
	if !ok {
		return nil
	}
	s, err := stringValue(joinPath(path, name), raw, "string")
	if err != nil {
		return err
	}
	*dst = &s
	return nil
}

// parseInt reads a JSON number that must be a whole number fitting in bits; fractions
// and exponents are refused like encoding/json refuses them for Go integers.
func parseInt(raw []byte, bits int) (int64, bool) {
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return 0, false
	}
	v, err := strconv.ParseInt(string(raw), 10, bits)
	return v, err == nil
}

func decodeInt32(fields map[string]json.RawMessage, path, name string, dst **int32) error {
	raw, ok := member(fields, name)
	if !ok {
		return nil
	}
	v, ok := parseInt(raw, 32)
	if !ok {
		return typeError(joinPath(path, name), raw, "integer")
	}
	n := int32(v)
	*dst = &n
	return nil
}

func decodeInt64(fields map[string]json.RawMessage, path, name string, dst **int64) error {
	raw, ok := member(fields, name)
	if !ok {
		return nil
	}
	v, ok := parseInt(raw, 64)
	if !ok {
		return typeError(joinPath(path, name), raw, "long")
	}
	*dst = &v
	return nil
}

func decodeBool(fields map[string]json.RawMessage, path, name string, dst **bool) error {
	raw, ok := member(fields, name)
	if !ok {
		return nil
	}
	var v bool
	switch string(raw) {
	case "true":
		v = true
	case "false":
	default:
		return typeError(joinPath(path, name), raw, "boolean")
	}
	*dst = &v
	return nil
}

func decodeTimestamp(fields map[string]json.RawMessage, path, name string, dst **Timestamp) error {
	raw, ok := member(fields, name)
	if !ok {
		return nil
	}
	t, ok := parseEpochSeconds(raw)
	if !ok {
		return typeError(joinPath(path, name), raw, "timestamp")
	}
	*dst = Time(t)
	return nil
}

func decodeBlob(fields map[string]json.RawMessage, path, name string, dst *[]byte) error {
	raw, ok := member(fields, name)
	if !ok {
		return nil
	}
	s, err := stringValue(joinPath(path, name), raw, "blob")
	if err != nil {
		return err
	}
	data, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return typeError(joinPath(path, name), raw, "blob")
	}
	*dst = data
	return nil
}

// decodeList splits a JSON array into its raw elements. An empty array gives a
// non-nil empty slice, so [] stays distinguishable from an absent member.
func decodeList(raw []byte, path, name string) ([]json.RawMessage, error) {
	if raw[0] != '[' {
		return nil, typeError(joinPath(path, name), raw, "list")
	}
	elems := []json.RawMessage{}
	if err := json.Unmarshal(raw, &elems); err != nil {
		return nil, &SerializationError{Member: joinPath(path, name), Message: "The request body is not valid JSON."}
	}
	return elems, nil
}

// decodeStringList reads a list of strings; a null element reads as "", as in
// encoding/json.
func decodeStringList(fields map[string]json.RawMessage, path, name string, dst *[]string) error {
	raw, ok := member(fields, name)
	if !ok {
		return nil
	}
	elems, err := decodeList(raw, path, name)
	if err != nil {
		return err
	}
	list := make([]string, len(elems))
	for i, elem := range elems {
		if isNull(elem) {
			continue
		}
		s, err := stringValue(indexPath(path, name, i), elem, "string")
		if err != nil {
			return err
		}
		list[i] = s
	}
	*dst = list
	return nil
}

func decodeStruct[T any, P interface {
	*T
	structDecoder
}](fields map[string]json.RawMessage, path, name string, dst **T) error {
	raw, ok := member(fields, name)
	if !ok {
		return nil
	}
	v := P(new(T))
	if err := v.decodeJSON(raw, joinPath(path, name)); err != nil {
		return err
	}
	*dst = v
	return nil
}

// decodeStructList reads a list of structures; a null element reads as an empty
// structure, as in encoding/json.
func decodeStructList[T any, P interface {
	*T
	structDecoder
}](fields map[string]json.RawMessage, path, name string, dst *[]T) error {
	raw, ok := member(fields, name)
	if !ok {
		return nil
	}
	elems, err := decodeList(raw, path, name)
	if err != nil {
		return err
	}
	list := make([]T, len(elems))
	for i, elem := range elems {
		if err := P(&list[i]).decodeJSON(elem, indexPath(path, name, i)); err != nil {
			return err
		}
	}
	*dst = list
	return nil
}
