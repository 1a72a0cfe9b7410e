// Package router is the gateway's route table (see README.md for the pattern rules).
package router

import (
	"fmt"
	"strings"
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

// node is one position in the segment trie. Routes ending here are kept per method;
// parameter names live on the routes, so routes may name the same position differently.
type node struct {
	literals map[string]*node
	param    *node
	catchAll map[string]*route // method -> route whose last segment is *name here
	routes   map[string]*route // method -> route ending exactly here
}

func newNode() *node { return &node{literals: map[string]*node{}} }

// Router maps method and path to a handler name. Add is not safe to call
// concurrently with Lookup; Lookup is safe for concurrent use.
//
// Lookups walk a trie of path segments, trying literal, then parameter, then
// catch-all children: a depth-first search in that order meets patterns in
// precedence order, so the first route found for the method is the most specific,
// and the cost depends on the path's length, not on the number of routes.
type Router struct {
	root   *node
	count  int
	shapes map[string]bool // method + " " + shape
}

// New returns an empty router.
func New() *Router { return &Router{root: newNode(), shapes: map[string]bool{}} }

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
	rt := &route{method: method, pattern: pattern, handler: handler, segments: segments}
	n := r.root
	for _, s := range segments {
		switch s.kind {
		case literal:
			child, ok := n.literals[s.text]
			if !ok {
				child = newNode()
				n.literals[s.text] = child
			}
			n = child
		case param:
			if n.param == nil {
				n.param = newNode()
			}
			n = n.param
		case catchAll:
			if n.catchAll == nil {
				n.catchAll = map[string]*route{}
			}
			n.catchAll[method] = rt
			r.count++
			return nil
		}
	}
	if n.routes == nil {
		n.routes = map[string]*route{}
	}
	n.routes[method] = rt
	r.count++
	return nil
}

// Len is the number of routes registered.
func (r *Router) Len() int { return r.count }

type search struct {
	method      string
	parts       []string
	values      []string // captured parameter values, in order
	pathMatched bool
}

func (s *search) walk(n *node, i int) (*route, []string) {
	if i == len(s.parts) {
		if len(n.routes) > 0 {
			s.pathMatched = true
			if rt, ok := n.routes[s.method]; ok {
				return rt, append([]string(nil), s.values...)
			}
		}
		return nil, nil
	}
	part := s.parts[i]
	if child, ok := n.literals[part]; ok {
		if rt, values := s.walk(child, i+1); rt != nil {
			return rt, values
		}
	}
	if n.param != nil && part != "" {
		s.values = append(s.values, part)
		rt, values := s.walk(n.param, i+1)
		s.values = s.values[:len(s.values)-1]
		if rt != nil {
			return rt, values
		}
	}
	if len(n.catchAll) > 0 {
		s.pathMatched = true
		if rt, ok := n.catchAll[s.method]; ok {
			rest := strings.Join(s.parts[i:], "/")
			return rt, append(append([]string(nil), s.values...), rest)
		}
	}
	return nil, nil
}

// Lookup finds the most specific route for method and path.
func (r *Router) Lookup(method, path string) (*Match, error) {
	if !strings.HasPrefix(path, "/") {
		return nil, ErrNotFound
	}
	s := &search{method: method, parts: strings.Split(path[1:], "/")}
	best, values := s.walk(r.root, 0)
	if best == nil {
		if s.pathMatched {
			return nil, ErrMethodNotAllowed
		}
		return nil, ErrNotFound
	}
	params := make(map[string]string, len(values))
	n := 0
	for _, seg := range best.segments {
		if seg.kind != literal {
			params[seg.text] = values[n]
			n++
		}
	}
	return &Match{Handler: best.handler, Pattern: best.pattern, Params: params}, nil
}
