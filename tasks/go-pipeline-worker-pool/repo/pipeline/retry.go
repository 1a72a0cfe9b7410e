package pipeline

import (
	"context"
	"errors"
	"time"
)

// permanentError marks an error that retrying cannot fix.
type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Permanent wraps err so that Retry gives up on it at once (a 404, a bad checksum).
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err: err}
}

// Backoff is the wait before each retry: First, then doubling up to Max.
type Backoff struct {
	First time.Duration
	Max   time.Duration
}

func (b Backoff) delay(retry int) time.Duration {
	d := b.First
	for i := 0; i < retry && d < b.Max; i++ {
		d *= 2
	}
	if b.Max > 0 && d > b.Max {
		d = b.Max
	}
	return d
}

// Retry calls fn up to attempts times (at least once), waiting per backoff between
// calls. It stops early on success, on a Permanent error (returned unwrapped) and
// when ctx is done (returning ctx.Err()).
func Retry[R any](ctx context.Context, attempts int, backoff Backoff, fn func(context.Context) (R, error)) (R, error) {
	var zero R
	if attempts < 1 {
		attempts = 1
	}
	var last error
	for attempt := 0; attempt < attempts; attempt++ {
		if attempt > 0 {
			timer := time.NewTimer(backoff.delay(attempt - 1))
			select {
			case <-ctx.Done():
				timer.Stop()
				return zero, ctx.Err()
			case <-timer.C:
			}
		}
		value, err := fn(ctx)
		if err == nil {
			return value, nil
		}
		var permanent permanentError
		if errors.As(err, &permanent) {
			return zero, permanent.err
		}
		last = err
	}
	return zero, last
}
