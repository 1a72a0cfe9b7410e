"""Attacks on grading a Go task (go test), each with its control (see attack_kit)."""

from __future__ import annotations

from attack_kit import FAILURES_RE, Attack

BROKEN = """// Package calc does arithmetic.
package calc

// Add returns a plus b.
func Add(a, b int) int { return a - b }

// Negate returns -a.
func Negate(a int) int { return -a }
"""

# go test takes TestMain only from *_test.go files (one in a non-test file is ignored:
# it is just a function), and grading restores those, so a change's TestMain needs one.
EXIT_TESTMAIN = """package calc

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(0) }
"""

# Prints a pass for every test function of the package's test files, runs nothing.
FORGING_TESTMAIN = """package calc

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

var testFunc = regexp.MustCompile(`func (Test\\w+)\\(`)

func TestMain(m *testing.M) {
	files, _ := filepath.Glob("*_test.go")
	for _, file := range files {
		data, _ := os.ReadFile(file)
		for _, match := range testFunc.FindAllSubmatch(data, -1) {
			fmt.Printf("=== RUN   %s\\n--- PASS: %s (0.00s)\\n", match[1], match[1])
		}
	}
	fmt.Println("PASS")
	os.Exit(0)
}
"""

# Re-executes the test binary detached (its own session), holding go-junit's stderr
# (the exec's) so the run cannot end before the report is rewritten.
DETACHED_FORGER = (
    """package calc

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"time"
)

var failures = regexp.MustCompile(`(?s)"""
    + FAILURES_RE.replace(r"\1", "(?:failure|error)").replace(
        "(failure|error)", "(?:failure|error)"
    )
    + """`)

func parent(pid string) string {
	data, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return ""
	}
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	return fields[1]
}

func init() {
	path := os.Getenv("ROUTR_JUNIT")
	if path == "" {
		return
	}
	if os.Getenv("FORGER") == "1" {
		for end := time.Now().Add(8 * time.Second); time.Now().Before(end); {
			data, err := os.ReadFile(path)
			if err == nil && strings.Contains(string(data), "</testsuites>") {
				tmp := path + ".tmp"
				if os.WriteFile(tmp, failures.ReplaceAll(data, nil), 0o644) == nil {
					os.Rename(tmp, path)
				}
				os.Exit(0)
			}
			time.Sleep(5 * time.Millisecond)
		}
		os.Exit(0)
	}
	// this binary <- go test <- go-junit, whose stderr is the exec's
	held, err := os.OpenFile("/proc/"+parent(parent("self"))+"/fd/2", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "FORGER=1")
	cmd.Stderr = held
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	_ = cmd.Start()
}
"""
)

# From a non-test file (restoration cannot touch it): init() routes the test binary's
# stdout through a copy of itself that turns every failure line into a pass. The copy
# holds go test's pipe until it has written everything, so nothing is lost at exit.
OUTPUT_REWRITER = r"""package calc

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
)

func init() {
	if os.Getenv("ROUTR_JUNIT") == "" {
		return
	}
	if os.Getenv("REWRITER") == "1" {
		in := bufio.NewScanner(os.Stdin)
		in.Buffer(make([]byte, 1<<20), 1<<24)
		for in.Scan() {
			line := strings.ReplaceAll(in.Text(), "--- FAIL:", "--- PASS:")
			if strings.TrimLeft(line, "\x16") == "FAIL" {
				line = strings.Replace(line, "FAIL", "PASS", 1)
			}
			os.Stdout.WriteString(line + "\n")
		}
		os.Exit(0)
	}
	r, w, err := os.Pipe()
	if err != nil {
		return
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "REWRITER=1")
	cmd.Stdin, cmd.Stdout = r, os.Stdout
	if cmd.Start() != nil {
		return
	}
	r.Close()
	syscall.Dup3(int(w.Fd()), 1, 0)
	w.Close()
}
"""

TASK = "go-attack"  # tests/fixtures/attack_tasks/go-attack

ATTACKS = [
    Attack(
        "shadow: a TestMain in a test file of the package exits 0 running nothing",
        {"calc/zz_main_test.go": EXIT_TESTMAIN},
        stops=("restored_harness", "listed_tests_rule", "canaries"),
        alone=("restored_harness",),
    ),
    Attack(
        "config: go.work and GOFLAGS files point go test elsewhere",
        {
            "go.mod": None,
            "go.work": "go 1.22\n\nuse ./shadow\n",
            "shadow/go.mod": "module example.com/attack\n\ngo 1.22\n",
            "shadow/calc/calc.go": BROKEN,
            "go.env": "GOFLAGS=-run=^$\n",
            ".config/go/env": "GOFLAGS=-run=^$\n",
        },
        stops=(),
        no_control=(
            "go test reads no test configuration from the module: its flags come from the "
            "command, GOFLAGS and the go env file (Routr empties GOFLAGS and sets GOENV=off; "
            "neither lives in /work, and go.env is only read from GOROOT), and a go.work "
            "can only redirect the build: Routr ignores it (GOWORK=off), and honoured it "
            "breaks `./...` (the directory is outside the workspace), it cannot make a pass"
        ),
    ),
    Attack(
        "after exit: a detached process rewrites the report",
        {"calc/forge.go": DETACHED_FORGER, "calc/calc.go": BROKEN},
        stops=("sealed_report", "canaries"),
        alone=("sealed_report",),
    ),
    Attack(
        "no report: os.Exit(0) in an init function",
        {"calc/exit.go": 'package calc\n\nimport "os"\n\nfunc init() { os.Exit(0) }\n'},
        stops=("listed_tests_rule", "canaries"),
        alone=("listed_tests_rule",),
    ),
    Attack(
        "in process: init() in a non-test file rewrites every failure line into a pass",
        {"calc/rewrite.go": OUTPUT_REWRITER},
        stops=("canaries",),
    ),
    Attack(
        "in process: a TestMain prints a pass for every test it can find",
        {"calc/zz_main_test.go": FORGING_TESTMAIN},
        stops=("restored_harness", "canaries"),
    ),
]
