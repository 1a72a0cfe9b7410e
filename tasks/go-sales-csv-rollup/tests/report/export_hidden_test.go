package report_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"example.com/salesreport/report"
)

func read(t *testing.T, text string) []report.Sale {
	t.Helper()
	sales, err := report.ReadSales(strings.NewReader(text))
	if err != nil {
		t.Fatalf("ReadSales: %v", err)
	}
	return sales
}

func TestPlainExportAndRollup(t *testing.T) {
	sales := read(t, "date,region,sku,quantity,amount\n2024-03-02,north,W-1,2,19.50\n\n2024-03-05,south,W-2,1,5.00\n2024-03-17,north,W-1,1,9.25\n2024-04-01,north,G-7,3,120.00\n")
	rows, err := report.Rollup(sales, []string{"region", "month"})
	if err != nil {
		t.Fatal(err)
	}
	want := []report.Row{
		{Key: []string{"north", "2024-03"}, Lines: 2, Units: 3, Cents: 2875},
		{Key: []string{"north", "2024-04"}, Lines: 1, Units: 3, Cents: 12000},
		{Key: []string{"south", "2024-03"}, Lines: 1, Units: 1, Cents: 500},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows = %+v", rows)
	}
}

func TestAmountsAreExactToTheCent(t *testing.T) {
	cases := map[string]int64{
		"0.29": 29, "19.90": 1990, "4.35": 435, "1,234.50": 123450, "-12.05": -1205,
		"7": 700, "0.1": 10, "1,000,000.01": 100000001, " 8.20 ": 820,
	}
	for text, want := range cases {
		got, err := report.ParseAmount(text)
		if err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", text, got, err, want)
		}
	}
}

func TestMalformedAmountsAreRejected(t *testing.T) {
	for _, text := range []string{"", "1e3", "12.345", "1,23.00", "12,", "abc", "--1", "1.2.3", "NaN", "0x10"} {
		if got, err := report.ParseAmount(text); err == nil {
			t.Errorf("ParseAmount(%q) = %d, want an error", text, got)
		}
	}
}

func TestSumOfManySmallAmounts(t *testing.T) {
	var b strings.Builder
	b.WriteString("date,region,sku,quantity,amount\n")
	for i := 0; i < 1000; i++ {
		b.WriteString("2024-03-01,east,P-1,1,0.29\n")
	}
	rows, err := report.Rollup(read(t, b.String()), []string{"region"})
	if err != nil || len(rows) != 1 || rows[0].Cents != 29000 {
		t.Fatalf("rows = %+v, %v", rows, err)
	}
}

func TestQuotedFields(t *testing.T) {
	text := "sku,date,amount,region,quantity,note\n" +
		"\"W-1\",2024-03-02,\"1,234.50\",\"north, coastal\",2,\"said \"\"rush\"\"\"\n" +
		"W-2,2024-03-03,5.00,south,1,\"two\nlines\"\n" +
		"W-3,2024-03-04,-2.50,south,1,\n"
	got := read(t, text)
	want := []report.Sale{
		{Date: "2024-03-02", Region: "north, coastal", SKU: "W-1", Quantity: 2, Cents: 123450},
		{Date: "2024-03-03", Region: "south", SKU: "W-2", Quantity: 1, Cents: 500},
		{Date: "2024-03-04", Region: "south", SKU: "W-3", Quantity: 1, Cents: -250},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("sales = %+v", got)
	}
}

func TestSpreadsheetExportWithBOMAndCRLF(t *testing.T) {
	text := "\ufeffDate,Region,SKU,Quantity,Amount\r\n2024-03-02,north,W-1,2,19.90\r\n2024-03-09,\"west, inland\",W-9,1,\"2,000.00\"\r\n"
	got := read(t, text)
	want := []report.Sale{
		{Date: "2024-03-02", Region: "north", SKU: "W-1", Quantity: 2, Cents: 1990},
		{Date: "2024-03-09", Region: "west, inland", SKU: "W-9", Quantity: 1, Cents: 200000},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("sales = %+v", got)
	}
}

func TestErrorsNameTheLine(t *testing.T) {
	cases := map[string]int{
		"date,region,sku,quantity,amount\n2024-03-02,n,W,1,1.00\n2024-03-02,n,W,x,1.00\n":          3,
		"date,region,sku,quantity,amount\n2024-03-02,\"a\nb\",W,1,1.00\n2024-03-02,n,W,1,12.345\n": 4,
		"date,region,sku,quantity\n2024-03-02,n,W,1\n":                                             1,
		"date,region,sku,quantity,amount\n2024-03-02,n,W,1,\"1,234.5\"\n03/02/2024,n,W,1,1.00\n":   3,
	}
	for text, line := range cases {
		_, err := report.ReadSales(strings.NewReader(text))
		var inputErr *report.InputError
		if !errors.As(err, &inputErr) || inputErr.Line != line {
			t.Errorf("ReadSales(%q) error = %v, want an InputError on line %d", text, err, line)
		}
	}
}
