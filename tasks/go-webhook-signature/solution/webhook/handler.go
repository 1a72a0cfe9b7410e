package webhook

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
)

// DefaultMaxBodyBytes bounds a delivery's body.
const DefaultMaxBodyBytes = 1 << 20

// Event is the part of a delivery the billing service needs.
type Event struct {
	ID   string          `json:"id"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// Handler verifies deliveries and passes each accepted event to OnEvent once.
type Handler struct {
	Verifier     *Verifier
	OnEvent      func(context.Context, Event) error
	MaxBodyBytes int64 // 0 means DefaultMaxBodyBytes

	replays replayCache
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	limit := h.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	if r.ContentLength > limit {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	// Read at most one byte past the limit: enough to tell, never the whole flood.
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	if int64(len(body)) > limit {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	delivery, err := h.Verifier.verify(r.Header.Get("Webhook-Signature"), body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if !h.replays.firstSeen(delivery, h.Verifier.now(), 2*h.Verifier.tolerance()) {
		http.Error(w, "delivery already accepted", http.StatusConflict)
		return
	}
	var event Event
	if err := json.Unmarshal(body, &event); err != nil || event.ID == "" || event.Type == "" {
		http.Error(w, "body is not an event", http.StatusBadRequest)
		return
	}
	if err := h.OnEvent(r.Context(), event); err != nil {
		http.Error(w, "event handler failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
