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

// TagResource adds tags to a resource, overwriting the values of keys it has already.
func (r *Region) TagResource(c Caller, arn string, tags []tag.Tag) error {
	r.lock()
	defer r.unlock()
	target, err := r.taggable(c, arn)
	if err != nil {
		return err
	}
	merged, err := tag.Merge(*target, tags, r.store.Quotas().TagsPerResource)
	if err != nil {
		return err
	}
	*target = merged
	return nil
}

// UntagResource removes tag keys from a resource; keys it does not have are ignored.
func (r *Region) UntagResource(c Caller, arn string, keys []string) error {
	r.lock()
	defer r.unlock()
	target, err := r.taggable(c, arn)
	if err != nil {
		return err
	}
	kept, err := tag.Remove(*target, keys)
	if err != nil {
		return err
	}
	*target = kept
	return nil
}

// ResourceTags is the tags of one resource.
type ResourceTags struct {
	ARN  string
	Tags []tag.Tag
}
