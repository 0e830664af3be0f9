package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode"

	"portico"
)

// CandidateService implements portico.CandidateService.
type CandidateService DB

// candidateService returns the service.
func (db *DB) candidateService() portico.CandidateService { return (*CandidateService)(db) }

const candidateColumns = `id, first_name, last_name, email, phone, city, current_title, current_employer, skills, summary,
	salary_expectation, notice_period, availability, source, video_url, created_at, updated_at`

func scanCandidate(sc interface{ Scan(...any) error }) (*portico.Candidate, error) {
	var c portico.Candidate
	if err := sc.Scan(&c.ID, &c.FirstName, &c.LastName, &c.Email, &c.Phone, &c.City, &c.CurrentTitle, &c.CurrentEmployer,
		&c.Skills, &c.Summary, &c.SalaryExpectation, &c.NoticePeriod, &c.Availability, &c.Source, &c.VideoURL,
		&c.CreatedAt, &c.UpdatedAt); err != nil {
		return nil, err
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

func findCandidate(ctx context.Context, c conn, id int64) (*portico.Candidate, error) {
	cand, err := scanCandidate(c.queryRow(ctx, `SELECT `+candidateColumns+` FROM candidates WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("candidate")
	}
	return cand, err
}

// FindCandidateByID returns a candidate.
func (s *CandidateService) FindCandidateByID(ctx context.Context, id int64) (*portico.Candidate, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return findCandidate(ctx, (*DB)(s).read(), id)
}

// maxSearchWords bounds how many words a search uses, so a pasted page of
// text can't make a query that takes long.
const maxSearchWords = 8

// searchWords splits a search into lower-case words of letters and digits,
// the way both engines' tokenizers split the indexed text. Everything else
// (quotes, stars, brackets, operators' punctuation) only separates words,
// so no input can make a malformed full-text query.
func searchWords(q string) []string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	}) {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
			continue // only accents: nothing to find
		}
		if len(w) > 60 {
			w = truncate(w, 60)
		}
		if len(words) == maxSearchWords {
			break
		}
		words = append(words, w)
	}
	return words
}

// FindCandidates returns a page of candidates, newest first, and how many
// match, counted as far as the filter's CountWindow. A query matches
// candidates having every word as the start of a word of their name,
// skills, current title or city.
func (s *CandidateService) FindCandidates(ctx context.Context, f portico.CandidateFilter) ([]*portico.Candidate, int, error) {
	if _, err := staff(ctx); err != nil {
		return nil, 0, err
	}
	db := (*DB)(s)
	offset, limit := page(f.Offset, f.Limit)
	f.Offset, f.Limit = offset, limit
	window := f.CountWindow()
	words := searchWords(f.Query)
	var (
		total int
		rows  *sql.Rows
		err   error
	)
	if len(words) == 0 {
		if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM candidates LIMIT ?) m`, window+1).Scan(&total); err != nil {
			return nil, 0, err
		}
		rows, err = db.read().query(ctx, `SELECT `+candidateColumns+` FROM candidates ORDER BY id DESC LIMIT ? OFFSET ?`, limit, offset)
	} else {
		// One pass over the engine's own text index finds the matches,
		// newest first, as far as the window: their number is the total,
		// and the page is a slice of them.
		ids, err := db.matchingCandidates(ctx, words, window+1)
		if err != nil {
			return nil, 0, err
		}
		total = len(ids)
		if total <= offset {
			return nil, total, nil
		}
		ids = ids[offset:min(offset+limit, total)]
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		rows, err = db.read().query(ctx, `SELECT `+candidateColumns+` FROM candidates WHERE id IN (`+placeholders(len(ids))+`) ORDER BY id DESC`, args...)
	}
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var cs []*portico.Candidate
	for rows.Next() {
		c, err := scanCandidate(rows)
		if err != nil {
			return nil, 0, err
		}
		cs = append(cs, c)
	}
	return cs, total, rows.Err()
}

// matchingCandidates returns the IDs of up to n candidates matching the
// words, newest first.
func (db *DB) matchingCandidates(ctx context.Context, words []string, n int) ([]int64, error) {
	match, arg, err := db.dialect.candidateMatch(ctx, db.read(), words)
	if err != nil {
		return nil, err
	}
	return db.read().ids(ctx, match+` ORDER BY id DESC LIMIT ?`, arg, n)
}

// CreateCandidate adds a candidate.
func (s *CandidateService) CreateCandidate(ctx context.Context, in portico.CandidateInput) (*portico.Candidate, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var c *portico.Candidate
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO candidates (first_name, last_name, email, phone, city, current_title, current_employer, skills,
			summary, salary_expectation, notice_period, availability, source, video_url, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.FirstName, in.LastName, in.Email, in.Phone, in.City, in.CurrentTitle, in.CurrentEmployer, in.Skills,
			in.Summary, in.SalaryExpectation, in.NoticePeriod, in.Availability, in.Source, in.VideoURL, tx.now, tx.now)
		if err != nil {
			return err
		}
		name := strings.TrimSpace(in.FirstName + " " + in.LastName)
		if _, err := tx.record(change{action: "candidate.created", subjectType: "candidate", subjectID: id, candidateID: id,
			details: map[string]string{"name": name}}); err != nil {
			return err
		}
		c, err = findCandidate(ctx, tx.conn, id)
		return err
	})
	return c, err
}

