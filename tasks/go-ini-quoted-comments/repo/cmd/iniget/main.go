// Command iniget prints one value of an INI file: iniget FILE SECTION KEY.
package main

import (
	"fmt"
	"os"

	"example.com/svcconf/ini"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: iniget FILE SECTION KEY")
		os.Exit(2)
	}
	file, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer file.Close()
	f, err := ini.Parse(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	v, ok := f.Lookup(os.Args[2], os.Args[3])
	if !ok {
		fmt.Fprintf(os.Stderr, "iniget: [%s] %s: not set\n", os.Args[2], os.Args[3])
		os.Exit(1)
	}
	fmt.Println(v)
}
