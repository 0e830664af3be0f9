package sqlstore

import (
	"context"
	"slices"

	"portico"
)

// The documents shared with a candidate besides the résumé: chosen by the
// recruiter (ShareInput.DocumentIDs), or by default the newest of each
// kind the client's portal settings name (PortalSettings.ShareDocuments).

// shareDocumentIDs returns the documents shared with an application
// besides its résumé, oldest first.
func shareDocumentIDs(ctx context.Context, c conn, applicationID int64) ([]int64, error) {
	return c.ids(ctx, `SELECT document_id FROM share_documents WHERE application_id = ? ORDER BY document_id`, applicationID)
}

// checkDocuments reports EINVALID unless every document is the
// candidate's.
func (tx *Tx) checkDocuments(candidateID int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{candidateID}
	for _, id := range ids {
		args = append(args, id)
	}
	var n int
	if err := tx.queryRow(tx.ctx, `SELECT COUNT(*) FROM documents WHERE candidate_id = ? AND id IN (`+placeholders(len(ids))+`)`, args...).Scan(&n); err != nil {
		return err
	}
	if n != len(ids) {
		return portico.FieldError("document_ids", "One of the chosen documents isn't this candidate's. Reload the page and choose again.")
	}
	return nil
}

// setShareDocuments replaces the documents shared with an application.
func (tx *Tx) setShareDocuments(applicationID int64, ids []int64) error {
	if _, err := tx.exec(tx.ctx, `DELETE FROM share_documents WHERE application_id = ?`, applicationID); err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := tx.exec(tx.ctx, `INSERT INTO share_documents (application_id, document_id) VALUES (?, ?)`, applicationID, id); err != nil {
			return err
		}
	}
	return nil
}

// defaultDocuments returns the newest of the candidate's documents of each
// of the kinds, in ID order, and the first résumé among them by the kinds'
// order (0 when none): what a share attaches unless the recruiter chooses.
func (tx *Tx) defaultDocuments(candidateID int64, kinds []portico.DocumentKind) (int64, []int64, error) {
	if len(kinds) == 0 {
		return 0, []int64{}, nil
	}
	args := []any{candidateID}
	for _, k := range kinds {
		args = append(args, string(k))
	}
	rows, err := tx.query(tx.ctx, `SELECT kind, MAX(id) FROM documents WHERE candidate_id = ? AND kind IN (`+placeholders(len(kinds))+`) GROUP BY kind`, args...)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	newest := map[portico.DocumentKind]int64{}
	for rows.Next() {
		var kind string
		var id int64
		if err := rows.Scan(&kind, &id); err != nil {
			return 0, nil, err
		}
		newest[portico.DocumentKind(kind)] = id
	}
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	var resumeID int64
	docs := []int64{}
	for _, k := range kinds {
		id, ok := newest[k]
		if !ok || slices.Contains(docs, id) {
			continue
		}
		if resumeID == 0 && (k == portico.DocResume || k == portico.DocFormattedResume) {
			resumeID = id
		}
		docs = append(docs, id)
	}
	slices.Sort(docs)
	return resumeID, docs, nil
}

// shareKinds returns the document kinds a client's portal settings attach
// to a share by default.
func (tx *Tx) shareKinds(clientID int64) ([]portico.DocumentKind, error) {
	s, err := settingsFor(tx.ctx, tx.conn, clientID)
	if err != nil {
		return nil, err
	}
	return s.ShareDocuments, nil
}
