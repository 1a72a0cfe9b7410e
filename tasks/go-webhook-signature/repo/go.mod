module example.com/billinghooks

go 1.22
