// Package config reads Portico's settings from flags and PORTICO_*
// environment variables (flags win) and checks them.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"path/filepath"
	"strings"
)

// Config is every setting of the serve command.
type Config struct {
	Addr        string // listen address
	BaseURL     string // public address used in emails and links
	DataDir     string // folder for the SQLite database
	DatabaseURL string // postgres://… or a SQLite file; default DataDir/portico.db
	SMTPURL     string // smtp://user:pass@host:587 or smtps://…; empty keeps mail in the Outbox page
	MailFrom    string // sender address
	LogLevel    string // debug, info, warn, error
	LogFormat   string // text or json
	Demo        bool   // fill an empty database with demo data
	Delivery    bool   // run the outbox worker in this instance
	PprofAddr   string // address of Go's profiler (net/http/pprof); empty: off
}

// setting describes one setting: its flag, its variable and its help.
type setting struct {
	flag, env, help string
	str             *string
	boolean         *bool
	def             string
}

func (c *Config) settings() []setting {
	return []setting{
		{flag: "addr", env: "PORTICO_ADDR", str: &c.Addr, def: "localhost:8080", help: "address to listen on"},
		{flag: "base-url", env: "PORTICO_BASE_URL", str: &c.BaseURL, help: "public address of Portico, used in emails (default http://ADDR)"},
		{flag: "data", env: "PORTICO_DATA", str: &c.DataDir, def: "data", help: "data folder (SQLite database)"},
		{flag: "database-url", env: "PORTICO_DATABASE_URL", str: &c.DatabaseURL, help: "postgres://… URL, or a SQLite file (default DATA/portico.db)"},
		{flag: "smtp-url", env: "PORTICO_SMTP_URL", str: &c.SMTPURL, help: "mail server, smtp://user:password@host:587 or smtps://…; unset keeps mail in the console's Outbox"},
		{flag: "mail-from", env: "PORTICO_MAIL_FROM", str: &c.MailFrom, def: "Portico <portico@localhost>", help: "sender of outgoing email"},
		{flag: "log-level", env: "PORTICO_LOG_LEVEL", str: &c.LogLevel, def: "info", help: "debug, info, warn or error"},
		{flag: "log-format", env: "PORTICO_LOG_FORMAT", str: &c.LogFormat, def: "text", help: "text or json"},
		{flag: "demo", env: "PORTICO_DEMO", boolean: &c.Demo, def: "false", help: "fill an empty database with demo data"},
		{flag: "delivery", env: "PORTICO_DELIVERY", boolean: &c.Delivery, def: "true", help: "deliver queued email from this instance"},
		{flag: "pprof-addr", env: "PORTICO_PPROF_ADDR", str: &c.PprofAddr, help: "address for Go's profiler (/debug/pprof/), separate from --addr, e.g. localhost:6060; unset: off"},
	}
}

// Flags registers the settings on fs with defaults taken from the
// environment, so a flag overrides its variable.
func (c *Config) Flags(fs *flag.FlagSet, getenv func(string) string) error {
	for _, s := range c.settings() {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		help := fmt.Sprintf("%s (%s)", s.help, s.env)
		if s.str != nil {
			fs.StringVar(s.str, s.flag, def, help)
			continue
		}
		b, err := parseBool(def)
		if err != nil {
			return fmt.Errorf("%s: %v", s.env, err)
		}
		fs.BoolVar(s.boolean, s.flag, b, help)
	}
	return nil
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off", "":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", s)
}

// Validate fills derived defaults and returns one clear error naming the
// first bad setting.
func (c *Config) Validate() error {
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || port == "" {
		return errors.New("--addr (PORTICO_ADDR): want host:port, for example localhost:8080 or :8080")
	}
	if c.BaseURL == "" {
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		c.BaseURL = "http://" + net.JoinHostPort(host, port)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("--base-url (PORTICO_BASE_URL): want an absolute http:// or https:// address")
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.DataDir == "" {
		return errors.New("--data (PORTICO_DATA): must name a folder")
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = filepath.Join(c.DataDir, "portico.db")
	} else if strings.Contains(c.DatabaseURL, "://") && !strings.HasPrefix(c.DatabaseURL, "postgres://") &&
		!strings.HasPrefix(c.DatabaseURL, "postgresql://") && !strings.HasPrefix(c.DatabaseURL, "sqlite://") {
		return errors.New("--database-url (PORTICO_DATABASE_URL): want postgres://… or the path of a SQLite file")
	}
	if c.SMTPURL != "" {
		u, err := url.Parse(c.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			return errors.New("--smtp-url (PORTICO_SMTP_URL): want smtp://user:password@host:587 or smtps://host:465")
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		return errors.New(`--mail-from (PORTICO_MAIL_FROM): want an address like "Agency <portal@agency.com>"`)
	}
	if _, err := c.Level(); err != nil {
		return errors.New("--log-level (PORTICO_LOG_LEVEL): want debug, info, warn or error")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return errors.New("--log-format (PORTICO_LOG_FORMAT): want text or json")
	}
	// The profiler shows the program's insides and lets anyone who reaches
	// it burn CPU: it has an address of its own, never the public one.
	if c.PprofAddr != "" {
		if _, port, err := net.SplitHostPort(c.PprofAddr); err != nil || port == "" {
			return errors.New("--pprof-addr (PORTICO_PPROF_ADDR): want host:port, for example localhost:6060, or nothing to turn profiling off")
		}
		if c.PprofAddr == c.Addr && !strings.HasSuffix(c.Addr, ":0") {
			return errors.New("--pprof-addr (PORTICO_PPROF_ADDR): must differ from --addr: the profiler never shares the public address")
		}
	}
	return nil
}

// Level returns the slog level of LogLevel.
func (c *Config) Level() (slog.Level, error) {
	var l slog.Level
	err := l.UnmarshalText([]byte(c.LogLevel))
	return l, err
}

// Rows lists the settings for documentation: flag, variable, default, help.
func Rows() [][4]string {
	var c Config
	var rows [][4]string
	for _, s := range c.settings() {
		rows = append(rows, [4]string{"--" + s.flag, s.env, s.def, s.help})
	}
	return rows
}
