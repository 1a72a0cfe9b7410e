package router

import (
	"fmt"
	"regexp"
	"strings"
)

type segmentKind int

// The order is the precedence: a lower kind is more specific.
const (
	literal segmentKind = iota
	param
	catchAll
)

type segment struct {
	kind segmentKind
	text string // the literal, or the parameter's name
}

// parsePattern splits "/users/{id}/*rest" into segments.
func parsePattern(pattern string) ([]segment, error) {
	if !strings.HasPrefix(pattern, "/") {
		return nil, fmt.Errorf("%w: %q must start with /", ErrBadPattern, pattern)
	}
	parts := strings.Split(pattern[1:], "/")
	segments := make([]segment, 0, len(parts))
	for i, part := range parts {
		switch {
		case strings.HasPrefix(part, "{") && strings.HasSuffix(part, "}") && len(part) > 2:
			segments = append(segments, segment{kind: param, text: part[1 : len(part)-1]})
		case strings.HasPrefix(part, "*") && len(part) > 1:
			if i != len(parts)-1 {
				return nil, fmt.Errorf("%w: %q: a catch-all must be the last segment", ErrBadPattern, pattern)
			}
			segments = append(segments, segment{kind: catchAll, text: part[1:]})
		case strings.ContainsAny(part, "{}*"):
			return nil, fmt.Errorf("%w: %q: bad segment %q", ErrBadPattern, pattern, part)
		default:
			segments = append(segments, segment{kind: literal, text: part})
		}
	}
	return segments, nil
}

// shape is the pattern with parameter names erased: two routes with one shape conflict.
func shape(segments []segment) string {
	var b strings.Builder
	for _, s := range segments {
		b.WriteByte('/')
		switch s.kind {
		case literal:
			b.WriteString(s.text)
		case param:
			b.WriteString("{}")
		case catchAll:
			b.WriteString("*")
		}
	}
	return b.String()
}

// expression is the anchored regular expression matching the pattern's paths; each
// parameter is a capture group, in order.
func expression(segments []segment) string {
	var b strings.Builder
	b.WriteString("^")
	for _, s := range segments {
		b.WriteString("/")
		switch s.kind {
		case literal:
			b.WriteString(regexp.QuoteMeta(s.text))
		case param:
			b.WriteString("([^/]+)")
		case catchAll:
			b.WriteString("(.*)")
		}
	}
	b.WriteString("$")
	return b.String()
}

// moreSpecific reports whether a beats b: segment by segment, the lower kind wins.
func moreSpecific(a, b []segment) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i].kind != b[i].kind {
			return a[i].kind < b[i].kind
		}
	}
	return len(a) > len(b)
}
