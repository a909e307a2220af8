package api_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/aws/smithy-go"
)

// call sends one admin request and decodes the JSON answer into out (when not nil).
func (e *env) call(method, path, body string, out any) int {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+"/_dxlocal"+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatalf("%s %s answered %d %q: %v", method, path, resp.StatusCode, b, err)
		}
	}
	return resp.StatusCode
}

type eventDoc struct {
	Seq         uint64          `json:"seq"`
	Time        string          `json:"time"`
	Kind        string          `json:"kind"`
	RequestID   string          `json:"requestId"`
	Account     string          `json:"account"`
	Region      string          `json:"region"`
	Operation   string          `json:"operation"`
	Status      int             `json:"status"`
	ErrorType   string          `json:"errorType"`
	FaultID     string          `json:"faultId"`
	ResourceIDs []string        `json:"resourceIds"`
	Request     json.RawMessage `json:"request"`
	ResourceID  string          `json:"resourceId"`
	Type        string          `json:"type"`
	From        string          `json:"from"`
	To          string          `json:"to"`
	Cause       string          `json:"cause"`
}

type journalDoc struct {
	Events []eventDoc `json:"events"`
	Last   uint64     `json:"last"`
}

func (e *env) events(query string) journalDoc {
	e.t.Helper()
	var doc journalDoc
	if status := e.call("GET", "/journal?"+query, "", &doc); status != 200 {
		e.t.Fatalf("journal?%s: status %d", query, status)
	}
	return doc
}

// brief lists events as "op:status" for calls and "id from>to cause" for changes.
func brief(events []eventDoc) string {
	var parts []string
	for _, ev := range events {
		if ev.Kind == "call" {
			parts = append(parts, fmt.Sprintf("%s:%d", ev.Operation, ev.Status))
		} else {
			parts = append(parts, fmt.Sprintf("%s>%s/%s", ev.From, ev.To, ev.Cause))
		}
	}
	return strings.Join(parts, " ")
}

func TestClock(t *testing.T) {
	e := newEnv(t, withDwell(time.Hour))
	var c struct{ Now string }
	if status := e.call("GET", "/clock", "", &c); status != 200 || c.Now != "2026-11-25T12:00:00.000Z" {
		t.Fatalf("GET /clock: %d %+v", status, c)
	}
	dx := e.client(owner)
	conn := createConnection(t, dx, "TstA1", "1Gbps")
	if status := e.call("POST", "/clock", `{"advance":"72h"}`, &c); status != 200 || c.Now != "2026-11-28T12:00:00.000Z" {
		t.Fatalf("POST /clock: %d %+v", status, c)
	}
	got, err := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: conn.ConnectionId})
	if err != nil || got.Connections[0].ConnectionState != types.ConnectionStateAvailable {
		t.Fatalf("72 hours after its creation with a dwell of 1h: %v %v", got, err)
	}
	// The advance settled the region: the journal has the changes, stamped with their due times.
	changes := e.events("kind=change&resource=" + aws.ToString(conn.ConnectionId)).Events
	if brief(changes) != ">requested/call requested>pending/clock pending>available/clock" || changes[2].Time != "2026-11-25T14:00:00.000Z" {
		t.Fatalf("changes %s, last at %s", brief(changes), changes[len(changes)-1].Time)
	}
	for _, body := range []string{`{"advance":"-1h"}`, `{"advance":"0s"}`, `{"advance":"soon"}`, `{}`, `{"advance":"1h","back":true}`, `[`} {
		var m map[string]string
		if status := e.call("POST", "/clock", body, &m); status != 400 || m["message"] == "" {
			t.Fatalf("POST /clock %s: %d %v", body, status, m)
		}
	}
	e.call("GET", "/clock", "", &c)
	if c.Now != "2026-11-28T12:00:00.000Z" {
		t.Fatalf("a refused advance moved the clock to %s", c.Now)
	}
	e.call("POST", "/reset", "", nil)
	if e.call("GET", "/clock", "", &c); c.Now != "2026-11-25T12:00:00.000Z" {
		t.Fatalf("after reset the clock is %s", c.Now)
	}
}

