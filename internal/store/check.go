package store

import (
	"regexp"
	"slices"
	"strings"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/location"
	"github.com/dxlocal/dxlocal/internal/tag"
)

// Ids are accepted in the CloudFormation form: the prefix, then 8 to 21 letters and digits.
var (
	connOrLagID = regexp.MustCompile(`^dx(con|lag)-[A-Za-z0-9]{8,21}$`)
	lagIDForm   = regexp.MustCompile(`^dxlag-[A-Za-z0-9]{8,21}$`)
)

func checkConnectionID(v string) error {
	if !connOrLagID.MatchString(v) {
		return dxerr.New(dxerr.Invalid, "ConnectionID %s has an invalid format.", v)
	}
	return nil
}

func checkInterconnectID(v string) error {
	if !connOrLagID.MatchString(v) {
		return dxerr.New(dxerr.Invalid, "InterconnectID %s has an invalid format.", v)
	}
	return nil
}

func checkLagID(v string) error {
	if !lagIDForm.MatchString(v) {
		return dxerr.New(dxerr.Invalid, "LagID %s has an invalid format.", v)
	}
	return nil
}

func connNotFound(id string) error {
	return dxerr.New(dxerr.NotFound, "Could not find Connection with ID %s", id)
}

func interconnectNotFound(id string) error {
	return dxerr.New(dxerr.NotFound, "Could not find Interconnect with ID %s", id)
}

func lagNotFound(id string) error {
	return dxerr.New(dxerr.NotFound, "Could not find Lag with ID %s", id)
}

func inState(kind, id, state string) error {
	return dxerr.New(dxerr.Conflict, "%s %s is in state %s.", kind, id, state)
}

// portPlace is where a new port goes: the location, its speed and whether it must do MACsec.
type portPlace struct {
	loc    *location.Location
	speed  location.Speed
	macSec bool
}

// resolvePlace checks a location code and bandwidth of a create request against the region's
// catalog. speeds lists the bandwidths the operation accepts at all.
func (r *Region) resolvePlace(code, bandwidth string, macSec bool, speeds []location.Speed) (portPlace, error) {
	loc, ok := r.store.opts.Catalog.Lookup(r.name, code)
	if !ok {
		if elsewhere := r.store.opts.Catalog.RegionsOf(code); len(elsewhere) > 0 {
			return portPlace{}, dxerr.New(dxerr.Invalid, "Location %s is not valid in region %s: it is in %s, not %s.", code, r.name, strings.Join(elsewhere, ", "), r.name)
		}
		return portPlace{}, dxerr.New(dxerr.Invalid, "Location %s is not valid in region %s.", code, r.name)
	}
	speed, ok := location.ParseSpeed(bandwidth)
	if !ok || !containsSpeed(speeds, speed) {
		return portPlace{}, dxerr.New(dxerr.Invalid, "Bandwidth %s is not supported. Valid values: %s.", bandwidth, speedList(speeds))
	}
	if !containsSpeed(loc.PortSpeeds(), speed) {
		return portPlace{}, dxerr.New(dxerr.Invalid, "Bandwidth %s is not available at location %s. Valid values there: %s.", bandwidth, loc.Code, speedList(loc.PortSpeeds()))
	}
	if macSec && !loc.MacSec(speed) {
		return portPlace{}, dxerr.New(dxerr.Invalid, "MACsec is not available at location %s for bandwidth %s.", loc.Code, bandwidth)
	}
	return portPlace{loc: loc, speed: speed, macSec: macSec}, nil
}

// speedList spells speeds for a message: "1Gbps, 10Gbps".
func speedList(speeds []location.Speed) string {
	out := make([]string, len(speeds))
	for i, s := range speeds {
		out[i] = string(s)
	}
	return strings.Join(out, ", ")
}

func containsSpeed(list []location.Speed, s location.Speed) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkNewTags applies the tag rules, and the tags-per-resource quota, to a create request's tags.
func (r *Region) checkNewTags(tags []tag.Tag) error { return r.store.checkNewTags(tags) }

// checkNewTags applies the tag rules, with the tag quota in force, to the tags of a create request.
func (s *Store) checkNewTags(tags []tag.Tag) error {
	_, err := tag.Merge(nil, tags, s.Quotas().TagsPerResource)
	return err
}

// checkQuota refuses a dedicated connection (or n LAG members) beyond the per-location quota.
func (r *Region) checkQuota(account string, loc *location.Location, n int) error {
	max := r.store.Quotas().ConnectionsPerLocation
	if r.dedicated[quotaKey{account, loc}]+n > max {
		return dxerr.New(dxerr.Limit, "Connection limit of %d exceeded for account %s at location %s.", max, account, loc.Code)
	}
	return nil
}

// quotaKey is what the connection quota counts by: an account at a location.
type quotaKey struct {
	account string
	loc     *location.Location
}

// encryptionModes are the MACsec modes AWS accepts; the model types the member as a plain string.
var encryptionModes = []string{"no_encrypt", "should_encrypt", "must_encrypt"}

func checkEncryptionMode(mode *string) error {
	if mode == nil || slices.Contains(encryptionModes, *mode) {
		return nil
	}
	return dxerr.New(dxerr.Invalid, "encryptionMode %s is not valid. Valid values: %s.", *mode, strings.Join(encryptionModes, ", "))
}
