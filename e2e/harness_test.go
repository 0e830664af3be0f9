package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"portico/internal/testkit"
)

// Database engines a journey can run on.
const (
	engineSQLite   = "sqlite"
	enginePostgres = "postgres"
)

// options says how to run Portico.
type options struct {
	Engine     string   // engineSQLite (default) or enginePostgres
	SMTPURL    string   // --smtp-url; empty keeps mail in the Outbox page
	NoDelivery bool     // --delivery=false: queue email but do not send it
	Args       []string // more flags for serve
}

// portico is the real binary running as a subprocess. Its data (SQLite
// folder or PostgreSQL database) and its address stay the same across
// restarts, so links it printed or emailed keep working.
type portico struct {
	t    *testing.T
	Opts options // read at every (re)start, so a test may change it between runs

	dataDir string
	dbURL   string // PostgreSQL URL; empty for SQLite in dataDir
	addr    string // 127.0.0.1:port, fixed after the first start
	URL     string // http://127.0.0.1:port

	stdout, stderr *lines
	runs           int
	proc           *process // the current or last process; nil before the first start
}

// process is one run of the binary.
type process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when it has exited and its output is read
	err  error         // cmd.Wait's result, once done is closed

	mu        sync.Mutex
	signalled bool // the test ended it; exiting is then no surprise
}

// running reports whether the process has not exited yet.
func (pr *process) running() bool {
	select {
	case <-pr.done:
		return false
	default:
		return true
	}
}

// startPortico runs Portico on a free 127.0.0.1 port with its own empty
// database and waits until it is ready. At the end of the test it is stopped
// with SIGTERM and must exit with status 0; when the test failed, its
// output is logged.
func startPortico(t *testing.T, opts options) *portico {
	t.Helper()
	p := &portico{
		t: t, Opts: opts, dataDir: t.TempDir(), addr: "127.0.0.1:0",
		stdout: &lines{}, stderr: &lines{},
	}
	switch opts.Engine {
	case "", engineSQLite:
	case enginePostgres:
		// Before our cleanup is registered, so the database is dropped
		// only after the server has stopped.
		p.dbURL = testkit.NewPostgresDatabase(t)
	default:
		t.Fatalf("unknown engine %q", opts.Engine)
	}
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			p.dumpOutput()
		}
	})
	p.start()
	return p
}

// args returns the serve command line for the current options.
func (p *portico) args() []string {
	args := []string{"serve", "--addr", p.addr, "--data", p.dataDir, "--log-level", "info",
		"--delivery=" + strconv.FormatBool(!p.Opts.NoDelivery)}
	if p.dbURL != "" {
		args = append(args, "--database-url", p.dbURL)
	}
	if p.Opts.SMTPURL != "" {
		args = append(args, "--smtp-url", p.Opts.SMTPURL)
	}
	return append(args, p.Opts.Args...)
}

