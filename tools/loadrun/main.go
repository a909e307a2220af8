// Command loadrun drives a running dxlocal with raw AWS JSON 1.1 requests and prints latency
// percentiles and throughput. It starts nothing itself and talks to loopback addresses only.
//
// Operations (-op):
//
//	describe-interconnect-by-id  creates one interconnect, then describes it by id
//	create-interconnect          creates interconnects, spread over the free ports of the
//	                             region (-n is capped at the free ports, from the admin catalog)
//	describe-connections         makes sure the account has -conns dedicated connections (at
//	                             most -per-location at each location), then lists them all
//	                             in one request (no maxResults)
//	describe-vif-by-id           makes sure the account has -conns connections (as
//	                             describe-connections) and -vifs private VIFs on them, spread
//	                             round robin (at most -vifs-per-conn each), then describes
//	                             the VIFs by id in turn
//	describe-vifs                the same setup, then lists every VIF in one request
//
// The VIF operations need the server's connections and VIFs to settle on the first read:
// run it with -dwell 0s (the default).
//
// With -pid it also reads the server's CPU time (utime+stime of /proc/PID/stat) before and
// after the measured requests and prints CPU per request, and its VmRSS and VmHWM.
//
// With -write-catalog FILE it only writes a port catalog (-locations locations, each with one
// device of -ports ports of -speed, all in -region) and exits.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxRequests bounds -n.
const maxRequests = 10_000_000

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat: 100 on every Linux
// architecture Go supports.
const clockTicks = 100

type config struct {
	url          string
	n, c         int
	d            time.Duration
	op           string
	account      string
	region       string
	bandwidth    string
	conns        int
	perLocation  int
	vifs         int
	vifsPerConn  int
	warmup       int
	pid          int
	reset        bool
	writeCatalog string
	locations    int
	ports        int
	speed        string
}

func main() {
	var cfg config
	flag.StringVar(&cfg.url, "url", "http://127.0.0.1:4599", "dxlocal base URL (loopback only)")
	flag.IntVar(&cfg.n, "n", 10000, fmt.Sprintf("measured requests (1 to %d)", maxRequests))
	flag.IntVar(&cfg.c, "c", 4, "concurrent requests")
	flag.DurationVar(&cfg.d, "d", time.Minute, "maximum duration of the measured run")
	flag.StringVar(&cfg.op, "op", "describe-interconnect-by-id", "describe-interconnect-by-id, create-interconnect, describe-connections, describe-vif-by-id or describe-vifs")
	flag.StringVar(&cfg.account, "account", "123456789012", "12-digit account id sent as the SigV4 access key")
	flag.StringVar(&cfg.region, "region", "us-east-1", "region sent in the SigV4 credential scope")
	flag.StringVar(&cfg.bandwidth, "bandwidth", "1Gbps", "bandwidth of created interconnects and connections")
	flag.IntVar(&cfg.conns, "conns", 10000, "describe-connections: dedicated connections the account must have")
	flag.IntVar(&cfg.perLocation, "per-location", 10, "describe-connections: most connections created at one location (the server's quota)")
	flag.IntVar(&cfg.vifs, "vifs", 10000, "describe-vif-by-id, describe-vifs: private VIFs the account must have")
	flag.IntVar(&cfg.vifsPerConn, "vifs-per-conn", 50, "describe-vif-by-id, describe-vifs: most VIFs on one connection (the server's quota)")
	flag.IntVar(&cfg.warmup, "warmup", 20, "unmeasured requests before the run")
	flag.IntVar(&cfg.pid, "pid", 0, "server process id: report its CPU per request and memory (Linux /proc)")
	flag.BoolVar(&cfg.reset, "reset", false, "POST /_dxlocal/reset before the setup (forgets every resource)")
	flag.StringVar(&cfg.writeCatalog, "write-catalog", "", "write a port catalog to this file and exit")
	flag.IntVar(&cfg.locations, "locations", 1000, "-write-catalog: number of locations")
	flag.IntVar(&cfg.ports, "ports", 16, "-write-catalog: ports of the one device of each location")
	flag.StringVar(&cfg.speed, "speed", "1Gbps", "-write-catalog: speed of the ports")
	flag.Parse()
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "loadrun:", err)
		os.Exit(1)
	}
}

