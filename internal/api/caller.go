package api

import (
	"context"
	"net/http"
	"regexp"
	"strings"

	"github.com/dxlocal/dxlocal/internal/account"
	"github.com/dxlocal/dxlocal/internal/limit"
	"github.com/dxlocal/dxlocal/internal/store"
)

type callerKey struct{}

// regionName is the form of every AWS region name (us-east-1, us-gov-west-1, ap-southeast-5).
var regionName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)

// badRegionError is a credential scope whose region is not a region name. AWS answers it with
// a 403 InvalidSignatureException "Credential should be scoped to a valid region"; the SDKs do
// not retry it. The region is refused before anything is looked up, so no state is ever made
// for it.
type badRegionError struct{ region string }

func (e *badRegionError) Error() string {
	return "Credential should be scoped to a valid region, not '" + limit.Cut(e.region, limit.Echo) + "'."
}

func (e *badRegionError) wire() wireError {
	return wireError{http.StatusForbidden, codeInvalidSignature, e.Error()}
}

// callerOf reads who is calling from the SigV4 Authorization header: an access key id of
// exactly 12 digits is the account, any other key (or none) the default account; the region
// is the credential scope's, and must be a well-formed region name. Signatures are not checked.
func callerOf(r *http.Request, defaultAccount, defaultRegion string) (store.Caller, error) {
	c := store.Caller{Account: defaultAccount, Region: defaultRegion}
	auth := r.Header.Get("Authorization")
	i := strings.Index(auth, "Credential=")
	if i < 0 {
		return c, nil
	}
	cred := auth[i+len("Credential="):]
	if j := strings.IndexAny(cred, ", "); j >= 0 {
		cred = cred[:j]
	}
	// AKID/date/region/service/aws4_request
	parts := strings.Split(cred, "/")
	if len(parts) >= 3 && parts[2] != "" {
		c.Region = parts[2]
	}
	if account.IsID(parts[0]) {
		c.Account = parts[0]
	}
	if len(c.Region) > limit.RegionName || !regionName.MatchString(c.Region) {
		return store.Caller{Account: c.Account, Region: limit.Cut(c.Region, limit.Echo)}, &badRegionError{c.Region}
	}
	return c, nil
}

func withCaller(ctx context.Context, c store.Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

func callerFrom(ctx context.Context) store.Caller {
	c, _ := ctx.Value(callerKey{}).(store.Caller)
	return c
}
