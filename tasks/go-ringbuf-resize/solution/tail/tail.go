// Package tail keeps the last lines written to it, for debug endpoints.
package tail

import (
	"bytes"
	"sync"

	"example.com/recentlog/ring"
)

// Tail is an io.Writer that remembers the last lines written; safe for concurrent use.
type Tail struct {
	mu      sync.Mutex
	lines   *ring.Buffer[string]
	partial []byte // text after the last newline, waiting for the rest of its line
}

// New returns a Tail keeping the last limit lines; limit below 1 means 1.
func New(limit int) *Tail {
	if limit < 1 {
		limit = 1
	}
	lines, _ := ring.New[string](limit)
	return &Tail{lines: lines}
}

// Write splits p into lines; an unfinished last line is held until its newline arrives.
func (t *Tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	data := append(t.partial, p...)
	for {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			break
		}
		t.lines.Push(string(bytes.TrimRight(data[:i], "\r")))
		data = data[i+1:]
	}
	t.partial = append([]byte(nil), data...)
	return len(p), nil
}

// Lines returns the remembered complete lines, oldest first.
func (t *Tail) Lines() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lines.Items()
}

// Limit is how many lines are kept.
func (t *Tail) Limit() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lines.Cap()
}

// SetLimit changes how many lines are kept; the newest lines survive a shrink.
// A limit below 1 returns ring.ErrInvalidCapacity and changes nothing.
func (t *Tail) SetLimit(limit int) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lines.Resize(limit)
}
