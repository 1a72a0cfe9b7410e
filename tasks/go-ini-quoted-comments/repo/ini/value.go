package ini

import (
	"errors"
	"strings"
)

var errUnterminated = errors.New("unterminated quoted value")

// parseValue turns the text after '=' into a value: quoted values are unescaped,
// anything else is taken as is.
func parseValue(raw string) (string, error) {
	if !strings.HasPrefix(raw, `"`) {
		return raw, nil
	}
	var b strings.Builder
	for i := 1; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\\' && i+1 < len(raw):
			i++
			switch raw[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(raw[i])
			}
		case c == '"':
			if rest := strings.TrimSpace(raw[i+1:]); rest != "" {
				return "", errors.New("unexpected text after quoted value: " + rest)
			}
			return b.String(), nil
		default:
			b.WriteByte(c)
		}
	}
	return "", errUnterminated
}
