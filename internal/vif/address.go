package vif

import (
	"encoding/binary"
	"net/netip"

	"github.com/dxlocal/dxlocal/internal/dxerr"
)

// LinkLocal is where IPv4 peer addresses are assigned from when a request gives none.
var LinkLocal = netip.MustParsePrefix("169.254.0.0/16")

// DefaultIPv6Pool is where IPv6 peer blocks come from; AWS assigns from its own space.
var DefaultIPv6Pool = netip.MustParsePrefix("2001:db8::/32")

// Pair is the two ends of one BGP peering, each in CIDR notation of the peering subnet.
type Pair struct {
	Amazon   netip.Prefix
	Customer netip.Prefix
}

// Net is the peering subnet.
func (p Pair) Net() netip.Prefix { return p.Amazon.Masked() }

// ParsePair checks user-given IPv4 peer addresses: both in CIDR notation, one prefix length
// from 29 to 31, one subnet, two different hosts, neither the network nor the broadcast address
// of a /29 or /30.
func ParsePair(amazon, customer string) (Pair, error) {
	a, err := netip.ParsePrefix(amazon)
	if err != nil || !a.Addr().Is4() {
		return Pair{}, dxerr.New(dxerr.Invalid, "amazonAddress %s is not valid: want an IPv4 address in CIDR notation.", amazon)
	}
	c, err := netip.ParsePrefix(customer)
	if err != nil || !c.Addr().Is4() {
		return Pair{}, dxerr.New(dxerr.Invalid, "customerAddress %s is not valid: want an IPv4 address in CIDR notation.", customer)
	}
	if a.Bits() < 29 || a.Bits() > 31 || a.Bits() != c.Bits() {
		return Pair{}, dxerr.New(dxerr.Invalid, "Amazon address %s and customer address %s must have the same prefix length, from /29 to /31.", amazon, customer)
	}
	if a.Masked() != c.Masked() {
		return Pair{}, dxerr.New(dxerr.Invalid, "Amazon address and customer address must be in the same subnet. amazonAddress %s and customerAddress %s are not.", amazon, customer)
	}
	if a.Addr() == c.Addr() {
		return Pair{}, dxerr.New(dxerr.Invalid, "Amazon address and customer address must differ: both are %s.", a.Addr())
	}
	if a.Bits() < 31 {
		for _, p := range []netip.Prefix{a, c} {
			if isNetworkOrBroadcast(p) {
				return Pair{}, dxerr.New(dxerr.Invalid, "Address %s is the network or broadcast address of its subnet.", p)
			}
		}
	}
	return Pair{Amazon: a, Customer: c}, nil
}

func isNetworkOrBroadcast(p netip.Prefix) bool {
	b := p.Addr().As4()
	host := binary.BigEndian.Uint32(b[:]) & (1<<(32-p.Bits()) - 1)
	return host == 0 || host == 1<<(32-p.Bits())-1
}

// Overlaps reports whether two subnets share an address.
func Overlaps(a, b netip.Prefix) bool { return a.Overlaps(b) }

// blocks30 is how many /30 blocks 169.254.0.0/16 holds.
const blocks30 = 1 << 14

// AllocV4 picks the lowest /30 of 169.254.0.0/16 that overlaps none of used: amazon = .1 and
// customer = .2 of the block. ok is false when every block is taken.
func AllocV4(used []netip.Prefix) (p Pair, ok bool) {
	var taken [blocks30 / 64]uint64
	for _, u := range used {
		u = u.Masked()
		if !u.Addr().Is4() || !LinkLocal.Overlaps(u) {
			continue
		}
		if u.Bits() < LinkLocal.Bits() {
			return Pair{}, false // covers the whole range
		}
		first, last := blockRange(u)
		for i := first; i <= last; i++ {
			taken[i/64] |= 1 << (i % 64)
		}
	}
	for w, bits := range taken {
		if bits == ^uint64(0) {
			continue
		}
		for i := range 64 {
			if bits&(1<<i) == 0 {
				return v4Block(uint32(w*64 + i)), true
			}
		}
	}
	return Pair{}, false
}

// blockRange is the first and last /30 block index of 169.254.0.0/16 that u touches.
func blockRange(u netip.Prefix) (first, last uint32) {
	b := u.Addr().As4()
	off := binary.BigEndian.Uint32(b[:]) & 0xffff
	size := uint32(1) << (32 - u.Bits())
	return off / 4, (off + size - 1) / 4
}

func v4Block(i uint32) Pair {
	base := binary.BigEndian.Uint32(LinkLocal.Addr().AsSlice()) + i*4
	at := func(n uint32) netip.Prefix {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], base+n)
		return netip.PrefixFrom(netip.AddrFrom4(b), 30)
	}
	return Pair{Amazon: at(1), Customer: at(2)}
}

// V6Block is the n-th /125 of pool: amazon = block + 1, customer = block + 6, the layout of
// AWS's one published example. ok is false when pool has no n-th block.
func V6Block(pool netip.Prefix, n uint64) (p Pair, ok bool) {
	if !pool.Addr().Is6() || pool.Bits() > 125 {
		return Pair{}, false
	}
	if span := 125 - pool.Bits(); span < 64 && n >= 1<<span {
		return Pair{}, false
	}
	b := pool.Masked().Addr().As16()
	lo := binary.BigEndian.Uint64(b[8:])
	hi := binary.BigEndian.Uint64(b[:8])
	add := func(x uint64) netip.Prefix {
		l, carry := lo+x, uint64(0)
		if l < lo {
			carry = 1
		}
		var out [16]byte
		binary.BigEndian.PutUint64(out[:8], hi+carry)
		binary.BigEndian.PutUint64(out[8:], l)
		return netip.PrefixFrom(netip.AddrFrom16(out), 125)
	}
	return Pair{Amazon: add(n*8 + 1), Customer: add(n*8 + 6)}, true
}
