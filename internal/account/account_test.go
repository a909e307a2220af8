package account

import "testing"

func TestIsID(t *testing.T) {
	for s, want := range map[string]bool{
		"123456789012": true, "000000000000": true,
		"12345678901": false, "1234567890123": false, "12345678901a": false, "": false, "AKIAIOSFODNN": false, "١٢٣٤٥٦٧٨٩٠١٢": false,
	} {
		if IsID(s) != want {
			t.Errorf("IsID(%q) = %v", s, !want)
		}
	}
}
