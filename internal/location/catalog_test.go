package location

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSpeeds(t *testing.T) {
	want := []struct {
		s    Speed
		port string
		mbps int
	}{{Speed1G, "1G", 1000}, {Speed10G, "10G", 10000}, {Speed100G, "100G", 100000}, {Speed400G, "400G", 400000}}
	if len(Speeds) != len(want) {
		t.Fatalf("Speeds = %v", Speeds)
	}
	for i, w := range want {
		if Speeds[i] != w.s {
			t.Errorf("Speeds[%d] = %q, want %q", i, Speeds[i], w.s)
		}
		if got, ok := ParseSpeed(string(w.s)); !ok || got != w.s {
			t.Errorf("ParseSpeed(%q) = %q, %v", w.s, got, ok)
		}
		if got := w.s.PortSpeed(); got != w.port {
			t.Errorf("%s.PortSpeed() = %q, want %q", w.s, got, w.port)
		}
		if got := w.s.Mbps(); got != w.mbps {
			t.Errorf("%s.Mbps() = %d, want %d", w.s, got, w.mbps)
		}
	}
	for _, bad := range []string{"", "1G", "10G", "1gbps", "1 Gbps", "1000Mbps", "25Gbps", "50Mbps", "1GBPS"} {
		if got, ok := ParseSpeed(bad); ok {
			t.Errorf("ParseSpeed(%q) = %q, true; want refused", bad, got)
		}
	}
}

// valid is the example of contract.md with unknown members added at every level.
const valid = `{
  "version": 2, "comment": {"nested": [1, 2]},
  "locations": [
    {
      "code": "EqDC2",
      "name": "Equinix DC1-DC6, DC10-DC11, Ashburn, VA",
      "region": "us-east-1",
      "providers": ["Equinix, Inc."],
      "macSecPortSpeeds": ["100Gbps", "10Gbps", "10Gbps"],
      "jumboFrames": true,
      "endpoints": [
        {"device": "EqDC2-2ab3cd4ef5gh6", "ports": {"1Gbps": 24, "10Gbps": 16, "100Gbps": 4}, "rack": "A1"},
        {"device": "EqDC2-1xy2zv3wq4rs5", "ports": {"10Gbps": 8, "400Gbps": 0}}
      ]
    },
    {"code": "CSVA1", "name": "CoreSite VA1", "region": "us-east-1",
     "endpoints": [{"device": "CSVA1-a", "ports": {"400Gbps": 2}}]},
    {"code": "EqLD5", "name": "Equinix LD5", "region": "eu-west-2"},
    {"code": "EQSE2", "name": "Equinix SE2", "region": "us-west-2", "endpoints": []}
  ]
}`

func TestLoadValid(t *testing.T) {
	c, err := Load(strings.NewReader(valid))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Locations) != 4 {
		t.Fatalf("%d locations", len(c.Locations))
	}
	dc := c.Locations[0]
	if dc.Code != "EqDC2" || dc.Region != "us-east-1" || dc.Name != "Equinix DC1-DC6, DC10-DC11, Ashburn, VA" {
		t.Errorf("location = %+v", dc)
	}
	if !slices.Equal(dc.Providers, []string{"Equinix, Inc."}) {
		t.Errorf("providers = %v", dc.Providers)
	}
	if !slices.Equal(dc.MacSecSpeeds, []Speed{Speed10G, Speed100G}) {
		t.Errorf("MacSecSpeeds = %v, want sorted and de-duplicated", dc.MacSecSpeeds)
	}
	if !dc.MacSec(Speed10G) || !dc.MacSec(Speed100G) || dc.MacSec(Speed1G) || dc.MacSec(Speed400G) {
		t.Error("MacSec wrong")
	}
	// 400Gbps has a count of 0 only: not a port speed of the location.
	if got := dc.PortSpeeds(); !slices.Equal(got, []Speed{Speed1G, Speed10G, Speed100G}) {
		t.Errorf("PortSpeeds = %v", got)
	}
	if len(dc.Endpoints) != 2 || dc.Endpoints[0].Device != "EqDC2-2ab3cd4ef5gh6" || dc.Endpoints[1].Device != "EqDC2-1xy2zv3wq4rs5" {
		t.Fatalf("endpoints = %+v", dc.Endpoints)
	}
	if ep := dc.Endpoints[0]; ep.Location != dc || ep.Ports[Speed1G] != 24 || ep.Ports[Speed10G] != 16 || ep.Ports[Speed100G] != 4 {
		t.Errorf("endpoint = %+v", ep)
	}
	ld := c.Locations[2]
	if ld.Providers == nil || len(ld.Providers) != 0 || ld.MacSecSpeeds == nil || len(ld.MacSecSpeeds) != 0 {
		t.Errorf("absent lists must be empty, not nil: %+v", ld)
	}
	if len(ld.Endpoints) != 0 || len(ld.PortSpeeds()) != 0 {
		t.Errorf("location without endpoints: %+v", ld)
	}

	// Lookup: case-insensitive code, only within the region.
	for _, tc := range []struct {
		region, code string
		want         *Location
	}{
		{"us-east-1", "EqDC2", dc},
		{"us-east-1", "eqdc2", dc},
		{"us-east-1", "EQDC2", dc},
		{"us-east-1", "csva1", c.Locations[1]},
		{"eu-west-2", "EQLD5", ld},
		{"eu-west-2", "EqDC2", nil},
		{"us-west-2", "EqDC2", nil},
		{"us-east-1", "EqDC", nil},
		{"", "EqDC2", nil},
	} {
		got, ok := c.Lookup(tc.region, tc.code)
		if got != tc.want || ok != (tc.want != nil) {
			t.Errorf("Lookup(%q, %q) = %v, %v", tc.region, tc.code, got, ok)
		}
	}
	if got := c.InRegion("us-east-1"); len(got) != 2 || got[0] != dc || got[1] != c.Locations[1] {
		t.Errorf("InRegion(us-east-1) = %v", got)
	}
	if got := c.InRegion("ap-south-1"); len(got) != 0 {
		t.Errorf("InRegion(ap-south-1) = %v", got)
	}
	// PortSpeeds hands out a copy.
	dc.PortSpeeds()[0] = Speed400G
	if dc.PortSpeeds()[0] != Speed1G {
		t.Error("PortSpeeds shares its slice")
	}
}

