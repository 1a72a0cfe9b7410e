package report

import (
	"fmt"
	"sort"
	"strings"
)

// Row is one group of the report.
type Row struct {
	Key   []string // the group's values, in the order of the dimensions asked for
	Lines int
	Units int
	Cents int64
}

var dimensions = map[string]func(Sale) string{
	"region": func(s Sale) string { return s.Region },
	"month":  Sale.Month,
	"sku":    func(s Sale) string { return s.SKU },
	"date":   func(s Sale) string { return s.Date },
}

// Rollup groups sales by the named dimensions (region, month, sku, date), sorted by key.
func Rollup(sales []Sale, by []string) ([]Row, error) {
	for _, name := range by {
		if _, ok := dimensions[name]; !ok {
			return nil, fmt.Errorf("unknown dimension %q (use region, month, sku or date)", name)
		}
	}
	groups := map[string]*Row{}
	for _, sale := range sales {
		key := make([]string, len(by))
		for i, name := range by {
			key[i] = dimensions[name](sale)
		}
		id := strings.Join(key, "\x00")
		row, ok := groups[id]
		if !ok {
			row = &Row{Key: key}
			groups[id] = row
		}
		row.Lines++
		row.Units += sale.Quantity
		row.Cents += sale.Cents
	}
	rows := make([]Row, 0, len(groups))
	for _, row := range groups {
		rows = append(rows, *row)
	}
	sort.Slice(rows, func(i, j int) bool {
		return strings.Join(rows[i].Key, "\x00") < strings.Join(rows[j].Key, "\x00")
	})
	return rows, nil
}