func TestFaultErrorsAndDefaults(t *testing.T) {
	cases := []struct {
		name, body string
		status     int
		code, msg  string
	}{
		{"server error", `{"operation":"DescribeConnections","error":"DirectConnectServerException"}`, 500, "DirectConnectServerException", "Fault injected by dxlocal."},
		{"client error with message", `{"operation":"DescribeConnections","error":"DirectConnectClientException","message":"Connection is busy."}`, 400, "DirectConnectClientException", "Connection is busy."},
		{"status given", `{"operation":"*","error":"DirectConnectServerException","status":503}`, 503, "DirectConnectServerException", ""},
		{"too many tags", `{"operation":"*","error":"TooManyTagsException"}`, 400, "TooManyTagsException", ""},
		{"duplicate tag keys", `{"operation":"*","error":"DuplicateTagKeysException"}`, 400, "DuplicateTagKeysException", ""},
		{"throttling", `{"operation":"DescribeConnections","error":"ThrottlingException"}`, 400, "ThrottlingException", "Rate exceeded"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			var f struct {
				FaultID   string `json:"faultId"`
				Status    int    `json:"status"`
				Remaining int    `json:"remaining"`
				Count     int    `json:"count"`
			}
			if status := e.call("POST", "/faults", tc.body, &f); status != 200 || f.FaultID == "" || f.Status != tc.status || f.Remaining != 1 || f.Count != 1 {
				t.Fatalf("POST /faults: %d %+v", status, f)
			}
			// Through the SDK: the error type and message.
			_, err := e.client(owner).DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
			wantAPIError(t, err, tc.code, tc.msg)
			// Through plain HTTP: status, body and headers; count 1 means the next call passes.
			e.call("POST", "/faults", tc.body, nil)
			status, hdr, m := e.raw("OvertureService.DescribeConnections", `{}`)
			if status != tc.status || m["__type"] != tc.code || hdr.Get("x-amzn-ErrorType") != tc.code || hdr.Get("x-amzn-RequestId") == "" {
				t.Fatalf("raw: %d %v %v", status, hdr, m)
			}
			if status, _, _ := e.raw("OvertureService.DescribeConnections", `{}`); status != 200 {
				t.Fatalf("a fault of count 1 hit twice: %d", status)
			}
			calls := e.events("kind=call").Events
			if len(calls) != 3 || calls[0].FaultID != f.FaultID || calls[0].ErrorType != tc.code || calls[0].Status != tc.status || calls[2].FaultID != "" || calls[2].Status != 200 {
				t.Fatalf("journal %+v", calls)
			}
		})
	}
}

func TestFaultCountAfterAndScope(t *testing.T) {
	e := newEnv(t)
	var f struct {
		FaultID string `json:"faultId"`
	}
	e.call("POST", "/faults", `{"operation":"DescribeLags","error":"DirectConnectServerException","count":2,"after":1,"account":"111111111111","region":"us-east-1"}`, &f)
	outcome := func(dx *directconnect.Client) string {
		_, err := dx.DescribeLags(ctx, &directconnect.DescribeLagsInput{})
		if err != nil {
			return "x"
		}
		return "."
	}
	var got strings.Builder
	got.WriteString(outcome(e.client(owner))) // skipped: after 1
	got.WriteString(outcome(e.client(other))) // another account
	got.WriteString(outcome(e.clientIn(owner, euWest)))
	if _, err := e.client(owner).DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{}); err != nil {
		t.Fatal("a fault on DescribeLags hit DescribeConnections")
	}
	var list struct {
		Faults []struct {
			FaultID   string `json:"faultId"`
			Remaining int    `json:"remaining"`
		} `json:"faults"`
	}
	if e.call("GET", "/faults", "", &list); len(list.Faults) != 1 || list.Faults[0].Remaining != 2 {
		t.Fatalf("GET /faults %+v", list)
	}
	got.WriteString(outcome(e.client(owner)))
	got.WriteString(outcome(e.client(owner)))
	got.WriteString(outcome(e.client(owner)))
	if got.String() != "...xx." {
		t.Fatalf("outcomes %s, want ...xx.", got.String())
	}
	if e.call("GET", "/faults", "", &list); len(list.Faults) != 0 {
		t.Fatalf("a used-up fault is listed: %+v", list)
	}
}

