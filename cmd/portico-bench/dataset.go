package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// dataset is the large demo data set of one engine.
type dataset struct {
	engine string
	dbURL  string // what Portico's --database-url gets, once started
	marker marker
	cached bool         // reused from an earlier run
	start  func() error // starts its database server, if it has one of ours
	stop   func()       // stops it; safe to call when stopped
	size   func() int64 // bytes on disk, or 0 when unknown
}

// marker is written next to a data set once the generator finished, so a
// later run knows the cache is complete and made by the same generator.
type marker struct {
	Size        string    `json:"size"`
	Seed        int64     `json:"seed"`
	Generator   string    `json:"generator"` // hash of demo/*.go, or "unknown"
	GeneratedAt time.Time `json:"generated_at"`
	Took        string    `json:"took"`
	PeakRSS     int64     `json:"peak_rss_bytes"` // of the generating process
	Vacuumed    bool      `json:"vacuumed,omitempty"`
}

const markerFile = "COMPLETE.json"

// generatorHash fingerprints the generator's source, so a change to the
// demo data makes the cache stale. Run from the module root it finds
// demo/*.go (tests aside); elsewhere it returns "unknown" and any complete
// cache is used.
func generatorHash() string {
	files, _ := filepath.Glob(filepath.Join("demo", "*.go"))
	// Tests don't change the data.
	files = slices.DeleteFunc(files, func(f string) bool { return strings.HasSuffix(f, "_test.go") })
	if len(files) == 0 {
		return "unknown"
	}
	slices.Sort(files)
	h := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "unknown"
		}
		fmt.Fprintf(h, "%s %d\n", filepath.Base(f), len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func (o *options) want() marker {
	return marker{Size: "large", Seed: o.seed, Generator: generatorHash()}
}

// complete reports whether dir holds a finished data set like want.
func complete(dir string, want marker) (marker, bool) {
	b, err := os.ReadFile(filepath.Join(dir, markerFile))
	if err != nil {
		return marker{}, false
	}
	var m marker
	if json.Unmarshal(b, &m) != nil {
		return marker{}, false
	}
	same := m.Size == want.Size && m.Seed == want.Seed &&
		(m.Generator == want.Generator || want.Generator == "unknown")
	return m, same
}

// generate runs "portico demo --size large" against a database and writes
// the marker to dir when it succeeds.
func generate(ctx context.Context, o *options, bin, dir string, dbArgs []string, logf func(string, ...any)) (marker, error) {
	m := o.want()
	start := time.Now()
	args := append([]string{"demo", "--size", "large", "--seed", strconv.FormatInt(o.seed, 10)}, dbArgs...)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = cleanEnv()
	logPath := filepath.Join(dir, "generate.log")
	lf, err := os.Create(logPath)
	if err != nil {
		return m, err
	}
	defer lf.Close()
	// Progress lines go to the log and, prefixed, to our standard error.
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = lf, io.MultiWriter(lf, pw)
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		for {
			n, err := pr.Read(buf)
			for _, line := range strings.Split(strings.TrimSpace(string(buf[:n])), "\n") {
				if line = strings.TrimSpace(line); line != "" && !strings.Contains(line, "level=") {
					logf("  generate: %s", line)
				}
			}
			if err != nil {
				return
			}
		}
	}()
	err = cmd.Run()
	pw.Close()
	<-done
	if err != nil {
		return m, fmt.Errorf("generating the data set failed (%v); see %s", err, logPath)
	}
	m.GeneratedAt = time.Now().UTC().Truncate(time.Second)
	m.Took = time.Since(start).Round(time.Second).String()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.PeakRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	if err := writeMarker(dir, m); err != nil {
		return m, err
	}
	logf("generated in %s (generator's peak RSS %s)", m.Took, mib(m.PeakRSS))
	return m, nil
}

// cleanEnv is our environment without PORTICO_* settings, so a stray
// variable can't point Portico at another database.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PORTICO_") {
			env = append(env, kv)
		}
	}
	return env
}

func prepareDataset(ctx context.Context, o *options, engine, bin string, logf func(string, ...any)) (*dataset, error) {
	if engine == "sqlite" {
		return sqliteDataset(ctx, o, bin, logf)
	}
	if o.postgresURL != "" {
		return postgresURLDataset(ctx, o, bin, logf)
	}
	return postgresClusterDataset(ctx, o, bin, logf)
}

