// Package e2e runs the real portico binary as a subprocess and walks the main
// journeys in headless Chromium, on a desktop and a phone-sized screen,
// checking every page visited with axe-core.
//
// What it needs, and what happens without it:
//
//   - Go, to build ./cmd/portico once per run (the build failing fails the run).
//   - Chromium: $PORTICO_CHROMIUM, else chromium or chromium-browser on $PATH.
//   - axe-core: $PORTICO_AXE_JS, else node_modules/axe-core/axe.min.js at the
//     repository root (npm ci), else /tmp/tools/node_modules/axe-core/axe.min.js.
//   - PostgreSQL for the PostgreSQL journeys (see testkit.NewPostgresDatabase).
//
// A missing service skips the tests that need it locally and fails them when
// CI is set (testkit.Unavailable). Set PORTICO_SCREENSHOTS to a folder to get
// a full-page PNG of every page the journeys visit.
package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"portico/internal/testkit"
)

// porticoBin is the binary built by TestMain.
var porticoBin string

// binDirPrefix starts the name of the folder holding the built binary; the
// test process's pid follows it so a later run can remove folders left by
// runs that have ended (testkit.Main exits the process, so TestMain cannot
// remove its own).
const binDirPrefix = "portico-e2e-bin-"

func TestMain(m *testing.M) {
	bin, err := buildPortico()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	porticoBin = bin
	// testkit.Main stops the throwaway PostgreSQL cluster, if one started.
	testkit.Main(m)
}

// buildPortico builds ./cmd/portico from the repository root (the parent of
// this package's folder) into a fresh temporary folder.
func buildPortico() (string, error) {
	removeStaleBinDirs()
	root, err := filepath.Abs("..")
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", "portico")); err != nil {
		return "", fmt.Errorf("cannot find the repository root from %s: %w", root, err)
	}
	dir, err := os.MkdirTemp("", binDirPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return "", err
	}
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		gobin = "go"
	}
	bin := filepath.Join(dir, "portico")
	start := time.Now()
	cmd := exec.Command(gobin, "build", "-o", bin, "./cmd/portico")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("go build ./cmd/portico: %v\n%s", err, out)
	}
	if d := time.Since(start); d > 20*time.Second {
		fmt.Fprintf(os.Stderr, "e2e: building portico took %v\n", d.Round(time.Second))
	}
	return bin, nil
}

// removeStaleBinDirs removes binary folders of test processes that are gone.
func removeStaleBinDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), binDirPrefix+"*"))
	for _, dir := range dirs {
		pidText, _, ok := strings.Cut(strings.TrimPrefix(filepath.Base(dir), binDirPrefix), "-")
		if !ok {
			continue
		}
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if processAlive(pid) {
			continue
		}
		os.RemoveAll(dir)
	}
}
