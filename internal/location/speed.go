package location

// Speed is a dedicated port speed, spelled as requests spell bandwidths and as the catalog
// file keys ports: "1Gbps", "10Gbps", "100Gbps", "400Gbps".
type Speed string

// The port speeds a catalog may hold.
const (
	Speed1G   Speed = "1Gbps"
	Speed10G  Speed = "10Gbps"
	Speed100G Speed = "100Gbps"
	Speed400G Speed = "400Gbps"
)

// Speeds lists every port speed, ascending.
var Speeds = []Speed{Speed1G, Speed10G, Speed100G, Speed400G}

// ParseSpeed accepts exactly the four spellings of Speeds ("1Gbps", ...); nothing else
// ("1G", "1gbps", "1000Mbps") is a port speed.
func ParseSpeed(s string) (Speed, bool) {
	switch sp := Speed(s); sp {
	case Speed1G, Speed10G, Speed100G, Speed400G:
		return sp, true
	}
	return "", false
}

// PortSpeed is the spelling DescribeLocations uses: "1G", "10G", "100G", "400G".
// It is "" for a value that is not one of Speeds.
func (s Speed) PortSpeed() string {
	switch s {
	case Speed1G:
		return "1G"
	case Speed10G:
		return "10G"
	case Speed100G:
		return "100G"
	case Speed400G:
		return "400G"
	}
	return ""
}

// Mbps is the speed in megabits per second (1000 for 1Gbps); 0 for a value that is not one
// of Speeds.
func (s Speed) Mbps() int {
	switch s {
	case Speed1G:
		return 1000
	case Speed10G:
		return 10000
	case Speed100G:
		return 100000
	case Speed400G:
		return 400000
	}
	return 0
}

// parsePortSpeed reads the DescribeLocations spelling ("1G", ...).
func parsePortSpeed(s string) (Speed, bool) {
	for _, sp := range Speeds {
		if sp.PortSpeed() == s {
			return sp, true
		}
	}
	return "", false
}

// rank orders speeds ascending; unknown values sort last.
func (s Speed) rank() int {
	for i, sp := range Speeds {
		if sp == s {
			return i
		}
	}
	return len(Speeds)
}
