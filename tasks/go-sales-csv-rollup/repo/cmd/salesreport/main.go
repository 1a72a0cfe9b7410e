// Command salesreport prints grouped totals of an order-line export.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"example.com/salesreport/report"
)

func main() {
	by := flag.String("by", "region,month", "comma-separated dimensions: region, month, sku, date")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: salesreport [-by DIMS] EXPORT.csv")
		os.Exit(2)
	}
	file, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer file.Close()
	sales, err := report.ReadSales(file)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", flag.Arg(0), err)
		os.Exit(1)
	}
	dims := strings.Split(*by, ",")
	rows, err := report.Rollup(sales, dims)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "%s\tlines\tunits\ttotal\t\n", strings.Join(dims, "\t"))
	for _, row := range rows {
		fmt.Fprintf(w, "%s\t%d\t%d\t%s\t\n", strings.Join(row.Key, "\t"), row.Lines, row.Units, report.FormatCents(row.Cents))
	}
	w.Flush()
}
