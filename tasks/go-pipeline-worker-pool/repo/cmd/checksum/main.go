// Command checksum prints the SHA-256 of each file, in argument order.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"example.com/fanout/pipeline"
)

func sum(ctx context.Context, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), ctx.Err()
}

func main() {
	workers := flag.Int("workers", 4, "files hashed in parallel")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	sums, err := pipeline.Map(ctx, flag.Args(), *workers, sum)
	if err != nil {
		fmt.Fprintln(os.Stderr, "checksum:", err)
		os.Exit(1)
	}
	for i, s := range sums {
		fmt.Printf("%s  %s\n", s, flag.Arg(i))
	}
}
