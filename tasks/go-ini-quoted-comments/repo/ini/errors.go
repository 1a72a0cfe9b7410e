package ini

import "fmt"

// ParseError reports a malformed line; Line is 1-based.
type ParseError struct {
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("ini: line %d: %s", e.Line, e.Msg) }

// KeyError reports a missing key or a value of the wrong type.
type KeyError struct {
	Section, Key, Msg string
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("ini: [%s] %s: %s", e.Section, e.Key, e.Msg)
}
