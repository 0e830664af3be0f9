// Command portico-bench measures Portico at a large agency's scale: it
// generates the large demo data set once per database engine (and keeps it),
// starts Portico as a separate process, signs in, and drives load at a few
// concurrency levels against the pages listed in endpoints.go, beside a bare
// Go handler serving the same bytes (the ceiling of the machine). It prints
// requests per second, p50, p99, errors and the server's memory, and checks
// the targets of the issues.
//
//	go run ./cmd/portico-bench                      # SQLite and PostgreSQL
//	go run ./cmd/portico-bench --engines sqlite --duration 5s --markdown results.md
//
// See docs/performance.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

type options struct {
	portico     string
	data        string
	engines     []string
	postgresURL string
	conns       []int
	duration    time.Duration
	warmup      time.Duration
	only        *regexp.Regexp
	markdown    string
	seed        int64
	regenerate  bool
	profile     bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "portico-bench:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	began := time.Now()
	logf := func(format string, a ...any) {
		fmt.Fprintf(stderr, "%6.1fs  %s\n", time.Since(began).Seconds(), fmt.Sprintf(format, a...))
	}

	tmp, err := os.MkdirTemp("", "portico-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	bin := o.portico
	if bin == "" {
		bin = filepath.Join(tmp, "portico")
		logf("building Portico")
		cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "portico/cmd/portico")
		cmd.Stdout, cmd.Stderr = stderr, stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build: %w", err)
		}
	}
	if bin, err = filepath.Abs(bin); err != nil {
		return err
	}

	m := describeMachine()
	m.Date = began.Format("2006-01-02 15:04 MST")
	fmt.Fprint(stdout, m.text())

	// The data sets first, side by side: generating one is mostly waiting
	// on its database, so two take less time together than one after the
	// other. Nothing is measured meanwhile.
	sets := make([]*dataset, len(o.engines))
	errs := make([]error, len(o.engines))
	var wg sync.WaitGroup
	for i, engine := range o.engines {
		wg.Go(func() {
			if sets[i], errs[i] = prepareDataset(ctx, o, engine, bin, logf); errs[i] != nil {
				errs[i] = fmt.Errorf("%s: %w", engine, errs[i])
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}

	var reports []*engineReport
	for _, ds := range sets {
		rep, err := benchEngine(ctx, o, ds, bin, tmp, logf)
		if err != nil {
			return fmt.Errorf("%s: %w", ds.engine, err)
		}
		reports = append(reports, rep)
		fmt.Fprintln(stdout)
		fmt.Fprint(stdout, rep.text())
	}
	checks := checkGoals(reports)
	fmt.Fprintln(stdout)
	fmt.Fprint(stdout, checksText(checks))
	fmt.Fprintf(stdout, "\nTotal time %s.\n", time.Since(began).Round(time.Second))

	if o.markdown != "" {
		md := markdown(m, o, reports, checks, time.Since(began))
		if o.markdown == "-" {
			fmt.Fprint(stdout, "\n"+md)
		} else if err := os.WriteFile(o.markdown, []byte(md), 0o644); err != nil {
			return err
		} else {
			logf("wrote %s", o.markdown)
		}
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("portico-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	fs.StringVar(&o.portico, "portico", "", "Portico binary to measure (default: go build ./cmd/portico into a temporary folder)")
	fs.StringVar(&o.data, "data", filepath.Join("data", "bench"), "cache folder for the generated data sets, one sub-folder per engine; reused when complete")
	engines := fs.String("engines", "sqlite,postgres", "database engines to measure, comma-separated: sqlite, postgres")
	fs.StringVar(&o.postgresURL, "postgres-url", "", "postgres:// URL of an empty database to load and measure (default: a throwaway cluster kept in DATA/postgres, started from /usr/lib/postgresql/*/bin)")
	conns := fs.String("conns", "2,16", "concurrent connections, comma-separated; each endpoint is measured at each")
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "measuring time per endpoint and connection count")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured load before each measurement")
	only := fs.String("only", "", "measure only the endpoints whose name matches this regular expression")
	fs.StringVar(&o.markdown, "markdown", "", "also write the results as Markdown to this file (- for standard output)")
	fs.Int64Var(&o.seed, "seed", 1, "data set seed")
	fs.BoolVar(&o.regenerate, "regenerate", false, "generate the data sets again even when the cache is complete")
	fs.BoolVar(&o.profile, "profile", true, "take a CPU profile of the server during each endpoint's measurement at the highest connection count, saved in DATA/profiles")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: go run ./cmd/portico-bench [flags]\n\nBenchmark Portico with the large demo data set. See docs/performance.md.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for _, e := range strings.Split(*engines, ",") {
		e = strings.TrimSpace(e)
		if e != "sqlite" && e != "postgres" {
			return nil, fmt.Errorf("--engines: want sqlite and/or postgres, not %q", e)
		}
		if !slices.Contains(o.engines, e) {
			o.engines = append(o.engines, e)
		}
	}
	for _, c := range strings.Split(*conns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 || n > 1024 {
			return nil, fmt.Errorf("--conns: want numbers from 1 to 1024, not %q", c)
		}
		o.conns = append(o.conns, n)
	}
	if o.duration < 100*time.Millisecond || o.warmup < 0 {
		return nil, errors.New("--duration: want at least 100ms (and --warmup not negative)")
	}
	if *only != "" {
		re, err := regexp.Compile(*only)
		if err != nil {
			return nil, fmt.Errorf("--only: %w", err)
		}
		o.only = re
	}
	if o.postgresURL != "" && !strings.HasPrefix(o.postgresURL, "postgres://") && !strings.HasPrefix(o.postgresURL, "postgresql://") {
		return nil, errors.New("--postgres-url: want a postgres:// URL")
	}
	return o, nil
}