func run(cfg config) error {
	if cfg.writeCatalog != "" {
		return writeCatalog(cfg)
	}
	switch {
	case cfg.n < 1 || cfg.n > maxRequests:
		return fmt.Errorf("-n %d is not between 1 and %d", cfg.n, maxRequests)
	case cfg.c < 1 || cfg.c > 1024:
		return fmt.Errorf("-c %d is not between 1 and 1024", cfg.c)
	case cfg.d <= 0:
		return errors.New("-d must be positive")
	case cfg.warmup < 0:
		return errors.New("-warmup must not be negative")
	}
	base, err := loopbackURL(cfg.url)
	if err != nil {
		return err
	}
	cl := newClient(base, cfg)
	if cfg.reset {
		if _, err := cl.admin(http.MethodPost, "/_dxlocal/reset", nil); err != nil {
			return err
		}
	}
	if cfg.pid != 0 {
		printMemory(cfg.pid, "before setup")
	}

	var next func(i int) (target string, body []byte)
	switch cfg.op {
	case "describe-interconnect-by-id":
		next, err = setupDescribeInterconnect(cl, cfg)
	case "create-interconnect":
		next, err = setupCreateInterconnect(cl, &cfg)
	case "describe-connections":
		next, err = setupDescribeConnections(cl, cfg)
	case "describe-vif-by-id", "describe-vifs":
		next, err = setupVIFs(cl, cfg)
	default:
		return fmt.Errorf("-op %q is not describe-interconnect-by-id, create-interconnect, describe-connections, describe-vif-by-id or describe-vifs", cfg.op)
	}
	if err != nil {
		return err
	}
	if cfg.pid != 0 {
		printMemory(cfg.pid, "after setup")
	}

	// Warm-up: connections opened, code paths hot; not measured.
	warm := min(cfg.warmup, cfg.n)
	if cfg.op == "create-interconnect" {
		warm = 0 // every create takes a port; keep them for the run
	}
	for i := range warm {
		target, body := next(i)
		if _, _, err := cl.call(target, body); err != nil {
			return fmt.Errorf("warm-up: %v", err)
		}
	}

	cpu0, err := cpuTicks(cfg.pid)
	if err != nil {
		return err
	}
	res := fire(cl, cfg, next)
	cpu1, err := cpuTicks(cfg.pid)
	if err != nil {
		return err
	}
	report(cfg, res)
	if cfg.pid != 0 && res.done > 0 {
		ticks := cpu1 - cpu0
		perReq := time.Duration(float64(ticks) / clockTicks * float64(time.Second) / float64(res.done))
		fmt.Printf("server CPU: %d ticks (%.2fs utime+stime) over %d requests = %v per request (%.0f%% of one core)\n",
			ticks, float64(ticks)/clockTicks, res.done, perReq, 100*float64(ticks)/clockTicks/res.elapsed.Seconds())
		printMemory(cfg.pid, "after run")
	}
	return nil
}

// loopbackURL accepts http URLs whose host is a loopback address or resolves only to ones.
func loopbackURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("-url: %v", err)
	}
	if u.Scheme != "http" || u.Host == "" {
		return "", fmt.Errorf("-url %q: want http://HOST:PORT", raw)
	}
	host := u.Hostname()
	ips := []net.IP{net.ParseIP(host)}
	if ips[0] == nil {
		if ips, err = net.LookupIP(host); err != nil {
			return "", fmt.Errorf("-url: %v", err)
		}
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return "", fmt.Errorf("-url %q: %s is not a loopback address; loadrun talks to loopback only", raw, ip)
		}
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host, "/"), nil
}

// client sends raw JSON 1.1 requests as one account and region.
type client struct {
	base string
	auth string
	http *http.Client
}

