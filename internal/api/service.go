package api

import (
	"context"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/page"
	"github.com/dxlocal/dxlocal/internal/store"
	"github.com/dxlocal/dxlocal/internal/tag"
)

// service implements the generated model.Service; operations not built yet answer
// NotImplemented through the embedded UnimplementedService.
type service struct {
	model.UnimplementedService
	store *store.Store
}

// region returns the caller and the state of the caller's region.
func (s *service) region(ctx context.Context) (store.Caller, *store.Region) {
	c := callerFrom(ctx)
	return c, s.store.Region(c.Region)
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func flag(p *bool) bool { return p != nil && *p }

// pageOf is the paging part of a list request; key names the operation and its filters.
func pageOf(c store.Caller, max *int32, token *string, key ...string) page.Request {
	if max == nil && token == nil {
		return page.Request{} // the whole list: no token to make or check
	}
	parts := append([]string{c.Account, c.Region}, key...)
	return page.Request{Max: max, Token: token, Key: page.Key(parts...)}
}

func tagsIn(in []model.Tag) []tag.Tag {
	if len(in) == 0 {
		return nil
	}
	out := make([]tag.Tag, len(in))
	for i, t := range in {
		out[i] = tag.Tag{Key: str(t.Key), Value: str(t.Value)}
	}
	return out
}

// tagsOut always answers a list, [] when there are no tags, as AWS does.
func tagsOut(in []tag.Tag) []model.Tag {
	out := make([]model.Tag, len(in))
	for i := range in {
		out[i] = model.Tag{Key: &in[i].Key, Value: &in[i].Value}
	}
	return out
}

func nonEmpty(s *string) *string {
	if s == nil || *s == "" {
		return nil
	}
	return s
}
