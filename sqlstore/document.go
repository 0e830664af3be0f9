package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strconv"

	"portico"
	"portico/files"
)

// documentColumns are read from documents d LEFT JOIN users u ON u.id = d.uploaded_by.
const documentColumns = `d.id, d.candidate_id, d.kind, d.filename, d.content_type, d.size, d.sha256, d.uploaded_by, d.created_at, COALESCE(u.name, '')`

const documentFrom = ` FROM documents d LEFT JOIN users u ON u.id = d.uploaded_by`

func scanDocument(sc interface{ Scan(...any) error }, extra ...any) (*portico.Document, error) {
	var d portico.Document
	var kind string
	var by sql.NullInt64
	if err := sc.Scan(append([]any{&d.ID, &d.CandidateID, &kind, &d.Filename, &d.ContentType, &d.Size, &d.SHA256, &by, &d.CreatedAt, &d.UploaderName}, extra...)...); err != nil {
		return nil, err
	}
	d.Kind, d.UploadedBy, d.CreatedAt = portico.DocumentKind(kind), by.Int64, d.CreatedAt.UTC()
	return &d, nil
}

func findDocument(ctx context.Context, c conn, id int64) (*portico.Document, error) {
	d, err := scanDocument(c.queryRow(ctx, `SELECT `+documentColumns+documentFrom+` WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("document")
	}
	return d, err
}

// AddDocument checks and stores a file for a candidate.
func (s *CandidateService) AddDocument(ctx context.Context, candidateID int64, kind portico.DocumentKind, filename string, content []byte) (*portico.Document, error) {
	a, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	// The candidate comes first: a file for someone who doesn't exist is
	// a 404, whatever the file.
	if _, err := findCandidate(ctx, (*DB)(s).read(), candidateID); err != nil {
		return nil, err
	}
	if !kind.Valid() {
		return nil, &portico.Error{Code: portico.EINVALID, Message: "Choose what kind of document this is.",
			Fields: map[string]string{"kind": "Choose what kind of document this is."}}
	}
	name := files.CleanName(filename)
	contentType, err := files.Check(name, content)
	if err != nil {
		return nil, err
	}
	if kind != portico.DocOther && !files.IsResumeType(contentType) {
		msg := "A résumé must be a PDF or Word (.docx) file, so clients can open it. Upload this " + files.Describe(contentType) + " as an other document, or save the résumé as PDF."
		return nil, &portico.Error{Code: portico.EINVALID, Message: msg, Fields: map[string]string{"file": msg}}
	}
	sum := sha256.Sum256(content)
	var uploadedBy any
	if a.Kind == portico.ActorUser {
		uploadedBy = a.ID
	}
	var d *portico.Document
	err = (*DB)(s).inTx(ctx, func(tx *Tx) error {
		// Read again inside the transaction, for the event's name.
		c, err := findCandidate(ctx, tx.conn, candidateID)
		if err != nil {
			return err
		}
		id, err := tx.insert(ctx, `INSERT INTO documents (candidate_id, kind, filename, content_type, size, sha256, content, uploaded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			candidateID, string(kind), name, contentType, int64(len(content)), hex.EncodeToString(sum[:]), content, uploadedBy, tx.now)
		if err != nil {
			return err
		}
		if _, err := tx.record(change{action: "document.added", subjectType: "document", subjectID: id, candidateID: candidateID,
			details: map[string]string{"name": c.Name(), "filename": name, "kind": string(kind), "size": strconv.Itoa(len(content))}}); err != nil {
			return err
		}
		d, err = findDocument(ctx, tx.conn, id)
		return err
	})
	return d, err
}

// FindDocuments returns a candidate's documents, newest first, without
// their content. There are few per candidate, so the list isn't paged.
func (s *CandidateService) FindDocuments(ctx context.Context, candidateID int64) ([]*portico.Document, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	rows, err := (*DB)(s).read().query(ctx, `SELECT `+documentColumns+documentFrom+` WHERE d.candidate_id = ? ORDER BY d.id DESC LIMIT 500`, candidateID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ds []*portico.Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return ds, rows.Err()
}

// FindDocumentByID returns a document without its content.
func (s *CandidateService) FindDocumentByID(ctx context.Context, id int64) (*portico.Document, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return findDocument(ctx, (*DB)(s).read(), id)
}

// DocumentContent returns a document with its bytes.
func (s *CandidateService) DocumentContent(ctx context.Context, id int64) (*portico.Document, []byte, error) {
	if _, err := staff(ctx); err != nil {
		return nil, nil, err
	}
	var content []byte
	d, err := scanDocument((*DB)(s).read().queryRow(ctx, `SELECT `+documentColumns+`, d.content`+documentFrom+` WHERE d.id = ?`, id), &content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound("document")
	} else if err != nil {
		return nil, nil, err
	}
	return d, content, nil
}

// DeleteDocument removes a document; its event keeps the file's name.
func (s *CandidateService) DeleteDocument(ctx context.Context, id int64) error {
	if _, err := staff(ctx); err != nil {
		return err
	}
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		d, err := findDocument(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		c, err := findCandidate(ctx, tx.conn, d.CandidateID)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM documents WHERE id = ?`, id); err != nil {
			return err
		}
		_, err = tx.record(change{action: "document.deleted", subjectType: "document", subjectID: id, candidateID: d.CandidateID,
			details: map[string]string{"name": c.Name(), "filename": d.Filename, "kind": string(d.Kind)}})
		return err
	})
}
