package ini

import (
	"bufio"
	"io"
	"strings"
)

// Parse reads an INI document (see README.md for the syntax).
func Parse(r io.Reader) (*File, error) {
	f := newFile()
	current := f.section("")
	scanner := bufio.NewScanner(r)
	line := 0
	for scanner.Scan() {
		line++
		text := strings.TrimSpace(stripComment(scanner.Text()))
		if text == "" {
			continue
		}
		if strings.HasPrefix(text, "[") {
			if !strings.HasSuffix(text, "]") {
				return nil, &ParseError{Line: line, Msg: "section header without closing ]"}
			}
			name := strings.TrimSpace(text[1 : len(text)-1])
			if name == "" {
				return nil, &ParseError{Line: line, Msg: "empty section name"}
			}
			current = f.section(name)
			continue
		}
		sep := strings.IndexAny(text, "=:")
		if sep <= 0 {
			return nil, &ParseError{Line: line, Msg: "expected key = value"}
		}
		key := strings.ToLower(strings.TrimSpace(text[:sep]))
		value, err := parseValue(strings.TrimSpace(text[sep+1:]))
		if err != nil {
			return nil, &ParseError{Line: line, Msg: err.Error()}
		}
		current[key] = value
	}
	if err := scanner.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

// stripComment removes a trailing comment: a ';' or '#' at the start of the line or
// after whitespace.
func stripComment(line string) string {
	for i, r := range line {
		if r != ';' && r != '#' {
			continue
		}
		if i == 0 || line[i-1] == ' ' || line[i-1] == '\t' {
			return line[:i]
		}
	}
	return line
}
