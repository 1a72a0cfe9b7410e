package ini_test

import (
	"errors"
	"strings"
	"testing"

	"example.com/svcconf/ini"
)

func mustParse(t *testing.T, text string) *ini.File {
	t.Helper()
	f, err := ini.Parse(strings.NewReader(text))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func TestQuotedValueKeepsCommentCharacters(t *testing.T) {
	f := mustParse(t, "[db]\npassword = \"pa ;ss #word\"\ndsn = \"host=db ;sslmode=disable\"\n")
	if got := f.Get("db", "password"); got != "pa ;ss #word" {
		t.Errorf("password = %q, want %q", got, "pa ;ss #word")
	}
	if got := f.Get("db", "dsn"); got != "host=db ;sslmode=disable" {
		t.Errorf("dsn = %q", got)
	}
}

func TestQuotedValueFollowedByComment(t *testing.T) {
	f := mustParse(t, "motd = \"  hi ; there  \"   ; greeting shown at login\ntag = \"#1\" # first\n")
	if got := f.Get("", "motd"); got != "  hi ; there  " {
		t.Errorf("motd = %q", got)
	}
	if got := f.Get("", "tag"); got != "#1" {
		t.Errorf("tag = %q", got)
	}
}

func TestEscapedQuoteInsideQuotedValue(t *testing.T) {
	f := mustParse(t, `say = "she said \"wait ;now\" #loud" ; note`+"\n"+`path = "C:\\tmp ;x"`+"\n")
	if got := f.Get("", "say"); got != `she said "wait ;now" #loud` {
		t.Errorf("say = %q", got)
	}
	if got := f.Get("", "path"); got != `C:\tmp ;x` {
		t.Errorf("path = %q", got)
	}
}

func TestUnquotedInlineComments(t *testing.T) {
	f := mustParse(t, "; header\n# another\n[http]\nport = 8080 ; public\nurl = http://svc/a#frag\nratio=3;4\n")
	want := map[string]string{"port": "8080", "url": "http://svc/a#frag", "ratio": "3;4"}
	for key, value := range want {
		if got := f.Get("http", key); got != value {
			t.Errorf("%s = %q, want %q", key, got, value)
		}
	}
}

func TestTypedGettersAndSections(t *testing.T) {
	f := mustParse(t, "name = checkout\n[Database]\nPort: 5432\ntimeout = 1m30s\n[features]\nbeta = Yes\n")
	if got := f.Sections(); strings.Join(got, ",") != ",database,features" {
		t.Errorf("Sections = %q", got)
	}
	if n, err := f.GetInt("database", "port"); err != nil || n != 5432 {
		t.Errorf("GetInt = %d, %v", n, err)
	}
	if d, err := f.GetDuration("DATABASE", "TIMEOUT"); err != nil || d.Seconds() != 90 {
		t.Errorf("GetDuration = %v, %v", d, err)
	}
	if b, err := f.GetBool("features", "beta"); err != nil || !b {
		t.Errorf("GetBool = %v, %v", b, err)
	}
	var keyErr *ini.KeyError
	if _, err := f.GetInt("database", "missing"); !errors.As(err, &keyErr) {
		t.Errorf("missing key error = %v", err)
	}
}

func TestParseErrorsCarryLineNumbers(t *testing.T) {
	cases := map[string]int{
		"a = 1\n[broken\n":        2,
		"a = 1\n\nb = \"open\n":   3,
		"a = 1\njust words\n":     2,
		"x = \"done\" trailing\n": 1,
	}
	for text, line := range cases {
		_, err := ini.Parse(strings.NewReader(text))
		var parseErr *ini.ParseError
		if !errors.As(err, &parseErr) || parseErr.Line != line {
			t.Errorf("Parse(%q) error = %v, want a ParseError on line %d", text, err, line)
		}
	}
}
