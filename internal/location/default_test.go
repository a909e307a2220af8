package location

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"testing"
)

func TestDefault(t *testing.T) {
	c := Default()
	if c != Default() {
		t.Error("Default builds a new catalog on each call")
	}
	if len(c.Locations) != 143 {
		t.Fatalf("%d locations, want 143", len(c.Locations))
	}
	var file []describedLocation
	if err := json.Unmarshal(defaultData, &file); err != nil {
		t.Fatal(err)
	}
	regions := map[string]bool{}
	for _, d := range file {
		regions[d.Region] = true
	}
	for r := range regions {
		if len(c.InRegion(r)) == 0 {
			t.Errorf("region %s has no locations", r)
		}
	}
	if len(regions) != 32 {
		t.Errorf("%d regions in the file, expected 32", len(regions))
	}

	devices := map[string]bool{}
	for i, l := range c.Locations {
		d := file[i]
		if l.Code != d.LocationCode || l.Name != d.LocationName || l.Region != d.Region {
			t.Errorf("location %d = %s %q %s, file has %s %q %s", i, l.Code, l.Name, l.Region, d.LocationCode, d.LocationName, d.Region)
		}
		if got, ok := c.Lookup(l.Region, l.Code); !ok || got != l {
			t.Errorf("Lookup(%s, %s) failed", l.Region, l.Code)
		}
		// Every speed of the file is one of ours: nothing is dropped.
		if got := portSpeedStrings(l.PortSpeeds()); !sameSet(got, d.AvailablePortSpeeds) {
			t.Errorf("%s: PortSpeeds %v, file %v", l.Code, got, d.AvailablePortSpeeds)
		}
		if got := portSpeedStrings(l.MacSecSpeeds); !sameSet(got, d.AvailableMacSecPortSpeeds) {
			t.Errorf("%s: MacSecSpeeds %v, file %v", l.Code, got, d.AvailableMacSecPortSpeeds)
		}
		if l.Providers == nil || !slices.Equal(l.Providers, append([]string{}, d.AvailableProviders...)) {
			t.Errorf("%s: providers %v, file %v", l.Code, l.Providers, d.AvailableProviders)
		}
		if len(l.Endpoints) != 2 {
			t.Fatalf("%s: %d endpoints", l.Code, len(l.Endpoints))
		}
		name := regexp.MustCompile(`^` + regexp.QuoteMeta(l.Code) + `-[a-z0-9]{13}$`)
		for _, ep := range l.Endpoints {
			if !name.MatchString(ep.Device) {
				t.Errorf("device name %q", ep.Device)
			}
			if devices[ep.Device] {
				t.Errorf("device %q twice", ep.Device)
			}
			devices[ep.Device] = true
			if ep.Location != l {
				t.Errorf("%s: endpoint location %v", ep.Device, ep.Location)
			}
			want := map[Speed]int{}
			for _, s := range l.PortSpeeds() {
				want[s] = map[Speed]int{Speed1G: 8, Speed10G: 8, Speed100G: 4, Speed400G: 2}[s]
			}
			if len(ep.Ports) != len(want) {
				t.Errorf("%s: ports %v, want %v", ep.Device, ep.Ports, want)
			}
			for s, n := range want {
				if ep.Ports[s] != n {
					t.Errorf("%s: ports %v, want %v", ep.Device, ep.Ports, want)
				}
			}
		}
	}

	// The real spelling of the two restored codes, and a location with providers.
	if l, ok := c.Lookup("us-east-1", "EQDC2"); !ok || l.Code != "EqDC2" {
		t.Errorf("EqDC2: %v", l)
	}
	if l, ok := c.Lookup("ap-northeast-2", "lgknx"); !ok || len(l.Providers) != 5 || len(l.MacSecSpeeds) != 0 {
		t.Errorf("LGKNX: %+v", l)
	}
}

// The device names are the same on every start.
func TestDefaultReproducible(t *testing.T) {
	a, err := defaultCatalog(defaultData)
	if err != nil {
		t.Fatal(err)
	}
	b, err := defaultCatalog(defaultData)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range a.Locations {
		for j, ep := range l.Endpoints {
			if other := b.Locations[i].Endpoints[j].Device; ep.Device != other {
				t.Errorf("device %q, then %q", ep.Device, other)
			}
		}
	}
	// Fixed values: a change of the naming scheme renames every device a user may have noted.
	eps := Default().Locations[indexOf(t, "EqDC2")].Endpoints
	if eps[0].Device != "EqDC2-73d2q21jksyhx" || eps[1].Device != "EqDC2-xnw58l39uz4js" {
		t.Errorf("EqDC2 devices %q, %q: the naming scheme changed", eps[0].Device, eps[1].Device)
	}
}

// The embedded copy is the spec's file (checked where the spec tree is present).
func TestEmbeddedMatchesSpec(t *testing.T) {
	spec, err := os.ReadFile("../../../shared/spec/locations.json")
	if err != nil {
		t.Skipf("spec file not available: %v", err)
	}
	if !bytes.Equal(spec, defaultData) {
		t.Error("internal/location/locations.json differs from shared/spec/locations.json")
	}
}

func TestDefaultCatalogIgnoresOtherSpeeds(t *testing.T) {
	c, err := defaultCatalog([]byte(`[{"locationCode": "X1", "locationName": "X", "region": "r",
		"availablePortSpeeds": ["50M", "1G", "25G", "100G"], "availableMacSecPortSpeeds": ["25G", "100G"]}]`))
	if err != nil {
		t.Fatal(err)
	}
	l := c.Locations[0]
	if !slices.Equal(l.PortSpeeds(), []Speed{Speed1G, Speed100G}) || !slices.Equal(l.MacSecSpeeds, []Speed{Speed100G}) {
		t.Errorf("speeds %v, MACsec %v", l.PortSpeeds(), l.MacSecSpeeds)
	}
	if len(l.Providers) != 0 || l.Providers == nil {
		t.Errorf("providers %v", l.Providers)
	}
}

func indexOf(t *testing.T, code string) int {
	for i, l := range Default().Locations {
		if l.Code == code {
			return i
		}
	}
	t.Fatalf("no location %s", code)
	return -1
}

func portSpeedStrings(speeds []Speed) []string {
	out := make([]string, len(speeds))
	for i, s := range speeds {
		out[i] = s.PortSpeed()
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
