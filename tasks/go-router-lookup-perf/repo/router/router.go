// Package router is the gateway's route table (see README.md for the pattern rules).
package router

import (
	"fmt"
	"regexp"
)

// Match is the result of a successful lookup.
type Match struct {
	Handler string
	Pattern string
	Params  map[string]string
}

type route struct {
	method   string
	pattern  string
	handler  string
	segments []segment
}

// Router maps method and path to a handler name. Add is not safe to call
// concurrently with Lookup; Lookup is safe for concurrent use.
type Router struct {
	routes []route
	shapes map[string]bool // method + " " + shape
}

// New returns an empty router.
func New() *Router { return &Router{shapes: map[string]bool{}} }

// Add registers handler for method and pattern.
func (r *Router) Add(method, pattern, handler string) error {
	segments, err := parsePattern(pattern)
	if err != nil {
		return err
	}
	key := method + " " + shape(segments)
	if r.shapes[key] {
		return fmt.Errorf("%w: %s %s", ErrDuplicateRoute, method, pattern)
	}
	r.shapes[key] = true
	r.routes = append(r.routes, route{method: method, pattern: pattern, handler: handler, segments: segments})
	return nil
}

// Len is the number of routes registered.
func (r *Router) Len() int { return len(r.routes) }

// Lookup finds the most specific route for method and path.
func (r *Router) Lookup(method, path string) (*Match, error) {
	var best *route
	var bestValues []string
	pathMatched := false
	for i := range r.routes {
		rt := &r.routes[i]
		re := regexp.MustCompile(expression(rt.segments))
		values := re.FindStringSubmatch(path)
		if values == nil {
			continue
		}
		pathMatched = true
		if rt.method != method {
			continue
		}
		if best == nil || moreSpecific(rt.segments, best.segments) {
			best, bestValues = rt, values[1:]
		}
	}
	if best == nil {
		if pathMatched {
			return nil, ErrMethodNotAllowed
		}
		return nil, ErrNotFound
	}
	params := map[string]string{}
	n := 0
	for _, s := range best.segments {
		if s.kind != literal {
			params[s.text] = bestValues[n]
			n++
		}
	}
	return &Match{Handler: best.handler, Pattern: best.pattern, Params: params}, nil
}
