package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"portico/config"
	"portico/mail"
	"portico/sqlstore"
)

// flags returns a flag set with the shared settings, and the config they fill.
func flags(name, summary string, env func(string) string, stderr io.Writer) (*flag.FlagSet, *config.Config, error) {
	fs := flag.NewFlagSet("portico "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config.Config
	if err := cfg.Flags(fs, env); err != nil {
		return nil, nil, err
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: portico %s [flags]\n\n%s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
	}
	return fs, &cfg, nil
}

// newLogger makes the logger the config asks for.
func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	level, _ := cfg.Level()
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openStore opens and migrates the database and connects the mail composer.
func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (*sqlstore.DB, error) {
	db, err := sqlstore.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	n, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if n > 0 {
		log.Info("database migrated", "engine", db.Engine(), "applied", n)
	}
	composer, err := mail.NewComposer(cfg.BaseURL, "Portico")
	if err != nil {
		db.Close()
		return nil, err
	}
	db.Mail = composer
	return db, nil
}
