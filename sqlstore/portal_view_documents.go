package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"path"

	"portico"
)

// The documents shared with a candidate besides the résumé (share_documents):
// listed on the candidate's portal page and served one by one, only while
// the candidate is shared and only those chosen.

// anonymousFilename names a document of an anonymous profile by the
// candidate's reference and its kind: a file's own name is often the
// candidate's ("ann-archer-cv.pdf").
func anonymousFilename(candidateID int64, kind portico.DocumentKind, filename string) string {
	return portico.Reference(candidateID) + " " + kind.Label() + path.Ext(filename)
}

// sharedDocuments lists the documents shared with an application, oldest
// first, leaving out the résumé (which the page shows on its own), under
// anonymous names when the profile is anonymous.
func sharedDocuments(ctx context.Context, c conn, applicationID, candidateID, resumeID int64, anonymous bool) ([]portico.PortalDocument, error) {
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
		if anonymous {
			d.Name = anonymousFilename(candidateID, d.Kind, d.Name)
		}
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
	if err := anonymize(ctx, c, sc, jobID, d); err != nil {
		return nil, nil, err
	}
	return d, content, nil
}

// anonymize renames a document served for an anonymous profile.
func anonymize(ctx context.Context, c conn, sc portalScope, jobID int64, d *portico.Document) error {
	vis, err := loadVisibilities(ctx, c, sc.clientID, []int64{jobID})
	if err != nil {
		return err
	}
	if vis.of(jobID).Anonymous {
		d.Filename = anonymousFilename(d.CandidateID, d.Kind, d.Filename)
	}
	return nil
}
