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
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	header := r.Header.Get("Webhook-Signature")
	if _, err := h.Verifier.verify(header, body); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if !h.replays.firstSeen(header, h.Verifier.now(), 2*h.Verifier.tolerance()) {
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
