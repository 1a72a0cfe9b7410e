module routr.dev/go-junit

go 1.19
