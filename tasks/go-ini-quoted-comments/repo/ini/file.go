package ini

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// File is a parsed INI document. The global section has the name "".
type File struct {
	sections map[string]map[string]string
	order    []string
}

func newFile() *File {
	return &File{sections: map[string]map[string]string{"": {}}, order: []string{""}}
}

func (f *File) section(name string) map[string]string {
	name = strings.ToLower(name)
	s, ok := f.sections[name]
	if !ok {
		s = map[string]string{}
		f.sections[name] = s
		f.order = append(f.order, name)
	}
	return s
}

// Sections lists section names in the order they first appear ("" first).
func (f *File) Sections() []string { return append([]string(nil), f.order...) }

// Keys lists a section's keys, sorted.
func (f *File) Keys(section string) []string {
	s := f.sections[strings.ToLower(section)]
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Lookup returns a value and whether it exists.
func (f *File) Lookup(section, key string) (string, bool) {
	s, ok := f.sections[strings.ToLower(section)]
	if !ok {
		return "", false
	}
	v, ok := s[strings.ToLower(key)]
	return v, ok
}

// Get returns a value, or "" when it is missing.
func (f *File) Get(section, key string) string {
	v, _ := f.Lookup(section, key)
	return v
}

func (f *File) required(section, key string) (string, error) {
	v, ok := f.Lookup(section, key)
	if !ok {
		return "", &KeyError{Section: section, Key: key, Msg: "missing"}
	}
	return v, nil
}

// GetInt parses a base-10 integer value.
func (f *File) GetInt(section, key string) (int, error) {
	v, err := f.required(section, key)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, &KeyError{Section: section, Key: key, Msg: "not an integer: " + strconv.Quote(v)}
	}
	return n, nil
}

// GetBool accepts true/false, yes/no, on/off and 1/0, in any case.
func (f *File) GetBool(section, key string) (bool, error) {
	v, err := f.required(section, key)
	if err != nil {
		return false, err
	}
	switch strings.ToLower(v) {
	case "true", "yes", "on", "1":
		return true, nil
	case "false", "no", "off", "0":
		return false, nil
	}
	return false, &KeyError{Section: section, Key: key, Msg: "not a boolean: " + strconv.Quote(v)}
}

// GetDuration parses a Go duration such as "1m30s".
func (f *File) GetDuration(section, key string) (time.Duration, error) {
	v, err := f.required(section, key)
	if err != nil {
		return 0, err
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, &KeyError{Section: section, Key: key, Msg: "not a duration: " + strconv.Quote(v)}
	}
	return d, nil
}
