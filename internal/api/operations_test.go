package api_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/dxlocal/dxlocal/internal/api/model"
)

// Every operation of the model is built: over the wire, an empty request to each one is
// answered (or refused as a client error), never with 501 NotImplementedException and never
// with a server error.
func TestEveryOperationIsBuilt(t *testing.T) {
	e := newEnv(t)
	names := make([]string, 0, len(model.Operations))
	for name := range model.Operations {
		names = append(names, name)
	}
	slices.Sort(names)
	if len(names) != 63 {
		t.Fatalf("the model has %d operations, want 63", len(names))
	}
	for _, name := range names {
		status, _, body := e.raw("OvertureService."+name, `{}`)
		errType := fmt.Sprint(body["__type"])
		if status == 501 || errType == "NotImplementedException" {
			t.Errorf("%s answers %d %s", name, status, errType)
		}
		if status >= 500 {
			t.Errorf("%s answers an empty request with %d %s: %v", name, status, errType, body["message"])
		}
	}
}
