package model

import (
	"strconv"

	"github.com/dxlocal/dxlocal/internal/limit"
)

// SerializationError reports that the body, or one of its members, cannot be read as
// the model's type. The wire exception is SerializationException.
type SerializationError struct {
	// Member is the JSON path of the offending member ("newBGPPeer.asn", "tags[0].key"),
	// empty when the body as a whole is at fault.
	Member  string
	Message string
}

func (e *SerializationError) Error() string { return e.Message }

// InvalidParamError reports that a member breaks a constraint of the model. The wire
// exception is DirectConnectClientException.
type InvalidParamError struct {
	Member  string // JSON path of the member
	Value   string // offending value as text, empty for missing members and list sizes
	Message string // full client-facing text
}

func (e *InvalidParamError) Error() string { return e.Message }

// NotImplementedError reports an operation that is routed but not built yet; the
// transport answers it with HTTP 501.
type NotImplementedError struct {
	Operation string
}

func (e *NotImplementedError) Error() string {
	return "Operation " + e.Operation + " is not implemented by dxlocal yet."
}

// Member paths name members as JSON does: "newBGPPeer.asn", "tags[0].key".

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func indexPath(path, name string, i int) string {
	return joinPath(path, name) + "[" + strconv.Itoa(i) + "]"
}

// Constructors used by the generated Validate methods.

func requiredError(path string) *InvalidParamError {
	return &InvalidParamError{Member: path, Message: path + " is required."}
}

// valueError reports value at path; tail is the rest of the sentence ("is not valid."). The
// message repeats only the start of a long value.
func valueError(path, value, tail string) *InvalidParamError {
	return &InvalidParamError{Member: path, Value: value, Message: path + " " + limit.Cut(value, limit.Echo) + " " + tail}
}

// listError reports a list of the wrong size; tail is "must have at least 1 items." etc.
func listError(path, tail string) *InvalidParamError {
	return &InvalidParamError{Member: path, Message: path + " " + tail}
}
