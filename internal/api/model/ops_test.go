package model

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func TestOperationsTable(t *testing.T) {
	svc := reflect.TypeFor[Service]()
	if len(Operations) != 63 || svc.NumMethod() != 63 {
		t.Fatalf("%d operations and %d Service methods, want 63", len(Operations), svc.NumMethod())
	}
	for i := range svc.NumMethod() {
		name := svc.Method(i).Name
		op, ok := Operations[name]
		if !ok {
			t.Errorf("Service.%s has no row in Operations", name)
			continue
		}
		if op.Name != name || op.Invoke == nil {
			t.Errorf("row %s: Name %q, Invoke set %v", name, op.Name, op.Invoke != nil)
		}
	}
	deprecated := map[string]bool{
		"AllocateConnectionOnInterconnect":  true,
		"DescribeConnectionLoa":             true,
		"DescribeConnectionsOnInterconnect": true,
		"DescribeInterconnectLoa":           true,
	}
	for name, op := range Operations {
		if op.Deprecated != deprecated[name] {
			t.Errorf("%s: Deprecated = %v", name, op.Deprecated)
		}
	}
}

func TestInvokeUnimplemented(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		op      string
		body    string
		wantErr any // pointer to the expected error type
	}{
		{"CreateConnection", `{"location":"EqDC2","bandwidth":"1Gbps","connectionName":"c"}`, new(*NotImplementedError)},
		{"CreateConnection", `{}`, new(*InvalidParamError)},
		{"CreateConnection", `{"location":1}`, new(*SerializationError)},
		{"CreateConnection", `not json`, new(*SerializationError)},
		{"DescribeConnections", ``, new(*NotImplementedError)},
		// Operations without input never look at the body.
		{"DescribeLocations", `not json`, new(*NotImplementedError)},
		{"DescribeVirtualGateways", `[1,2`, new(*NotImplementedError)},
		{"DescribeCustomerMetadata", `null`, new(*NotImplementedError)},
	}
	for _, tt := range tests {
		t.Run(tt.op+" "+tt.body, func(t *testing.T) {
			out, err := Operations[tt.op].Invoke(ctx, UnimplementedService{}, []byte(tt.body))
			if out != nil {
				t.Errorf("output %#v with error", out)
			}
			if !errors.As(err, tt.wantErr) {
				t.Fatalf("got %T %v, want %T", err, err, reflect.ValueOf(tt.wantErr).Elem().Interface())
			}
		})
	}
	_, err := Operations["DescribeLocations"].Invoke(ctx, UnimplementedService{}, nil)
	if want := "Operation DescribeLocations is not implemented by dxlocal yet."; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

// connectionService answers CreateConnection with whatever the test sets.
type connectionService struct {
	UnimplementedService
	out *Connection
	err error
	got *CreateConnectionRequest
}

func (s *connectionService) CreateConnection(_ context.Context, in *CreateConnectionRequest) (*Connection, error) {
	s.got = in
	return s.out, s.err
}

func TestInvokeResults(t *testing.T) {
	ctx := context.Background()
	body := []byte(`{"location":"EqDC2","bandwidth":"1Gbps","connectionName":"c"}`)
	invoke := Operations["CreateConnection"].Invoke

	svc := &connectionService{out: &Connection{ConnectionId: String("dxcon-1")}}
	out, err := invoke(ctx, svc, body)
	if err != nil || string(out.AppendJSON(nil)) != `{"connectionId":"dxcon-1"}` {
		t.Fatalf("got %v, %v", out, err)
	}
	if *svc.got.Location != "EqDC2" {
		t.Errorf("service saw %s", svc.got.AppendJSON(nil))
	}

	// A nil *Connection must not turn into a non-nil Output.
	domainErr := errors.New("boom")
	svc = &connectionService{err: domainErr}
	out, err = invoke(ctx, svc, body)
	if out != nil || err != domainErr {
		t.Errorf("got %#v, %v; want nil output and the service's error", out, err)
	}

	// Output and error together: the error wins.
	svc = &connectionService{out: &Connection{}, err: domainErr}
	if out, err = invoke(ctx, svc, body); out != nil || err != domainErr {
		t.Errorf("got %#v, %v", out, err)
	}

	// Neither output nor error is a service bug, reported as an error.
	svc = &connectionService{}
	if out, err = invoke(ctx, svc, body); out != nil || err == nil {
		t.Errorf("got %#v, %v; want nil output and an error", out, err)
	}
}
