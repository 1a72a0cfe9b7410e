package report

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// An export amount: optional minus, digits (optionally grouped by commas in threes),
// optionally a dot and one or two decimals.
var amountRE = regexp.MustCompile(`^(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$`)

// ParseAmount reads an export amount ("19.90", "1,234.50", "-12.00") into cents,
// exactly: decimal text never goes through floating point.
func ParseAmount(text string) (int64, error) {
	m := amountRE.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil {
		return 0, fmt.Errorf("invalid amount %q", text)
	}
	units, err := strconv.ParseInt(strings.ReplaceAll(m[2], ",", ""), 10, 64)
	if err != nil || units > (1<<62)/100 {
		return 0, fmt.Errorf("amount out of range %q", text)
	}
	fraction := m[3]
	for len(fraction) < 2 {
		fraction += "0"
	}
	cents, _ := strconv.ParseInt(fraction, 10, 64)
	total := units*100 + cents
	if m[1] == "-" {
		total = -total
	}
	return total, nil
}

// FormatCents prints cents as a decimal amount: -1234 -> "-12.34".
func FormatCents(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}
