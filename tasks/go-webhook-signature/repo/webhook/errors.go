// Package webhook verifies and dispatches the payment provider's signed webhooks.
package webhook

import "errors"

var (
	// ErrMalformedHeader: the signature header cannot be parsed.
	ErrMalformedHeader = errors.New("webhook: malformed signature header")
	// ErrMissingSignature: the header carries no v1 signature.
	ErrMissingSignature = errors.New("webhook: no v1 signature")
	// ErrBadSignature: no v1 signature matches any configured secret.
	ErrBadSignature = errors.New("webhook: signature mismatch")
	// ErrTimestamp: the delivery was signed outside the tolerance window.
	ErrTimestamp = errors.New("webhook: timestamp outside the tolerance window")
)
