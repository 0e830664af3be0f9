// Package testkit provides real backing services for tests: throwaway
// PostgreSQL databases and an in-process SMTP mailbox.
package testkit

import (
	"os"
	"testing"
)

// Unavailable skips the test with a visible reason, except when the
// environment variable CI is set to a non-empty value, where it fails the
// test: CI is where we promise every test ran, so a missing service there is
// a broken machine, not a reason to pass quietly.
func Unavailable(t testing.TB, what, reason string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s unavailable: %s (CI is set, so this test may not be skipped)", what, reason)
	}
	t.Skipf("%s unavailable: %s", what, reason)
}
