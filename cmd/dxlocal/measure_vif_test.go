package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestMeasureVIFs measures the built binary's memory with 10,000 dedicated connections and
// 10,000 private VIFs (one on each), made through the API. It reads VmRSS after the setup and an
// idle pause (no list yet), after one list of every VIF and an idle pause, right after 20 more
// lists (one at a time), and after another idle pause. Run it with
//
//	DXLOCAL_MEASURE=1 go test -run TestMeasureVIFs -v -count=1 ./cmd/dxlocal
//
// DXLOCAL_MEASURE_BINARY=PATH measures that binary instead of the one TestMain built, so that
// two versions can be compared on one catalog and one setup.
func TestMeasureVIFs(t *testing.T) {
	if os.Getenv("DXLOCAL_MEASURE") != "1" {
		t.Skip("set DXLOCAL_MEASURE=1 to measure")
	}
	bin := binary
	if b := os.Getenv("DXLOCAL_MEASURE_BINARY"); b != "" {
		bin = b
	}
	const (
		locations = 1000 // 10 connections each: the default quota per location
		perLoc    = 10
		lists     = 20
		idle      = 3 * time.Second
		runs      = 3
	)
	var b strings.Builder
	b.WriteString(`{"locations":[`)
	for l := range locations {
		if l > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"code":"MV%04d","region":"us-east-1","endpoints":[{"device":"MV%04d-dev1","ports":{"1Gbps":%d}}]}`, l, l, perLoc)
	}
	b.WriteString(`]}`)
	catFile := writeFile(t, t.TempDir(), "catalog.json", b.String())

	var unlisted, afterSetup, afterLists, afterIdle []int
	for range runs {
		cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-catalog", catFile, "-log-level", "warn")
		cmd.Env = cleanEnv()
		cmd.Stderr = io.Discard
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		stop := func() {
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			stop()
			t.Fatalf("no address line: %v", err)
		}
		api := measureAPI{url: "http://" + strings.TrimSpace(strings.TrimPrefix(line, "dxlocal listening on ")) + "/"}
		var bodies []string
		for l := range locations {
			for range perLoc {
				bodies = append(bodies, fmt.Sprintf(`{"connectionName":"c","bandwidth":"1Gbps","location":"MV%04d"}`, l))
			}
		}
		connIDs, err := api.all("CreateConnection", bodies, "connectionId")
		if err != nil {
			stop()
			t.Fatal(err)
		}
		// Every request settles what is due (-dwell 0s): the connections are available by the
		// time their VIFs are created, and no list is needed before the first reading.
		bodies = bodies[:0]
		for _, id := range connIDs {
			bodies = append(bodies, fmt.Sprintf(`{"connectionId":%q,"newPrivateVirtualInterface":{"virtualInterfaceName":"v","vlan":101,"asn":65000,"virtualGatewayId":"vgw-0123456789abcdef0"}}`, id))
		}
		if _, err := api.all("CreatePrivateVirtualInterface", bodies, ""); err != nil {
			stop()
			t.Fatal(err)
		}
		time.Sleep(idle)
		unlisted = append(unlisted, vmRSS(t, cmd.Process.Pid))
		var vifs struct {
			VIFs []struct {
				State string `json:"virtualInterfaceState"`
			} `json:"virtualInterfaces"`
		}
		if err := api.call("DescribeVirtualInterfaces", `{}`, &vifs); err != nil {
			stop()
			t.Fatal(err)
		}
		if len(vifs.VIFs) != locations*perLoc || vifs.VIFs[0].State != "available" {
			stop()
			t.Fatalf("setup made %d VIFs", len(vifs.VIFs))
		}
		time.Sleep(idle)
		afterSetup = append(afterSetup, vmRSS(t, cmd.Process.Pid))
		for range lists {
			if err := api.call("DescribeVirtualInterfaces", `{}`, nil); err != nil {
				stop()
				t.Fatal(err)
			}
		}
		afterLists = append(afterLists, vmRSS(t, cmd.Process.Pid))
		time.Sleep(idle)
		afterIdle = append(afterIdle, vmRSS(t, cmd.Process.Pid))
		stop()
	}
	med := func(kb []int) string {
		slices.Sort(kb)
		return fmt.Sprintf("median %.1f MB (min %.1f, max %.1f)", float64(kb[len(kb)/2])/1024, float64(kb[0])/1024, float64(kb[len(kb)-1])/1024)
	}
	t.Logf("%d runs of %s: %d connections and %d private VIFs made through the API", runs, bin, locations*perLoc, locations*perLoc)
	t.Logf("VmRSS after the setup (no list yet) and %v idle: %s", idle, med(unlisted))
	t.Logf("VmRSS after one list of every VIF and %v idle: %s", idle, med(afterSetup))
	t.Logf("VmRSS right after %d lists of every VIF: %s", lists, med(afterLists))
	t.Logf("VmRSS %v after the lists: %s", idle, med(afterIdle))
}

// measureAPI sends unsigned AWS JSON 1.1 requests (the server's default account and region).
type measureAPI struct{ url string }

func (a measureAPI) call(op, body string, out any) error {
	req, _ := http.NewRequest(http.MethodPost, a.url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "OvertureService."+op)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %d %s", op, body, resp.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(bytes.NewReader(b)).Decode(out)
}

// all sends every body, two at a time (the machine's cores), and answers the first failure;
// with a member name it also answers that string member of every answer, in body order.
func (a measureAPI) all(op string, bodies []string, member string) ([]string, error) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		got   = make([]string, len(bodies))
	)
	for w := range 2 {
		wg.Go(func() {
			for i := w; i < len(bodies); i += 2 {
				var out map[string]any
				var dst any
				if member != "" {
					dst = &out
				}
				if err := a.call(op, bodies[i], dst); err != nil {
					mu.Lock()
					first = cmpOr(first, err)
					mu.Unlock()
					return
				}
				if member != "" {
					got[i], _ = out[member].(string)
				}
			}
		})
	}
	wg.Wait()
	return got, first
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
