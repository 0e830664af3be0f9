package testkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DatabaseURLEnv names the environment variable pointing at a PostgreSQL
// server on which tests may CREATE DATABASE. When it is unset, tests start
// their own throwaway cluster.
const DatabaseURLEnv = "PORTICO_TEST_DATABASE_URL"

// clusterDirPrefix starts the name of every throwaway cluster's directory.
// The creating process's pid follows it, so a later run can tell which
// clusters were orphaned by a test binary that died without cleaning up.
const clusterDirPrefix = "portico-pg-"

// cluster is the throwaway PostgreSQL server of this test process. It is
// shared by all tests of the process because initdb alone costs about a
// second, while a database on a running server costs a tenth of that.
var cluster struct {
	once sync.Once
	url  string // server URL; valid when err is nil
	err  error

	mu      sync.Mutex // guards the fields below against Main racing a signal
	bin     string     // directory holding pg_ctl
	dir     string     // data and socket directory; "" once stopped
	asUser  string     // run pg_ctl as this user via runuser; "" to run directly
	signals chan os.Signal
}

// NewPostgresDatabase returns the URL (postgres://...) of a fresh, empty
// database that is dropped when the test ends.
//
// The server is the one named by PORTICO_TEST_DATABASE_URL when set (a URL to
// a server where we may CREATE DATABASE), otherwise a throwaway cluster
// started once per test process from the system's PostgreSQL binaries
// (/usr/lib/postgresql/*/bin, highest version first, then $PATH). When
// neither can be had, it calls Unavailable(t, "PostgreSQL", reason).
//
// Packages using the throwaway cluster should call Main from TestMain so the
// cluster is stopped when the tests end; clusters left behind by a process
// that did not (or was killed) are removed by the next one that starts a
// cluster.
func NewPostgresDatabase(t testing.TB) string {
	t.Helper()
	return NewPostgresDatabaseWith(t, "")
}

// NewPostgresDatabaseWith is NewPostgresDatabase with options for CREATE
// DATABASE, e.g. "ENCODING 'SQL_ASCII' LOCALE 'C' TEMPLATE template0" for
// a database as initdb makes one under a C locale.
func NewPostgresDatabaseWith(t testing.TB, options string) string {
	t.Helper()

	server := os.Getenv(DatabaseURLEnv)
	if server == "" {
		cluster.once.Do(startCluster)
		if cluster.err != nil {
			Unavailable(t, "PostgreSQL", cluster.err.Error())
		}
		server = cluster.url
	}

	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		// A malformed setting is a mistake to fix, not a missing service.
		t.Fatalf("%s must be a postgres:// URL, got %q", DatabaseURLEnv, server)
	}

	var b [8]byte
	rand.Read(b[:])
	name := "portico_test_" + hex.EncodeToString(b[:])
	ident := pgx.Identifier{name}.Sanitize()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := execAdmin(ctx, server, strings.TrimSpace("CREATE DATABASE "+ident+" "+options)); err != nil {
		Unavailable(t, "PostgreSQL", fmt.Sprintf("creating a database on %s: %v", u.Redacted(), err))
	}

	t.Cleanup(func() {
		// t.Context is already cancelled when cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// FORCE because a test that forgot to close a pool should not
		// leak a database, nor fail an unrelated assertion.
		if err := execAdmin(ctx, server, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			t.Errorf("dropping test database %s: %v", name, err)
		}
	})

	u.Path = "/" + name
	u.RawPath = ""
	return u.String()
}

// Main runs the package's tests and afterwards stops any throwaway cluster
// this process started. Call it from TestMain:
//
//	func TestMain(m *testing.M) { testkit.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	stopCluster()
	os.Exit(code)
}

