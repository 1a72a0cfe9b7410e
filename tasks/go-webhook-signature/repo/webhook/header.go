package webhook

import (
	"strconv"
	"strings"
)

// signatureHeader is a parsed Webhook-Signature value.
type signatureHeader struct {
	timestamp int64
	v1        []string // hex signatures, as sent
}

func parseHeader(value string) (signatureHeader, error) {
	var h signatureHeader
	seenT := false
	for _, part := range strings.Split(value, ",") {
		key, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return h, ErrMalformedHeader
		}
		switch key {
		case "t":
			ts, err := strconv.ParseInt(val, 10, 64)
			if err != nil || seenT {
				return h, ErrMalformedHeader
			}
			h.timestamp, seenT = ts, true
		case "v1":
			h.v1 = append(h.v1, val)
		}
	}
	if !seenT {
		return h, ErrMalformedHeader
	}
	return h, nil
}
