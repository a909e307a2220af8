// The README's commands, run as written.
//
// README.md marks what this test runs with HTML comments, invisible on GitHub:
//
//	<!-- test: start -->   the next shell block starts dxlocal (`go run ./cmd/dxlocal ARGS`);
//	                       the test starts the built binary with ARGS instead
//	<!-- test: server ARGS -->  the same without a block: a fresh dxlocal with ARGS
//	<!-- test -->          the next shell block runs with bash against the last dxlocal started;
//	                       the blocks after one start share one shell (variables carry over)
//	                       and stop at the first failing command
//	<!-- test: expect -->  every line of the next block appears, in order, in the output of the
//	                       block run before it (compared with runs of blanks made one space)
//
// The commands name 127.0.0.1:4599 as a reader would, so each dxlocal runs with the commands in
// a network namespace of their own (unshare -rn) where that port is free; without unshare the
// test uses the machine's port when it is free, and skips otherwise.
package dxlocal_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

type readmeBlock struct {
	line   int // line of the opening fence in README.md
	script string
	expect []string
}

type readmeScenario struct {
	line   int
	args   string // dxlocal's arguments
	blocks []*readmeBlock
}

var (
	markerRE = regexp.MustCompile(`^<!-- test(?::\s*(start|server|expect)(.*?))?\s*-->$`)
	goRunRE  = regexp.MustCompile(`^go run \./cmd/dxlocal\b(.*)$`)
)

// parseReadme reads the marked blocks of a README.
func parseReadme(t *testing.T, path string) []*readmeScenario {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	var out []*readmeScenario
	var lastBlock *readmeBlock
	// fence reads the fenced block that starts at or after line i.
	fence := func(i int) (start int, body []string, next int) {
		for ; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			if strings.TrimSpace(lines[i]) != "" && !markerRE.MatchString(strings.TrimSpace(lines[i])) {
				t.Fatalf("README.md:%d: a test marker is followed by text, not a fenced block", i+1)
			}
		}
		if i == len(lines) {
			t.Fatalf("README.md: a test marker has no fenced block after it")
		}
		start = i
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			body = append(body, lines[i])
		}
		return start, body, i + 1
	}
	for i := 0; i < len(lines); i++ {
		m := markerRE.FindStringSubmatch(strings.TrimSpace(lines[i]))
		if m == nil {
			continue
		}
		kind, arg := m[1], strings.TrimSpace(m[2])
		switch kind {
		case "server":
			out = append(out, &readmeScenario{line: i + 1, args: arg})
		case "start":
			start, body, _ := fence(i + 1)
			var args []string
			for _, l := range body {
				if g := goRunRE.FindStringSubmatch(strings.TrimSpace(l)); g != nil {
					a, _, _ := strings.Cut(g[1], "#")
					args = append(args, strings.TrimSuffix(strings.TrimSpace(a), "&"))
				}
			}
			if len(args) != 1 {
				t.Fatalf("README.md:%d: a start block needs exactly one `go run ./cmd/dxlocal` line", start+1)
			}
			out = append(out, &readmeScenario{line: start + 1, args: strings.TrimSpace(args[0])})
		case "":
			if len(out) == 0 {
				t.Fatalf("README.md:%d: a test block before any dxlocal is started", i+1)
			}
			start, body, _ := fence(i + 1)
			lastBlock = &readmeBlock{line: start + 1, script: strings.Join(body, "\n")}
			sc := out[len(out)-1]
			sc.blocks = append(sc.blocks, lastBlock)
		case "expect":
			start, body, _ := fence(i + 1)
			if lastBlock == nil {
				t.Fatalf("README.md:%d: an expect block with no test block before it", start+1)
			}
			for _, l := range body {
				if l = squeeze(l); l != "" {
					lastBlock.expect = append(lastBlock.expect, l)
				}
			}
		}
	}
	return out
}

func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }

// isolation returns how to run a script so that 127.0.0.1:4599 is free for it.
func isolation(t *testing.T) []string {
	t.Helper()
	if exec.Command("unshare", "-rn", "true").Run() == nil {
		return []string{"unshare", "-rn", "bash"}
	}
	l, err := net.Listen("tcp", "127.0.0.1:4599")
	if err != nil {
		t.Skipf("no network namespace (unshare -rn failed) and 127.0.0.1:4599 is busy (%v): the README's commands were not run", err)
	}
	l.Close()
	return []string{"bash"}
}

