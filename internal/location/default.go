package location

import (
	"crypto/sha256"
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
)

// defaultData is a copy of shared/spec/locations.json: DescribeLocations output of every
// commercial region (behaviour.md §10.1). It has no endpoints; defaultCatalog makes them.
//
//go:embed locations.json
var defaultData []byte

// Ports per default endpoint, for the speeds its location lists.
var defaultPorts = map[Speed]int{Speed1G: 8, Speed10G: 8, Speed100G: 4, Speed400G: 2}

// defaultEndpoints is how many endpoints each default location gets.
const defaultEndpoints = 2

// Default returns the catalog embedded in the binary. It is built once and shared: it is
// immutable.
func Default() *Catalog { return defaultOnce() }

var defaultOnce = sync.OnceValue(func() *Catalog {
	c, err := defaultCatalog(defaultData)
	if err != nil {
		panic(fmt.Sprintf("embedded catalog: %v", err))
	}
	return c
})

// describedLocation is one entry of locations.json, with the API's member names.
type describedLocation struct {
	LocationCode              string   `json:"locationCode"`
	LocationName              string   `json:"locationName"`
	Region                    string   `json:"region"`
	AvailablePortSpeeds       []string `json:"availablePortSpeeds"`
	AvailableProviders        []string `json:"availableProviders"`
	AvailableMacSecPortSpeeds []string `json:"availableMacSecPortSpeeds"`
}

// defaultCatalog builds a catalog from DescribeLocations-shaped data: every location gets
// defaultEndpoints endpoints with defaultPorts of each speed it lists. Speeds other than
// 1G, 10G, 100G and 400G are ignored.
func defaultCatalog(data []byte) (*Catalog, error) {
	var described []describedLocation
	if err := json.Unmarshal(data, &described); err != nil {
		return nil, jsonError(data, err)
	}
	locs := make([]fileLocation, len(described))
	for i, d := range described {
		fl := fileLocation{
			Code:      d.LocationCode,
			Name:      d.LocationName,
			Region:    d.Region,
			Providers: d.AvailableProviders,
		}
		for _, s := range d.AvailableMacSecPortSpeeds {
			if sp, ok := parsePortSpeed(s); ok {
				fl.MacSecPortSpeeds = append(fl.MacSecPortSpeeds, string(sp))
			}
		}
		ports := map[string]json.RawMessage{}
		for _, s := range d.AvailablePortSpeeds {
			if sp, ok := parsePortSpeed(s); ok {
				ports[string(sp)] = json.RawMessage(strconv.Itoa(defaultPorts[sp]))
			}
		}
		for n := range defaultEndpoints {
			fl.Endpoints = append(fl.Endpoints, fileEndpoint{Device: deviceName(d.LocationCode, n), Ports: ports})
		}
		locs[i] = fl
	}
	return build(locs)
}

const deviceAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// deviceName is the name of a default location's n-th endpoint: the code, a dash and 13
// characters [a-z0-9] derived from a hash of code and n, so every start gives the same names.
// (build refuses a duplicate, so a collision could not pass unnoticed.)
func deviceName(code string, n int) string {
	sum := sha256.Sum256([]byte("dxlocal device\x00" + code + "\x00" + strconv.Itoa(n)))
	b := make([]byte, 0, len(code)+14)
	b = append(b, code...)
	b = append(b, '-')
	for i := range 13 {
		b = append(b, deviceAlphabet[int(sum[i])%len(deviceAlphabet)])
	}
	return string(b)
}
