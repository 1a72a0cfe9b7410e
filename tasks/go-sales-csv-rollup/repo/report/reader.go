package report

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

var requiredColumns = []string{"date", "region", "sku", "quantity", "amount"}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// ReadSales parses an export (see README.md: Input).
func ReadSales(r io.Reader) ([]Sale, error) {
	scanner := bufio.NewScanner(r)
	if !scanner.Scan() {
		if err := scanner.Err(); err != nil {
			return nil, err
		}
		return nil, &InputError{Line: 1, Msg: "empty export: no header row"}
	}
	index := map[string]int{}
	for i, name := range strings.Split(scanner.Text(), ",") {
		index[strings.ToLower(strings.TrimSpace(name))] = i
	}
	for _, name := range requiredColumns {
		if _, ok := index[name]; !ok {
			return nil, &InputError{Line: 1, Msg: fmt.Sprintf("missing column %q", name)}
		}
	}
	var sales []Sale
	line := 1
	for scanner.Scan() {
		line++
		if strings.TrimSpace(scanner.Text()) == "" {
			continue
		}
		fields := strings.Split(scanner.Text(), ",")
		sale, err := saleFromFields(fields, index)
		if err != nil {
			return nil, &InputError{Line: line, Msg: err.Error()}
		}
		sales = append(sales, sale)
	}
	return sales, scanner.Err()
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
