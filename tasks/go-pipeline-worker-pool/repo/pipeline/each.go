package pipeline

import "context"

// Each calls fn on every input with at most workers calls in flight; it follows
// Map's contract for errors, cancellation and goroutines.
func Each[T any](ctx context.Context, inputs []T, workers int, fn func(context.Context, T) error) error {
	_, err := Map(ctx, inputs, workers, func(ctx context.Context, input T) (struct{}, error) {
		return struct{}{}, fn(ctx, input)
	})
	return err
}

// Batches calls fn on consecutive slices of at most size inputs (size < 1 means 1),
// with at most workers batches in flight.
func Batches[T any](ctx context.Context, inputs []T, size, workers int, fn func(context.Context, []T) error) error {
	return Each(ctx, Chunk(inputs, size), workers, fn)
}
