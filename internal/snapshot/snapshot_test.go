package snapshot

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDecodeRefusesWhatIsNotAState(t *testing.T) {
	cases := map[string]string{
		`{"format": 1`:                "not a JSON state document",
		`{"format": 1} {"format": 1}`: "not a JSON state document",
		`{"format": 2}`:               "format 2",
		`{}`:                          "format 0",
		`[]`:                          "not a JSON state document",
		`{"format": 1, "regions": 7}`: "regions",
	}
	for in, want := range cases {
		if _, err := Decode(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Decode(%s) = %v, want an error with %q", in, err, want)
		}
	}
	st, err := Decode(strings.NewReader(`{"format": 1, "futureMember": {"x": 1}}`))
	if err != nil || st.Format != 1 {
		t.Fatalf("a member added later must not break reading: %v", err)
	}
}

func TestWriteFileReplacesAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	if _, err := ReadFile(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	for i, name := range []string{"first", "second"} {
		st := &State{Format: Format, Clock: time.Date(2026, 1, 1, i, 0, 0, 0, time.UTC), Partners: []Partner{{Account: "111111111111", PartnerName: name}}}
		if err := WriteFile(path, st); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile(path)
		if err != nil || got.Partners[0].PartnerName != name || !got.Clock.Equal(st.Clock) {
			t.Fatalf("read back %+v, %v", got, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("files left beside the state: %v", entries)
	}
	if err := WriteFile(filepath.Join(dir, "missing", "state.json"), &State{Format: Format}); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("writing into a missing directory: %v", err)
	}
}
