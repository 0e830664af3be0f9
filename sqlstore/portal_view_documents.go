package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"portico"
)

// The documents shared with a candidate besides the résumé (share_documents):
// listed on the candidate's portal page and served one by one, only while
// the candidate is shared and only those chosen.

// sharedDocuments lists the documents shared with an application, oldest
// first, leaving out the résumé (which the page shows on its own).
func sharedDocuments(ctx context.Context, c conn, applicationID, candidateID, resumeID int64) ([]portico.PortalDocument, error) {
	rows, err := c.query(ctx, `SELECT d.id, d.filename, d.kind, d.content_type FROM share_documents sd JOIN documents d ON d.id = sd.document_id
		WHERE sd.application_id = ? AND d.candidate_id = ? ORDER BY d.id`, applicationID, candidateID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []portico.PortalDocument{}
	for rows.Next() {
		var d portico.PortalDocument
		var kind, contentType string
		if err := rows.Scan(&d.ID, &d.Name, &kind, &contentType); err != nil {
			return nil, err
		}
		if d.ID == resumeID {
			continue
		}
		d.Kind, d.IsPDF = portico.DocumentKind(kind), contentType == "application/pdf"
		out = append(out, d)
	}
	return out, rows.Err()
}

// Document returns a document shared with a shared candidate of a job the
// contact may see: ENOTFOUND for one not shared with that application,
// exactly as for one that doesn't exist.
func (s *PortalService) Document(ctx context.Context, jobID, applicationID, documentID int64) (*portico.Document, []byte, error) {
	c := (*DB)(s).read()
	sc, err := loadScope(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	candidateID, err := sc.sharedApplication(ctx, c, jobID, applicationID)
	if err != nil {
		return nil, nil, err
	}
	var content []byte
	d, err := scanDocument(c.queryRow(ctx, `SELECT `+documentColumns+`, d.content`+documentFrom+`
		JOIN share_documents sd ON sd.document_id = d.id WHERE sd.application_id = ? AND d.id = ? AND d.candidate_id = ?`,
		applicationID, documentID, candidateID), &content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound("document")
	} else if err != nil {
		return nil, nil, err
	}
	// Who at the agency uploaded it is the agency's business.
	d.UploadedBy, d.UploaderName = 0, ""
	return d, content, nil
}
