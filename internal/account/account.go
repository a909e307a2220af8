// Package account holds what dxlocal knows of AWS account ids: twelve decimal digits.
package account

// IsID reports whether s is an AWS account id: exactly 12 digits.
func IsID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