func TestFaultUntilRemovedAndDelete(t *testing.T) {
	e := newEnv(t)
	var f struct {
		FaultID   string `json:"faultId"`
		Remaining *int   `json:"remaining"`
	}
	e.call("POST", "/faults", `{"operation":"*","error":"DirectConnectServerException","count":0}`, &f)
	if f.Remaining == nil || *f.Remaining != 0 {
		t.Fatalf("a fault until removed has remaining %v, want 0 as its count", f.Remaining)
	}
	for range 3 {
		if _, err := e.client(owner).DescribeLocations(ctx, &directconnect.DescribeLocationsInput{}); err == nil {
			t.Fatal("a fault of count 0 stopped hitting")
		}
	}
	var m map[string]string
	if status := e.call("DELETE", "/faults/fault-999", "", &m); status != 404 || !strings.Contains(m["message"], "fault-999") {
		t.Fatalf("DELETE unknown fault: %d %v", status, m)
	}
	if status := e.call("DELETE", "/faults/"+f.FaultID, "", nil); status != 204 {
		t.Fatalf("DELETE fault: %d", status)
	}
	if _, err := e.client(owner).DescribeLocations(ctx, &directconnect.DescribeLocationsInput{}); err != nil {
		t.Fatal(err)
	}
	e.call("POST", "/faults", `{"operation":"*","error":"DirectConnectServerException","count":0}`, nil)
	e.call("POST", "/faults", `{"operation":"DescribeLags","error":"ThrottlingException","count":0}`, nil)
	if status := e.call("DELETE", "/faults", "", nil); status != 204 {
		t.Fatalf("DELETE /faults: %d", status)
	}
	if _, err := e.client(owner).DescribeLocations(ctx, &directconnect.DescribeLocationsInput{}); err != nil {
		t.Fatal(err)
	}
	e.call("POST", "/faults", `{"operation":"*","error":"DirectConnectServerException","count":0}`, nil)
	e.call("POST", "/reset", "", nil)
	if _, err := e.client(owner).DescribeLocations(ctx, &directconnect.DescribeLocationsInput{}); err != nil {
		t.Fatalf("reset kept a fault: %v", err)
	}
}

func TestFaultDelay(t *testing.T) {
	e := newEnv(t)
	var f struct {
		FaultID string `json:"faultId"`
		Delay   string `json:"delay"`
	}
	e.call("POST", "/faults", `{"operation":"DescribeLocations","delay":"100ms"}`, &f)
	start := time.Now()
	if _, err := e.client(owner).DescribeLocations(ctx, &directconnect.DescribeLocationsInput{}); err != nil {
		t.Fatalf("a delay-only fault failed the call: %v", err)
	}
	if took := time.Since(start); took < 100*time.Millisecond {
		t.Fatalf("the call took %v, less than the delay", took)
	}
	e.call("POST", "/faults", `{"operation":"DescribeLocations","delay":"100ms","error":"DirectConnectServerException"}`, nil)
	start = time.Now()
	_, err := e.client(owner).DescribeLocations(ctx, &directconnect.DescribeLocationsInput{})
	wantAPIError(t, err, "DirectConnectServerException")
	if took := time.Since(start); took < 100*time.Millisecond {
		t.Fatalf("the failed call took %v, less than the delay", took)
	}
	calls := e.events("operation=DescribeLocations").Events
	if len(calls) != 2 || calls[0].FaultID != f.FaultID || calls[0].Status != 200 || f.Delay != "100ms" {
		t.Fatalf("journal %+v, fault %+v", calls, f)
	}
}

