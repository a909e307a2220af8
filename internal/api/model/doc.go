// Package model is the protocol layer's view of the Direct Connect API model: one Go
// struct per model structure, with fast JSON encoding, exact-name JSON decoding,
// validation of the model's constraints, and a dispatch table of the operations.
//
// Most of the package is generated from model.json, a copy of the official service
// model with the documentation removed (see ./gen). Regenerate with go generate after
// changing model.json or the generator; a test fails when the committed files are stale.
package model

//go:generate go run ./gen
