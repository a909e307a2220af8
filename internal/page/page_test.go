package page

import (
	"testing"

	"github.com/dxlocal/dxlocal/internal/dxerr"
)

func i32(v int32) *int32 { return &v }

func TestWindowWalksTheWholeList(t *testing.T) {
	key := Key("DescribeConnections", "111111111111", "us-east-1", "")
	var token *string
	var got [][2]int
	for range 10 {
		start, end, next, err := Request{Max: i32(4), Token: token, Key: key}.Window(10)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, [2]int{start, end})
		if next == "" {
			break
		}
		token = &next
	}
	want := [][2]int{{0, 4}, {4, 8}, {8, 10}}
	if len(got) != len(want) {
		t.Fatalf("pages %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("pages %v, want %v", got, want)
		}
	}
}

func TestWindow(t *testing.T) {
	key := Key("op", "a")
	_, _, tok, _ := Request{Max: i32(1), Key: key}.Window(3)
	cases := []struct {
		name       string
		req        Request
		n          int
		start, end int
		more       bool
		invalid    bool
	}{
		{"no maxResults: everything", Request{Key: key}, 250, 0, 250, false, false},
		{"clamped to 100", Request{Max: i32(1000), Key: key}, 250, 0, 100, true, false},
		{"empty list", Request{Max: i32(5), Key: key}, 0, 0, 0, false, false},
		{"zero", Request{Max: i32(0), Key: key}, 5, 0, 0, false, true},
		{"negative", Request{Max: i32(-1), Key: key}, 5, 0, 0, false, true},
		{"garbage token", Request{Token: ptr("%%%"), Key: key}, 5, 0, 0, false, true},
		{"token of another request", Request{Token: &tok, Key: Key("op", "b")}, 5, 0, 0, false, true},
		{"token resumes", Request{Token: &tok, Key: key}, 3, 1, 3, false, false},
		{"list shrank below the token", Request{Token: &tok, Key: key}, 0, 0, 0, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start, end, next, err := tc.req.Window(tc.n)
			if tc.invalid {
				if dxerr.KindOf(err) != dxerr.Invalid {
					t.Fatalf("error %v, want Invalid", err)
				}
				return
			}
			if err != nil || start != tc.start || end != tc.end || (next != "") != tc.more {
				t.Fatalf("[%d,%d) next=%q err=%v; want [%d,%d) more=%v", start, end, next, err, tc.start, tc.end, tc.more)
			}
		})
	}
}

func ptr(s string) *string { return &s }
