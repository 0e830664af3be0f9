package portico

import "time"

// Date is a calendar day without a time or zone, as "2006-01-02"; "" is
// no date. Stored as text on both engines, so it sorts and compares as it
// reads.
type Date string

// DateLayout is how a Date is written.
const DateLayout = "2006-01-02"

// Valid reports whether d is empty or a real day.
func (d Date) Valid() bool {
	if d == "" {
		return true
	}
	_, err := time.Parse(DateLayout, string(d))
	return err == nil
}

// Time returns the day at midnight UTC; the zero time for no date.
func (d Date) Time() time.Time {
	t, _ := time.Parse(DateLayout, string(d))
	return t
}

// Format writes the day for people, e.g. "2 Mar 2026"; "" for no date.
func (d Date) Format() string {
	if d == "" || !d.Valid() {
		return ""
	}
	return d.Time().Format("2 Jan 2006")
}

// DateOf returns the day t falls on in loc.
func DateOf(t time.Time, loc *time.Location) Date { return Date(t.In(loc).Format(DateLayout)) }
