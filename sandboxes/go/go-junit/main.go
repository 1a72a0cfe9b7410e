// Command go-junit runs `go test -json` and writes a JUnit XML report.
//
// Usage: go-junit REPORT.xml -- go test -json [flags] [packages]
//
// It shipped in Routr's `go` sandbox image because Go has no JUnit reporter of its
// own. The test stream is echoed as readable text while it runs; the report holds
// one testcase per test and per subtest (classname = package, name = the full test
// name such as TestParse/empty_input). A package that fails without a failing test
// (a build error, a panic, a timeout) becomes an error case named "(package)", and a
// command that produces no test events at all becomes a "(go test)" error case, so a
// broken run never yields an empty report. The exit status is the command's.
//
// What a passing test printed (its head) is kept as its <system-out>: Routr's canary
// tests print a per-grading nonce there. Once the report is written, its SHA-256 goes
// to file descriptor 3 (when open), a pipe to Routr's grader that nothing else writes
// to: a rewrite after the run no longer matches, a second seal makes it tampered. The
// descriptor is closed before `go test` starts, so test binaries cannot reach it.
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	sealFD        = 3
	systemOutHead = 2048
)

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action      string
	Package     string
	ImportPath  string // build-output / build-fail lines (Go 1.24+)
	Test        string
	Elapsed     float64
	Output      string
	FailedBuild string
}

type testResult struct {
	pkg, name string
	action    string // "", pass, fail, skip
	elapsed   float64
	output    strings.Builder
}

type packageResult struct {
	name       string
	action     string
	elapsed    float64
	output     strings.Builder // package-level output (not inside a test)
	failedTest bool
}

type collector struct {
	tests    map[string]*testResult
	order    []string
	packages map[string]*packageResult
	pkgOrder []string
	builds   map[string]*strings.Builder // build output by import path
	events   int
}

func newCollector() *collector {
	return &collector{
		tests:    map[string]*testResult{},
		packages: map[string]*packageResult{},
		builds:   map[string]*strings.Builder{},
	}
}

func (c *collector) pkg(name string) *packageResult {
	p, ok := c.packages[name]
	if !ok {
		p = &packageResult{name: name}
		c.packages[name] = p
		c.pkgOrder = append(c.pkgOrder, name)
	}
	return p
}

func (c *collector) add(e event) {
	c.events++
	switch e.Action {
	case "build-output":
		b, ok := c.builds[e.ImportPath]
		if !ok {
			b = &strings.Builder{}
			c.builds[e.ImportPath] = b
		}
		b.WriteString(e.Output)
		return
	case "build-fail":
		return
	}
	if e.Package == "" {
		return
	}
	p := c.pkg(e.Package)
	if e.Test == "" {
		switch e.Action {
		case "output":
			p.output.WriteString(e.Output)
		case "pass", "fail", "skip":
			p.action, p.elapsed = e.Action, e.Elapsed
			if e.FailedBuild != "" {
				if b, ok := c.builds[e.FailedBuild]; ok {
					p.output.WriteString(b.String())
				}
			}
		}
		return
	}
	key := e.Package + "\x00" + e.Test
	t, ok := c.tests[key]
	if !ok {
		t = &testResult{pkg: e.Package, name: e.Test}
		c.tests[key] = t
		c.order = append(c.order, key)
	}
	switch e.Action {
	case "output":
		t.output.WriteString(e.Output)
	case "pass", "fail", "skip":
		t.action, t.elapsed = e.Action, e.Elapsed
		if e.Action == "fail" {
			p.failedTest = true
		}
	}
}

// addPlainLine records "FAIL <pkg> [build failed]", which Go before 1.24 prints as
// plain text rather than as a JSON event, as a failed package.
func (c *collector) addPlainLine(line string) {
	fields := strings.Fields(line)
	if len(fields) >= 3 && fields[0] == "FAIL" && strings.HasPrefix(fields[2], "[") {
		p := c.pkg(fields[1])
		p.action = "fail"
		p.output.WriteString(line + "\n")
	}
}

type xmlFailure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

