package router

import "errors"

var (
	// ErrNotFound: no route matches the path.
	ErrNotFound = errors.New("router: no route matches")
	// ErrMethodNotAllowed: routes match the path, but not for this method.
	ErrMethodNotAllowed = errors.New("router: method not allowed")
	// ErrDuplicateRoute: the method and pattern shape are already registered.
	ErrDuplicateRoute = errors.New("router: duplicate route")
	// ErrBadPattern: the pattern cannot be parsed.
	ErrBadPattern = errors.New("router: bad pattern")
)
