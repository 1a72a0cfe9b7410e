// Command tailsvc copies stdin into a tail.Tail and prints the last 5 lines at EOF.
package main

import (
	"fmt"
	"io"
	"os"

	"example.com/recentlog/tail"
)

func main() {
	t := tail.New(5)
	if _, err := io.Copy(t, os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, line := range t.Lines() {
		fmt.Println(line)
	}
}
