package dxlocal_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeGo is a `go` that records its arguments and succeeds, answering `go list` with the
// project's packages and the Terraform examples.
const fakeGo = `#!/usr/bin/env bash
echo "go $*" >> "$FAKE_GO_LOG"
case "$1" in
  list) echo github.com/dxlocal/dxlocal/internal/store; echo github.com/dxlocal/dxlocal/examples/terraform ;;
esac
exit 0
`

// runTestScript runs ./test.sh with args and extra environment, with the fake go first on
// PATH, and returns its output and the go commands it ran.
func runTestScript(t *testing.T, env []string, args ...string) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go"), []byte(fakeGo), 0o755); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "go.log")
	cmd := exec.Command("bash", append([]string{"./test.sh"}, args...)...)
	cmd.Env = append(os.Environ(), "PATH="+dir+":"+os.Getenv("PATH"), "FAKE_GO_LOG="+log, "QUICK=")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("./test.sh %v: %v\n%s", args, err, out)
	}
	b, _ := os.ReadFile(log)
	return string(out), strings.Split(strings.TrimSpace(string(b)), "\n")
}

func ranTerraform(calls []string) bool {
	for _, c := range calls {
		if strings.HasPrefix(c, "go test") && strings.Contains(c, "examples/terraform") {
			return true
		}
	}
	return false
}

// ./test.sh runs everything, go mod tidy -diff included; -quick and QUICK=1 skip the
// Terraform examples and say so.
func TestTestScriptModes(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	out, calls := runTestScript(t, nil)
	if !ranTerraform(calls) || strings.Contains(out, "QUICK MODE") {
		t.Errorf("./test.sh: Terraform examples run = %v, output:\n%s", ranTerraform(calls), out)
	}
	if !strings.Contains(strings.Join(calls, "\n"), "go mod tidy -diff") {
		t.Errorf("./test.sh does not check go mod tidy -diff; go calls:\n%s", strings.Join(calls, "\n"))
	}
	for _, tc := range []struct {
		name string
		env  []string
		args []string
	}{
		{"-quick", nil, []string{"-quick"}},
		{"QUICK=1", []string{"QUICK=1"}, nil},
	} {
		out, calls := runTestScript(t, tc.env, tc.args...)
		if ranTerraform(calls) {
			t.Errorf("%s ran the Terraform examples:\n%s", tc.name, strings.Join(calls, "\n"))
		}
		if strings.Count(out, "QUICK MODE") < 2 || !strings.Contains(out, "NOT run") {
			t.Errorf("%s does not say loudly, at start and end, that it skipped the Terraform examples:\n%s", tc.name, out)
		}
	}
}
