package sqlstore

import (
	"testing"
	"time"
)

// TestLastWeek: the last full week is Monday 00:00 to Monday 00:00 in the
// agency's zone, whatever the day and hour now, across clock changes.
func TestLastWeek(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	auckland, _ := time.LoadLocation("Pacific/Auckland")
	for _, c := range []struct {
		now        time.Time
		loc        *time.Location
		start, end string // in the zone
	}{
		{time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), london, "2026-02-23 00:00 GMT", "2026-03-02 00:00 GMT"},
		{time.Date(2026, 3, 1, 23, 59, 0, 0, time.UTC), london, "2026-02-16 00:00 GMT", "2026-02-23 00:00 GMT"}, // Sunday night
		{time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), london, "2026-02-23 00:00 GMT", "2026-03-02 00:00 GMT"},   // Monday midnight
		// The week the clocks go forward (29 March) is 167 hours long.
		{time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC), london, "2026-03-23 00:00 GMT", "2026-03-30 00:00 BST"},
		// Sunday 22:00 UTC is already Monday in Auckland.
		{time.Date(2026, 3, 1, 22, 0, 0, 0, time.UTC), auckland, "2026-02-23 00:00 NZDT", "2026-03-02 00:00 NZDT"},
	} {
		start, end := lastWeek(c.now, c.loc)
		const layout = "2006-01-02 15:04 MST"
		if got := start.In(c.loc).Format(layout); got != c.start {
			t.Errorf("%v in %v: start %s, want %s", c.now, c.loc, got, c.start)
		}
		if got := end.In(c.loc).Format(layout); got != c.end {
			t.Errorf("%v in %v: end %s, want %s", c.now, c.loc, got, c.end)
		}
		if start.Location() != time.UTC || !weekEnd(start, c.loc).Equal(end) {
			t.Errorf("%v: start %v, weekEnd %v, end %v", c.now, start, weekEnd(start, c.loc), end)
		}
	}
}
