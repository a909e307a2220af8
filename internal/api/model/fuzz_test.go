package model

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"testing"
)

// inputTypes maps each operation with an input to its input type, read off Service.
var inputTypes = func() map[string]reflect.Type {
	types := map[string]reflect.Type{}
	svc := reflect.TypeFor[Service]()
	for i := range svc.NumMethod() {
		m := svc.Method(i)
		if m.Type.NumIn() == 2 {
			types[m.Name] = m.Type.In(1).Elem()
		}
	}
	return types
}()

func sortedOperationNames() []string {
	names := make([]string, 0, len(Operations))
	for name := range Operations {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func FuzzInvoke(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `null`, `[]`, `"x"`, `{"a":`, "\xff",
		`{"location":"EqDC2","bandwidth":"1Gbps","connectionName":"c","tags":[{"key":"k","value":"v"}]}`,
		`{"connectionId":"c","newPrivateVirtualInterface":{"virtualInterfaceName":"v","vlan":101,"asn":65000,"tags":[]}}`,
		`{"newPrivateVirtualInterface":{"vlan":"101"}}`,
		`{"resourceArn":"arn","tagKeys":["k",null,1]}`,
		`{"newBGPPeer":{"asn":1.5,"addressFamily":"ipv7"}}`,
		`{"maxResults":2147483648,"nextToken":null}`,
		`{"VLAN":1,"vlan":1e3,"tags":{}}`,
	} {
		f.Add([]byte(seed))
	}
	ctx := context.Background()
	names := sortedOperationNames()
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, name := range names {
			out, err := Operations[name].Invoke(ctx, UnimplementedService{}, body)
			if out != nil {
				t.Fatalf("%s: output %#v from UnimplementedService", name, out)
			}
			var serr *SerializationError
			var perr *InvalidParamError
			var nerr *NotImplementedError
			switch {
			case errors.As(err, &serr), errors.As(err, &perr):
				if _, hasInput := inputTypes[name]; !hasInput {
					t.Fatalf("%s takes no input but failed on the body: %v", name, err)
				}
			case errors.As(err, &nerr):
				if nerr.Operation != name {
					t.Fatalf("%s: NotImplementedError for %s", name, nerr.Operation)
				}
			default:
				t.Fatalf("%s: unexpected error %T %v", name, err, err)
			}
			if err.Error() == "" {
				t.Fatalf("%s: empty error text", name)
			}
			if typ, ok := inputTypes[name]; ok && serr == nil {
				checkRoundTrip(t, name, typ, body)
			}
		}
	})
}

// checkRoundTrip re-encodes what a body decoded to and checks it decodes to the same.
func checkRoundTrip(t *testing.T, op string, typ reflect.Type, body []byte) {
	first := reflect.New(typ)
	if err := Decode(body, first.Interface()); err != nil {
		t.Fatalf("%s: Decode failed after Invoke passed it: %v", op, err)
	}
	encoded := first.Interface().(Output).AppendJSON(nil)
	second := reflect.New(typ)
	if err := Decode(encoded, second.Interface()); err != nil {
		t.Fatalf("%s: re-encoded body %s does not decode: %v", op, encoded, err)
	}
	if !reflect.DeepEqual(first.Interface(), second.Interface()) {
		t.Fatalf("%s: round trip changed the input:\n%s\n%s", op, encoded, second.Interface().(Output).AppendJSON(nil))
	}
}
