package id

import "testing"

func TestRestoreGoesOnWithTheSequence(t *testing.T) {
	a := NewSource(42)
	for range 5 {
		a.New("dxcon")
	}
	state := a.State()
	want := []string{a.New("dxcon"), a.Token(6), a.New("dxlag")}

	b := NewSource(99)
	b.New("dxcon")
	if err := b.Restore(state, nil); err != nil {
		t.Fatal(err)
	}
	got := []string{b.New("dxcon"), b.Token(6), b.New("dxlag")}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("after restore %v, want %v", got, want)
		}
	}
	// An id in use is never made again: the restored source skips it.
	c := NewSource(1)
	if err := c.Restore(state, []string{want[0]}); err != nil {
		t.Fatal(err)
	}
	if id := c.New("dxcon"); id == want[0] {
		t.Fatalf("made %s, which is in use", id)
	}
	if err := CheckState([]byte("nonsense")); err == nil {
		t.Fatal("a bad state was accepted")
	}
	if err := c.Restore([]byte("nonsense"), nil); err == nil {
		t.Fatal("Restore took a bad state")
	}
}