type xmlCase struct {
	XMLName   xml.Name    `xml:"testcase"`
	Classname string      `xml:"classname,attr"`
	Name      string      `xml:"name,attr"`
	Time      string      `xml:"time,attr"`
	Failure   *xmlFailure `xml:"failure,omitempty"`
	Error     *xmlFailure `xml:"error,omitempty"`
	Skipped   *struct{}   `xml:"skipped,omitempty"`
	SystemOut string      `xml:"system-out,omitempty"`
}

type xmlSuite struct {
	XMLName  xml.Name  `xml:"testsuite"`
	Name     string    `xml:"name,attr"`
	Tests    int       `xml:"tests,attr"`
	Failures int       `xml:"failures,attr"`
	Errors   int       `xml:"errors,attr"`
	Skipped  int       `xml:"skipped,attr"`
	Time     string    `xml:"time,attr"`
	Cases    []xmlCase `xml:"testcase"`
}

type xmlSuites struct {
	XMLName xml.Name   `xml:"testsuites"`
	Suites  []xmlSuite `xml:"testsuite"`
}

// head keeps the first limit bytes of text, cut at a rune boundary.
func head(text string, limit int) string {
	if len(text) <= limit {
		return text
	}
	cut := limit
	for cut > 0 && !utf8RuneStart(text[cut]) {
		cut--
	}
	return text[:cut]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// takeSealPipe returns the seal pipe on descriptor 3 (nil when not run by Routr) and
// marks it close-on-exec, so `go test` and the test binaries never inherit it.
func takeSealPipe() *os.File {
	if _, err := syscall.Seek(sealFD, 0, 1); err == syscall.EBADF {
		return nil
	}
	syscall.CloseOnExec(sealFD)
	return os.NewFile(sealFD, "routr-seal")
}

func seconds(v float64) string { return fmt.Sprintf("%.3f", v) }

func firstLine(text, fallback string) string {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "=== ") && !strings.HasPrefix(line, "--- ") {
			if len(line) > 300 {
				line = line[:300]
			}
			return line
		}
	}
	return fallback
}

func (c *collector) report(runErr string) xmlSuites {
	suites := map[string]*xmlSuite{}
	var names []string
	suite := func(pkg string) *xmlSuite {
		s, ok := suites[pkg]
		if !ok {
			s = &xmlSuite{Name: pkg}
			suites[pkg] = s
			names = append(names, pkg)
		}
		return s
	}
	for _, key := range c.order {
		t := c.tests[key]
		s := suite(t.pkg)
		tc := xmlCase{Classname: t.pkg, Name: t.name, Time: seconds(t.elapsed)}
		switch t.action {
		case "pass":
			tc.SystemOut = head(t.output.String(), systemOutHead)
		case "skip":
			tc.Skipped = &struct{}{}
			s.Skipped++
		case "fail":
			tc.Failure = &xmlFailure{Message: firstLine(t.output.String(), "test failed"), Text: t.output.String()}
			s.Failures++
		default: // started but never finished: the binary panicked, timed out or exited
			text := t.output.String() + c.packages[t.pkg].output.String()
			tc.Failure = &xmlFailure{Message: "test did not finish (panic, timeout or os.Exit)", Text: text}
			s.Failures++
		}
		s.Tests++
		s.Cases = append(s.Cases, tc)
	}
	for _, name := range c.pkgOrder {
		p := c.packages[name]
		if p.action != "fail" || p.failedTest {
			continue
		}
		s := suite(name)
		text := p.output.String()
		s.Errors++
		s.Tests++
		s.Cases = append(s.Cases, xmlCase{
			Classname: name, Name: "(package)", Time: seconds(p.elapsed),
			Error: &xmlFailure{Message: firstLine(text, "package failed"), Text: text},
		})
	}
	broken := 0
	for _, s := range suites {
		broken += s.Failures + s.Errors
	}
	if c.events == 0 || runErr != "" && broken == 0 {
		s := suite("(go test)")
		s.Errors++
		s.Tests++
		s.Cases = append(s.Cases, xmlCase{
			Classname: "(go test)", Name: "(go test)", Time: "0.000",
			Error: &xmlFailure{Message: firstLine(runErr, "go test produced no test events"), Text: runErr},
		})
	}
	sort.Strings(names)
	out := xmlSuites{}
	for _, name := range names {
		s := suites[name]
		var total float64
		if p, ok := c.packages[name]; ok {
			total = p.elapsed
		}
		s.Time = seconds(total)
		out.Suites = append(out.Suites, *s)
	}
	return out
}

