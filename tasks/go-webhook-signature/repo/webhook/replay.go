package webhook

import (
	"sync"
	"time"
)

// replayCache remembers accepted deliveries until they are too old to verify anyway.
type replayCache struct {
	mu   sync.Mutex
	seen map[string]time.Time // key -> when it stops mattering
}

// firstSeen records key and reports whether it was new; expired keys are forgotten.
func (c *replayCache) firstSeen(key string, now time.Time, keep time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen == nil {
		c.seen = map[string]time.Time{}
	}
	for k, until := range c.seen {
		if now.After(until) {
			delete(c.seen, k)
		}
	}
	if _, dup := c.seen[key]; dup {
		return false
	}
	c.seen[key] = now.Add(keep)
	return true
}