func TestFaultBodyIsChecked(t *testing.T) {
	e := newEnv(t)
	for _, body := range []string{
		`{}`,
		`{"error":"DirectConnectServerException"}`,
		`{"operation":"CreateWidget","error":"DirectConnectServerException"}`,
		`{"operation":"*","error":"BoomException"}`,
		`{"operation":"*","error":"ThrottlingException","delay":"soon"}`,
		`{"operation":"*","delay":"-1s"}`,
		`{"operation":"*","error":"ThrottlingException","count":-1}`,
		`{"operation":"*","error":"ThrottlingException","after":-1}`,
		`{"operation":"*","error":"ThrottlingException","status":200}`,
		`{"operation":"*","error":"ThrottlingException","account":"12"}`,
		`{"operation":"*","error":"ThrottlingException","colour":"red"}`,
		`{"operation":"*"}`,
		`not json`,
	} {
		var m map[string]string
		if status := e.call("POST", "/faults", body, &m); status != 400 || m["message"] == "" {
			t.Errorf("POST /faults %s: %d %v", body, status, m)
		}
	}
	var list struct{ Faults []any }
	if e.call("GET", "/faults", "", &list); len(list.Faults) != 0 {
		t.Fatalf("a refused fault is in force: %v", list)
	}
}

// A call failed by a fault changes nothing: no port, no VLAN, no bandwidth, no id is used.
func TestFaultedCallLeaksNothing(t *testing.T) {
	faulted, clean := newEnv(t, withPartners(partner)), newEnv(t, withPartners(partner))
	run := func(e *env, fault bool) (string, string) {
		p := e.client(partner)
		ic, err := p.CreateInterconnect(ctx, &directconnect.CreateInterconnectInput{InterconnectName: aws.String("ic"), Location: aws.String("TstA1"), Bandwidth: aws.String("10Gbps")})
		if err != nil {
			t.Fatal(err)
		}
		hosted := &directconnect.AllocateHostedConnectionInput{ConnectionId: ic.InterconnectId, OwnerAccount: aws.String(owner),
			Bandwidth: aws.String("10Gbps"), ConnectionName: aws.String("h"), Vlan: 100}
		if fault {
			e.call("POST", "/faults", `{"operation":"CreateConnection","error":"DirectConnectServerException","count":4}`, nil)
			e.call("POST", "/faults", `{"operation":"AllocateHostedConnection","error":"ThrottlingException"}`, nil)
			for range 4 {
				_, err := e.client(owner).CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("c"), Location: aws.String("TstA1"), Bandwidth: aws.String("1Gbps")})
				wantAPIError(t, err, "DirectConnectServerException")
			}
			_, err := p.AllocateHostedConnection(ctx, hosted)
			wantAPIError(t, err, "ThrottlingException")
		}
		// The full bandwidth and VLAN 100 are still there, the ports are, and the ids are next.
		h, err := p.AllocateHostedConnection(ctx, hosted)
		if err != nil {
			t.Fatalf("after a faulted allocation: %v", err)
		}
		c := createConnection(t, e.client(owner), "TstA1", "1Gbps")
		return aws.ToString(h.ConnectionId), aws.ToString(c.ConnectionId)
	}
	h1, c1 := run(faulted, true)
	h2, c2 := run(clean, false)
	if h1 != h2 || c1 != c2 {
		t.Fatalf("faulted calls used ids: %s %s, want %s %s", h1, c1, h2, c2)
	}
	if faulted.free(deviceA1, "1Gbps") != clean.free(deviceA1, "1Gbps") {
		t.Fatal("faulted calls took ports")
	}
	for _, ev := range faulted.events("").Events {
		if ev.FaultID != "" && ev.Kind == "call" {
			for _, ch := range faulted.events(fmt.Sprintf("kind=change&after=%d&limit=1", ev.Seq)).Events {
				if ch.Seq == ev.Seq+1 && ch.Cause == "call" {
					t.Fatalf("faulted call %d was followed by a change %+v", ev.Seq, ch)
				}
			}
		}
	}
}

