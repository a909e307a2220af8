//go:build unix

package store

import (
	"syscall"
	"testing"
	"time"
)

// processCPU is the user + system CPU time of this process so far: on a busy machine it says
// more about the work than the wall-clock time does.
func processCPU(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
