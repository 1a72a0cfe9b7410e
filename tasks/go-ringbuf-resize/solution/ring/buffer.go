// Package ring provides a fixed-capacity ring buffer.
package ring

import "errors"

// ErrInvalidCapacity is returned for a capacity below 1.
var ErrInvalidCapacity = errors.New("ring: capacity must be at least 1")

// Buffer holds the most recent Cap() items pushed; the zero value is not usable.
type Buffer[T any] struct {
	items []T
	start int // index of the oldest item
	size  int
}

// New returns an empty buffer holding up to capacity items.
func New[T any](capacity int) (*Buffer[T], error) {
	if capacity < 1 {
		return nil, ErrInvalidCapacity
	}
	return &Buffer[T]{items: make([]T, capacity)}, nil
}

// Len is the number of items held.
func (b *Buffer[T]) Len() int { return b.size }

// Cap is the most items the buffer holds.
func (b *Buffer[T]) Cap() int { return len(b.items) }

// Push appends v, dropping the oldest item when the buffer is full.
func (b *Buffer[T]) Push(v T) {
	end := (b.start + b.size) % len(b.items)
	b.items[end] = v
	if b.size < len(b.items) {
		b.size++
		return
	}
	b.start = (b.start + 1) % len(b.items)
}

// At returns the i-th oldest item (0 is the oldest); it panics when out of range.
func (b *Buffer[T]) At(i int) T {
	if i < 0 || i >= b.size {
		panic("ring: index out of range")
	}
	return b.items[(b.start+i)%len(b.items)]
}

// Items returns a copy of the items, oldest first.
func (b *Buffer[T]) Items() []T {
	out := make([]T, b.size)
	for i := range out {
		out[i] = b.At(i)
	}
	return out
}

// Last returns a copy of the newest n items (fewer if the buffer holds fewer), oldest first.
func (b *Buffer[T]) Last(n int) []T {
	if n > b.size {
		n = b.size
	}
	if n <= 0 {
		return []T{}
	}
	out := make([]T, n)
	for i := range out {
		out[i] = b.At(b.size - n + i)
	}
	return out
}

// Clear removes every item and keeps the capacity.
func (b *Buffer[T]) Clear() {
	var zero T
	for i := range b.items {
		b.items[i] = zero // let the garbage collector have them
	}
	b.start, b.size = 0, 0
}

// Resize changes the capacity, keeping the newest min(Len(), capacity) items in order.
func (b *Buffer[T]) Resize(capacity int) error {
	if capacity < 1 {
		return ErrInvalidCapacity
	}
	kept := b.Last(capacity)
	b.items = make([]T, capacity)
	copy(b.items, kept)
	b.start, b.size = 0, len(kept)
	return nil
}

// Do calls fn on each item, oldest first, until fn returns false.
func (b *Buffer[T]) Do(fn func(T) bool) {
	for i := 0; i < b.size; i++ {
		if !fn(b.At(i)) {
			return
		}
	}
}
