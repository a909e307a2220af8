package id

import "testing"

func TestSeededSourceRepeatsAfterReset(t *testing.T) {
	a, b := NewSource(42), NewSource(42)
	first := []string{a.New("dxcon"), a.New("dxlag"), a.Token(6)}
	if got := []string{b.New("dxcon"), b.New("dxlag"), b.Token(6)}; got[0] != first[0] || got[1] != first[1] || got[2] != first[2] {
		t.Fatalf("same seed, different ids: %v and %v", first, got)
	}
	if a.Issued() != 2 {
		t.Fatalf("Issued = %d, want 2", a.Issued())
	}
	a.Reset()
	if a.Issued() != 0 {
		t.Fatalf("after Reset the source still remembers %d ids", a.Issued())
	}
	if got := []string{a.New("dxcon"), a.New("dxlag"), a.Token(6)}; got[0] != first[0] || got[1] != first[1] || got[2] != first[2] {
		t.Fatalf("after Reset the sequence did not restart: %v, want %v", got, first)
	}
}

func TestUnseededSourcesDiffer(t *testing.T) {
	a, b := NewSource(0), NewSource(0)
	if a.New("dxcon") == b.New("dxcon") {
		t.Fatal("two unseeded sources made the same first id")
	}
}
