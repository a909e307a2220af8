package api

import (
	"context"

	"github.com/dxlocal/dxlocal/internal/api/model"
	"github.com/dxlocal/dxlocal/internal/store"
)

// startOnLayout is how startOn is written: UTC, to the millisecond.
const startOnLayout = "2006-01-02T15:04:05.000Z"

// macSecKeysOut always answers a list; the CAK is never part of it.
func macSecKeysOut(keys []store.MacSecKey) []model.MacSecKey {
	out := make([]model.MacSecKey, len(keys))
	for i := range keys {
		k := &keys[i]
		out[i] = model.MacSecKey{SecretARN: &k.SecretARN, Ckn: &k.CKN, State: &k.State, StartOn: model.String(k.StartOn.UTC().Format(startOnLayout))}
	}
	return out
}

func (s *service) AssociateMacSecKey(ctx context.Context, in *model.AssociateMacSecKeyRequest) (*model.AssociateMacSecKeyResponse, error) {
	c, r := s.region(ctx)
	keys, err := r.AssociateMacSecKey(c, str(in.ConnectionId), store.KeyRequest{SecretARN: in.SecretARN, CKN: in.Ckn, CAK: in.Cak})
	if err != nil {
		return nil, err
	}
	return &model.AssociateMacSecKeyResponse{ConnectionId: in.ConnectionId, MacSecKeys: macSecKeysOut(keys)}, nil
}

func (s *service) DisassociateMacSecKey(ctx context.Context, in *model.DisassociateMacSecKeyRequest) (*model.DisassociateMacSecKeyResponse, error) {
	c, r := s.region(ctx)
	keys, err := r.DisassociateMacSecKey(c, str(in.ConnectionId), str(in.SecretARN))
	if err != nil {
		return nil, err
	}
	return &model.DisassociateMacSecKeyResponse{ConnectionId: in.ConnectionId, MacSecKeys: macSecKeysOut(keys)}, nil
}
