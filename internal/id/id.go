// Package id makes resource identifiers in AWS's forms: dxcon-, dxlag-, ... followed by eight
// lowercase characters. Observed ids almost always start with "f", so ours do too.
package id

import (
	"math/rand/v2"
	"sync"
)

const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// Source makes unique ids; safe for concurrent use. A seeded source makes the same sequence on
// every run, which keeps tests and golden files reproducible.
type Source struct {
	// seed is the seed given to NewSource; 0 means a random one at start and at every Reset.
	seed uint64

	mu   sync.Mutex // guards rng, pcg and seen
	rng  *rand.Rand
	pcg  *rand.PCG // rng's generator, whose state State and Restore read and write
	seen map[string]struct{}
}

// NewSource returns a source seeded with seed; seed 0 picks a random seed.
func NewSource(seed uint64) *Source {
	s := &Source{seed: seed}
	s.Reset()
	return s
}

// Reset restarts the sequence: a seeded source makes the same ids again, in the same order, as
// after NewSource; an unseeded one picks a new random seed. It forgets every id issued so far,
// so the memory of a long-running emulator does not grow across resets.
func (s *Source) Reset() {
	seed := s.seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pcg = rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
	s.rng = rand.New(s.pcg)
	s.seen = map[string]struct{}{}
}

// Issued is how many distinct ids the source has made since it started or was last reset.
func (s *Source) Issued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}

// New returns prefix + "-f" + seven random characters, never returned before by this source.
func (s *Source) New(prefix string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		b := make([]byte, 0, len(prefix)+9)
		b = append(b, prefix...)
		b = append(b, '-', 'f')
		for range 7 {
			b = append(b, alphabet[s.rng.IntN(len(alphabet))])
		}
		id := string(b)
		if _, dup := s.seen[id]; !dup {
			s.seen[id] = struct{}{}
			return id
		}
	}
}

// Token returns n random lowercase alphanumeric characters.
func (s *Source) Token(n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[s.rng.IntN(len(alphabet))]
	}
	return string(b)
}
