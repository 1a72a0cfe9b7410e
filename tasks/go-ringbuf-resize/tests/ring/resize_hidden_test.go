package ring_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"example.com/recentlog/ring"
)

// The new methods are reached through interfaces so that the existing behaviour
// tests in this file still compile (and run) against a buffer without them.
type resizer interface{ Resize(int) error }
type doer interface{ Do(func(int) bool) }

func filled(t *testing.T, capacity, pushes int) *ring.Buffer[int] {
	t.Helper()
	b, err := ring.New[int](capacity)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= pushes; i++ {
		b.Push(i)
	}
	return b
}

func resize(t *testing.T, b *ring.Buffer[int], capacity int) error {
	t.Helper()
	r, ok := any(b).(resizer)
	if !ok {
		t.Fatal("ring.Buffer has no Resize(int) error method")
	}
	return r.Resize(capacity)
}

func TestPushWrapsAndKeepsNewest(t *testing.T) {
	b := filled(t, 3, 7)
	if got := b.Items(); !reflect.DeepEqual(got, []int{5, 6, 7}) {
		t.Fatalf("Items = %v", got)
	}
	if got := b.Last(2); !reflect.DeepEqual(got, []int{6, 7}) {
		t.Fatalf("Last(2) = %v", got)
	}
	if _, err := ring.New[int](0); !errors.Is(err, ring.ErrInvalidCapacity) {
		t.Fatalf("New(0) error = %v", err)
	}
}

func TestResizeGrowKeepsOrderAfterWrap(t *testing.T) {
	b := filled(t, 4, 10) // wrapped: 7 8 9 10
	if err := resize(t, b, 6); err != nil {
		t.Fatal(err)
	}
	if b.Cap() != 6 || b.Len() != 4 {
		t.Fatalf("Cap, Len = %d, %d", b.Cap(), b.Len())
	}
	b.Push(11)
	b.Push(12)
	b.Push(13)
	if got := b.Items(); !reflect.DeepEqual(got, []int{8, 9, 10, 11, 12, 13}) {
		t.Fatalf("Items = %v", got)
	}
}

func TestResizeShrinkKeepsNewest(t *testing.T) {
	for pushes := 0; pushes <= 12; pushes++ {
		b := filled(t, 5, pushes)
		if err := resize(t, b, 3); err != nil {
			t.Fatal(err)
		}
		reference := filled(t, 3, pushes)
		if got, want := b.Items(), reference.Items(); !reflect.DeepEqual(got, want) {
			t.Fatalf("after %d pushes: Items = %v, want %v", pushes, got, want)
		}
		b.Push(100)
		reference.Push(100)
		if got, want := b.Items(), reference.Items(); !reflect.DeepEqual(got, want) {
			t.Fatalf("after %d pushes and one more: Items = %v, want %v", pushes, got, want)
		}
	}
}

func TestResizeRejectsInvalidCapacity(t *testing.T) {
	b := filled(t, 3, 5)
	for _, capacity := range []int{0, -1} {
		if err := resize(t, b, capacity); !errors.Is(err, ring.ErrInvalidCapacity) {
			t.Fatalf("Resize(%d) error = %v", capacity, err)
		}
	}
	if b.Cap() != 3 || !reflect.DeepEqual(b.Items(), []int{3, 4, 5}) {
		t.Fatalf("buffer changed: cap %d items %v", b.Cap(), b.Items())
	}
}

func TestDoVisitsOldestFirstAndStopsEarly(t *testing.T) {
	b := filled(t, 4, 9)
	d, ok := any(b).(doer)
	if !ok {
		t.Fatal("ring.Buffer has no Do(func(T) bool) method")
	}
	var all, some []int
	d.Do(func(v int) bool { all = append(all, v); return true })
	d.Do(func(v int) bool { some = append(some, v); return len(some) < 2 })
	if fmt.Sprint(all) != "[6 7 8 9]" || fmt.Sprint(some) != "[6 7]" {
		t.Fatalf("all = %v, some = %v", all, some)
	}
}
