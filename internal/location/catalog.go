// Package location holds the port catalog: the Direct Connect locations of every region, their
// endpoints (AWS devices) and how many ports of each speed each endpoint has.
//
// A Catalog is immutable once built (Load, LoadFile, Default): nothing in this package changes
// it, and callers must not modify its slices or maps either, so it may be shared freely between
// goroutines. Which ports are taken is tracked elsewhere (package port).
package location

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
)

// MaxPortsPerSpeed bounds the port count of one speed on one endpoint in a catalog file, so
// that a typo cannot make the emulator allocate millions of ports.
const MaxPortsPerSpeed = 10000

// Catalog is every location, in file order, with indexes for lookups.
type Catalog struct {
	Locations []*Location

	byKey    map[string]*Location   // region + "\x00" + lower-cased code
	byRegion map[string][]*Location // catalog order
}

// Location is one Direct Connect location.
type Location struct {
	Code   string // catalog spelling, reported as is
	Name   string
	Region string
	// Providers are reported as availableProviders; never nil.
	Providers []string
	// MacSecSpeeds are the speeds whose ports are MACsec-capable (availableMacSecPortSpeeds),
	// ascending, without duplicates; never nil.
	MacSecSpeeds []Speed
	Endpoints    []*Endpoint

	portSpeeds []Speed
}

// Endpoint is one AWS device of a location, with its port count per speed.
type Endpoint struct {
	Device   string
	Ports    map[Speed]int
	Location *Location
}

// Lookup finds the location of region whose code matches code case-insensitively.
func (c *Catalog) Lookup(region, code string) (*Location, bool) {
	l, ok := c.byKey[key(region, code)]
	return l, ok
}

// InRegion returns the locations of region in catalog order (nil when there are none).
// The slice is the catalog's own: do not modify it.
func (c *Catalog) InRegion(region string) []*Location {
	return c.byRegion[region]
}

// RegionsOf returns, in catalog order, the regions that have a location code (matched
// case-insensitively): what an error names when a location is asked for in another region.
func (c *Catalog) RegionsOf(code string) []string {
	var out []string
	for _, l := range c.Locations {
		if strings.EqualFold(l.Code, code) && !slices.Contains(out, l.Region) {
			out = append(out, l.Region)
		}
	}
	return out
}

// PortSpeeds returns, ascending, the speeds any endpoint of the location has ports of.
func (l *Location) PortSpeeds() []Speed {
	return slices.Clone(l.portSpeeds)
}

// MacSec reports whether ports of speed s are MACsec-capable at the location.
func (l *Location) MacSec(s Speed) bool {
	return slices.Contains(l.MacSecSpeeds, s)
}

func key(region, code string) string {
	return region + "\x00" + strings.ToLower(code)
}

// The catalog file format (contract.md, "The port catalog file"). Unknown members are ignored
// so that the format may grow.
type fileCatalog struct {
	Locations []fileLocation `json:"locations"`
}

type fileLocation struct {
	Code             string         `json:"code"`
	Name             string         `json:"name"`
	Region           string         `json:"region"`
	Providers        []string       `json:"providers"`
	MacSecPortSpeeds []string       `json:"macSecPortSpeeds"`
	Endpoints        []fileEndpoint `json:"endpoints"`
}

type fileEndpoint struct {
	Device string `json:"device"`
	// Counts are kept raw so that a bad one is reported with its location and endpoint.
	Ports map[string]json.RawMessage `json:"ports"`
}

// LoadFile reads a catalog file; errors name the file.
func LoadFile(path string) (*Catalog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	defer f.Close()
	c, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Load reads a catalog in the file format of contract.md and checks it. It refuses a catalog
// with no locations, a location without code or region, a location code given twice (compared
// case-insensitively, across all regions), an endpoint without device or a device given twice
// (across the whole catalog), an unknown speed (ports or macSecPortSpeeds), a port count that
// is negative, not a whole number or above MaxPortsPerSpeed, and invalid JSON. Each error names
// the problem and where it is.
func Load(r io.Reader) (*Catalog, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	var file fileCatalog
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, jsonError(data, err)
	}
	if file.Locations == nil && bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil, errors.New("catalog: invalid JSON: the file is null, want an object with \"locations\"")
	}
	return build(file.Locations)
}

// jsonError words a decoding error, with the line and column of a syntax error.
func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		line, col := position(data, syn.Offset)
		return fmt.Errorf("catalog: invalid JSON at line %d, column %d: %v", line, col, err)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) && typ.Field == "" {
		return fmt.Errorf("catalog: invalid JSON: the file is a JSON %s, want an object with \"locations\"", typ.Value)
	}
	return fmt.Errorf("catalog: invalid JSON: %v", err)
}

