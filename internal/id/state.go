package id

import (
	"fmt"
	"math/rand/v2"
)

// State returns where the source's sequence stands: the state of its generator, in the
// generator's own binary encoding. A source restored from it makes the same ids next.
func (s *Source) State() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, _ := s.pcg.MarshalBinary() // a PCG's encoding cannot fail
	return b
}

// CheckState reports whether state is one State could have returned.
func CheckState(state []byte) error {
	var p rand.PCG
	if err := p.UnmarshalBinary(state); err != nil {
		return fmt.Errorf("id sequence state is not valid: %v", err)
	}
	return nil
}

// Restore puts the sequence back where State found it. used are the ids in use, which the
// source will not make again; ids it made before and that are gone are forgotten, as after a
// reset. The state has been checked with CheckState; a state that fails leaves the source as it was.
func (s *Source) Restore(state []byte, used []string) error {
	var p rand.PCG
	if err := p.UnmarshalBinary(state); err != nil {
		return fmt.Errorf("id sequence state is not valid: %v", err)
	}
	seen := make(map[string]struct{}, len(used))
	for _, id := range used {
		seen[id] = struct{}{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	*s.pcg = p
	s.seen = seen
	return nil
}