func newClient(base string, cfg config) *client {
	tr := &http.Transport{
		MaxIdleConns:        cfg.c + 4,
		MaxIdleConnsPerHost: cfg.c + 4,
		DisableCompression:  true,
		// Only ever dial the loopback address checked above.
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	}
	date := time.Now().UTC().Format("20060102")
	return &client{
		base: base,
		auth: fmt.Sprintf("AWS4-HMAC-SHA256 Credential=%s/%s/%s/directconnect/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0", cfg.account, date, cfg.region),
		http: &http.Client{Transport: tr, Timeout: 2 * time.Minute},
	}
}

// call sends one request; err is set for transport failures, not for error statuses.
func (c *client) call(target string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, c.base+"/", bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "OvertureService."+target)
	req.Header.Set("Authorization", c.auth)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// mustCall sends one request and decodes a 200 answer into out.
func (c *client) mustCall(target string, body any, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	status, resp, err := c.call(target, b)
	if err != nil {
		return fmt.Errorf("%s: %v", target, err)
	}
	if status != http.StatusOK {
		return fmt.Errorf("%s: status %d: %s", target, status, resp)
	}
	if out != nil {
		return json.Unmarshal(resp, out)
	}
	return nil
}

func (c *client) admin(method, path string, out any) ([]byte, error) {
	req, err := http.NewRequest(method, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: status %d: %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		return b, json.Unmarshal(b, out)
	}
	return b, nil
}

// freePorts counts the free ports of speed at each location of region, from the admin
// catalog, in catalog order.
func freePorts(c *client, region, speed string) (codes []string, free map[string]int, err error) {
	var doc struct {
		Locations []struct {
			Code      string `json:"code"`
			Region    string `json:"region"`
			Endpoints []struct {
				Ports []struct {
					Speed  string `json:"speed"`
					HeldBy string `json:"heldBy"`
				} `json:"ports"`
			} `json:"endpoints"`
		} `json:"locations"`
	}
	if _, err := c.admin(http.MethodGet, "/_dxlocal/catalog", &doc); err != nil {
		return nil, nil, err
	}
	free = map[string]int{}
	for _, l := range doc.Locations {
		if l.Region != region {
			continue
		}
		n := 0
		for _, e := range l.Endpoints {
			for _, p := range e.Ports {
				if p.Speed == speed && p.HeldBy == "" {
					n++
				}
			}
		}
		if n > 0 {
			codes = append(codes, l.Code)
			free[l.Code] = n
		}
	}
	return codes, free, nil
}

func setupDescribeInterconnect(c *client, cfg config) (func(int) (string, []byte), error) {
	codes, _, err := freePorts(c, cfg.region, cfg.bandwidth)
	if err != nil {
		return nil, err
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("no free %s port in %s for the interconnect", cfg.bandwidth, cfg.region)
	}
	var ic struct {
		InterconnectID string `json:"interconnectId"`
	}
	if err := c.mustCall("CreateInterconnect", map[string]string{"interconnectName": "loadrun", "bandwidth": cfg.bandwidth, "location": codes[0]}, &ic); err != nil {
		return nil, err
	}
	body := []byte(`{"interconnectId":` + strconv.Quote(ic.InterconnectID) + `}`)
	fmt.Printf("setup: interconnect %s at %s\n", ic.InterconnectID, codes[0])
	return func(int) (string, []byte) { return "DescribeInterconnects", body }, nil
}

// setupCreateInterconnect makes one request body per free port of the region, round robin
// over the locations, and caps -n at their number.
func setupCreateInterconnect(c *client, cfg *config) (func(int) (string, []byte), error) {
	codes, free, err := freePorts(c, cfg.region, cfg.bandwidth)
	if err != nil {
		return nil, err
	}
	var bodies [][]byte
	for len(bodies) < cfg.n {
		added := false
		for _, code := range codes {
			if free[code] > 0 && len(bodies) < cfg.n {
				free[code]--
				bodies = append(bodies, fmt.Appendf(nil, `{"interconnectName":"loadrun-%d","bandwidth":%q,"location":%q}`, len(bodies), cfg.bandwidth, code))
				added = true
			}
		}
		if !added {
			break
		}
	}
	if len(bodies) == 0 {
		return nil, fmt.Errorf("no free %s port in %s", cfg.bandwidth, cfg.region)
	}
	if len(bodies) < cfg.n {
		fmt.Printf("setup: only %d free %s ports in %s: -n capped to %d\n", len(bodies), cfg.bandwidth, cfg.region, len(bodies))
		cfg.n = len(bodies)
	}
	return func(i int) (string, []byte) { return "CreateInterconnect", bodies[i] }, nil
}

