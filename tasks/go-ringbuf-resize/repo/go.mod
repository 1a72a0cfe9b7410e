module example.com/recentlog

go 1.22
