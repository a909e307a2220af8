package api

import (
	"context"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/store"
)

// Tags of Direct Connect gateways live in the global gateway book, every other resource's in
// its region.

func (s *service) TagResource(ctx context.Context, in *model.TagResourceRequest) (*model.TagResourceResponse, error) {
	c, r := s.region(ctx)
	arn := str(in.ResourceArn)
	var err error
	if store.IsGatewayARN(arn) {
		err = s.store.TagDXGateway(c, arn, tagsIn(in.Tags))
	} else {
		err = r.TagResource(c, arn, tagsIn(in.Tags))
	}
	if err != nil {
		return nil, err
	}
	return &model.TagResourceResponse{}, nil
}

func (s *service) UntagResource(ctx context.Context, in *model.UntagResourceRequest) (*model.UntagResourceResponse, error) {
	c, r := s.region(ctx)
	arn := str(in.ResourceArn)
	var err error
	if store.IsGatewayARN(arn) {
		err = s.store.UntagDXGateway(c, arn, in.TagKeys)
	} else {
		err = r.UntagResource(c, arn, in.TagKeys)
	}
	if err != nil {
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
