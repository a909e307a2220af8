package api

import (
	"context"
	"errors"
	flagpkg "flag"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/store"
)

var updateReadme = flagpkg.Bool("update-readme", false, "rewrite the operation table of README.md")

const (
	readmePath    = "../../README.md"
	opsTableBegin = "<!-- operations:begin"
	opsTableEnd   = "<!-- operations:end -->"
)

// built reports whether the service answers operation name, rather than the embedded
// UnimplementedService: it calls the method with an empty request, past the wire's
// validation, and looks for *model.NotImplementedError. Whatever else happens (a refusal of
// the empty request, even a panic on it) means the operation is built.
func built(svc model.Service, name string) (ok bool) {
	m := reflect.ValueOf(svc).MethodByName(name)
	if !m.IsValid() {
		panic("no method " + name)
	}
	defer func() {
		if recover() != nil {
			ok = true
		}
	}()
	ctx := context.WithValue(context.Background(), callerKey{}, store.Caller{Account: "111111111111", Region: "us-east-1"})
	out := m.Call([]reflect.Value{reflect.ValueOf(ctx), reflect.New(m.Type().In(1).Elem())})
	err, _ := out[1].Interface().(error)
	var ni *model.NotImplementedError
	return !errors.As(err, &ni)
}

// The README's table of operations lists every operation of the model, in name order, with
// "works" or "in progress" (answered with 501 NotImplementedException). Rewrite it with
// -update-readme after building an operation.
func TestReadmeOperationTable(t *testing.T) {
	svc := &service{store: store.New(store.Options{})}
	names := make([]string, 0, len(model.Operations))
	for name := range model.Operations {
		names = append(names, name)
	}
	slices.Sort(names)
	status := make([]string, len(names))
	working := 0
	for i, name := range names {
		status[i] = "in progress"
		if built(svc, name) {
			status[i] = "works"
			working++
		}
	}
	var rows strings.Builder
	rows.WriteString("\n| operation | status | operation | status |\n| --- | --- | --- | --- |\n")
	half := (len(names) + 1) / 2
	for i := range half {
		fmt.Fprintf(&rows, "| `%s` | %s |", names[i], status[i])
		if j := i + half; j < len(names) {
			fmt.Fprintf(&rows, " `%s` | %s |\n", names[j], status[j])
		} else {
			rows.WriteString(" | |\n")
		}
	}
	fmt.Fprintf(&rows, "\n%d operations: %d work, %d in progress.\n\n", len(names), working, len(names)-working)

	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	begin := strings.Index(readme, opsTableBegin)
	end := strings.Index(readme, opsTableEnd)
	if begin < 0 || end < begin {
		t.Fatalf("README.md has no %q ... %q section", opsTableBegin, opsTableEnd)
	}
	begin += strings.Index(readme[begin:], "-->") + len("-->")
	if readme[begin:end] == rows.String() {
		return
	}
	if *updateReadme {
		if err := os.WriteFile(readmePath, []byte(readme[:begin]+rows.String()+readme[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's operation table is out of date (%d operations: %d work); run\n\tgo test ./internal/api -run TestReadmeOperationTable -update-readme", len(names), working)
}
