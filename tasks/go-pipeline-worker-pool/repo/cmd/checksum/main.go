// Command checksum prints the SHA-256 of each file, in argument order.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"time"

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
	retries := flag.Int("retries", 3, "attempts per file (network mounts fail transiently)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	backoff := pipeline.Backoff{First: 50 * time.Millisecond, Max: time.Second}
	sums, err := pipeline.Map(ctx, flag.Args(), *workers, func(ctx context.Context, path string) (string, error) {
		return pipeline.Retry(ctx, *retries, backoff, func(ctx context.Context) (string, error) {
			s, err := sum(ctx, path)
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
				return "", pipeline.Permanent(err)
			}
			return s, err
		})
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "checksum:", err)
		os.Exit(1)
	}
	for i, s := range sums {
		fmt.Printf("%s  %s\n", s, flag.Arg(i))
	}
}
