package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"portico/internal/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

func runCmd(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestHelp(t *testing.T) {
	out, _, err := runCmd(t, nil, "help")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commands {
		if !strings.Contains(out, c.name) {
			t.Errorf("help lacks %s", c.name)
		}
	}
	for _, c := range []string{"serve", "migrate", "demo", "user", "version"} {
		_, errOut, err := runCmd(t, nil, c, "--help")
		if c == "version" {
			continue
		}
		if !errors.Is(err, flag.ErrHelp) && err != nil {
			t.Errorf("%s --help: %v", c, err)
		}
		if !strings.Contains(errOut, "portico "+c) || !strings.Contains(errOut, "PORTICO_DATABASE_URL") {
			t.Errorf("%s --help output:\n%s", c, errOut)
		}
	}
	if _, _, err := runCmd(t, nil, "frobnicate"); err == nil || !strings.Contains(err.Error(), "frobnicate") {
		t.Errorf("unknown command: %v", err)
	}
	if out, _, err := runCmd(t, nil, "version"); err != nil || !strings.HasPrefix(out, "portico ") {
		t.Errorf("version: %q %v", out, err)
	}
}

func TestInvalidConfigIsOneClearLine(t *testing.T) {
	_, _, err := runCmd(t, map[string]string{"PORTICO_SMTP_URL": "mail.example.com"}, "serve")
	if err == nil || !strings.Contains(err.Error(), "PORTICO_SMTP_URL") {
		t.Errorf("got %v", err)
	}
}

func TestMigrateAndDemo(t *testing.T) {
	for _, b := range testkit.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL
			if b.Name == "postgres" {
				url = testkit.NewPostgresDatabase(t)
			}
			env := map[string]string{"PORTICO_DATABASE_URL": url, "PORTICO_DATA": filepath.Join(t.TempDir(), "data")}
			out, _, err := runCmd(t, env, "migrate")
			if err != nil || !strings.Contains(out, "up to date") {
				t.Fatalf("migrate: %q %v", out, err)
			}
			out, _, err = runCmd(t, env, "demo", "--seed", "7")
			if err != nil || !strings.Contains(out, "admin@demo.portico.test") {
				t.Fatalf("demo: %q %v", out, err)
			}
			// A second load refuses: the agency exists.
			if _, _, err := runCmd(t, env, "demo"); err == nil {
				t.Error("demo loaded twice into one database")
			}
			if _, _, err := runCmd(t, env, "demo", "--size", "huge"); err == nil || !strings.Contains(err.Error(), "--size") {
				t.Errorf("bad size: %v", err)
			}
		})
	}
}

func TestUserCommand(t *testing.T) {
	env := map[string]string{"PORTICO_DATA": filepath.Join(t.TempDir(), "data")}
	stdin = strings.NewReader("a-long-password\n")
	out, _, err := runCmd(t, env, "user", "add", "--email", "Boss@Agency.test", "--name", "Bea Boss")
	if err != nil || !strings.Contains(out, "Added Bea Boss <boss@agency.test> as Admin") {
		t.Fatalf("add: %q %v", out, err)
	}
	stdin = strings.NewReader("short\n")
	if _, _, err := runCmd(t, env, "user", "add", "--email", "x@agency.test", "--name", "X"); err == nil || !strings.Contains(err.Error(), "--password") {
		t.Errorf("weak password: %v", err)
	}
	stdin = strings.NewReader("another-password\n")
	out, _, err = runCmd(t, env, "user", "password", "--email", "boss@agency.test")
	if err != nil || !strings.Contains(out, "Password set") {
		t.Fatalf("password: %q %v", out, err)
	}
	stdin = strings.NewReader("another-password\n")
	if _, _, err := runCmd(t, env, "user", "password", "--email", "nobody@agency.test"); err == nil || !strings.Contains(err.Error(), "nobody@agency.test") {
		t.Errorf("unknown user: %v", err)
	}
	if _, _, err := runCmd(t, env, "user"); err == nil {
		t.Error("user with no action succeeded")
	}
}