// mirrorWarmCache points an empty, writable GOCACHE at the build cache baked into the
// image (ROUTR_GO_WARM_CACHE), one symlink per entry, so compiling the standard library
// is skipped without copying hundreds of megabytes into the container's tmpfs. New
// entries land in the writable directory; a fresh trim.txt stops Go from trimming the
// (old-looking, read-only) warm entries. Any failure just means a cold build.
func mirrorWarmCache() {
	warm, cache := os.Getenv("ROUTR_GO_WARM_CACHE"), os.Getenv("GOCACHE")
	if warm == "" || cache == "" {
		return
	}
	if _, err := os.Stat(cache); err == nil {
		return
	}
	err := filepath.Walk(warm, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(warm, path)
		target := filepath.Join(cache, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if rel == "trim.txt" {
			return nil
		}
		return os.Symlink(path, target)
	})
	if err == nil {
		stamp := strconv.FormatInt(time.Now().Unix(), 10) + "\n"
		err = os.WriteFile(filepath.Join(cache, "trim.txt"), []byte(stamp), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-junit: warm build cache not used:", err)
	}
}

func main() {
	args := os.Args[1:]
	if len(args) < 3 || args[1] != "--" {
		fmt.Fprintln(os.Stderr, "usage: go-junit REPORT.xml -- go test -json [flags] [packages]")
		os.Exit(2)
	}
	reportPath, command := args[0], args[2:]
	seal := takeSealPipe()
	mirrorWarmCache()

	cmd := exec.Command(command[0], command[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = io.MultiWriter(os.Stderr, &stderr)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-junit:", err)
		os.Exit(2)
	}
	c := newCollector()
	startErr := cmd.Start()
	var extra strings.Builder // stdout lines that are not JSON events
	if startErr == nil {
		scanner := bufio.NewScanner(stdout)
		scanner.Buffer(make([]byte, 1024*1024), 16*1024*1024)
		for scanner.Scan() {
			line := scanner.Bytes()
			var e event
			if len(line) > 0 && line[0] == '{' && json.Unmarshal(line, &e) == nil && e.Action != "" {
				c.add(e)
				if e.Action == "output" || e.Action == "build-output" {
					fmt.Fprint(os.Stdout, e.Output)
				}
				continue
			}
			extra.Write(line)
			extra.WriteByte('\n')
			c.addPlainLine(string(line))
			fmt.Fprintln(os.Stdout, string(line))
		}
	}
	exitCode := 0
	var runErr string
	if startErr != nil {
		runErr, exitCode = startErr.Error(), 127
	} else if err := cmd.Wait(); err != nil {
		exitCode = 1
		if exit, ok := err.(*exec.ExitError); ok {
			exitCode = exit.ExitCode()
		}
		runErr = strings.TrimSpace(extra.String() + stderr.String() + "\n" + err.Error())
	}
	// Build errors go to stderr; attach them to packages that failed without a test.
	for _, p := range c.packages {
		if p.action == "fail" && !p.failedTest && stderr.Len() > 0 {
			p.output.WriteString(stderr.String())
		}
	}

	data, err := xml.MarshalIndent(c.report(runErr), "", "  ")
	report := append([]byte(xml.Header), append(data, '\n')...)
	if err == nil {
		err = os.WriteFile(reportPath, report, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-junit: cannot write the report:", err)
		os.Exit(2)
	}
	if seal != nil {
		sum := sha256.Sum256(report)
		fmt.Fprintf(seal, "routr-seal sha256=%s\n", hex.EncodeToString(sum[:]))
		seal.Close()
	}
	if exitCode < 0 {
		exitCode = 1
	}
	os.Exit(exitCode)
}
