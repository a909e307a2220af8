package api

import (
	"errors"
	"net/http"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/dxerr"
)

// Wire error codes. The four modelled exceptions, and the two the JSON 1.1 protocol itself
// answers with.
const (
	codeClient           = "DirectConnectClientException"
	codeServer           = "DirectConnectServerException"
	codeDuplicateTagKeys = "DuplicateTagKeysException"
	codeTooManyTags      = "TooManyTagsException"
	codeUnknownOperation = "UnknownOperationException"
	codeSerialization    = "SerializationException"
	// codeInvalidSignature answers a credential scope that names no region (403, as AWS).
	codeInvalidSignature = "InvalidSignatureException"
	// codeAccessDenied answers a request from a web page dxlocal does not serve (guard.go).
	codeAccessDenied = "AccessDeniedException"
	// codeNotImplemented answers operations dxlocal routes but has not built; 501 is not
	// retried by the SDKs, so a test fails at once instead of after backoff.
	codeNotImplemented = "NotImplementedException"
)

// wireError is an error as the wire spells it.
type wireError struct {
	status  int
	code    string
	message string
}

// toWire maps every error the service can return to its status and code, in one place.
func toWire(err error) wireError {
	var ser *model.SerializationError
	var inv *model.InvalidParamError
	var ni *model.NotImplementedError
	var de *dxerr.Error
	switch {
	case errors.As(err, &ser):
		return wireError{http.StatusBadRequest, codeSerialization, ser.Error()}
	case errors.As(err, &inv):
		return wireError{http.StatusBadRequest, codeClient, inv.Error()}
	case errors.As(err, &ni):
		return wireError{http.StatusNotImplemented, codeNotImplemented, ni.Error()}
	case errors.As(err, &de):
		switch de.Kind {
		case dxerr.DuplicateTagKeys:
			return wireError{http.StatusBadRequest, codeDuplicateTagKeys, de.Message}
		case dxerr.TooManyTags:
			return wireError{http.StatusBadRequest, codeTooManyTags, de.Message}
		case dxerr.Internal:
			return wireError{http.StatusInternalServerError, codeServer, de.Message}
		default:
			return wireError{http.StatusBadRequest, codeClient, de.Message}
		}
	}
	return wireError{http.StatusInternalServerError, codeServer, "Internal error: " + err.Error()}
}

// writeError writes the AWS JSON 1.1 error envelope.
func writeError(w http.ResponseWriter, e wireError) {
	b := make([]byte, 0, 64+len(e.message))
	b = append(b, `{"__type":`...)
	b = appendJSONString(b, e.code)
	b = append(b, `,"message":`...)
	b = appendJSONString(b, e.message)
	b = append(b, '}')
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("x-amzn-ErrorType", e.code)
	w.WriteHeader(e.status)
	w.Write(b)
}
