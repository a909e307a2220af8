package api

import (
	"context"

	"github.com/dxlocal/dxlocal/internal/api/model"
)

func (s *service) TagResource(ctx context.Context, in *model.TagResourceRequest) (*model.TagResourceResponse, error) {
	c, r := s.region(ctx)
	if err := r.TagResource(c, str(in.ResourceArn), tagsIn(in.Tags)); err != nil {
		return nil, err
	}
	return &model.TagResourceResponse{}, nil
}

func (s *service) UntagResource(ctx context.Context, in *model.UntagResourceRequest) (*model.UntagResourceResponse, error) {
	c, r := s.region(ctx)
	if err := r.UntagResource(c, str(in.ResourceArn), in.TagKeys); err != nil {
		return nil, err
	}
	return &model.UntagResourceResponse{}, nil
}

func (s *service) DescribeTags(ctx context.Context, in *model.DescribeTagsRequest) (*model.DescribeTagsResponse, error) {
	c, r := s.region(ctx)
	res, err := r.DescribeTags(c, in.ResourceArns)
	if err != nil {
		return nil, err
	}
	out := &model.DescribeTagsResponse{ResourceTags: make([]model.ResourceTag, len(res))}
	for i := range res {
		out.ResourceTags[i] = model.ResourceTag{ResourceArn: &res[i].ARN, Tags: tagsOut(res[i].Tags)}
	}
	return out, nil
}
