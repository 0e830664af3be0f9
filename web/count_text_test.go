package web

import (
	"testing"

	"portico"
)

func TestCountText(t *testing.T) {
	for _, c := range []struct {
		n, window int
		want      string
	}{
		{0, 0, "0"}, {999, 0, "999"}, {1000, 1000, "1,000"}, {1001, 1000, "more than 1,000"},
		{1234567, 0, "1,234,567"}, {2051, 2050, "more than 2,050"}, {-1200, 0, "-1,200"},
	} {
		if got := countText(c.n, c.window); got != c.want {
			t.Errorf("countText(%d, %d) = %q, want %q", c.n, c.window, got, c.want)
		}
	}
	lim := portico.CandidateCountLimit
	for _, c := range []struct {
		total int
		f     portico.CandidateFilter
		want  string
	}{
		{1, portico.CandidateFilter{Limit: 50}, "1 candidate, newest first"},
		{lim + 1, portico.CandidateFilter{Limit: 50}, "More than 1,000 candidates, newest first"},
		{lim + 1, portico.CandidateFilter{Query: "nurse", Limit: 50}, "More than 1,000 candidates match “nurse”"},
		{lim, portico.CandidateFilter{Query: "nurse", Limit: 50}, "1,000 candidates match “nurse”"},
		{1, portico.CandidateFilter{Query: "york", Limit: 50}, "1 candidate matches “york”"},
	} {
		if got := candidateCount(c.total, c.f); got != c.want {
			t.Errorf("candidateCount(%d, %+v) = %q, want %q", c.total, c.f, got, c.want)
		}
	}
}
