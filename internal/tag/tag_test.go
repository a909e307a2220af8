package tag

import (
	"fmt"
	"testing"

	"github.com/dxlocal/dxlocal/internal/dxerr"
)

func tags(keys ...string) []Tag {
	out := make([]Tag, len(keys))
	for i, k := range keys {
		out[i] = Tag{Key: k, Value: "v" + k}
	}
	return out
}

func manyTags(prefix string, n int) []Tag {
	out := make([]Tag, n)
	for i := range out {
		out[i] = Tag{Key: fmt.Sprintf("%s%d", prefix, i)}
	}
	return out
}

func TestMerge(t *testing.T) {
	cases := []struct {
		name     string
		existing []Tag
		add      []Tag
		wantKind dxerr.Kind
		wantLen  int
	}{
		{"into nothing", nil, tags("a", "b"), 0, 2},
		{"overwrite keeps position", tags("a", "b"), []Tag{{Key: "a", Value: "new"}}, 0, 2},
		{"duplicate keys in the request", nil, tags("a", "a"), dxerr.DuplicateTagKeys, 0},
		{"reserved prefix", nil, tags("aws:x"), dxerr.Invalid, 0},
		{"exactly fifty", manyTags("k", 49), tags("z"), 0, 50},
		{"fifty-one", manyTags("k", 50), tags("z"), dxerr.TooManyTags, 0},
		{"overwriting at fifty is fine", manyTags("k", 50), tags("k0"), 0, 50},
		{"aws: keys do not count", append(manyTags("k", 50), Tag{Key: "aws:cloudformation:stack"}), tags("k1"), 0, 51},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := fmt.Sprint(tc.existing)
			got, err := Merge(tc.existing, tc.add, MaxPerResource)
			if fmt.Sprint(tc.existing) != before {
				t.Fatal("Merge changed its input")
			}
			if tc.wantKind != 0 {
				if dxerr.KindOf(err) != tc.wantKind {
					t.Fatalf("error %v, want kind %d", err, tc.wantKind)
				}
				return
			}
			if err != nil || len(got) != tc.wantLen {
				t.Fatalf("%v, %d tags, want %d", err, len(got), tc.wantLen)
			}
		})
	}
	got, _ := Merge(tags("a", "b"), []Tag{{Key: "a", Value: "new"}}, MaxPerResource)
	if got[0] != (Tag{Key: "a", Value: "new"}) || got[1].Key != "b" {
		t.Fatalf("overwrite: %v", got)
	}
}

func TestRemove(t *testing.T) {
	got, err := Remove(tags("a", "b", "c"), []string{"b", "absent"})
	if err != nil || len(got) != 2 || got[0].Key != "a" || got[1].Key != "c" {
		t.Fatalf("%v %v", got, err)
	}
	if _, err := Remove(tags("a"), []string{"aws:x"}); dxerr.KindOf(err) != dxerr.Invalid {
		t.Fatalf("removing a reserved key: %v", err)
	}
}