// start launches the process and waits for "Portico is running at" and a
// ready /readyz.
func (p *portico) start() {
	t := p.t
	t.Helper()
	if p.proc != nil && p.proc.running() {
		t.Fatal("portico: start while it is running")
	}
	p.runs++
	run := p.runs
	p.stdout.mark(fmt.Sprintf("--- run %d: portico %s", run, strings.Join(p.args(), " ")))
	p.stderr.mark(fmt.Sprintf("--- run %d", run))
	from := p.stdout.len()

	cmd := exec.Command(porticoBin, p.args()...)
	cmd.Env = cleanEnv()
	cmd.Stdout = p.stdout
	cmd.Stderr = p.stderr
	dieWithTest(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatalf("portico: start: %v", err)
	}
	pr := &process{cmd: cmd, done: make(chan struct{})}
	p.proc = pr
	go func() {
		pr.err = cmd.Wait()
		close(pr.done)
	}()

	const prefix = "Portico is running at "
	line, ok := p.stdout.waitFor(from, func(l string) bool { return strings.HasPrefix(l, prefix) }, 60*time.Second, pr.done)
	if !ok {
		exit := "still running"
		if !pr.running() {
			exit = fmt.Sprintf("exited: %v", pr.err)
		}
		t.Fatalf("portico (run %d) did not print %q (%s)", run, prefix, exit)
	}
	base, _, _ := strings.Cut(strings.TrimPrefix(line, prefix), " ")
	u, err := url.Parse(base)
	if err != nil || u.Port() == "" {
		t.Fatalf("portico printed a bad address in %q", line)
	}
	if p.URL != "" && p.URL != base {
		t.Fatalf("portico moved from %s to %s on restart", p.URL, base)
	}
	p.URL, p.addr = base, u.Host

	// Ready means the database answers.
	deadline := time.Now().Add(15 * time.Second)
	for {
		res, err := httpClient.Get(p.URL + "/readyz")
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
			err = fmt.Errorf("status %d", res.StatusCode)
		}
		if time.Now().After(deadline) {
			t.Fatalf("portico (run %d) not ready within 15 s: %v", run, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// setupURL returns the setup link the current run printed.
func (p *portico) setupURL() string {
	p.t.Helper()
	const prefix = "Set up your agency here: "
	line, ok := p.stdout.waitFor(p.stdout.lastMark(), func(l string) bool { return strings.HasPrefix(l, prefix) }, 5*time.Second, nil)
	if !ok {
		p.t.Fatalf("portico did not print %q", prefix)
	}
	return strings.TrimPrefix(line, prefix)
}

// running reports whether the current process has not exited.
func (p *portico) running() bool { return p.proc != nil && p.proc.running() }

// signal sends sig to the running process and marks its exit as expected;
// it reports false when none runs.
func (p *portico) signal(sig os.Signal) bool {
	p.t.Helper()
	if !p.running() {
		return false
	}
	p.proc.mu.Lock()
	p.proc.signalled = true
	p.proc.mu.Unlock()
	if err := p.proc.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		p.t.Errorf("portico: send %v: %v", sig, err)
	}
	return true
}

// wait waits for the current process to exit and returns its Wait error;
// ok is false when it is still running after timeout.
func (p *portico) wait(timeout time.Duration) (err error, ok bool) {
	if p.proc == nil {
		return nil, true
	}
	select {
	case <-p.proc.done:
		return p.proc.err, true
	case <-time.After(timeout):
		return nil, false
	}
}

// stop ends the process with SIGTERM, as a service manager would, and
// fails the test unless it exits with status 0 within 25 s (the server
// gives requests in flight 20 s). A process that died unasked fails the
// test too.
func (p *portico) stop() {
	p.t.Helper()
	if p.proc == nil {
		return
	}
	if !p.running() {
		p.proc.mu.Lock()
		signalled := p.proc.signalled
		p.proc.mu.Unlock()
		if !signalled {
			p.t.Errorf("portico exited by itself: %v", p.proc.err)
		}
		return
	}
	p.signal(syscall.SIGTERM)
	err, ok := p.wait(25 * time.Second)
	if !ok {
		p.proc.cmd.Process.Kill()
		<-p.proc.done
		p.t.Errorf("portico did not exit within 25 s of SIGTERM")
		return
	}
	if err != nil {
		p.t.Errorf("portico exited with %v after SIGTERM, want status 0", err)
	}
}

// kill ends the process with SIGKILL: no shutdown, nothing flushed.
func (p *portico) kill() {
	p.t.Helper()
	if !p.signal(syscall.SIGKILL) {
		p.t.Fatal("portico: kill while it is not running")
	}
	if _, ok := p.wait(10 * time.Second); !ok {
		p.t.Fatalf("portico did not die within 10 s of SIGKILL")
	}
}

// restart stops the process gracefully if it runs and starts it again on
// the same data and address, with the current Opts.
func (p *portico) restart() {
	p.t.Helper()
	p.stop()
	p.start()
}

// dumpOutput logs everything the process printed, for a failed test.
func (p *portico) dumpOutput() {
	p.t.Logf("portico stdout:\n%s", p.stdout.String())
	p.t.Logf("portico stderr:\n%s", p.stderr.String())
}

// cleanEnv is the test's environment without PORTICO_* settings, so a
// developer's own configuration cannot change what the tests run.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PORTICO_") {
			env = append(env, kv)
		}
	}
	return env
}

// lines collects a process's output line by line and lets tests wait for a
// line. It is an io.Writer for exec.Cmd.
type lines struct {
	mu      sync.Mutex
	all     []string
	partial string
	marks   []int
	changed chan struct{} // closed and replaced when a line arrives
}

func (l *lines) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	text := l.partial + string(b)
	parts := strings.Split(text, "\n")
	l.partial = parts[len(parts)-1]
	if len(parts) > 1 {
		l.all = append(l.all, parts[:len(parts)-1]...)
		l.notify()
	}
	return len(b), nil
}

func (l *lines) notify() {
	if l.changed != nil {
		close(l.changed)
	}
	l.changed = make(chan struct{})
}

// mark adds a separator line and remembers where a run's output starts.
func (l *lines) mark(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.partial != "" {
		l.all = append(l.all, l.partial)
		l.partial = ""
	}
	l.all = append(l.all, s)
	l.marks = append(l.marks, len(l.all))
	l.notify()
}

