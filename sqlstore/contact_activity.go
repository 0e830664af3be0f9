package sqlstore

import (
	"context"
	"strings"

	"portico"
)

// What a client contact did on the portal, as the agency reads it on the
// contact's page. Their actions come from the event log (EventFilter's
// ContactID); their feedback, which outlives its events' wording, from its
// own table.

// ContactFeedback returns a page of the feedback the contact gave, newest
// first. Agency users only.
func (s *PortalAccountService) ContactFeedback(ctx context.Context, contactID int64, offset, limit int) ([]portico.ContactFeedback, int, error) {
	if _, err := staff(ctx); err != nil {
		return nil, 0, err
	}
	db := (*DB)(s)
	if _, err := findContact(ctx, db.read(), contactID); err != nil {
		return nil, 0, err
	}
	var total int
	if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM feedback WHERE contact_id = ?`, contactID).Scan(&total); err != nil {
		return nil, 0, err
	}
	offset, limit = page(offset, limit)
	rows, err := db.read().query(ctx, `SELECT f.id, a.job_id, j.title, f.application_id, c.first_name, c.last_name, f.body, f.created_at
		FROM feedback f JOIN applications a ON a.id = f.application_id JOIN jobs j ON j.id = a.job_id JOIN candidates c ON c.id = a.candidate_id
		WHERE f.contact_id = ? ORDER BY f.id DESC LIMIT ? OFFSET ?`, contactID, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []portico.ContactFeedback
	for rows.Next() {
		var f portico.ContactFeedback
		var first, last string
		if err := rows.Scan(&f.ID, &f.JobID, &f.JobTitle, &f.ApplicationID, &first, &last, &f.Body, &f.At); err != nil {
			return nil, 0, err
		}
		f.CandidateName, f.At = strings.TrimSpace(first+" "+last), f.At.UTC()
		out = append(out, f)
	}
	return out, total, rows.Err()
}