// The SDK's default retryer retries a throttled call; the journal shows every attempt.
func TestSDKRetriesThrottling(t *testing.T) {
	e := newEnv(t)
	dx := directconnect.New(directconnect.Options{
		Region: usEast, BaseEndpoint: aws.String(e.srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider(owner, "secret", ""),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
		}),
	})
	var f struct {
		FaultID string `json:"faultId"`
	}
	e.call("POST", "/faults", `{"operation":"CreateConnection","error":"ThrottlingException","count":2}`, &f)
	c, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("c"), Location: aws.String("TstA1"), Bandwidth: aws.String("1Gbps")})
	if err != nil {
		t.Fatalf("the SDK did not retry the throttled call away: %v", err)
	}
	calls := e.events("operation=CreateConnection").Events
	if brief(calls) != "CreateConnection:400 CreateConnection:400 CreateConnection:200" ||
		calls[0].ErrorType != "ThrottlingException" || calls[1].FaultID != f.FaultID || calls[2].ResourceIDs[0] != aws.ToString(c.ConnectionId) {
		t.Fatalf("journal %s %+v", brief(calls), calls)
	}
	// The same with the retryer exactly as the SDK makes it by default (its own backoff).
	e.call("POST", "/faults", `{"operation":"DescribeConnections","error":"ThrottlingException","count":1}`, nil)
	def := directconnect.New(directconnect.Options{Region: usEast, BaseEndpoint: aws.String(e.srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider(owner, "secret", "")})
	if _, err := def.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{}); err != nil {
		t.Fatalf("the default retryer did not retry: %v", err)
	}
	if calls := e.events("operation=DescribeConnections").Events; brief(calls) != "DescribeConnections:400 DescribeConnections:200" {
		t.Fatalf("journal %s", brief(calls))
	}
}

func TestJournalRecordsCallsAndTheirChanges(t *testing.T) {
	e := newEnv(t)
	dx := e.client(owner)
	c := createConnection(t, dx, "TstA1", "1Gbps")
	id := aws.ToString(c.ConnectionId)
	if _, err := dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: c.ConnectionId}); err != nil {
		t.Fatal(err)
	}
	_, err := dx.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: aws.String("dxcon-nothere1")})
	wantAPIError(t, err, "DirectConnectClientException")
	status, _, _ := e.raw("OvertureService.MakeCoffee", `{}`)
	doc := e.events("")
	got := brief(doc.Events)
	want := "CreateConnection:200 >requested/call DescribeConnections:200 requested>pending/clock pending>available/clock DeleteConnection:400 MakeCoffee:400"
	// The describe's own settling comes after its reserved place: the call is first.
	if got != want || status != 400 {
		t.Fatalf("journal\n got %s\nwant %s", got, want)
	}
	for i, ev := range doc.Events {
		if ev.Seq != uint64(i+1) {
			t.Fatalf("event %d has seq %d", i, ev.Seq)
		}
	}
	if doc.Last != uint64(len(doc.Events)) {
		t.Fatalf("last %d, want %d", doc.Last, len(doc.Events))
	}
	create := doc.Events[0]
	var req map[string]any
	if err := json.Unmarshal(create.Request, &req); err != nil || req["location"] != "TstA1" || req["connectionName"] != "conn" {
		t.Fatalf("request %s: %v", create.Request, err)
	}
	if create.Account != owner || create.Region != usEast || create.RequestID == "" || create.Time != "2026-11-25T12:00:00.000Z" ||
		len(create.ResourceIDs) != 1 || create.ResourceIDs[0] != id {
		t.Fatalf("create event %+v", create)
	}
	change := doc.Events[1]
	if change.ResourceID != id || change.Type != "connection" || change.Account != owner || change.Region != usEast || change.Kind != "change" {
		t.Fatalf("change event %+v", change)
	}
	if del := doc.Events[5]; del.ErrorType != "DirectConnectClientException" || del.ResourceIDs[0] != "dxcon-nothere1" {
		t.Fatalf("refused call %+v", del)
	}
	if coffee := doc.Events[6]; coffee.ErrorType != "UnknownOperationException" {
		t.Fatalf("unknown operation %+v", coffee)
	}
}

