package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is Portico running as a separate process.
type server struct {
	cmd   *exec.Cmd
	base  string // http://127.0.0.1:PORT
	pprof string // http://127.0.0.1:PORT/debug/pprof/ when profiling, else ""
	log   string // its standard error
	done  chan struct{}
	err   error // how it exited, once done is closed
}

// startServer runs "portico serve" on a free loopback port and waits
// until it is ready; with profile, its profiler listens on another.
func startServer(ctx context.Context, bin string, ds *dataset, tmp string, profile bool) (*server, error) {
	logPath := filepath.Join(tmp, "server-"+ds.engine+".log")
	lf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	// Port 0: Portico prints the address it got, so there is no race for
	// a port. No delivery worker: the benchmark measures pages.
	args := []string{"serve", "--addr", "127.0.0.1:0", "--delivery=false", "--database-url", ds.dbURL}
	if profile {
		args = append(args, "--pprof-addr", "127.0.0.1:0")
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = cleanEnv()
	cmd.Stderr = lf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		lf.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		lf.Close()
		return nil, err
	}
	s := &server{cmd: cmd, log: logPath, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			// The profiler's line comes first; the address's channel
			// hands s.pprof over with it.
			if rest, ok := strings.CutPrefix(sc.Text(), "Profiling at "); ok {
				s.pprof, _, _ = strings.Cut(rest, " ")
			}
			if rest, ok := strings.CutPrefix(sc.Text(), "Portico is running at "); ok {
				base, _, _ := strings.Cut(rest, " ")
				addr <- base
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() {
		s.err = cmd.Wait()
		lf.Close()
		close(s.done)
	}()
	fail := func(err error) (*server, error) {
		s.stop()
		b, _ := os.ReadFile(logPath)
		return nil, fmt.Errorf("%w\nserver log:\n%s", err, tail(string(b), 2000))
	}
	// Migrations of a big database may take a while.
	select {
	case s.base = <-addr:
	case <-s.done:
		return fail(fmt.Errorf("portico serve exited: %v", s.err))
	case <-time.After(5 * time.Minute):
		return fail(errors.New("portico serve did not start within 5 minutes"))
	case <-ctx.Done():
		return fail(ctx.Err())
	}
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		if time.Now().After(deadline) {
			return fail(fmt.Errorf("%s/readyz did not answer 200 within a minute (last: %v)", s.base, err))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// stop asks the server to finish, and kills it if it doesn't.
func (s *server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// memory reads a process's resident set now (VmRSS) and at its peak
// (VmHWM), in bytes.
func memory(pid int) (rss, peak int64) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		if k == "VmRSS" {
			rss = n * 1024
		} else {
			peak = n * 1024
		}
	}
	return rss, peak
}

// cpuTime reads the CPU time a process has used (user and system).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: count fields
	// after its closing parenthesis. utime and stime are fields 14 and 15.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * time.Second / clockTicks
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat times: 100 on every
// Linux architecture Go supports.
const clockTicks = 100

// signIn signs in to the console the way a browser does (the form, with
// its Origin) and returns the Cookie header that carries the session.
func signIn(base, path, email, password string) (string, error) {
	form := url.Values{"email": {email}, "password": {password}}
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	var cookies []string
	for _, c := range resp.Cookies() {
		if c.Value != "" && c.MaxAge >= 0 {
			cookies = append(cookies, c.Name+"="+c.Value)
		}
	}
	if resp.StatusCode != http.StatusSeeOther || len(cookies) == 0 {
		return "", fmt.Errorf("signing in at %s as %s: got %s and %d cookies, want 303 See Other with a session cookie", path, email, resp.Status, len(cookies))
	}
	return strings.Join(cookies, "; "), nil
}
