package webhook_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"example.com/billinghooks/webhook"
)

var (
	secret    = []byte("whsec_current")
	oldSecret = []byte("whsec_previous")
	clock     = time.Unix(1710000000, 0)
	body      = []byte(`{"id":"evt_1","type":"invoice.paid","data":{"amount":4200}}`)
)

func hexMAC(key []byte, ts int64, payload []byte) string {
	h := hmac.New(sha256.New, key)
	fmt.Fprintf(h, "%d.", ts)
	h.Write(payload)
	return hex.EncodeToString(h.Sum(nil))
}

func verifier(now time.Time) *webhook.Verifier {
	return &webhook.Verifier{Secrets: [][]byte{secret, oldSecret}, Now: func() time.Time { return now }}
}

type recorder struct{ events []webhook.Event }

func (r *recorder) handle(_ context.Context, e webhook.Event) error {
	r.events = append(r.events, e)
	return nil
}

func newHandler(now *time.Time) (*webhook.Handler, *recorder) {
	rec := &recorder{}
	v := &webhook.Verifier{Secrets: [][]byte{secret}, Now: func() time.Time { return *now }}
	return &webhook.Handler{Verifier: v, OnEvent: rec.handle}, rec
}

func post(h http.Handler, header string, payload io.Reader) int {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/payments", payload)
	if header != "" {
		req.Header.Set("Webhook-Signature", header)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code
}

func TestGenuineDeliveriesVerify(t *testing.T) {
	v := verifier(clock)
	if err := v.Verify(webhook.Sign(secret, clock.Add(-time.Minute), body), body); err != nil {
		t.Fatalf("current secret: %v", err)
	}
	rotation := fmt.Sprintf("t=%d,v1=%s,v1=%s", clock.Unix(), hexMAC([]byte("unknown"), clock.Unix(), body), hexMAC(oldSecret, clock.Unix(), body))
	if err := v.Verify(rotation, body); err != nil {
		t.Fatalf("rotated secret: %v", err)
	}
	withV0 := fmt.Sprintf("t=%d,v0=deadbeef,v1=%s", clock.Unix(), hexMAC(secret, clock.Unix(), body))
	if err := v.Verify(withV0, body); err != nil {
		t.Fatalf("v0 entries must be ignored: %v", err)
	}
}

func TestTamperingIsRejected(t *testing.T) {
	v := verifier(clock)
	header := webhook.Sign(secret, clock, body)
	if err := v.Verify(header, bytes.Replace(body, []byte("4200"), []byte("9999"), 1)); !errors.Is(err, webhook.ErrBadSignature) {
		t.Fatalf("tampered body: %v", err)
	}
	later := strings.Replace(header, fmt.Sprint(clock.Unix()), fmt.Sprint(clock.Unix()+60), 1)
	if err := v.Verify(later, body); !errors.Is(err, webhook.ErrBadSignature) {
		t.Fatalf("tampered timestamp: %v", err)
	}
	for _, bad := range []string{"", "v1=abc", "t=abc,v1=00", "t=1,t=2,v1=00", "garbage"} {
		if err := v.Verify(bad, body); !errors.Is(err, webhook.ErrMalformedHeader) {
			t.Errorf("Verify(%q) = %v, want ErrMalformedHeader", bad, err)
		}
	}
}

func TestMissingV1SignatureIsRejected(t *testing.T) {
	v := verifier(clock)
	for _, header := range []string{
		fmt.Sprintf("t=%d", clock.Unix()),
		fmt.Sprintf("t=%d,v0=%s", clock.Unix(), hexMAC(secret, clock.Unix(), body)),
	} {
		if err := v.Verify(header, body); !errors.Is(err, webhook.ErrMissingSignature) {
			t.Errorf("Verify(%q) = %v, want ErrMissingSignature", header, err)
		}
	}
	now := clock
	h, rec := newHandler(&now)
	if code := post(h, fmt.Sprintf("t=%d", clock.Unix()), bytes.NewReader(body)); code != http.StatusUnauthorized || len(rec.events) != 0 {
		t.Fatalf("unsigned delivery: status %d, %d events", code, len(rec.events))
	}
}

func TestTimestampToleranceBothWays(t *testing.T) {
	v := verifier(clock)
	cases := map[time.Duration]error{
		-4 * time.Minute: nil,
		4 * time.Minute:  nil,
		-6 * time.Minute: webhook.ErrTimestamp,
		6 * time.Minute:  webhook.ErrTimestamp,
		240 * time.Hour:  webhook.ErrTimestamp,
		-240 * time.Hour: webhook.ErrTimestamp,
	}
	for offset, want := range cases {
		err := v.Verify(webhook.Sign(secret, clock.Add(offset), body), body)
		if !errors.Is(err, want) {
			t.Errorf("signed at clock%+v: %v, want %v", offset, err, want)
		}
	}
}

func TestHandlerAcceptsOnceAndRejectsPlainReplay(t *testing.T) {
	now := clock
	h, rec := newHandler(&now)
	header := webhook.Sign(secret, clock, body)
	if code := post(h, header, bytes.NewReader(body)); code != http.StatusNoContent {
		t.Fatalf("first delivery: %d", code)
	}
	now = clock.Add(2 * time.Minute)
	if code := post(h, header, bytes.NewReader(body)); code != http.StatusConflict {
		t.Fatalf("replay: %d", code)
	}
	if len(rec.events) != 1 || rec.events[0].ID != "evt_1" {
		t.Fatalf("events = %+v", rec.events)
	}
	if code := post(h, webhook.Sign(secret, now, []byte(`{"oops"`)), strings.NewReader(`{"oops"`)); code != http.StatusBadRequest {
		t.Fatalf("not an event: %d", code)
	}
}

func TestDressedUpReplaysAreRejected(t *testing.T) {
	now := clock
	h, rec := newHandler(&now)
	ts := clock.Unix()
	sig := hexMAC(secret, ts, body)
	if code := post(h, fmt.Sprintf("t=%d,v1=%s", ts, sig), bytes.NewReader(body)); code != http.StatusNoContent {
		t.Fatalf("first delivery: %d", code)
	}
	variants := []string{
		fmt.Sprintf("v1=%s,t=%d", sig, ts),
		fmt.Sprintf("t=%d, v1=%s", ts, sig),
		fmt.Sprintf("t=%d,v1=%s,v1=00ff", ts, sig),
		fmt.Sprintf("t=%d,v0=1,v1=%s", ts, sig),
		fmt.Sprintf("t=%d,v1=%s,v1=%s", ts, sig, sig),
		fmt.Sprintf("t=%d,v1=%s", ts, strings.ToUpper(sig)),
	}
	for _, header := range variants {
		now = now.Add(10 * time.Second)
		code := post(h, header, bytes.NewReader(body))
		if code == http.StatusNoContent {
			t.Errorf("replay with header %q was accepted", header)
		}
	}
	if len(rec.events) != 1 {
		t.Fatalf("event processed %d times", len(rec.events))
	}
}

// endlessBody counts what the handler reads from a body far larger than the limit.
type endlessBody struct {
	read, size int64
}

func (b *endlessBody) Read(p []byte) (int, error) {
	if b.read >= b.size {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > b.size-b.read {
		n = b.size - b.read
	}
	for i := range p[:n] {
		p[i] = 'a'
	}
	b.read += n
	return int(n), nil
}

func TestOversizedBodiesAreRefusedEarly(t *testing.T) {
	now := clock
	h, rec := newHandler(&now)
	h.MaxBodyBytes = 64 << 10
	flood := &endlessBody{size: 256 << 20}
	if code := post(h, webhook.Sign(secret, clock, body), flood); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", code)
	}
	if flood.read > 1<<20 {
		t.Fatalf("handler read %d bytes of an oversized body", flood.read)
	}
	big := append(bytes.Repeat([]byte(" "), 2<<20), body...)
	h.MaxBodyBytes = 0 // the default, 1 MiB
	if code := post(h, webhook.Sign(secret, clock, big), bytes.NewReader(big)); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("default limit: status %d, want 413", code)
	}
	if code := post(h, webhook.Sign(secret, clock, body), bytes.NewReader(body)); code != http.StatusNoContent || len(rec.events) != 1 {
		t.Fatalf("small body after large ones: %d, %d events", code, len(rec.events))
	}
}