// execAdmin runs one statement on a short-lived connection to the server's
// maintenance database. A connection per call keeps parallel tests from
// serialising on a shared one; over a local socket it costs a few
// milliseconds.
func execAdmin(ctx context.Context, server, sql string) error {
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// startCluster initialises and starts the throwaway cluster, recording the
// outcome in cluster.url and cluster.err.
func startCluster() {
	cluster.url, cluster.err = startClusterErr()
}

func startClusterErr() (string, error) {
	bin, err := postgresBinDir()
	if err != nil {
		return "", err
	}

	var asUser string
	var uid, gid int
	if os.Geteuid() == 0 {
		// initdb and postgres refuse to run as root.
		asUser = "postgres"
		if _, err := exec.LookPath("runuser"); err != nil {
			return "", errors.New("running as root and runuser is not installed, so cannot start PostgreSQL as the postgres user")
		}
		pu, err := user.Lookup(asUser)
		if err != nil {
			return "", fmt.Errorf("running as root and there is no postgres user to start PostgreSQL as: %w", err)
		}
		if uid, err = strconv.Atoi(pu.Uid); err != nil {
			return "", fmt.Errorf("postgres user's uid %q: %w", pu.Uid, err)
		}
		if gid, err = strconv.Atoi(pu.Gid); err != nil {
			return "", fmt.Errorf("postgres user's gid %q: %w", pu.Gid, err)
		}
	}

	parent := clusterParentDir()
	reapOrphanedClusters(bin, asUser)

	dir, err := os.MkdirTemp(parent, clusterDirPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return "", err
	}
	fail := func(err error) (string, error) {
		os.RemoveAll(dir)
		return "", err
	}
	if asUser != "" {
		if err := os.Chown(dir, uid, gid); err != nil {
			return fail(err)
		}
	}

	port, err := freePort()
	if err != nil {
		return fail(err)
	}

	// C locale: sorting matches SQLite's byte order and does not depend
	// on which locales the machine happens to have generated.
	if out, err := runPG(asUser, dir, filepath.Join(bin, "initdb"),
		"-D", dir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C",
	); err != nil {
		return fail(fmt.Errorf("initdb: %v: %s", err, out))
	}

	// Durability is pointless for data that lives for one test run.
	// Every CREATE DATABASE writes the whole template (~7 MB) to WAL, so a
	// small max_wal_size keeps a cluster on tmpfs from growing by a
	// gigabyte of RAM before the first checkpoint; without fsync,
	// checkpoints cost next to nothing. Connections are raised because
	// parallel tests each open a pool.
	opts := fmt.Sprintf("-k %s -p %d -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"+
		" -c max_wal_size=128MB -c min_wal_size=32MB -c max_connections=300", dir, port)
	logFile := filepath.Join(dir, "server.log")
	// -l matters: without it the postmaster inherits our output pipe and
	// runPG would wait for the server to exit.
	if out, err := runPG(asUser, dir, filepath.Join(bin, "pg_ctl"),
		"-D", dir, "-l", logFile, "-w", "-t", "60", "-o", opts, "start",
	); err != nil {
		log, _ := os.ReadFile(logFile)
		// pg_ctl gives up waiting after -t without stopping the server.
		runPG(asUser, dir, filepath.Join(bin, "pg_ctl"), "-D", dir, "-m", "immediate", "stop")
		return fail(fmt.Errorf("pg_ctl start: %v: %s\n%s", err, out, log))
	}

	cluster.mu.Lock()
	cluster.bin, cluster.dir, cluster.asUser = bin, dir, asUser
	cluster.signals = make(chan os.Signal, 1)
	signal.Notify(cluster.signals, os.Interrupt, syscall.SIGTERM)
	go stopOnSignal(cluster.signals)
	cluster.mu.Unlock()

	u := url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Path:     "/postgres",
		RawQuery: url.Values{"host": {dir}, "port": {strconv.Itoa(port)}, "sslmode": {"disable"}}.Encode(),
	}
	return u.String(), nil
}

// stopOnSignal stops the cluster when the test binary is interrupted, then
// lets the signal take its default course so the process still dies of it.
func stopOnSignal(signals chan os.Signal) {
	sig, ok := <-signals
	if !ok {
		return
	}
	stopCluster()
	if s, ok := sig.(syscall.Signal); ok {
		syscall.Kill(os.Getpid(), s)
	}
}

