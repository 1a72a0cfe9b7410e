// Command routebench times lookups on a synthetic route table.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"example.com/gateway/router"
)

func main() {
	services := flag.Int("services", 300, "services in the table (10 routes each)")
	lookups := flag.Int("lookups", 2000, "lookups to time")
	flag.Parse()
	r := router.New()
	var paths []string
	for s := 0; s < *services; s++ {
		base := fmt.Sprintf("/api/v1/svc%d", s)
		for i, p := range []string{"", "/items", "/items/{id}", "/items/{id}/history", "/health", "/items/{id}/tags/{tag}", "/admin/*rest", "/search", "/items/export", "/stats/{day}"} {
			if err := r.Add("GET", base+p, fmt.Sprintf("svc%d.%d", s, i)); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		paths = append(paths, base+"/items/42/history", base+"/admin/a/b")
	}
	start := time.Now()
	for i := 0; i < *lookups; i++ {
		if _, err := r.Lookup("GET", paths[i%len(paths)]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	elapsed := time.Since(start)
	fmt.Printf("%d routes, %d lookups in %v (%v per lookup)\n", r.Len(), *lookups, elapsed, elapsed/time.Duration(*lookups))
}
