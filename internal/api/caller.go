package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/dxlocal/dxlocal/internal/account"
	"github.com/dxlocal/dxlocal/internal/store"
)

type callerKey struct{}

// callerOf reads who is calling from the SigV4 Authorization header: an access key id of
// exactly 12 digits is the account, any other key (or none) the default account; the region
// is the credential scope's. Signatures are not checked.
func callerOf(r *http.Request, defaultAccount, defaultRegion string) store.Caller {
	c := store.Caller{Account: defaultAccount, Region: defaultRegion}
	auth := r.Header.Get("Authorization")
	i := strings.Index(auth, "Credential=")
	if i < 0 {
		return c
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
	return c
}

func withCaller(ctx context.Context, c store.Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

func callerFrom(ctx context.Context) store.Caller {
	c, _ := ctx.Value(callerKey{}).(store.Caller)
	return c
}