// stopCluster stops the throwaway cluster, if one is running, and removes
// its directory. It is safe to call more than once.
func stopCluster() {
	cluster.mu.Lock()
	defer cluster.mu.Unlock()
	if cluster.signals != nil {
		signal.Stop(cluster.signals)
		close(cluster.signals)
		cluster.signals = nil
	}
	if cluster.dir == "" {
		return
	}
	runPG(cluster.asUser, cluster.dir, filepath.Join(cluster.bin, "pg_ctl"), "-D", cluster.dir, "-m", "immediate", "stop")
	os.RemoveAll(cluster.dir)
	cluster.dir = ""
}

// clusterParentDir picks where throwaway clusters live: /dev/shm when it
// is a roomy tmpfs and TMPDIR does not say otherwise, else os.TempDir().
// CREATE DATABASE allocates a few hundred files, and on a disk-backed ext4
// that was measured at ~300 ms per database against ~15 ms on tmpfs, which
// adds up over a test run that creates one per test.
func clusterParentDir() string {
	const shm = "/dev/shm"
	const minFree = 1 << 30
	if os.Getenv("TMPDIR") != "" {
		return os.TempDir()
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(shm, &st); err != nil || uint64(st.Bavail)*uint64(st.Bsize) < minFree {
		return os.TempDir()
	}
	if syscall.Access(shm, 7) != nil { // R_OK|W_OK|X_OK
		return os.TempDir()
	}
	return shm
}

// reapOrphanedClusters stops and removes clusters whose creating process is
// gone: a test binary killed by -timeout or SIGKILL never runs Main's
// cleanup, and its postmaster would otherwise live on indefinitely.
func reapOrphanedClusters(bin, asUser string) {
	var dirs []string
	for _, parent := range []string{"/dev/shm", os.TempDir()} {
		found, _ := filepath.Glob(filepath.Join(parent, clusterDirPrefix+"*"))
		dirs = append(dirs, found...)
	}
	slices.Sort(dirs)
	dirs = slices.Compact(dirs) // TMPDIR may be /dev/shm
	for _, dir := range dirs {
		pidText, _, ok := strings.Cut(strings.TrimPrefix(filepath.Base(dir), clusterDirPrefix), "-")
		if !ok {
			continue
		}
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		// EPERM still means the process exists.
		if err := syscall.Kill(pid, 0); err == nil || errors.Is(err, syscall.EPERM) {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "postmaster.pid")); err == nil {
			runPG(asUser, dir, filepath.Join(bin, "pg_ctl"), "-D", dir, "-m", "immediate", "stop")
		}
		os.RemoveAll(dir)
	}
}

// runPG runs a PostgreSQL program, as asUser when it is not empty, from dir
// so that the program can always read its working directory.
func runPG(asUser, dir, prog string, args ...string) ([]byte, error) {
	var cmd *exec.Cmd
	if asUser != "" {
		cmd = exec.Command("runuser", append([]string{"-u", asUser, "--", prog}, args...)...)
	} else {
		cmd = exec.Command(prog, args...)
	}
	cmd.Dir = dir
	return cmd.CombinedOutput()
}

// postgresBinDir finds the directory holding initdb and pg_ctl: the highest
// Debian-style versioned install, else whatever $PATH offers.
func postgresBinDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	version := func(dir string) float64 {
		v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(dir)), 64)
		return v
	}
	slices.SortFunc(dirs, func(a, b string) int {
		// Highest first; numeric so that 10 beats 9.6.
		switch va, vb := version(a), version(b); {
		case va > vb:
			return -1
		case va < vb:
			return 1
		}
		return 0
	})
	for _, dir := range dirs {
		if isExecutable(filepath.Join(dir, "initdb")) && isExecutable(filepath.Join(dir, "pg_ctl")) {
			return dir, nil
		}
	}
	if initdb, err := exec.LookPath("initdb"); err == nil {
		dir := filepath.Dir(initdb)
		if isExecutable(filepath.Join(dir, "pg_ctl")) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("%s is not set and no PostgreSQL server binaries (initdb, pg_ctl) were found in /usr/lib/postgresql/*/bin or $PATH", DatabaseURLEnv)
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// freePort returns a TCP port nobody listens on. The server listens only on
// a socket in its own directory, so any port would work; a free one keeps
// the cluster from looking like a clash with a real server to anyone who
// inspects it while debugging.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