func TestReadme(t *testing.T) {
	scenarios := parseReadme(t, "README.md")
	blocks := 0
	for _, sc := range scenarios {
		blocks += len(sc.blocks)
	}
	if len(scenarios) < 3 || blocks < 5 {
		t.Fatalf("README.md has %d marked dxlocal starts and %d marked command blocks; want at least 3 and 5", len(scenarios), blocks)
	}
	if testing.Short() {
		t.Skip("runs the AWS CLI; skipped with -short")
	}
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI (aws) is not installed: the README's commands were not run; install AWS CLI v1 or v2 to run them")
	}
	// The admin examples use curl --json (curl 7.82 and later).
	if out, err := exec.Command("curl", "--help", "all").Output(); err != nil || !strings.Contains(string(out), "--json") {
		t.Skip("curl 7.82 or later (with --json) is not installed: the README's commands were not run")
	}
	run := isolation(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "dxlocal")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/dxlocal").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// The commands' environment: the caller's, without AWS or dxlocal settings or AWS files.
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "AWS_") || strings.HasPrefix(kv, "DXLOCAL_")
	})
	none := filepath.Join(dir, "none")
	if err := os.WriteFile(none, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	env = append(env, "AWS_CONFIG_FILE="+none, "AWS_SHARED_CREDENTIALS_FILE="+none, "README_TEST_DXLOCAL="+bin)

	for _, sc := range scenarios {
		t.Run(fmt.Sprintf("line_%d", sc.line), func(t *testing.T) {
			if len(sc.blocks) == 0 {
				t.Fatalf("README.md:%d starts dxlocal but no block runs against it", sc.line)
			}
			runScenario(t, run, env, filepath.Join(dir, fmt.Sprintf("dxlocal-%d.log", sc.line)), sc)
		})
	}
}

const blockMark = "@@readme-block "

func runScenario(t *testing.T, run, env []string, log string, sc *readmeScenario) {
	var script strings.Builder
	fmt.Fprintf(&script, `ip link set lo up 2>/dev/null
"$README_TEST_DXLOCAL" %s >%q 2>&1 &
srv=$!
trap 'kill $srv 2>/dev/null; wait $srv 2>/dev/null' EXIT
for _ in $(seq 100); do grep -q 'listening on' %[2]q && break; sleep 0.1; done
grep -q 'listening on' %[2]q || { echo "dxlocal did not start:"; cat %[2]q; exit 90; }
set -e -o pipefail
`, sc.args, log)
	for i, b := range sc.blocks {
		fmt.Fprintf(&script, "echo '%s%d'\n%s\n", blockMark, i, b.script)
	}
	fmt.Fprintf(&script, "echo '%send'\n", blockMark)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, run[0], append(run[1:], "-c", script.String())...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()

	// Split the output by block.
	outputs := make([][]string, len(sc.blocks))
	current, finished := -1, false
	sc2 := bufio.NewScanner(strings.NewReader(string(out)))
	for sc2.Scan() {
		line := sc2.Text()
		if rest, ok := strings.CutPrefix(line, blockMark); ok {
			if rest == "end" {
				finished = true
			} else {
				fmt.Sscan(rest, &current)
			}
			continue
		}
		if current >= 0 {
			outputs[current] = append(outputs[current], line)
		}
	}
	if err != nil || !finished {
		where := fmt.Sprintf("dxlocal %s", sc.args)
		if current >= 0 {
			where = fmt.Sprintf("the block at README.md:%d", sc.blocks[current].line)
		}
		t.Fatalf("%s failed (%v); output:\n%s", where, err, out)
	}
	for i, b := range sc.blocks {
		got := make([]string, len(outputs[i]))
		for j, l := range outputs[i] {
			got[j] = squeeze(l)
		}
		text, at := strings.Join(got, "\n"), 0
		for _, want := range b.expect {
			j := strings.Index(text[at:], want)
			if j < 0 {
				t.Errorf("the block at README.md:%d: output lacks %q (in order); output:\n%s", b.line, want, strings.Join(outputs[i], "\n"))
				break
			}
			at += j + len(want)
		}
	}
}
