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
// 10,000 private VIFs (one on each), made through the API: VmRSS after the setup and an idle
// pause, then after listing every VIF in one request 20 times (one at a time), then after
// another idle pause. Run it with
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

	var afterSetup, afterLists, afterIdle []int
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
		if err := api.all("CreateConnection", bodies); err != nil {
			stop()
			t.Fatal(err)
		}
		var conns struct {
			Connections []struct {
				ID string `json:"connectionId"`
			} `json:"connections"`
		}
		if err := api.call("DescribeConnections", `{}`, &conns); err != nil { // settles them (-dwell 0s)
			stop()
			t.Fatal(err)
		}
		bodies = bodies[:0]
		for _, c := range conns.Connections {
			bodies = append(bodies, fmt.Sprintf(`{"connectionId":%q,"newPrivateVirtualInterface":{"virtualInterfaceName":"v","vlan":101,"asn":65000,"virtualGatewayId":"vgw-0123456789abcdef0"}}`, c.ID))
		}
		if err := api.all("CreatePrivateVirtualInterface", bodies); err != nil {
			stop()
			t.Fatal(err)
		}
		var vifs struct {
			VIFs []struct {
				State string `json:"virtualInterfaceState"`
			} `json:"virtualInterfaces"`
		}
		if err := api.call("DescribeVirtualInterfaces", `{}`, &vifs); err != nil { // settles them
			stop()
			t.Fatal(err)
		}
		if len(conns.Connections) != locations*perLoc || len(vifs.VIFs) != locations*perLoc || vifs.VIFs[0].State != "available" {
			stop()
			t.Fatalf("setup made %d connections and %d VIFs", len(conns.Connections), len(vifs.VIFs))
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
	t.Logf("VmRSS after the setup and %v idle: %s", idle, med(afterSetup))
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

// all sends every body, two at a time (the machine's cores), and answers the first failure.
func (a measureAPI) all(op string, bodies []string) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for w := range 2 {
		wg.Go(func() {
			for i := w; i < len(bodies); i += 2 {
				if err := a.call(op, bodies[i], nil); err != nil {
					mu.Lock()
					first = cmpOr(first, err)
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
