package model

import "fmt"

// result turns a service method's answer into Invoke's. Converting a nil *X to Output
// would give a non-nil interface holding nil, so the nil cases are handled before the
// conversion; a service that answers neither output nor error has a bug, reported as
// a plain error so the transport treats it as an internal failure.
func result[T any, P interface {
	*T
	Output
}](op string, out P, err error) (Output, error) {
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, fmt.Errorf("model: operation %s returned neither an output nor an error", op)
	}
	return out, nil
}
