package api

import (
	"context"

	"github.com/dxlocal/dxlocal/internal/api/model"
)

func (s *service) TagResource(ctx context.Context, in *model.TagResourceRequest) (*model.TagResourceResponse, error) {
	if err := s.store.TagResource(callerFrom(ctx), str(in.ResourceArn), tagsIn(in.Tags)); err != nil {
		return nil, err
	}
	return &model.TagResourceResponse{}, nil
}

func (s *service) UntagResource(ctx context.Context, in *model.UntagResourceRequest) (*model.UntagResourceResponse, error) {
	if err := s.store.UntagResource(callerFrom(ctx), str(in.ResourceArn), in.TagKeys); err != nil {
		return nil, err
	}
	return &model.UntagResourceResponse{}, nil
}

func (s *service) DescribeTags(ctx context.Context, in *model.DescribeTagsRequest) (*model.DescribeTagsResponse, error) {
	res, err := s.store.DescribeTags(callerFrom(ctx), in.ResourceArns)
	if err != nil {
		return nil, err
	}
	out := &model.DescribeTagsResponse{ResourceTags: make([]model.ResourceTag, len(res))}
	for i := range res {
		out.ResourceTags[i] = model.ResourceTag{ResourceArn: &res[i].ARN, Tags: tagsOut(res[i].Tags)}
	}
	return out, nil
}
