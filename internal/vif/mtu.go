package vif

import "github.com/dxlocal/dxlocal/internal/dxerr"

// DefaultMTU is every VIF's MTU unless a jumbo one is asked for.
const DefaultMTU = 1500

// jumboMTU is the one jumbo MTU each type accepts: 9001 for private VIFs, 8500 for transit
// VIFs; public VIFs take none.
var jumboMTU = map[Type]int{Private: 9001, Transit: 8500}

// ResolveMTU checks an mtu member for a VIF of type t; absent means 1500.
func ResolveMTU(t Type, mtu *int32) (int, error) {
	if mtu == nil {
		return DefaultMTU, nil
	}
	v := int(*mtu)
	if v == DefaultMTU || (jumboMTU[t] != 0 && v == jumboMTU[t]) {
		return v, nil
	}
	return 0, dxerr.New(dxerr.Invalid, "MTU %d is not supported for %s virtual interfaces.", v, t)
}

// Jumbo reports whether mtu needs a jumbo-frame capable connection.
func Jumbo(mtu int) bool { return mtu > DefaultMTU }
