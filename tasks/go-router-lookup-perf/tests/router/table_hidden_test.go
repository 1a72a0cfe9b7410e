package router_test

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"example.com/gateway/router"
)

func mustAdd(t *testing.T, r *router.Router, method, pattern, handler string) {
	t.Helper()
	if err := r.Add(method, pattern, handler); err != nil {
		t.Fatalf("Add(%s %s): %v", method, pattern, err)
	}
}

func expect(t *testing.T, r *router.Router, method, path, handler string, params map[string]string) {
	t.Helper()
	m, err := r.Lookup(method, path)
	if err != nil {
		t.Fatalf("Lookup(%s %s): %v", method, path, err)
	}
	if m.Handler != handler || !reflect.DeepEqual(m.Params, params) {
		t.Fatalf("Lookup(%s %s) = %s %v, want %s %v", method, path, m.Handler, m.Params, handler, params)
	}
}

func TestParamsAndCatchAll(t *testing.T) {
	r := router.New()
	mustAdd(t, r, "GET", "/users/{id}", "users.show")
	mustAdd(t, r, "GET", "/users/{id}/posts/{slug}", "posts.show")
	mustAdd(t, r, "GET", "/static/*path", "assets")
	mustAdd(t, r, "GET", "/", "home")
	mustAdd(t, r, "GET", "/users/", "users.index")
	expect(t, r, "GET", "/users/42", "users.show", map[string]string{"id": "42"})
	expect(t, r, "GET", "/users/42/posts/hello-world", "posts.show", map[string]string{"id": "42", "slug": "hello-world"})
	expect(t, r, "GET", "/static/css/site.css", "assets", map[string]string{"path": "css/site.css"})
	expect(t, r, "GET", "/static/", "assets", map[string]string{"path": ""})
	expect(t, r, "GET", "/", "home", map[string]string{})
	expect(t, r, "GET", "/users/", "users.index", map[string]string{})
	for _, path := range []string{"/users", "/users/42/posts", "/static", "/nope", "users/42", ""} {
		if _, err := r.Lookup("GET", path); !errors.Is(err, router.ErrNotFound) {
			t.Errorf("Lookup(GET %q) error = %v, want ErrNotFound", path, err)
		}
	}
}

func TestPrecedenceIgnoresRegistrationOrder(t *testing.T) {
	patterns := []string{"/files/*rest", "/files/{name}", "/files/readme", "/files/{name}/raw", "/files/readme/*rest"}
	for shift := 0; shift < len(patterns); shift++ {
		r := router.New()
		for i := range patterns {
			p := patterns[(i+shift)%len(patterns)]
			mustAdd(t, r, "GET", p, p)
		}
		expect(t, r, "GET", "/files/readme", "/files/readme", map[string]string{})
		expect(t, r, "GET", "/files/notes", "/files/{name}", map[string]string{"name": "notes"})
		expect(t, r, "GET", "/files/notes/raw", "/files/{name}/raw", map[string]string{"name": "notes"})
		expect(t, r, "GET", "/files/readme/raw", "/files/readme/*rest", map[string]string{"rest": "raw"})
		expect(t, r, "GET", "/files/a/b/c", "/files/*rest", map[string]string{"rest": "a/b/c"})
	}
}

func TestDeadEndLiteralFallsBackToParam(t *testing.T) {
	r := router.New()
	mustAdd(t, r, "GET", "/a/b/d", "literal")
	mustAdd(t, r, "GET", "/a/{x}/c", "param")
	mustAdd(t, r, "GET", "/a/b/{y}/e", "deep")
	mustAdd(t, r, "GET", "/a/*rest", "rest")
	expect(t, r, "GET", "/a/b/c", "param", map[string]string{"x": "b"})
	expect(t, r, "GET", "/a/b/d", "literal", map[string]string{})
	expect(t, r, "GET", "/a/b/z/e", "deep", map[string]string{"y": "z"})
	expect(t, r, "GET", "/a/b/z/f", "rest", map[string]string{"rest": "b/z/f"})
}

func TestSamePositionDifferentParamNames(t *testing.T) {
	r := router.New()
	mustAdd(t, r, "GET", "/users/{id}", "by-id")
	mustAdd(t, r, "GET", "/users/{name}/profile", "profile")
	mustAdd(t, r, "PUT", "/users/{uid}", "update")
	expect(t, r, "GET", "/users/7", "by-id", map[string]string{"id": "7"})
	expect(t, r, "GET", "/users/ann/profile", "profile", map[string]string{"name": "ann"})
	expect(t, r, "PUT", "/users/7", "update", map[string]string{"uid": "7"})
}

