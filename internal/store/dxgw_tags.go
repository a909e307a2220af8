package store

import (
	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/tag"
)

// isGatewayARN reports whether arn names a Direct Connect gateway, whose tags live in the
// gateway book rather than in a region.
func isGatewayARN(arn string) bool {
	m := arnForm.FindStringSubmatch(arn)
	return m != nil && m[3] == "dx-gateway"
}

// gatewayTags finds the tags of the caller's gateway that arn names. Gateways are global, so
// their ARNs have no region; one with a region names nothing.
func (s *Store) gatewayTags(c Caller, arn string) (*[]tag.Tag, error) {
	m := arnForm.FindStringSubmatch(arn)
	if m == nil {
		return nil, dxerr.New(dxerr.Invalid, "Resource ARN %s has an invalid format.", arn)
	}
	region, account, id := m[1], m[2], m[4]
	g, ok := s.dxgws.gateways[id]
	if region != "" || account != c.Account || !ok || g.Owner != c.Account {
		return nil, dxerr.New(dxerr.NotFound, "Resource %s does not exist.", arn)
	}
	return &g.Tags, nil
}

// editTags runs edit on the tags of the caller's resource that arn names, under the lock that
// guards them: the gateway book's for a Direct Connect gateway, the region's for the rest.
func (s *Store) editTags(c Caller, arn string, edit func(tags []tag.Tag) ([]tag.Tag, error)) error {
	var target *[]tag.Tag
	var err error
	if isGatewayARN(arn) {
		s.lockGateways()
		defer s.unlockGateways()
		target, err = s.gatewayTags(c, arn)
	} else {
		r := s.Region(c.Region)
		r.lock()
		defer r.unlock()
		target, err = r.taggable(c, arn)
	}
	if err != nil {
		return err
	}
	edited, err := edit(*target)
	if err != nil {
		return err
	}
	*target = edited
	return nil
}

// TagResource adds tags to the caller's resource, overwriting the values of keys it has.
func (s *Store) TagResource(c Caller, arn string, tags []tag.Tag) error {
	return s.editTags(c, arn, func(have []tag.Tag) ([]tag.Tag, error) {
		return tag.Merge(have, tags, s.Quotas().TagsPerResource)
	})
}

// UntagResource removes tag keys from the caller's resource; keys it lacks are ignored.
func (s *Store) UntagResource(c Caller, arn string, keys []string) error {
	return s.editTags(c, arn, func(have []tag.Tag) ([]tag.Tag, error) { return tag.Remove(have, keys) })
}

// DescribeTags answers the tags of each resource, in request order, gateways and the region's
// resources alike; one unknown ARN fails all. It holds the gateway book and the region together
// (the book first, as always) so that the answer is one moment's.
func (s *Store) DescribeTags(c Caller, arns []string) ([]ResourceTags, error) {
	s.lockGateways()
	defer s.unlockGateways()
	r := s.Region(c.Region)
	r.lock()
	defer r.unlock()
	out := make([]ResourceTags, 0, len(arns))
	for _, arn := range arns {
		var target *[]tag.Tag
		var err error
		if isGatewayARN(arn) {
			target, err = s.gatewayTags(c, arn)
		} else {
			target, err = r.taggable(c, arn)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, ResourceTags{ARN: arn, Tags: append([]tag.Tag{}, (*target)...)})
	}
	return out, nil
}
