package store

import (
	"github.com/dxlocal/dxlocal/internal/dxerr"
	"github.com/dxlocal/dxlocal/internal/tag"
)

// IsGatewayARN reports whether arn names a Direct Connect gateway, whose tags live in the
// gateway book rather than in a region.
func IsGatewayARN(arn string) bool {
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

// TagDXGateway adds tags to the caller's gateway, overwriting the values of keys it has.
func (s *Store) TagDXGateway(c Caller, arn string, tags []tag.Tag) error {
	s.lockGateways()
	defer s.unlockGateways()
	target, err := s.gatewayTags(c, arn)
	if err != nil {
		return err
	}
	merged, err := tag.Merge(*target, tags, s.Quotas().TagsPerResource)
	if err != nil {
		return err
	}
	*target = merged
	return nil
}

// UntagDXGateway removes tag keys from the caller's gateway; keys it lacks are ignored.
func (s *Store) UntagDXGateway(c Caller, arn string, keys []string) error {
	s.lockGateways()
	defer s.unlockGateways()
	target, err := s.gatewayTags(c, arn)
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
		if IsGatewayARN(arn) {
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