func position(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1)
	if col < 1 {
		col = 1
	}
	return line, col
}

// build checks the decoded locations and builds the catalog with its indexes.
func build(locs []fileLocation) (*Catalog, error) {
	if len(locs) == 0 {
		return nil, errors.New("catalog: no locations")
	}
	c := &Catalog{byKey: map[string]*Location{}, byRegion: map[string][]*Location{}}
	codes := map[string]string{}   // lower-cased code -> code as first spelled
	devices := map[string]string{} // device -> code of its location
	for i, fl := range locs {
		if fl.Code == "" {
			return nil, fmt.Errorf("catalog: location #%d: missing code", i+1)
		}
		if first, dup := codes[strings.ToLower(fl.Code)]; dup {
			if first == fl.Code {
				return nil, fmt.Errorf("catalog: location %q appears twice", fl.Code)
			}
			return nil, fmt.Errorf("catalog: location %q appears twice (also as %q; codes are compared case-insensitively)", fl.Code, first)
		}
		codes[strings.ToLower(fl.Code)] = fl.Code
		if fl.Region == "" {
			return nil, fmt.Errorf("catalog: location %q: missing region", fl.Code)
		}
		loc := &Location{
			Code:         fl.Code,
			Name:         fl.Name,
			Region:       fl.Region,
			Providers:    append([]string{}, fl.Providers...),
			MacSecSpeeds: []Speed{},
		}
		for _, s := range fl.MacSecPortSpeeds {
			sp, ok := ParseSpeed(s)
			if !ok {
				return nil, fmt.Errorf("catalog: location %q: unknown MACsec port speed %q%s", fl.Code, s, speedHint)
			}
			if !slices.Contains(loc.MacSecSpeeds, sp) {
				loc.MacSecSpeeds = append(loc.MacSecSpeeds, sp)
			}
		}
		sortSpeeds(loc.MacSecSpeeds)
		has := map[Speed]bool{}
		for j, fe := range fl.Endpoints {
			if fe.Device == "" {
				return nil, fmt.Errorf("catalog: location %q endpoint #%d: missing device", fl.Code, j+1)
			}
			if other, dup := devices[fe.Device]; dup {
				if other == fl.Code {
					return nil, fmt.Errorf("catalog: endpoint %q appears twice (both in location %q)", fe.Device, fl.Code)
				}
				return nil, fmt.Errorf("catalog: endpoint %q appears twice (in locations %q and %q)", fe.Device, other, fl.Code)
			}
			devices[fe.Device] = fl.Code
			ep := &Endpoint{Device: fe.Device, Ports: map[Speed]int{}, Location: loc}
			for _, s := range sortedKeys(fe.Ports) {
				where := fmt.Sprintf("catalog: location %q endpoint %q", fl.Code, fe.Device)
				sp, ok := ParseSpeed(s)
				if !ok {
					return nil, fmt.Errorf("%s: unknown port speed %q%s", where, s, speedHint)
				}
				n, problem := count(fe.Ports[s])
				if problem != "" {
					return nil, fmt.Errorf("%s: port count %s for %q %s", where, bytes.TrimSpace(fe.Ports[s]), s, problem)
				}
				ep.Ports[sp] = n
				if n > 0 {
					has[sp] = true
				}
			}
			loc.Endpoints = append(loc.Endpoints, ep)
		}
		loc.portSpeeds = []Speed{}
		for _, sp := range Speeds {
			if has[sp] {
				loc.portSpeeds = append(loc.portSpeeds, sp)
			}
		}
		c.Locations = append(c.Locations, loc)
		c.byKey[key(loc.Region, loc.Code)] = loc
		c.byRegion[loc.Region] = append(c.byRegion[loc.Region], loc)
	}
	return c, nil
}

const speedHint = " (want 1Gbps, 10Gbps, 100Gbps or 400Gbps)"

// count reads one port count, a whole number from 0 to MaxPortsPerSpeed; otherwise it says
// what is wrong with it.
func count(raw json.RawMessage) (n int, problem string) {
	var f float64
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) || json.Unmarshal(raw, &f) != nil {
		return 0, "is not a number"
	}
	switch {
	case f < 0:
		return 0, "is negative"
	case f != math.Trunc(f):
		return 0, "is not a whole number"
	case f > MaxPortsPerSpeed:
		return 0, fmt.Sprintf("is above the maximum of %d", MaxPortsPerSpeed)
	}
	return int(f), ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortSpeeds(s []Speed) {
	slices.SortFunc(s, func(a, b Speed) int { return a.rank() - b.rank() })
}