func TestJournalFilters(t *testing.T) {
	e := newEnv(t, withPartners(partner))
	a := createConnection(t, e.client(owner), "TstA1", "1Gbps")
	b := createConnection(t, e.client(other), "TstA1", "1Gbps")
	e.client(owner).DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: a.ConnectionId})
	e.client(owner).TagResource(ctx, &directconnect.TagResourceInput{
		ResourceArn: aws.String("arn:aws:directconnect:us-east-1:" + owner + ":dxcon/" + aws.ToString(a.ConnectionId)),
		Tags:        []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	all := e.events("").Events
	cases := []struct {
		query string
		want  string
	}{
		{"kind=call", "CreateConnection:200 CreateConnection:200 DescribeConnections:200 TagResource:200"},
		{"kind=change&account=" + other, ">requested/call requested>pending/clock pending>available/clock"},
		{"operation=CreateConnection", "CreateConnection:200 CreateConnection:200"},
		{"resource=" + aws.ToString(a.ConnectionId) + "&kind=call", "CreateConnection:200 DescribeConnections:200 TagResource:200"},
		{"resource=" + aws.ToString(b.ConnectionId) + "&kind=call", "CreateConnection:200"},
		{"account=" + owner + "&kind=call", "CreateConnection:200 DescribeConnections:200 TagResource:200"},
		{"kind=call&limit=1", "CreateConnection:200"},
		{fmt.Sprintf("after=%d&kind=call", all[len(all)-2].Seq), "TagResource:200"},
	}
	for _, tc := range cases {
		if got := brief(e.events(tc.query).Events); got != tc.want {
			t.Errorf("journal?%s\n got %s\nwant %s", tc.query, got, tc.want)
		}
	}
	if doc := e.events("kind=call&limit=1"); doc.Last != doc.Events[0].Seq {
		t.Fatalf("a cut answer's last is %d, want the last event's seq %d", doc.Last, doc.Events[0].Seq)
	}
	for _, q := range []string{"kind=both", "after=-1", "limit=0", "limit=10001", "limit=x", "wait=61s", "wait=-1s", "wait=x", "operation=MakeCoffee"} {
		var m map[string]string
		if status := e.call("GET", "/journal?"+q, "", &m); status != 400 || m["message"] == "" {
			t.Errorf("journal?%s: %d %v", q, status, m)
		}
	}
	if status := e.call("DELETE", "/journal", "", nil); status != 204 {
		t.Fatalf("DELETE /journal: %d", status)
	}
	if doc := e.events(""); len(doc.Events) != 0 || doc.Last != all[len(all)-1].Seq {
		t.Fatalf("after DELETE: %d events, last %d", len(doc.Events), doc.Last)
	}
	e.client(owner).DescribeLocations(ctx, &directconnect.DescribeLocationsInput{})
	if doc := e.events(""); len(doc.Events) != 1 || doc.Events[0].Seq != all[len(all)-1].Seq+1 {
		t.Fatalf("after DELETE the numbering restarted: %+v", doc.Events)
	}
	e.call("POST", "/reset", "", nil)
	if doc := e.events(""); len(doc.Events) != 0 {
		t.Fatalf("reset kept the journal: %+v", doc.Events)
	}
}

// A reader waiting for "dxcon-... became available" is answered when it happens, here when
// the clock is advanced past the dwell.
func TestJournalWait(t *testing.T) {
	e := newEnv(t, withDwell(time.Hour))
	c := createConnection(t, e.client(owner), "TstA1", "1Gbps")
	id := aws.ToString(c.ConnectionId)
	last := e.events("").Last
	got := make(chan journalDoc)
	go func() {
		var doc journalDoc
		e.call("GET", fmt.Sprintf("/journal?kind=change&resource=%s&after=%d&wait=60s", id, last), "", &doc)
		got <- doc
	}()
	// Calls of others do not answer the wait.
	for range 3 {
		e.client(other).DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	}
	e.call("POST", "/clock", `{"advance":"2h"}`, nil)
	doc := <-got
	if len(doc.Events) == 0 || doc.Events[0].ResourceID != id || doc.Events[0].To != "pending" {
		t.Fatalf("wait answered %+v", doc)
	}
	// A wait with nothing to come answers an empty list when it is over.
	doc = e.events(fmt.Sprintf("kind=change&resource=dxcon-fnothing&after=%d&wait=10ms", doc.Last))
	if len(doc.Events) != 0 {
		t.Fatalf("wait for nothing answered %+v", doc)
	}
}

// A read settles every region first: a change that fell due is in the answer although no call
// has touched the region since. (dxlocaltest shows the timer of a waiting read, which needs
// the real-time clock.)
func TestJournalReadSettlesDueChanges(t *testing.T) {
	e := newEnv(t, withDwell(50*time.Millisecond))
	c := createConnection(t, e.client(owner), "TstA1", "1Gbps")
	e.clock.Advance(50 * time.Millisecond)
	doc := e.events("kind=change&resource=" + aws.ToString(c.ConnectionId) + "&after=2&wait=5s")
	if len(doc.Events) == 0 || doc.Events[0].To != "pending" {
		t.Fatalf("wait answered %+v", doc)
	}
}

func TestQuotas(t *testing.T) {
	e := newEnv(t)
	var q map[string]int
	if status := e.call("GET", "/quotas", "", &q); status != 200 || len(q) != 13 || q["connectionsPerLocation"] != 10 || q["lagsPerRegion"] != 10 ||
		q["tagsPerResource"] != 50 || q["vgwAssociationsPerGateway"] != 20 || q["allowedPrefixesPerAssociation"] != 200 {
		t.Fatalf("GET /quotas: %d %v", status, q)
	}
	for _, body := range []string{`{"lagsPerRegion":1,"widgets":3}`, `{"lagsPerRegion":0}`, `{"lagsPerRegion":-1}`, `{"lagsPerRegion":1.5}`, `{"lagsPerRegion":"1"}`, `[1]`} {
		var m map[string]string
		if status := e.call("PUT", "/quotas", body, &m); status != 400 || m["message"] == "" {
			t.Errorf("PUT /quotas %s: %d %v", body, status, m)
		}
	}
	if e.call("GET", "/quotas", "", &q); q["lagsPerRegion"] != 10 {
		t.Fatalf("a refused PUT changed lagsPerRegion to %d", q["lagsPerRegion"])
	}
	if status := e.call("PUT", "/quotas", `{"lagsPerRegion":1,"tagsPerResource":2,"connectionsPerLocation":3}`, &q); status != 200 ||
		q["lagsPerRegion"] != 1 || q["tagsPerResource"] != 2 || q["connectionsPerLocation"] != 3 || q["vifsPerConnection"] != 50 {
		t.Fatalf("PUT /quotas: %d %v", status, q)
	}
	dx := e.client(owner)
	lag := func() error {
		_, err := dx.CreateLag(ctx, &directconnect.CreateLagInput{LagName: aws.String("l"), Location: aws.String("TstB1"), ConnectionsBandwidth: aws.String("10Gbps"), NumberOfConnections: 1})
		return err
	}
	if err := lag(); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, lag(), "DirectConnectClientException", "Lag limit of 1")
	tags := []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")}, {Key: aws.String("c"), Value: aws.String("3")}}
	_, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("c"), Location: aws.String("TstA1"), Bandwidth: aws.String("1Gbps"), Tags: tags})
	wantAPIError(t, err, "TooManyTagsException", "at most 2")
	c, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("c"), Location: aws.String("TstA1"), Bandwidth: aws.String("1Gbps"), Tags: tags[:2]})
	if err != nil {
		t.Fatal(err)
	}
	_, err = dx.TagResource(ctx, &directconnect.TagResourceInput{ResourceArn: aws.String("arn:aws:directconnect:us-east-1:" + owner + ":dxcon/" + aws.ToString(c.ConnectionId)), Tags: tags[2:]})
	wantAPIError(t, err, "TooManyTagsException", "at most 2")
	// The LAG's member counts: 1 + 2 reach the quota of 3 at TstB1.
	createConnection(t, dx, "TstB1", "10Gbps")
	createConnection(t, dx, "TstB1", "10Gbps")
	_, err = dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("c"), Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps")})
	wantAPIError(t, err, "DirectConnectClientException", "Connection limit of 3")
	e.call("POST", "/reset", "", nil)
	if e.call("GET", "/quotas", "", &q); q["lagsPerRegion"] != 10 || q["connectionsPerLocation"] != 10 {
		t.Fatalf("reset kept quotas %v", q)
	}
}

