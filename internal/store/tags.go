package store

import (
	"regexp"

	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/tag"
)

// arnForm is a Direct Connect resource ARN: region (empty for the global DX gateways),
// account, resource type and id.
var arnForm = regexp.MustCompile(`^arn:aws:directconnect:([a-z0-9-]*):(\d{12}):(dxcon|dxlag|dxvif|dx-gateway)/(.+)$`)

// taggable finds the tags of the resource an ARN names, if the caller owns it.
func (r *Region) taggable(c Caller, arn string) (*[]tag.Tag, error) {
	m := arnForm.FindStringSubmatch(arn)
	if m == nil {
		return nil, dxerr.New(dxerr.Invalid, "Resource ARN %s has an invalid format.", arn)
	}
	region, account, kind, id := m[1], m[2], m[3], m[4]
	missing := dxerr.New(dxerr.NotFound, "Resource %s does not exist.", arn)
	if region != r.name || account != c.Account {
		return nil, missing
	}
	switch kind {
	case "dxcon":
		if conn, ok := r.conns[id]; ok && conn.Owner == account {
			return &conn.Tags, nil
		}
	case "dxlag":
		if l, ok := r.lags[id]; ok && l.Owner == account {
			return &l.Tags, nil
		}
	case "dxvif":
		// Only the VIF's owner sees its tags: not the owner of its connection.
		if v, ok := r.vifs.byID[id]; ok && v.Owner == account {
			return &v.Tags, nil
		}
	}
	return nil, missing
}

// ResourceTags is the tags of one resource.
type ResourceTags struct {
	ARN  string
	Tags []tag.Tag
}
