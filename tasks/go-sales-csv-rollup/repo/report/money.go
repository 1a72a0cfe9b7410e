package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseAmount reads an export amount ("19.90", "-12.00") into cents.
func ParseAmount(text string) (int64, error) {
	value, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil || math.IsNaN(value) || math.IsInf(value, 0) {
		return 0, fmt.Errorf("invalid amount %q", text)
	}
	return int64(value * 100), nil
}

// FormatCents prints cents as a decimal amount: -1234 -> "-12.34".
func FormatCents(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}