func sqliteDataset(ctx context.Context, o *options, bin string, logf func(string, ...any)) (*dataset, error) {
	dir, err := filepath.Abs(filepath.Join(o.data, "sqlite"))
	if err != nil {
		return nil, err
	}
	db := filepath.Join(dir, "portico.db")
	size := func() int64 {
		var n int64
		for _, suffix := range []string{"", "-wal"} {
			if fi, err := os.Stat(db + suffix); err == nil {
				n += fi.Size()
			}
		}
		return n
	}
	ds := &dataset{engine: "sqlite", dbURL: db, start: func() error { return nil }, stop: func() {}, size: size}
	if m, ok := complete(dir, o.want()); ok && !o.regenerate {
		if _, err := os.Stat(db); err == nil {
			logf("sqlite: using the data set in %s (generated %s)", dir, m.GeneratedAt.Format(time.DateOnly))
			ds.marker, ds.cached = m, true
			return ds, nil
		}
	}
	logf("sqlite: generating the large data set in %s", dir)
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	m, err := generate(ctx, o, bin, dir, []string{"--database-url", db}, logf)
	if err != nil {
		return nil, err
	}
	ds.marker = m
	return ds, nil
}

// postgresURLDataset loads the data set into the database the user named.
// Its marker lives in the cache folder under a hash of the URL.
func postgresURLDataset(ctx context.Context, o *options, bin string, logf func(string, ...any)) (*dataset, error) {
	sum := sha256.Sum256([]byte(o.postgresURL))
	dir, err := filepath.Abs(filepath.Join(o.data, "postgres-url-"+hex.EncodeToString(sum[:6])))
	if err != nil {
		return nil, err
	}
	ds := &dataset{engine: "postgres", dbURL: o.postgresURL, start: func() error { return nil }, stop: func() {}, size: func() int64 { return 0 }}
	if m, ok := complete(dir, o.want()); ok && !o.regenerate {
		logf("postgres: using the data set already loaded into %s", redact(o.postgresURL))
		ds.marker, ds.cached = m, true
		return ds, vacuum(ctx, ds, dir, logf)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	os.Remove(filepath.Join(dir, markerFile))
	logf("postgres: loading the large data set into %s (it must be an empty database)", redact(o.postgresURL))
	m, err := generate(ctx, o, bin, dir, []string{"--database-url", o.postgresURL}, logf)
	if err != nil {
		return nil, err
	}
	ds.marker = m
	return ds, vacuum(ctx, ds, dir, logf)
}

// vacuum runs VACUUM (ANALYZE) once after PostgreSQL was loaded, as
// autovacuum eventually would: otherwise it runs in the middle of the
// measurements, and until it has, index-only scans still visit the table.
// The marker records that it was done.
func vacuum(ctx context.Context, ds *dataset, dir string, logf func(string, ...any)) error {
	if ds.marker.Vacuumed {
		return nil
	}
	logf("postgres: VACUUM (ANALYZE) after loading")
	start := time.Now()
	db, err := sql.Open("pgx", ds.dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM (ANALYZE)"); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	ds.marker.Vacuumed = true
	logf("postgres: vacuumed in %s", time.Since(start).Round(time.Second))
	return writeMarker(dir, ds.marker)
}

func writeMarker(dir string, m marker) error {
	b, _ := json.MarshalIndent(m, "", "  ")
	return os.WriteFile(filepath.Join(dir, markerFile), append(b, '\n'), 0o644)
}

func redact(u string) string {
	if p, err := url.Parse(u); err == nil {
		return p.Redacted()
	}
	return "the --postgres-url database"
}

// postgresClusterDataset keeps a PostgreSQL cluster of its own in
// DATA/postgres/cluster: created and loaded once, started for each run and
// stopped after it.
func postgresClusterDataset(ctx context.Context, o *options, bin string, logf func(string, ...any)) (*dataset, error) {
	dir, err := filepath.Abs(filepath.Join(o.data, "postgres"))
	if err != nil {
		return nil, err
	}
	pg, err := newPGCluster(filepath.Join(dir, "cluster"))
	if err != nil {
		return nil, err
	}
	ds := &dataset{engine: "postgres", stop: pg.stop, size: func() int64 { return dirSize(pg.dir) }}
	ds.start = func() error {
		if err := pg.start(); err != nil {
			return err
		}
		ds.dbURL = pg.url()
		return nil
	}
	m, ok := complete(dir, o.want())
	reuse := ok && !o.regenerate && pg.initialised()
	if !reuse {
		pg.stop() // a cluster left running by an interrupted run
		logf("postgres: creating a cluster in %s", pg.dir)
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		if err := pg.initdb(); err != nil {
			return nil, err
		}
	}
	if reuse {
		logf("postgres: using the data set in %s (generated %s)", pg.dir, m.GeneratedAt.Format(time.DateOnly))
		ds.marker, ds.cached = m, true
		if m.Vacuumed {
			return ds, nil
		}
	}
	if err := ds.start(); err != nil {
		return nil, err
	}
	defer pg.stop() // started again to be measured
	if !reuse {
		logf("postgres: generating the large data set")
		if ds.marker, err = generate(ctx, o, bin, dir, []string{"--database-url", ds.dbURL}, logf); err != nil {
			return nil, err
		}
	}
	return ds, vacuum(ctx, ds, dir, logf)
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// pgCluster is a PostgreSQL cluster run with the system's server binaries,
// as the postgres user when we are root (initdb and postgres refuse root).
type pgCluster struct {
	bin      string // folder of initdb and pg_ctl
	dir      string // data folder
	sock     string // socket folder (short: socket paths are limited to ~100 bytes)
	port     int
	asUser   string
	uid, gid int
}

func newPGCluster(dir string) (*pgCluster, error) {
	bin, err := postgresBinDir()
	if err != nil {
		return nil, err
	}
	pg := &pgCluster{bin: bin, dir: dir, uid: -1, gid: -1}
	if os.Geteuid() == 0 {
		pg.asUser = "postgres"
		if _, err := exec.LookPath("runuser"); err != nil {
			return nil, errors.New("running as root, and runuser is not installed to start PostgreSQL as the postgres user")
		}
		u, err := user.Lookup(pg.asUser)
		if err != nil {
			return nil, fmt.Errorf("running as root, and there is no postgres user to run PostgreSQL as: %w", err)
		}
		pg.uid, _ = strconv.Atoi(u.Uid)
		pg.gid, _ = strconv.Atoi(u.Gid)
	}
	return pg, nil
}

// postgresBinDir finds initdb and pg_ctl: the highest Debian-style
// versioned install, else $PATH.
func postgresBinDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	version := func(d string) float64 {
		v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(d)), 64)
		return v
	}
	slices.SortFunc(dirs, func(a, b string) int {
		va, vb := version(a), version(b)
		switch {
		case va > vb:
			return -1
		case va < vb:
			return 1
		}
		return 0
	})
	for _, d := range dirs {
		if isFile(filepath.Join(d, "initdb")) && isFile(filepath.Join(d, "pg_ctl")) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil && isFile(filepath.Join(filepath.Dir(p), "initdb")) {
		return filepath.Dir(p), nil
	}
	return "", errors.New("no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or $PATH; install them, pass --postgres-url, or use --engines sqlite")
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func (pg *pgCluster) initialised() bool { return isFile(filepath.Join(pg.dir, "PG_VERSION")) }

// run runs a PostgreSQL program as the cluster's user, from a folder that
// user can read.
func (pg *pgCluster) run(prog string, args ...string) ([]byte, error) {
	var cmd *exec.Cmd
	if pg.asUser != "" {
		cmd = exec.Command("runuser", append([]string{"-u", pg.asUser, "--", filepath.Join(pg.bin, prog)}, args...)...)
	} else {
		cmd = exec.Command(filepath.Join(pg.bin, prog), args...)
	}
	cmd.Dir = os.TempDir()
	return cmd.CombinedOutput()
}

func (pg *pgCluster) mkdir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if pg.asUser != "" {
		return os.Chown(dir, pg.uid, pg.gid)
	}
	return nil
}

func (pg *pgCluster) initdb() error {
	if err := pg.mkdir(pg.dir); err != nil {
		return err
	}
	// C locale: the same byte order as SQLite, whatever locales exist.
	if out, err := pg.run("initdb", "-D", pg.dir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"); err != nil {
		return fmt.Errorf("initdb: %v: %s", err, out)
	}
	return nil
}

func (pg *pgCluster) start() error {
	sock, err := os.MkdirTemp("", "pbpg-")
	if err != nil {
		return err
	}
	if err := pg.mkdir(sock); err != nil {
		return err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	pg.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	pg.sock = sock
	// Durability is pointless for a benchmark's throwaway data (and makes
	// loading slower); everything else is PostgreSQL's default.
	opts := fmt.Sprintf("-k %s -p %d -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=2GB", sock, pg.port)
	logFile := filepath.Join(pg.dir, "server.log")
	if out, err := pg.run("pg_ctl", "-D", pg.dir, "-l", logFile, "-w", "-t", "120", "-o", opts, "start"); err != nil {
		log, _ := os.ReadFile(logFile)
		pg.stop()
		return fmt.Errorf("pg_ctl start: %v: %s\n%s", err, out, log)
	}
	return nil
}

func (pg *pgCluster) url() string {
	u := url.URL{Scheme: "postgres", User: url.User("postgres"), Path: "/postgres",
		RawQuery: url.Values{"host": {pg.sock}, "port": {strconv.Itoa(pg.port)}, "sslmode": {"disable"}}.Encode()}
	return u.String()
}

// stop stops the cluster if it runs; safe to call more than once.
func (pg *pgCluster) stop() {
	if isFile(filepath.Join(pg.dir, "postmaster.pid")) {
		pg.run("pg_ctl", "-D", pg.dir, "-m", "fast", "-w", "stop")
	}
	if pg.sock != "" {
		os.RemoveAll(pg.sock)
		pg.sock = ""
	}
}