// The same calls after a reset make the same ids: the sequence restarts and the ids issued
// before are forgotten (else the source would skip them as taken).
func TestResetRestartsTheIDs(t *testing.T) {
	e := newEnv(t)
	first := aws.ToString(createConnection(t, e.client(owner), "TstA1", "1Gbps").ConnectionId)
	e.call("POST", "/reset", "", nil)
	again := aws.ToString(createConnection(t, e.client(owner), "TstA1", "1Gbps").ConnectionId)
	if first != again {
		t.Fatalf("after reset the first id is %s, want %s again", again, first)
	}
}

// Faults, control calls and journal readers that wait race with ordinary traffic; every
// journal number is used once, in order.
func TestControlUnderConcurrency(t *testing.T) {
	e := newEnv(t, withPartners(partner))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	// Readers that wait.
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var after uint64
			for {
				select {
				case <-stop:
					return
				default:
				}
				var doc journalDoc
				e.call("GET", fmt.Sprintf("/journal?after=%d&wait=50ms", after), "", &doc)
				for _, ev := range doc.Events {
					if ev.Seq <= after {
						t.Errorf("reader saw seq %d after %d", ev.Seq, after)
					}
					after = ev.Seq
				}
				after = max(after, doc.Last)
			}
		}()
	}
	// Control calls.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 30 {
			var f struct {
				FaultID string `json:"faultId"`
			}
			e.call("POST", "/faults", `{"operation":"*","error":"ThrottlingException","count":2,"after":1}`, &f)
			e.call("POST", "/clock", `{"advance":"1m"}`, nil)
			e.call("GET", "/faults", "", nil)
			e.call("PUT", "/quotas", fmt.Sprintf(`{"tagsPerResource":%d}`, 40+i), nil)
			e.call("DELETE", "/faults/"+f.FaultID, "", nil)
		}
	}()
	// Ordinary traffic.
	var traffic sync.WaitGroup
	for w := range 4 {
		traffic.Add(1)
		go func() {
			defer traffic.Done()
			dx := e.client(fmt.Sprintf("44444444444%d", w))
			for range 15 {
				c, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("c"), Location: aws.String("TstB1"), Bandwidth: aws.String("10Gbps")})
				if err != nil {
					var ae smithy.APIError
					if errors.As(err, &ae) && (ae.ErrorCode() == "ThrottlingException" || strings.Contains(ae.ErrorMessage(), "No ports")) {
						continue
					}
					t.Error(err)
					return
				}
				dx.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: c.ConnectionId})
				dx.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: c.ConnectionId})
			}
		}()
	}
	traffic.Wait()
	close(stop)
	wg.Wait()
	doc := e.events("")
	if len(doc.Events) == 0 {
		t.Fatal("empty journal")
	}
	for i, ev := range doc.Events {
		if ev.Seq != uint64(i+1) {
			t.Fatalf("event %d has seq %d", i, ev.Seq)
		}
	}
	// Every change caused by a call follows a call of the same account on that resource.
	seen := map[string]bool{}
	for _, ev := range doc.Events {
		if ev.Kind == "call" {
			for _, id := range ev.ResourceIDs {
				seen[id] = true
			}
			continue
		}
		if ev.Cause == "call" && ev.From == "" && !seen[ev.ResourceID] {
			t.Fatalf("creation of %s (seq %d) precedes its call", ev.ResourceID, ev.Seq)
		}
	}
}

// A body that is not JSON is journaled as a string, and the journal stays JSON; a body too
// large is journaled without it.
func TestJournalKeepsBadBodies(t *testing.T) {
	e := newEnv(t)
	if status, _, _ := e.raw("OvertureService.DescribeConnections", `{"connectionId":`); status != 400 {
		t.Fatalf("bad JSON answered %d", status)
	}
	big := `{"connectionId":"` + strings.Repeat("x", 1<<20) + `"}`
	if status, _, _ := e.raw("OvertureService.DescribeConnections", big); status != http.StatusBadRequest {
		t.Fatalf("a body over 1 MiB answered %d", status)
	}
	calls := e.events("kind=call").Events
	if len(calls) != 2 || string(calls[0].Request) != `"{\"connectionId\":"` || calls[0].ErrorType != "SerializationException" ||
		calls[1].Status != http.StatusBadRequest || calls[1].Request != nil {
		t.Fatalf("journal %+v", calls)
	}
}
