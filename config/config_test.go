package config

import (
	"flag"
	"io"
	"strings"
	"testing"
)

func load(t *testing.T, env map[string]string, args ...string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var c Config
	if err := c.Flags(fs, func(k string) string { return env[k] }); err != nil {
		return nil, err
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return &c, c.Validate()
}

func TestDefaults(t *testing.T) {
	c, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "localhost:8080" || c.BaseURL != "http://localhost:8080" || c.DatabaseURL != "data/portico.db" || !c.Delivery || c.Demo || c.SMTPURL != "" || c.PprofAddr != "" {
		t.Errorf("defaults: %+v", c)
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	env := map[string]string{"PORTICO_ADDR": ":9000", "PORTICO_DATABASE_URL": "postgres://u@db/portico", "PORTICO_DEMO": "yes", "PORTICO_LOG_FORMAT": "json"}
	c, err := load(t, env, "--addr", "0.0.0.0:9100", "--base-url", "https://portal.agency.com/")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "0.0.0.0:9100" || c.BaseURL != "https://portal.agency.com" || c.DatabaseURL != "postgres://u@db/portico" || !c.Demo || c.LogFormat != "json" {
		t.Errorf("got %+v", c)
	}
	c, err = load(t, map[string]string{"PORTICO_ADDR": "0.0.0.0:8080"})
	if err != nil || c.BaseURL != "http://localhost:8080" {
		t.Errorf("base URL from a wildcard address: %q %v", c.BaseURL, err)
	}
}

// TestInvalid checks each bad setting stops the program with one line that
// names it.
func TestInvalid(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
		name string
	}{
		{args: []string{"--addr", "nonsense"}, name: "PORTICO_ADDR"},
		{args: []string{"--base-url", "portal.agency.com"}, name: "PORTICO_BASE_URL"},
		{args: []string{"--database-url", "mysql://x"}, name: "PORTICO_DATABASE_URL"},
		{args: []string{"--smtp-url", "mail.agency.com:25"}, name: "PORTICO_SMTP_URL"},
		{args: []string{"--mail-from", "not an address"}, name: "PORTICO_MAIL_FROM"},
		{args: []string{"--log-level", "loud"}, name: "PORTICO_LOG_LEVEL"},
		{args: []string{"--log-format", "xml"}, name: "PORTICO_LOG_FORMAT"},
		{args: []string{"--data", ""}, name: "PORTICO_DATA"},
		{env: map[string]string{"PORTICO_DEMO": "maybe"}, name: "PORTICO_DEMO"},
		{args: []string{"--pprof-addr", "6060"}, name: "PORTICO_PPROF_ADDR"},
		{args: []string{"--addr", "localhost:8080", "--pprof-addr", "localhost:8080"}, name: "PORTICO_PPROF_ADDR"},
	} {
		_, err := load(t, tc.env, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.name) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v %v: error %v, want one line naming %s", tc.env, tc.args, err, tc.name)
		}
	}
}

// TestPprofAddr checks the profiler is off unless asked for, and takes its
// address from the variable or, over it, the flag.
func TestPprofAddr(t *testing.T) {
	c, err := load(t, map[string]string{"PORTICO_PPROF_ADDR": "localhost:6060"})
	if err != nil || c.PprofAddr != "localhost:6060" {
		t.Errorf("from the environment: %q %v", c.PprofAddr, err)
	}
	c, err = load(t, map[string]string{"PORTICO_PPROF_ADDR": "localhost:6060"}, "--pprof-addr", "127.0.0.1:0", "--addr", "127.0.0.1:0")
	if err != nil || c.PprofAddr != "127.0.0.1:0" {
		t.Errorf("the flag over the variable, both on port 0: %q %v", c.PprofAddr, err)
	}
	c, err = load(t, map[string]string{"PORTICO_PPROF_ADDR": "localhost:6060"}, "--pprof-addr", "")
	if err != nil || c.PprofAddr != "" {
		t.Errorf("turned off by an empty flag: %q %v", c.PprofAddr, err)
	}
}