func (l *lines) lastMark() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.marks) == 0 {
		return 0
	}
	return l.marks[len(l.marks)-1]
}

func (l *lines) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.all)
}

// waitFor returns the first line at or after index from that matches,
// waiting up to timeout. It gives up early when stop is closed (the process
// has exited) and no matching line has arrived.
func (l *lines) waitFor(from int, match func(string) bool, timeout time.Duration, stop <-chan struct{}) (string, bool) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		l.mu.Lock()
		for _, s := range l.all[min(from, len(l.all)):] {
			if match(s) {
				l.mu.Unlock()
				return s, true
			}
		}
		if l.changed == nil {
			l.changed = make(chan struct{})
		}
		changed := l.changed
		l.mu.Unlock()
		select {
		case <-changed:
		case <-stop:
			// The process has exited and all its output is in (exec.Cmd
			// copies it before Wait returns): look once more.
			l.mu.Lock()
			defer l.mu.Unlock()
			for _, s := range l.all[min(from, len(l.all)):] {
				if match(s) {
					return s, true
				}
			}
			return "", false
		case <-timer.C:
			return "", false
		}
	}
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := strings.Join(l.all, "\n")
	if l.partial != "" {
		s += "\n" + l.partial
	}
	return s
}

// httpClient talks to Portico without following redirects, so tests see
// each 303 and its Location.
var httpClient = &http.Client{
	Timeout:       15 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// response is what the plain HTTP helpers return.
type response struct {
	Status   int
	Location string
	Body     string
	Header   http.Header
	Cookies  []*http.Cookie
}

// cookie returns the cookie the response set, or nil.
func (r response) cookie(name string) *http.Cookie {
	for _, c := range r.Cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// get fetches a path (or an absolute URL), sending the cookies given.
func (p *portico) get(path string, cookies ...*http.Cookie) response {
	p.t.Helper()
	return p.do(http.MethodGet, path, nil, cookies)
}

// postForm posts a form as a same-origin browser would (Origin matches),
// sending the cookies given.
func (p *portico) postForm(path string, form url.Values, cookies ...*http.Cookie) response {
	p.t.Helper()
	return p.do(http.MethodPost, path, form, cookies)
}

func (p *portico) do(method, path string, form url.Values, cookies []*http.Cookie) response {
	p.t.Helper()
	target := path
	if strings.HasPrefix(path, "/") {
		target = p.URL + path
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	ctx, cancel := context.WithTimeout(p.t.Context(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		p.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", p.URL)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	res, err := httpClient.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		p.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return response{Status: res.StatusCode, Location: res.Header.Get("Location"), Body: string(b), Header: res.Header, Cookies: res.Cookies()}
}

// Who sets the agency up in every journey.
const (
	agencyName    = "Harbour Recruitment"
	adminName     = "Ada Admin"
	adminEmail    = "ada@harbour.test"
	adminPassword = "correct-horse-battery"
)

// sessionCookie is the console's session cookie.
const sessionCookie = "portico_session"

// setUpOverHTTP completes first-run setup with a plain HTTP client and
// returns the new admin's session cookie.
func (p *portico) setUpOverHTTP() *http.Cookie {
	p.t.Helper()
	u, err := url.Parse(p.setupURL())
	if err != nil {
		p.t.Fatal(err)
	}
	if res := p.get(u.RequestURI()); res.Status != http.StatusOK || !strings.Contains(res.Body, "Set up Portico") {
		p.t.Fatalf("GET setup link: %d\n%s", res.Status, res.Body)
	}
	res := p.postForm("/setup", url.Values{
		"token": {u.Query().Get("token")}, "agency_name": {agencyName}, "time_zone": {"Europe/London"},
		"name": {adminName}, "email": {adminEmail}, "password": {adminPassword},
	})
	if res.Status != http.StatusSeeOther || res.Location != "/" {
		p.t.Fatalf("POST /setup: status %d, Location %q, want 303 to /\n%s", res.Status, res.Location, res.Body)
	}
	session := res.cookie(sessionCookie)
	if session == nil || session.Value == "" {
		p.t.Fatalf("POST /setup did not sign the admin in: cookies %v", res.Cookies)
	}
	if home := p.get("/", session); home.Status != http.StatusOK || !strings.Contains(home.Body, "Hello, "+adminName) {
		p.t.Fatalf("GET / as the new admin: status %d\n%s", home.Status, home.Body)
	}
	return session
}
