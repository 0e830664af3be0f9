package portico

import (
	"strconv"
	"time"
)

// Expiry says in words when the link stops working, with dates in loc:
// "This link works until Monday 16 March 2026, for up to 2 visits."
func (l *Link) Expiry(loc *time.Location) string {
	return ExpiryWords(l.ExpiresAt, l.MaxUses, loc)
}

// ExpiryWords says when a link with that date and use limit stops working.
func ExpiryWords(expires *time.Time, maxUses int, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	visits := "one visit"
	if maxUses > 1 {
		visits = strconv.Itoa(maxUses) + " visits"
	}
	switch {
	case expires != nil && maxUses > 0:
		return "This link works until " + expires.In(loc).Format("Monday 2 January 2006, 15:04") + ", for up to " + visits + "."
	case expires != nil:
		return "This link works until " + expires.In(loc).Format("Monday 2 January 2006, 15:04") + "."
	case maxUses > 0:
		return "This link works for " + visits + "."
	}
	return "This link works until the agency ends it."
}
