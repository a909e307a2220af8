#!/usr/bin/env bash
# The test command of the README: formatting, go.mod tidiness, vet, then every test under the
# race detector. CI (.ci/run) runs it in full.
#
#   ./test.sh           everything, the Terraform examples included (about 10 minutes; they
#                       skip, saying why, where Terraform or its provider mirror is absent)
#   ./test.sh -quick    the same without the Terraform examples, for daily work
#   QUICK=1 ./test.sh   the same as -quick
#
# Chromium, for the web console's browser tests, is installed from Debian's packages when it
# is missing (scripts/install-chromium.sh).
set -euo pipefail
cd "$(dirname "$0")"

quick=${QUICK:-}
for arg in "$@"; do
  case "$arg" in
    -quick|--quick) quick=1 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown argument $arg (try -quick)" >&2; exit 2 ;;
  esac
done
[ "$quick" = 0 ] && quick=
if [ -n "$quick" ]; then echo "test.sh: QUICK MODE, the Terraform examples will be skipped."; fi

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
if ! go mod tidy -diff; then
  echo "go.mod/go.sum are not tidy: run go mod tidy" >&2; exit 1
fi
# The web console's tests drive a real Chromium: install it when it is missing. Where that is
# not possible (no root, no apt) those tests skip and say how to install it.
if ! bash scripts/install-chromium.sh; then
  echo "test.sh: Chromium could not be installed: the web console's browser tests will SKIP." >&2
fi
go vet ./...
go test -race $(go list ./... | grep -v '/examples/terraform$')
if [ -n "$quick" ]; then
  echo
  echo "################################################################################"
  echo "# QUICK MODE: the Terraform examples (./examples/terraform) were NOT run."
  echo "# Run ./test.sh without -quick (as CI does) before you merge."
  echo "################################################################################"
  exit 0
fi
echo "Running the Terraform examples (several minutes; ./test.sh -quick skips them)."
# The examples run side by side: most of their time is the AWS provider's waiters sleeping
# between polls, so more of them at once than there are cores (go test's default) is faster.
go test -race -v -parallel 8 -timeout 40m ./examples/terraform/