// candidateFieldLabels names the fields an update may change, for its
// event, in form order.
var candidateFieldLabels = []struct {
	key   string
	label string
	get   func(*portico.Candidate) string
}{
	{"first_name", "first name", func(c *portico.Candidate) string { return c.FirstName }},
	{"last_name", "last name", func(c *portico.Candidate) string { return c.LastName }},
	{"email", "email", func(c *portico.Candidate) string { return c.Email }},
	{"phone", "phone", func(c *portico.Candidate) string { return c.Phone }},
	{"city", "city", func(c *portico.Candidate) string { return c.City }},
	{"current_title", "current title", func(c *portico.Candidate) string { return c.CurrentTitle }},
	{"current_employer", "current employer", func(c *portico.Candidate) string { return c.CurrentEmployer }},
	{"skills", "skills", func(c *portico.Candidate) string { return c.Skills }},
	{"summary", "summary", func(c *portico.Candidate) string { return c.Summary }},
	{"salary_expectation", "salary expectation", func(c *portico.Candidate) string { return c.SalaryExpectation }},
	{"notice_period", "notice period", func(c *portico.Candidate) string { return c.NoticePeriod }},
	{"availability", "availability", func(c *portico.Candidate) string { return c.Availability }},
	{"source", "source", func(c *portico.Candidate) string { return c.Source }},
	{"video_url", "video résumé link", func(c *portico.Candidate) string { return c.VideoURL }},
}

// UpdateCandidate changes a candidate's details. The event lists which
// fields changed; an update that changes nothing writes no event.
func (s *CandidateService) UpdateCandidate(ctx context.Context, id int64, in portico.CandidateInput) (*portico.Candidate, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var c *portico.Candidate
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		old, err := findCandidate(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		next := &portico.Candidate{FirstName: in.FirstName, LastName: in.LastName, Email: in.Email, Phone: in.Phone, City: in.City,
			CurrentTitle: in.CurrentTitle, CurrentEmployer: in.CurrentEmployer, Skills: in.Skills, Summary: in.Summary,
			SalaryExpectation: in.SalaryExpectation, NoticePeriod: in.NoticePeriod, Availability: in.Availability,
			Source: in.Source, VideoURL: in.VideoURL}
		var changed []string
		for _, f := range candidateFieldLabels {
			if f.get(old) != f.get(next) {
				changed = append(changed, f.label)
			}
		}
		if len(changed) == 0 {
			c = old
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE candidates SET first_name = ?, last_name = ?, email = ?, phone = ?, city = ?, current_title = ?,
			current_employer = ?, skills = ?, summary = ?, salary_expectation = ?, notice_period = ?, availability = ?, source = ?,
			video_url = ?, updated_at = ? WHERE id = ?`,
			in.FirstName, in.LastName, in.Email, in.Phone, in.City, in.CurrentTitle, in.CurrentEmployer, in.Skills, in.Summary,
			in.SalaryExpectation, in.NoticePeriod, in.Availability, in.Source, in.VideoURL, tx.now, id); err != nil {
			return err
		}
		if _, err := tx.record(change{action: "candidate.updated", subjectType: "candidate", subjectID: id, candidateID: id,
			details: map[string]string{"name": next.Name(), "fields": strings.Join(changed, ", ")}}); err != nil {
			return err
		}
		c, err = findCandidate(ctx, tx.conn, id)
		return err
	})
	return c, err
}
