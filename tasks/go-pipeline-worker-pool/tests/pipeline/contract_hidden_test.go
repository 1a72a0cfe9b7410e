package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"example.com/fanout/pipeline"
)

// within runs f and fails the test if it has not returned after d.
func within(t *testing.T, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s did not return within %v", what, d)
	}
}

// poolGoroutines counts goroutines running code of package pipeline (the pool's
// workers, feeders and collectors, and the calls they make).
func poolGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "example.com/fanout/pipeline.") {
			count++
		}
	}
	return count
}

// noLeak fails when goroutines of the pool are still around once it has returned.
func noLeak(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for poolGoroutines() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d pool goroutines still running after Map returned", poolGoroutines())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func ints(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func TestEmptyAndSimpleInputs(t *testing.T) {
	got, err := pipeline.Map(context.Background(), []int{}, 4, func(_ context.Context, i int) (int, error) { return i, nil })
	if err != nil || len(got) != 0 {
		t.Fatalf("empty: %v, %v", got, err)
	}
	got, err = pipeline.Map(context.Background(), []int{7}, 0, func(_ context.Context, i int) (int, error) { return i * 2, nil })
	if err != nil || !reflect.DeepEqual(got, []int{14}) {
		t.Fatalf("single: %v, %v", got, err)
	}
}

func TestAtMostWorkersInFlight(t *testing.T) {
	var inFlight, peak int32
	_, err := pipeline.Map(context.Background(), ints(24), 4, func(_ context.Context, i int) (int, error) {
		n := atomic.AddInt32(&inFlight, 1)
		for {
			p := atomic.LoadInt32(&peak)
			if n <= p || atomic.CompareAndSwapInt32(&peak, p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		atomic.AddInt32(&inFlight, -1)
		return i, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if peak > 4 || peak < 2 {
		t.Fatalf("peak concurrency %d, want between 2 and 4", peak)
	}
}

func TestResultsKeepInputOrder(t *testing.T) {
	inputs := ints(20)
	var got []string
	within(t, 10*time.Second, "Map", func() {
		got, _ = pipeline.Map(context.Background(), inputs, 4, func(_ context.Context, i int) (string, error) {
			if i%5 == 0 {
				time.Sleep(time.Duration(200-i*5) * time.Millisecond) // early items finish last
			}
			return fmt.Sprintf("item-%d", i), nil
		})
	})
	for i, s := range got {
		if s != fmt.Sprintf("item-%d", i) {
			t.Fatalf("result %d is %q; results = %v", i, s, got)
		}
	}
	if len(got) != len(inputs) {
		t.Fatalf("%d results for %d inputs", len(got), len(inputs))
	}
}

func TestErrorReturnsWithoutLeakingGoroutines(t *testing.T) {
	boom := errors.New("boom")
	var err error
	within(t, 10*time.Second, "Map", func() {
		_, err = pipeline.Map(context.Background(), ints(200), 4, func(_ context.Context, i int) (int, error) {
			if i == 5 {
				return 0, boom
			}
			return i, nil
		})
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	noLeak(t)
}

func TestErrorCancelsCallsInFlight(t *testing.T) {
	boom := errors.New("boom")
	cancelled := make(chan bool, 1)
	var err error
	within(t, 10*time.Second, "Map", func() {
		_, err = pipeline.Map(context.Background(), []int{0, 1}, 2, func(ctx context.Context, i int) (int, error) {
			if i == 0 {
				time.Sleep(20 * time.Millisecond)
				return 0, boom
			}
			select {
			case <-ctx.Done():
				cancelled <- true
				return 0, ctx.Err()
			case <-time.After(4 * time.Second):
				cancelled <- false
				return 1, nil
			}
		})
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	select {
	case ok := <-cancelled:
		if !ok {
			t.Fatal("the call still running was not cancelled after the first error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the call still running never finished")
	}
}

func TestCallerCancellationStopsNewCalls(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls int32
	var err error
	time.AfterFunc(60*time.Millisecond, cancel)
	within(t, 2*time.Second, "Map after cancellation", func() {
		_, err = pipeline.Map(ctx, ints(1000), 2, func(_ context.Context, i int) (int, error) {
			atomic.AddInt32(&calls, 1)
			time.Sleep(5 * time.Millisecond) // ignores ctx on purpose
			return i, nil
		})
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := atomic.LoadInt32(&calls); n > 500 {
		t.Fatalf("%d calls started after cancellation", n)
	}
	noLeak(t)
}

func TestEachAndBatchesFollowTheContract(t *testing.T) {
	var mu sync.Mutex
	var seen [][]int
	err := pipeline.Batches(context.Background(), ints(10), 4, 2, func(_ context.Context, batch []int) error {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, append([]int(nil), batch...))
		return nil
	})
	if err != nil || len(seen) != 3 {
		t.Fatalf("batches %v, %v", seen, err)
	}
	bad := errors.New("bad batch")
	within(t, 10*time.Second, "Batches", func() {
		err = pipeline.Batches(context.Background(), ints(400), 3, 3, func(_ context.Context, batch []int) error {
			if batch[0] == 9 {
				return bad
			}
			return nil
		})
	})
	if !errors.Is(err, bad) {
		t.Fatalf("err = %v, want the batch error", err)
	}
	noLeak(t)
}

func TestManyRunsUnderMixedFailures(t *testing.T) {
	rng := rand.New(rand.NewSource(42))
	for run := 0; run < 150; run++ {
		n := 1 + rng.Intn(60)
		failAt := -1
		if run%3 == 0 {
			failAt = rng.Intn(n)
		}
		delays := make([]time.Duration, n)
		for i := range delays {
			delays[i] = time.Duration(rng.Intn(300)) * time.Microsecond
		}
		workers := 1 + rng.Intn(8)
		var got []int
		var err error
		within(t, 10*time.Second, fmt.Sprintf("run %d", run), func() {
			got, err = pipeline.Map(context.Background(), ints(n), workers, func(ctx context.Context, i int) (int, error) {
				time.Sleep(delays[i])
				if i == failAt {
					return 0, fmt.Errorf("item %d failed", i)
				}
				return i * i, nil
			})
		})
		if failAt >= 0 {
			if err == nil || got != nil {
				t.Fatalf("run %d: got %v, %v; want the error", run, got, err)
			}
			continue
		}
		if err != nil || len(got) != n {
			t.Fatalf("run %d: %d results, %v", run, len(got), err)
		}
		for i, v := range got {
			if v != i*i {
				t.Fatalf("run %d: result %d = %d", run, i, v)
			}
		}
	}
	noLeak(t)
}
