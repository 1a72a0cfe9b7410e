// Package pipeline runs a function over many inputs with bounded parallelism.
package pipeline

import (
	"context"
	"sync"
)

type result[R any] struct {
	value R
	err   error
}

// Map calls fn on every input with at most workers calls in flight and returns the
// results in input order (see README.md for the full contract).
func Map[T, R any](ctx context.Context, inputs []T, workers int, fn func(context.Context, T) (R, error)) ([]R, error) {
	if workers < 1 {
		workers = 1
	}
	jobs := make(chan T)
	results := make(chan result[R])

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for input := range jobs {
				value, err := fn(ctx, input)
				results <- result[R]{value: value, err: err}
			}
		}()
	}
	go func() {
		for _, input := range inputs {
			jobs <- input
		}
		close(jobs)
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	out := make([]R, 0, len(inputs))
	for res := range results {
		if res.err != nil {
			return nil, res.err
		}
		out = append(out, res.value)
	}
	return out, nil
}
