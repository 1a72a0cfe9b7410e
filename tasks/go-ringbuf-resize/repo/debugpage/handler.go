// Package debugpage serves the recent log lines kept by a tail.Tail at /debug/recent.
package debugpage

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"example.com/recentlog/tail"
)

// Handler answers GET /debug/recent[?n=N][&grep=TEXT][&format=json].
type Handler struct {
	Tail *tail.Tail
}

func (h Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	lines := h.Tail.Lines()
	if pattern := r.URL.Query().Get("grep"); pattern != "" {
		kept := lines[:0]
		for _, line := range lines {
			if strings.Contains(line, pattern) {
				kept = append(kept, line)
			}
		}
		lines = kept
	}
	if text := r.URL.Query().Get("n"); text != "" {
		n, err := strconv.Atoi(text)
		if err != nil || n < 0 {
			http.Error(w, "n must be a whole number", http.StatusBadRequest)
			return
		}
		if n < len(lines) {
			lines = lines[len(lines)-n:]
		}
	}
	if r.URL.Query().Get("format") == "json" {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"limit": h.Tail.Limit(), "lines": lines})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "# last %d of at most %d lines\n", len(lines), h.Tail.Limit())
	for _, line := range lines {
		fmt.Fprintln(w, line)
	}
}
