// Package report turns order-line exports into grouped sales totals.
package report

import "fmt"

// Sale is one order line of an export.
type Sale struct {
	Date     string // YYYY-MM-DD
	Region   string
	SKU      string
	Quantity int
	Cents    int64 // line total; negative for refunds
}

// Month is the YYYY-MM the sale belongs to.
func (s Sale) Month() string { return s.Date[:7] }

// InputError points at the export line (1-based, counting the header) that is wrong.
type InputError struct {
	Line int
	Msg  string
}

func (e *InputError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }
