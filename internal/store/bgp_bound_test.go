package store

import (
	"strings"
	"testing"
	"time"

	"github.com/dxlocal/dxlocal/internal/limit"
	"github.com/dxlocal/dxlocal/internal/page"
)

// Every StartBgpFailoverTest added to the account's history for good: a loop of start and
// stop grew it without bound. The history keeps limit.TestHistory tests, dropping the oldest
// finished one.
func TestFailoverTestHistoryIsBounded(t *testing.T) {
	s, clk := newTestStore(t, time.Second)
	r, c, id := readyVIF(t, s, clk, time.Second)
	clk.Advance(time.Minute)
	var first, last string
	for i := range limit.TestHistory + 5 {
		ft, err := r.StartFailoverTest(c, id, nil, nil)
		if err != nil {
			t.Fatalf("test %d: %v", i, err)
		}
		if i == 0 {
			first = ft.ID
		}
		last = ft.ID
		if _, err := r.StopFailoverTest(c, id); err != nil {
			t.Fatal(err)
		}
	}
	all, _, err := r.ListFailoverTests(c, TestFilter{}, page.Request{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != limit.TestHistory || all[len(all)-1].ID != last || all[0].ID == first {
		t.Fatalf("history of %d tests, from %s to %s", len(all), all[0].ID, all[len(all)-1].ID)
	}
}

func TestLongBGPPeerListsAreRefused(t *testing.T) {
	s, clk := newTestStore(t, time.Second)
	r, c, id := readyVIF(t, s, clk, time.Second)
	peers := make([]string, limit.BGPPeerIDs+1)
	for i := range peers {
		peers[i] = "dxpeer-x"
	}
	if _, err := r.StartFailoverTest(c, id, peers, nil); err == nil || !strings.Contains(err.Error(), "bgpPeers has 101") {
		t.Fatalf("start with 101 peers: %v", err)
	}
	if _, _, err := r.ListFailoverTests(c, TestFilter{Peers: peers}, page.Request{}); err == nil || !strings.Contains(err.Error(), "bgpPeers has 101") {
		t.Fatalf("history filtered by 101 peers: %v", err)
	}
}
