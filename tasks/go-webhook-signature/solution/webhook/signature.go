package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// DefaultTolerance is how far a delivery's timestamp may be from our clock.
const DefaultTolerance = 5 * time.Minute

// Verifier checks Webhook-Signature headers. Secrets holds every active endpoint
// secret (two during a rotation).
type Verifier struct {
	Secrets   [][]byte
	Tolerance time.Duration    // 0 means DefaultTolerance
	Now       func() time.Time // nil means time.Now
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func (v *Verifier) tolerance() time.Duration {
	if v.Tolerance > 0 {
		return v.Tolerance
	}
	return DefaultTolerance
}

func mac(secret []byte, timestamp int64, body []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(strconv.FormatInt(timestamp, 10)))
	h.Write([]byte("."))
	h.Write(body)
	return h.Sum(nil)
}

// Sign returns the header value the provider would send for body at time t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := t.Unix()
	return fmt.Sprintf("t=%d,v1=%s", ts, hex.EncodeToString(mac(secret, ts, body)))
}

// Verify checks header against body; nil means authentic and fresh.
func (v *Verifier) Verify(header string, body []byte) error {
	_, err := v.verify(header, body)
	return err
}

// verify returns the identity of an authentic delivery: its timestamp and the MAC
// that matched. The identity does not depend on how the header was written (order,
// spacing, extra or duplicated entries), so the replay check cannot be dodged by
// dressing up a captured header.
func (v *Verifier) verify(header string, body []byte) (string, error) {
	h, err := parseHeader(header)
	if err != nil {
		return "", err
	}
	if len(h.v1) == 0 {
		return "", ErrMissingSignature
	}
	skew := v.now().Sub(time.Unix(h.timestamp, 0))
	if skew > v.tolerance() || skew < -v.tolerance() {
		return "", ErrTimestamp
	}
	for _, secret := range v.Secrets {
		expected := mac(secret, h.timestamp, body)
		for _, sig := range h.v1 {
			given, err := hex.DecodeString(sig)
			if err != nil {
				continue
			}
			if hmac.Equal(given, expected) { // constant time: no timing oracle
				return strconv.FormatInt(h.timestamp, 10) + "." + hex.EncodeToString(expected), nil
			}
		}
	}
	return "", ErrBadSignature
}