// setupDescribeConnections creates dedicated connections until the account has cfg.conns.
func setupDescribeConnections(c *client, cfg config) (func(int) (string, []byte), error) {
	var have struct {
		Connections []struct {
			Location string `json:"location"`
			State    string `json:"connectionState"`
		} `json:"connections"`
	}
	if err := c.mustCall("DescribeConnections", struct{}{}, &have); err != nil {
		return nil, err
	}
	held := map[string]int{}
	for _, conn := range have.Connections {
		if conn.State != "deleted" && conn.State != "rejected" {
			held[strings.ToLower(conn.Location)]++
		}
	}
	need := cfg.conns - len(have.Connections)
	if need > 0 {
		codes, free, err := freePorts(c, cfg.region, cfg.bandwidth)
		if err != nil {
			return nil, err
		}
		var bodies [][]byte
		for _, code := range codes {
			room := min(free[code], cfg.perLocation-held[strings.ToLower(code)])
			for ; room > 0 && len(bodies) < need; room-- {
				bodies = append(bodies, fmt.Appendf(nil, `{"connectionName":"loadrun-%d","bandwidth":%q,"location":%q}`, len(bodies), cfg.bandwidth, code))
			}
		}
		if len(bodies) < need {
			return nil, fmt.Errorf("room for only %d more %s connections in %s (%d free locations, %d per location): cannot reach %d",
				len(bodies), cfg.bandwidth, cfg.region, len(codes), cfg.perLocation, cfg.conns)
		}
		start := time.Now()
		setup := cfg
		setup.n, setup.d = len(bodies), time.Hour
		res := fire(c, setup, func(i int) (string, []byte) { return "CreateConnection", bodies[i] })
		if res.failed > 0 {
			return nil, fmt.Errorf("setup: %d of %d CreateConnection failed (%v)", res.failed, len(bodies), res.statuses)
		}
		fmt.Printf("setup: created %d connections in %v\n", len(bodies), time.Since(start).Round(time.Millisecond))
	}
	fmt.Printf("setup: the account has %d connections before setup, at least %d now\n", len(have.Connections), cfg.conns)
	body := []byte(`{}`)
	return func(int) (string, []byte) { return "DescribeConnections", body }, nil
}

// loadrunVGW is the virtual private gateway of the VIFs loadrun creates; dxlocal registers it
// on first use.
const loadrunVGW = "vgw-0123456789abcdef0"