func TestLoadErrors(t *testing.T) {
	loc := func(code, region, endpoints string) string {
		return `{"code": "` + code + `", "region": "` + region + `", "endpoints": [` + endpoints + `]}`
	}
	file := func(locs ...string) string { return `{"locations": [` + strings.Join(locs, ",") + `]}` }
	for _, tc := range []struct {
		name, data string
		want       string
	}{
		{"empty file", ``, `catalog: invalid JSON`},
		{"syntax error", "{\"locations\": [\n  {\"code\": \"A\",}\n]}", `catalog: invalid JSON at line 2, column 16`},
		{"array", `[{"locationCode": "EqDC2"}]`, `catalog: invalid JSON: the file is a JSON array, want an object with "locations"`},
		{"null", `null`, `catalog: invalid JSON: the file is null`},
		{"trailing data", `{"locations": []} {}`, `catalog: invalid JSON`},
		{"wrong type", `{"locations": [{"code": 7}]}`, `catalog: invalid JSON`},
		{"no locations member", `{}`, `catalog: no locations`},
		{"empty locations", `{"locations": []}`, `catalog: no locations`},
		{"null locations", `{"locations": null}`, `catalog: no locations`},
		{"missing code", file(loc("A", "us-east-1", ""), loc("", "us-east-1", "")), `catalog: location #2: missing code`},
		{"missing region", file(loc("A", "", "")), `catalog: location "A": missing region`},
		{"location twice", file(loc("EqDC2", "us-east-1", ""), loc("EqDC2", "us-east-1", "")), `catalog: location "EqDC2" appears twice`},
		{"location twice other case", file(loc("EqDC2", "us-east-1", ""), loc("EQDC2", "us-east-1", "")),
			`catalog: location "EQDC2" appears twice (also as "EqDC2"; codes are compared case-insensitively)`},
		{"location twice other region", file(loc("EqDC2", "us-east-1", ""), loc("eqdc2", "us-west-2", "")), `catalog: location "eqdc2" appears twice`},
		{"missing device", file(loc("A", "r", `{"device": "A-1"}, {"ports": {"1Gbps": 1}}`)), `catalog: location "A" endpoint #2: missing device`},
		{"endpoint twice in location", file(loc("A", "r", `{"device": "X"}, {"device": "X"}`)), `catalog: endpoint "X" appears twice (both in location "A")`},
		{"endpoint twice across locations", file(loc("A", "r", `{"device": "X"}`), loc("B", "s", `{"device": "X"}`)),
			`catalog: endpoint "X" appears twice (in locations "A" and "B")`},
		{"unknown port speed", file(loc("EqDC2", "r", `{"device": "X", "ports": {"3Gbps": 1}}`)),
			`catalog: location "EqDC2" endpoint "X": unknown port speed "3Gbps" (want 1Gbps, 10Gbps, 100Gbps or 400Gbps)`},
		{"port speed in API spelling", file(loc("A", "r", `{"device": "X", "ports": {"10G": 1}}`)), `catalog: location "A" endpoint "X": unknown port speed "10G"`},
		{"unknown MACsec speed", `{"locations": [{"code": "A", "region": "r", "macSecPortSpeeds": ["10Gbps", "25Gbps"]}]}`,
			`catalog: location "A": unknown MACsec port speed "25Gbps"`},
		{"negative count", file(loc("A", "r", `{"device": "X", "ports": {"10Gbps": -1}}`)), `catalog: location "A" endpoint "X": port count -1 for "10Gbps" is negative`},
		{"fractional count", file(loc("A", "r", `{"device": "X", "ports": {"10Gbps": 1.5}}`)), `catalog: location "A" endpoint "X": port count 1.5 for "10Gbps" is not a whole number`},
		{"string count", file(loc("A", "r", `{"device": "X", "ports": {"10Gbps": "8"}}`)), `catalog: location "A" endpoint "X": port count "8" for "10Gbps" is not a number`},
		{"null count", file(loc("A", "r", `{"device": "X", "ports": {"10Gbps": null}}`)), `catalog: location "A" endpoint "X": port count null for "10Gbps" is not a number`},
		{"huge count", file(loc("A", "r", `{"device": "X", "ports": {"10Gbps": 1e9}}`)), `catalog: location "A" endpoint "X": port count 1e9 for "10Gbps" is above the maximum of 10000`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(strings.NewReader(tc.data))
			if err == nil {
				t.Fatalf("loaded %+v, want error %q", c, tc.want)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q\n want prefix %q", err, tc.want)
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(good, []byte(valid), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(`{"locations": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if c, err := LoadFile(good); err != nil || len(c.Locations) != 4 {
		t.Errorf("LoadFile(good) = %v, %v", c, err)
	}
	if _, err := LoadFile(bad); err == nil || err.Error() != bad+": catalog: no locations" {
		t.Errorf("LoadFile(bad) error = %v", err)
	}
	missing := filepath.Join(dir, "missing.json")
	if _, err := LoadFile(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("LoadFile(missing) error = %v", err)
	}
}
