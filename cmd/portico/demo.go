package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"portico/demo"
)

func runDemo(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs, cfg, err := flags("demo", "Fill an empty database with a believable demo agency.", env, stderr)
	if err != nil {
		return err
	}
	size := fs.String("size", "demo", "demo (a small agency to try Portico) or large (for benchmarks)")
	seed := fs.Int64("seed", 1, "the same seed gives the same data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	s := demo.Size(*size)
	if !s.Valid() {
		return fmt.Errorf("--size: want demo or large, not %q", *size)
	}
	log := newLogger(cfg, stderr)
	db, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	creds, err := demo.Load(ctx, db, demo.Options{Size: s, Seed: *seed}, func(made string) {
		fmt.Fprintf(stderr, "%6.1fs  %s\n", time.Since(start).Seconds(), made)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Demo data loaded. Sign in to the console at /signin as %s, or to the client portal at /portal as %s; the password is %s\n",
		creds.Email, demo.PortalEmail, creds.Password)
	return nil
}
