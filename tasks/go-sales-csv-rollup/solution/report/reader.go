package report

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

var requiredColumns = []string{"date", "region", "sku", "quantity", "amount"}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

const byteOrderMark = "\ufeff"

// ReadSales parses an export (see README.md: Input): RFC 4180 quoting, LF or CRLF
// line endings, and an optional UTF-8 byte order mark before the header.
func ReadSales(r io.Reader) ([]Sale, error) {
	reader := csv.NewReader(r)
	reader.FieldsPerRecord = -1 // short rows are reported with their line below
	header, err := reader.Read()
	if errors.Is(err, io.EOF) {
		return nil, &InputError{Line: 1, Msg: "empty export: no header row"}
	}
	if err != nil {
		return nil, csvError(err)
	}
	index := map[string]int{}
	for i, name := range header {
		if i == 0 {
			name = strings.TrimPrefix(name, byteOrderMark)
		}
		index[strings.ToLower(strings.TrimSpace(name))] = i
	}
	for _, name := range requiredColumns {
		if _, ok := index[name]; !ok {
			return nil, &InputError{Line: 1, Msg: fmt.Sprintf("missing column %q", name)}
		}
	}
	var sales []Sale
	for {
		fields, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return sales, nil
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := reader.FieldPos(0)
		if len(fields) == 1 && strings.TrimSpace(fields[0]) == "" {
			continue
		}
		sale, err := saleFromFields(fields, index)
		if err != nil {
			return nil, &InputError{Line: line, Msg: err.Error()}
		}
		sales = append(sales, sale)
	}
}

func csvError(err error) error {
	var parseErr *csv.ParseError
	if errors.As(err, &parseErr) {
		return &InputError{Line: parseErr.StartLine, Msg: parseErr.Err.Error()}
	}
	return err
}

func saleFromFields(fields []string, index map[string]int) (Sale, error) {
	get := func(name string) (string, error) {
		i := index[name]
		if i >= len(fields) {
			return "", fmt.Errorf("missing value for %q", name)
		}
		return strings.TrimSpace(fields[i]), nil
	}
	var values [5]string
	for i, name := range requiredColumns {
		v, err := get(name)
		if err != nil {
			return Sale{}, err
		}
		values[i] = v
	}
	if !dateRE.MatchString(values[0]) {
		return Sale{}, fmt.Errorf("invalid date %q", values[0])
	}
	quantity, err := strconv.Atoi(values[3])
	if err != nil {
		return Sale{}, fmt.Errorf("invalid quantity %q", values[3])
	}
	cents, err := ParseAmount(values[4])
	if err != nil {
		return Sale{}, err
	}
	return Sale{Date: values[0], Region: values[1], SKU: values[2], Quantity: quantity, Cents: cents}, nil
}