// setupVIFs makes sure the account has cfg.conns connections and cfg.vifs private VIFs on
// them, spread round robin over the available connections, at most cfg.vifsPerConn each.
// describe-vif-by-id then names the VIFs in turn; describe-vifs lists them all.
func setupVIFs(c *client, cfg config) (func(int) (string, []byte), error) {
	if _, err := setupDescribeConnections(c, cfg); err != nil {
		return nil, err
	}
	var conns struct {
		Connections []struct {
			ID    string `json:"connectionId"`
			State string `json:"connectionState"`
		} `json:"connections"`
	}
	if err := c.mustCall("DescribeConnections", struct{}{}, &conns); err != nil {
		return nil, err
	}
	type vifList struct {
		VIFs []struct {
			ID           string `json:"virtualInterfaceId"`
			ConnectionID string `json:"connectionId"`
			VLAN         int    `json:"vlan"`
			State        string `json:"virtualInterfaceState"`
		} `json:"virtualInterfaces"`
	}
	var have vifList
	if err := c.mustCall("DescribeVirtualInterfaces", struct{}{}, &have); err != nil {
		return nil, err
	}
	vlans := map[string]map[int]bool{} // connection -> VLANs taken
	for _, v := range have.VIFs {
		if vlans[v.ConnectionID] == nil {
			vlans[v.ConnectionID] = map[int]bool{}
		}
		vlans[v.ConnectionID][v.VLAN] = true
	}
	var avail []string
	for _, conn := range conns.Connections {
		if conn.State == "available" {
			avail = append(avail, conn.ID)
		}
	}
	var bodies [][]byte
	for need := cfg.vifs - len(have.VIFs); need > 0; {
		added := false
		for _, id := range avail {
			if need == 0 {
				break
			}
			taken := vlans[id]
			if taken == nil {
				taken = map[int]bool{}
				vlans[id] = taken
			}
			if len(taken) >= cfg.vifsPerConn {
				continue
			}
			vlan := 1
			for taken[vlan] {
				vlan++
			}
			taken[vlan] = true
			bodies = append(bodies, fmt.Appendf(nil, `{"connectionId":%q,"newPrivateVirtualInterface":{"virtualInterfaceName":"loadrun-%d","vlan":%d,"asn":65000,"virtualGatewayId":%q}}`,
				id, len(bodies), vlan, loadrunVGW))
			need--
			added = true
		}
		if !added {
			return nil, fmt.Errorf("room for only %d more VIFs on %d available connections (%d per connection): cannot reach %d",
				len(bodies), len(avail), cfg.vifsPerConn, cfg.vifs)
		}
	}
	if len(bodies) > 0 {
		start := time.Now()
		setup := cfg
		setup.n, setup.d = len(bodies), time.Hour
		res := fire(c, setup, func(i int) (string, []byte) { return "CreatePrivateVirtualInterface", bodies[i] })
		if res.failed > 0 {
			return nil, fmt.Errorf("setup: %d of %d CreatePrivateVirtualInterface failed (%v): %s", res.failed, len(bodies), res.statuses, res.firstErr)
		}
		fmt.Printf("setup: created %d VIFs in %v\n", len(bodies), time.Since(start).Round(time.Millisecond))
	}
	// This list also settles the new VIFs (with -dwell 0s).
	have = vifList{}
	if err := c.mustCall("DescribeVirtualInterfaces", struct{}{}, &have); err != nil {
		return nil, err
	}
	var byID [][]byte
	for _, v := range have.VIFs {
		byID = append(byID, []byte(`{"virtualInterfaceId":`+strconv.Quote(v.ID)+`}`))
	}
	if len(byID) == 0 {
		return nil, errors.New("setup: the account has no VIF")
	}
	fmt.Printf("setup: the account has %d connections and %d VIFs\n", len(conns.Connections), len(have.VIFs))
	if cfg.op == "describe-vifs" {
		body := []byte(`{}`)
		return func(int) (string, []byte) { return "DescribeVirtualInterfaces", body }, nil
	}
	return func(i int) (string, []byte) { return "DescribeVirtualInterfaces", byID[i%len(byID)] }, nil
}

type result struct {
	lat      []time.Duration // of the answered requests
	done     int             // requests answered (any status)
	failed   int             // transport errors and non-200 answers
	statuses map[string]int
	bytes    int64
	elapsed  time.Duration
	firstErr string
}

// fire sends cfg.n requests from cfg.c workers, stopping early after cfg.d.
func fire(c *client, cfg config, next func(int) (string, []byte)) result {
	var (
		counter  atomic.Int64
		mu       sync.Mutex
		res      = result{statuses: map[string]int{}}
		deadline = time.Now().Add(cfg.d)
		wg       sync.WaitGroup
	)
	start := time.Now()
	for range cfg.c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, cfg.n/cfg.c+1)
			statuses := map[string]int{}
			var failed int
			var size int64
			var firstErr string
			for {
				i := int(counter.Add(1) - 1)
				if i >= cfg.n || time.Now().After(deadline) {
					break
				}
				target, body := next(i)
				t0 := time.Now()
				status, resp, err := c.call(target, body)
				d := time.Since(t0)
				switch {
				case err != nil:
					failed++
					statuses["transport-error"]++
					if firstErr == "" {
						firstErr = err.Error()
					}
					continue
				case status != http.StatusOK:
					failed++
					if firstErr == "" {
						firstErr = fmt.Sprintf("status %d: %.200s", status, resp)
					}
				}
				statuses[strconv.Itoa(status)]++
				lat = append(lat, d)
				size += int64(len(resp))
			}
			mu.Lock()
			defer mu.Unlock()
			res.lat = append(res.lat, lat...)
			res.failed += failed
			res.bytes += size
			for k, v := range statuses {
				res.statuses[k] += v
			}
			if res.firstErr == "" {
				res.firstErr = firstErr
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.done = len(res.lat)
	return res
}

func report(cfg config, res result) {
	fmt.Printf("op %s: %d requests, concurrency %d, in %v\n", cfg.op, res.done, cfg.c, res.elapsed.Round(time.Millisecond))
	if res.done == 0 {
		fmt.Println("no request answered:", res.firstErr)
		return
	}
	slices.Sort(res.lat)
	pct := func(p float64) time.Duration {
		i := int(p*float64(len(res.lat))+0.5) - 1
		return res.lat[max(0, min(i, len(res.lat)-1))]
	}
	var sum time.Duration
	for _, d := range res.lat {
		sum += d
	}
	fmt.Printf("latency: min %v  median %v  p90 %v  p99 %v  max %v  mean %v\n",
		res.lat[0], pct(0.50), pct(0.90), pct(0.99), res.lat[len(res.lat)-1], sum/time.Duration(len(res.lat)))
	fmt.Printf("throughput: %.1f requests/s, %.1f MB/s of answers (%d bytes per answer)\n",
		float64(res.done)/res.elapsed.Seconds(), float64(res.bytes)/1e6/res.elapsed.Seconds(), res.bytes/int64(res.done))
	fmt.Printf("statuses: %v\n", res.statuses)
	if res.failed > 0 {
		fmt.Printf("failed: %d; first: %s\n", res.failed, res.firstErr)
	}
}

// cpuTicks reads utime+stime of pid from /proc/PID/stat; 0 without a pid.
func cpuTicks(pid int) (int64, error) {
	if pid == 0 {
		return 0, nil
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) is in parentheses and may hold spaces: split after it.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %v", pid, err)
	}
	return utime + stime, nil
}

// printMemory prints VmRSS and VmHWM of pid.
func printMemory(pid int, when string) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		fmt.Printf("memory %s: %v\n", when, err)
		return
	}
	var rss, hwm string
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			rss = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			hwm = strings.TrimSpace(v)
		}
	}
	fmt.Printf("server memory %s: VmRSS %s, VmHWM %s\n", when, rss, hwm)
}

// writeCatalog writes a catalog of cfg.locations locations in cfg.region, each with one device
// of cfg.ports ports of cfg.speed.
func writeCatalog(cfg config) error {
	if cfg.locations < 1 || cfg.locations > 100000 || cfg.ports < 1 || cfg.ports > 10000 {
		return errors.New("-locations must be 1 to 100000 and -ports 1 to 10000")
	}
	type endpoint struct {
		Device string         `json:"device"`
		Ports  map[string]int `json:"ports"`
	}
	type loc struct {
		Code             string     `json:"code"`
		Name             string     `json:"name"`
		Region           string     `json:"region"`
		Providers        []string   `json:"providers"`
		MacSecPortSpeeds []string   `json:"macSecPortSpeeds"`
		Endpoints        []endpoint `json:"endpoints"`
	}
	var doc struct {
		Locations []loc `json:"locations"`
	}
	for i := range cfg.locations {
		code := fmt.Sprintf("LR%05d", i)
		doc.Locations = append(doc.Locations, loc{
			Code: code, Name: "Loadrun location " + strconv.Itoa(i), Region: cfg.region,
			Providers: []string{}, MacSecPortSpeeds: []string{},
			Endpoints: []endpoint{{Device: code + "-dev1", Ports: map[string]int{cfg.speed: cfg.ports}}},
		})
	}
	b, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(cfg.writeCatalog, append(b, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d locations in %s, 1 device of %d x %s each\n", cfg.writeCatalog, cfg.locations, cfg.region, cfg.ports, cfg.speed)
	return nil
}