func TestMethodsDuplicatesAndBadPatterns(t *testing.T) {
	r := router.New()
	mustAdd(t, r, "GET", "/orders/{id}", "orders.show")
	mustAdd(t, r, "DELETE", "/orders/{id}", "orders.delete")
	mustAdd(t, r, "POST", "/uploads/*key", "upload")
	if _, err := r.Lookup("PATCH", "/orders/9"); !errors.Is(err, router.ErrMethodNotAllowed) {
		t.Errorf("PATCH: %v", err)
	}
	if _, err := r.Lookup("GET", "/uploads/x/y"); !errors.Is(err, router.ErrMethodNotAllowed) {
		t.Errorf("GET uploads: %v", err)
	}
	if _, err := r.Lookup("GET", "/orders"); !errors.Is(err, router.ErrNotFound) {
		t.Errorf("GET /orders: %v", err)
	}
	if err := r.Add("GET", "/orders/{orderID}", "again"); !errors.Is(err, router.ErrDuplicateRoute) {
		t.Errorf("duplicate: %v", err)
	}
	for _, bad := range []string{"orders", "/a/*rest/b", "/a/{b", "/a/b}"} {
		if err := r.Add("GET", bad, "x"); !errors.Is(err, router.ErrBadPattern) {
			t.Errorf("Add(%q): %v", bad, err)
		}
	}
	if r.Len() != 3 {
		t.Errorf("Len = %d", r.Len())
	}
}

var serviceRoutes = []string{"", "/items", "/items/{id}", "/items/{id}/history", "/health", "/items/{id}/tags/{tag}", "/admin/*rest", "/search", "/items/export", "/stats/{day}"}

type probe struct {
	method, path, handler string
	err                   error
}

// bigTable is 5,000 routes shaped like the registry's, and lookups covering hits,
// misses and wrong methods across the whole table.
func bigTable(t *testing.T) (*router.Router, []probe) {
	r := router.New()
	var probes []probe
	for s := 0; s < 500; s++ {
		base := fmt.Sprintf("/api/v%d/svc%d", 1+s%3, s)
		for i, p := range serviceRoutes {
			mustAdd(t, r, "GET", base+p, fmt.Sprintf("svc%d.%d", s, i))
		}
		probes = append(probes,
			probe{"GET", base + "/items/42/history", fmt.Sprintf("svc%d.3", s), nil},
			probe{"GET", base + "/items/export", fmt.Sprintf("svc%d.8", s), nil},
			probe{"GET", base + "/items/7/tags/red", fmt.Sprintf("svc%d.5", s), nil},
			probe{"GET", base + "/admin/users/1/reset", fmt.Sprintf("svc%d.6", s), nil},
			probe{"GET", base + "/items/7/unknown", "", router.ErrNotFound},
			probe{"POST", base + "/search", "", router.ErrMethodNotAllowed},
		)
	}
	return r, probes
}

func TestLargeTableLookupsAreFast(t *testing.T) {
	start := time.Now()
	r, probes := bigTable(t)
	if built := time.Since(start); built > 2*time.Second {
		t.Fatalf("building 5,000 routes took %v", built)
	}
	const lookups = 30000
	const budget = 3 * time.Second
	start = time.Now()
	for i := 0; i < lookups; i++ {
		p := probes[(i*7919)%len(probes)]
		m, err := r.Lookup(p.method, p.path)
		if p.err != nil {
			if !errors.Is(err, p.err) {
				t.Fatalf("Lookup(%s %s) error = %v, want %v", p.method, p.path, err, p.err)
			}
		} else if err != nil || m.Handler != p.handler {
			t.Fatalf("Lookup(%s %s) = %v, %v; want %s", p.method, p.path, m, err, p.handler)
		}
		if time.Since(start) > budget {
			t.Fatalf("only %d of %d lookups done in %v: lookups are too slow for a 5,000-route table", i+1, lookups, budget)
		}
	}
}

func TestConcurrentLookups(t *testing.T) {
	r := router.New()
	for s := 0; s < 50; s++ {
		for i, p := range serviceRoutes {
			mustAdd(t, r, "GET", fmt.Sprintf("/svc%d%s", s, p), fmt.Sprintf("svc%d.%d", s, i))
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				s := (g*31 + i) % 50
				m, err := r.Lookup("GET", fmt.Sprintf("/svc%d/items/%d/tags/t%d", s, i, g))
				if err != nil || m.Handler != fmt.Sprintf("svc%d.5", s) || m.Params["id"] != fmt.Sprint(i) || m.Params["tag"] != fmt.Sprintf("t%d", g) {
					errs <- fmt.Errorf("goroutine %d lookup %d: %v %v", g, i, m, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
