#!/usr/bin/env bash
# The test command of the README: formatting, vet, then every test under the race detector
# (go test -race ./...). The Terraform examples run verbosely, so that each step's outcome is
# in the output; they skip, saying why, where Terraform or its provider mirror is absent.
set -euo pipefail
cd "$(dirname "$0")"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...
go test -race $(go list ./... | grep -v '/examples/terraform$')
go test -race -v -timeout 20m ./examples/terraform/
