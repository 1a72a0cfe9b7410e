module example.com/salesreport

go 1.22
