// Package pipeline runs a function over many inputs with bounded parallelism.
package pipeline

import (
	"context"
	"sync"
)

// Map calls fn on every input with at most workers calls in flight and returns the
// results in input order (see README.md for the full contract).
//
// Workers write each result into its input's slot, so order needs no sorting. The
// first error cancels the context the calls share and stops the feeder; Map then
// waits for the calls in flight, so nothing is left running when it returns.
func Map[T, R any](ctx context.Context, inputs []T, workers int, fn func(context.Context, T) (R, error)) ([]R, error) {
	if workers < 1 {
		workers = 1
	}
	if workers > len(inputs) {
		workers = len(inputs)
	}
	callCtx, cancel := context.WithCancel(ctx)
	defer cancel()

	out := make([]R, len(inputs))
	var (
		mu       sync.Mutex
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
	}

	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				value, err := fn(callCtx, inputs[i])
				if err != nil {
					fail(err)
					continue
				}
				out[i] = value
			}
		}()
	}

feed:
	for i := range inputs {
		// Check first: when both cases are ready, select picks at random.
		if callCtx.Err() != nil {
			break
		}
		select {
		case jobs <- i:
		case <-callCtx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()

	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
