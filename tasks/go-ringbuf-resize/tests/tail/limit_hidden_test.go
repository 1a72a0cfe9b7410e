package tail_test

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"example.com/recentlog/ring"
	"example.com/recentlog/tail"
)

type limiter interface{ SetLimit(int) error }

func TestTailSplitsLines(t *testing.T) {
	tl := tail.New(2)
	fmt.Fprint(tl, "one\ntw")
	fmt.Fprint(tl, "o\r\nthree\nfour")
	if got := tl.Lines(); !reflect.DeepEqual(got, []string{"two", "three"}) {
		t.Fatalf("Lines = %q", got)
	}
}

func TestSetLimitGrowsAndShrinks(t *testing.T) {
	tl := tail.New(3)
	l, ok := any(tl).(limiter)
	if !ok {
		t.Fatal("tail.Tail has no SetLimit(int) error method")
	}
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(tl, "line %d\n", i)
	}
	if err := l.SetLimit(5); err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(tl, "line 6\nline 7\n")
	if got := tl.Lines(); !reflect.DeepEqual(got, []string{"line 3", "line 4", "line 5", "line 6", "line 7"}) {
		t.Fatalf("after growing: %q", got)
	}
	if err := l.SetLimit(2); err != nil {
		t.Fatal(err)
	}
	if got := tl.Lines(); !reflect.DeepEqual(got, []string{"line 6", "line 7"}) || tl.Limit() != 2 {
		t.Fatalf("after shrinking: %q (limit %d)", got, tl.Limit())
	}
	if err := l.SetLimit(0); !errors.Is(err, ring.ErrInvalidCapacity) || tl.Limit() != 2 {
		t.Fatalf("SetLimit(0) = %v, limit %d", err, tl.Limit())
	}
}

func TestSetLimitWhileWriting(t *testing.T) {
	tl := tail.New(10)
	l, ok := any(tl).(limiter)
	if !ok {
		t.Fatal("tail.Tail has no SetLimit(int) error method")
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				fmt.Fprintf(tl, "w%d-%d\n", w, i)
			}
		}(w)
	}
	for i := 0; i < 200; i++ {
		if err := l.SetLimit(1 + i%50); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if err := l.SetLimit(7); err != nil {
		t.Fatal(err)
	}
	if got := len(tl.Lines()); got != 7 {
		t.Fatalf("kept %d lines, want 7", got)
	}
}
