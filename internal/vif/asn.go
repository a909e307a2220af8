package vif

import "github.com/dxlocal/dxlocal/internal/dxerr"

// ASN bounds: asn is a signed 32-bit member, asnLong covers the whole 4-byte range but the
// reserved 4294967295.
const (
	MaxASN     = 2147483646
	MaxASNLong = 4294967294
	// PublicAmazonASN is Amazon's side of every public VIF, and of VIFs with no gateway yet.
	PublicAmazonASN = 7224
)

// ResolveASN picks the customer ASN of a request: asnLong when given (it wins over asn),
// else asn. One of them is required.
func ResolveASN(asn *int32, asnLong *int64) (int64, error) {
	switch {
	case asnLong != nil:
		if *asnLong < 1 {
			return 0, dxerr.New(dxerr.Invalid, "BGP ASN %d must have value greater than or equal to 1", *asnLong)
		}
		if *asnLong > MaxASNLong {
			return 0, dxerr.New(dxerr.Invalid, "BGP ASN %d must have value less than or equal to %d", *asnLong, MaxASNLong)
		}
		return *asnLong, nil
	case asn != nil:
		if *asn < 1 {
			return 0, dxerr.New(dxerr.Invalid, "BGP ASN %d must have value greater than or equal to 1", *asn)
		}
		if int64(*asn) > MaxASN {
			return 0, dxerr.New(dxerr.Invalid, "BGP ASN %d must have value less than or equal to %d", *asn, MaxASN)
		}
		return int64(*asn), nil
	}
	return 0, dxerr.New(dxerr.Invalid, "asn is required.")
}

// SplitASN is how a stored ASN answers: both members equal when it fits asn, otherwise asn 0
// and the value in asnLong.
func SplitASN(v int64) (asn int32, asnLong int64) {
	if v <= 2147483647 {
		return int32(v), v
	}
	return 0, v
}

// IsPrivateASN reports whether v is in a private range (64512-65534, 4200000000-4294967294).
func IsPrivateASN(v int64) bool {
	return (v >= 64512 && v <= 65534) || (v >= 4200000000 && v <= MaxASNLong)
}
