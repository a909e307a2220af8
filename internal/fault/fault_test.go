package fault

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func isOp(s string) bool { return s == "CreateConnection" || s == "DescribeConnections" }
func isError(s string) bool {
	return s == "DirectConnectClientException" || s == "DirectConnectServerException"
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name string
		in   Spec
		err  string // part of the error, "" for none
		want Spec
	}{
		{"server error defaults to 500", Spec{Operation: "CreateConnection", Error: "DirectConnectServerException"}, "",
			Spec{Operation: "CreateConnection", Error: "DirectConnectServerException", Status: 500, Message: "Fault injected by dxlocal."}},
		{"client error defaults to 400", Spec{Operation: "*", Error: "DirectConnectClientException", Message: "no"}, "",
			Spec{Operation: "*", Error: "DirectConnectClientException", Status: 400, Message: "no"}},
		{"throttling", Spec{Operation: "*", Error: "ThrottlingException"}, "",
			Spec{Operation: "*", Error: "ThrottlingException", Status: 400, Message: "Rate exceeded"}},
		{"delay only", Spec{Operation: "CreateConnection", Delay: time.Second}, "", Spec{Operation: "CreateConnection", Delay: time.Second}},
		{"no operation", Spec{Error: "DirectConnectClientException"}, "operation is required", Spec{}},
		{"unknown operation", Spec{Operation: "CreateWidget", Error: "DirectConnectClientException"}, `"CreateWidget"`, Spec{}},
		{"unknown error", Spec{Operation: "*", Error: "BoomException"}, `"BoomException"`, Spec{}},
		{"nothing to do", Spec{Operation: "*"}, "needs an error", Spec{}},
		{"status without error", Spec{Operation: "*", Status: 500, Delay: time.Second}, "need an error", Spec{}},
		{"bad status", Spec{Operation: "*", Error: "ThrottlingException", Status: 200}, "status 200", Spec{}},
		{"negative count", Spec{Operation: "*", Error: "ThrottlingException", Count: -1}, "count -1", Spec{}},
		{"negative after", Spec{Operation: "*", Error: "ThrottlingException", After: -2}, "after -2", Spec{}},
		{"negative delay", Spec{Operation: "*", Delay: -time.Second}, "delay -1s", Spec{}},
		{"huge delay", Spec{Operation: "*", Delay: time.Hour}, "delay 1h0m0s", Spec{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Check(tc.in, isOp, isError)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestMatchCountsAfterAndScope(t *testing.T) {
	var set Set
	f := mustAdd(t, &set, Spec{Operation: "CreateConnection", Error: "ThrottlingException", Status: 400, Count: 2, After: 1, Account: "111111111111", Region: "us-east-1"})
	hits := ""
	for _, call := range []struct{ op, account, region string }{
		{"CreateConnection", "111111111111", "us-east-1"}, // skipped (after 1)
		{"DescribeConnections", "111111111111", "us-east-1"},
		{"CreateConnection", "222222222222", "us-east-1"},
		{"CreateConnection", "111111111111", "eu-west-1"},
		{"CreateConnection", "111111111111", "us-east-1"}, // hit 1
		{"CreateConnection", "111111111111", "us-east-1"}, // hit 2, then gone
		{"CreateConnection", "111111111111", "us-east-1"},
	} {
		if h, ok := set.Match(call.op, call.account, call.region); ok {
			if h.FaultID != f.ID || h.Error != "ThrottlingException" {
				t.Fatalf("hit %+v", h)
			}
			hits += "x"
		} else {
			hits += "."
		}
	}
	if hits != "....xx." {
		t.Fatalf("hits %s, want ....xx.", hits)
	}
	if len(set.List()) != 0 {
		t.Fatal("a used-up fault is still listed")
	}
}

func TestUntilRemoved(t *testing.T) {
	var set Set
	f := mustAdd(t, &set, Spec{Operation: "*", Error: "DirectConnectServerException"})
	for range 100 {
		if _, ok := set.Match("DescribeConnections", "1", "r"); !ok {
			t.Fatal("a fault of count 0 stopped hitting")
		}
	}
	if l := set.List(); len(l) != 1 || l[0].Remaining != -1 {
		t.Fatalf("list %+v", l)
	}
	if !set.Remove(f.ID) || set.Remove(f.ID) {
		t.Fatal("Remove did not report presence")
	}
	if _, ok := set.Match("DescribeConnections", "1", "r"); ok {
		t.Fatal("a removed fault hit")
	}
}

func TestTheFirstFaultPastItsSkipsWins(t *testing.T) {
	var set Set
	a := mustAdd(t, &set, Spec{Operation: "*", Error: "DirectConnectServerException", After: 1, Count: 1})
	b := mustAdd(t, &set, Spec{Operation: "CreateConnection", Error: "DirectConnectClientException", Count: 5})
	h, _ := set.Match("CreateConnection", "1", "r") // a skips, b hits
	if h.FaultID != b.ID {
		t.Fatalf("first call hit by %s, want %s", h.FaultID, b.ID)
	}
	h, _ = set.Match("CreateConnection", "1", "r") // a hits, b does not see it
	if h.FaultID != a.ID {
		t.Fatalf("second call hit by %s, want %s", h.FaultID, a.ID)
	}
	if l := set.List(); len(l) != 1 || l[0].Remaining != 4 {
		t.Fatalf("list %+v", l)
	}
}

func TestConcurrentMatchUsesCountExactly(t *testing.T) {
	var set Set
	mustAdd(t, &set, Spec{Operation: "*", Error: "ThrottlingException", Count: 500})
	var mu sync.Mutex
	hits := 0
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if _, ok := set.Match("DescribeConnections", "1", "r"); ok {
					mu.Lock()
					hits++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if hits != 500 {
		t.Fatalf("%d hits, want 500", hits)
	}
}

func mustAdd(t *testing.T, set *Set, s Spec) Fault {
	t.Helper()
	f, err := set.Add(s)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// Every call walks the faults in force, and each holds its message: both are bounded.
func TestFaultsAreBounded(t *testing.T) {
	var set Set
	for range MaxFaults {
		mustAdd(t, &set, Spec{Operation: "*", Error: "DirectConnectServerException", Account: "999999999999"})
	}
	if _, err := set.Add(Spec{Operation: "*", Error: "DirectConnectServerException"}); err != ErrFull {
		t.Fatalf("fault %d: %v", MaxFaults+1, err)
	}
	if len(set.List()) != MaxFaults {
		t.Fatalf("%d faults in force", len(set.List()))
	}
	set.Clear()
	mustAdd(t, &set, Spec{Operation: "*", Error: "DirectConnectServerException"})
	long := Spec{Operation: "*", Error: "DirectConnectServerException", Message: strings.Repeat("m", MaxMessage+1)}
	if _, err := Check(long, func(string) bool { return true }, func(string) bool { return true }); err == nil || !strings.Contains(err.Error(), "message has 4097 bytes") {
		t.Fatalf("a message of %d bytes: %v", MaxMessage+1, err)
	}
}
