package api

import (
	"runtime"
	"testing"
)

// TestResponseBuffers checks what is kept of large response buffers: one is handed to the next
// answer (once), a buffer over maxBigBuffer is not kept, and the kept one does not outlive a GC.
func TestResponseBuffers(t *testing.T) {
	big := make([]byte, 0, maxPooledBuffer+1)
	releaseBuffer(new([]byte), big)
	if got := responseBuffer(); cap(*got) != cap(big) {
		t.Fatalf("next buffer has cap %d, want the kept large one (%d)", cap(*got), cap(big))
	}
	if got := responseBuffer(); cap(*got) > maxPooledBuffer {
		t.Fatalf("the large buffer was handed out twice (cap %d)", cap(*got))
	}

	huge := make([]byte, 0, maxBigBuffer+1)
	releaseBuffer(new([]byte), huge)
	if got := responseBuffer(); cap(*got) > maxBigBuffer {
		t.Fatalf("a buffer over maxBigBuffer was kept (cap %d)", cap(*got))
	}

	releaseBuffer(new([]byte), make([]byte, 0, maxPooledBuffer+1))
	runtime.GC()
	if got := responseBuffer(); cap(*got) > maxPooledBuffer {
		t.Fatalf("the large buffer outlived a GC (cap %d)", cap(*got))
	}
}
