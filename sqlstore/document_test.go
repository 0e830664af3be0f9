package sqlstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"portico"
	"portico/files"
	"portico/internal/testkit"
	"portico/sqlstore"
)

func TestDocuments(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		ctx := testkit.AsUser(rec)
		svc := db.Services().Candidates
		jane := testkit.AddCandidate(t, db, "Jane", "Doe")
		john := testkit.AddCandidate(t, db, "John", "Smith")

		pdf := testkit.PDF("Jane Doe")
		d, err := svc.AddDocument(ctx, jane.ID, portico.DocResume, `C:\fakepath\Jane Doe CV.pdf`, pdf)
		ok(t, err)
		sum := sha256.Sum256(pdf)
		if d.CandidateID != jane.ID || d.Kind != portico.DocResume || d.Filename != "Jane Doe CV.pdf" || d.ContentType != files.PDF ||
			d.Size != int64(len(pdf)) || d.SHA256 != hex.EncodeToString(sum[:]) || d.UploadedBy != rec.ID || d.UploaderName != "Rita Recruiter" || !d.CreatedAt.Equal(clock.Now()) || !d.IsPDF() {
			t.Fatalf("added %+v", d)
		}
		docx := testkit.DOCX("Jane Doe, formatted")
		d2, err := svc.AddDocument(ctx, jane.ID, portico.DocFormattedResume, "Jane (Harbour).docx", docx)
		ok(t, err)
		if d2.ContentType != files.DOCX || d2.IsPDF() {
			t.Fatalf("docx %+v", d2)
		}
		_, err = svc.AddDocument(ctx, john.ID, portico.DocOther, "reference.txt", []byte("A fine worker.\n"))
		ok(t, err)

		ds, err := svc.FindDocuments(ctx, jane.ID)
		ok(t, err)
		if len(ds) != 2 || ds[0].ID != d2.ID || ds[1].ID != d.ID {
			t.Fatalf("documents %+v", ds)
		}
		got, err := svc.FindDocumentByID(ctx, d.ID)
		ok(t, err)
		if *got != *d {
			t.Fatalf("by ID %+v, want %+v", got, d)
		}
		got, content, err := svc.DocumentContent(ctx, d.ID)
		ok(t, err)
		if !bytes.Equal(content, pdf) || *got != *d {
			t.Fatalf("content %d bytes, doc %+v", len(content), got)
		}

		// Every bad file is refused with a message, and nothing is stored.
		before := count(t, db, `SELECT COUNT(*) FROM documents`)
		beforeEvents := count(t, db, `SELECT COUNT(*) FROM events`)
		for name, tc := range map[string]struct {
			kind     portico.DocumentKind
			filename string
			content  []byte
			code     string
			field    string
		}{
			"fake pdf":       {portico.DocResume, "cv.pdf", []byte("just some text, honestly a PDF"), portico.EINVALID, "file"},
			"program as pdf": {portico.DocResume, "cv.pdf", append([]byte("MZ\x90\x00"), make([]byte, 100)...), portico.EINVALID, "file"},
			"garbage pdf":    {portico.DocResume, "cv.pdf", []byte("%PDF-1.7\ngarbage garbage garbage\n%%EOF\n"), portico.EINVALID, "file"},
			"empty":          {portico.DocResume, "cv.pdf", nil, portico.EINVALID, "file"},
			"too large":      {portico.DocOther, "cv.pdf", make([]byte, portico.MaxDocumentSize+1), portico.EINVALID, "file"},
			"text résumé":    {portico.DocResume, "cv.txt", []byte("CV"), portico.EINVALID, "file"},
			"unknown kind":   {portico.DocumentKind("photo"), "cv.pdf", pdf, portico.EINVALID, "kind"},
			"no candidate":   {portico.DocResume, "cv.pdf", pdf, portico.ENOTFOUND, ""},
		} {
			id := jane.ID
			if name == "no candidate" {
				id = john.ID + 1000
			}
			_, err := svc.AddDocument(ctx, id, tc.kind, tc.filename, tc.content)
			if portico.ErrorCode(err) != tc.code || (tc.field != "" && portico.ErrorFields(err)[tc.field] == "") {
				t.Errorf("%s: got %v (fields %v), want %s on %q", name, err, portico.ErrorFields(err), tc.code, tc.field)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM documents`); n != before {
			t.Fatalf("%d documents after refused uploads, want %d", n, before)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM events`); n != beforeEvents {
			t.Fatalf("%d events after refused uploads, want %d", n, beforeEvents)
		}

		// Portico itself (the command line, the demo) uploads as nobody.
		sys, err := svc.AddDocument(context.Background(), john.ID, portico.DocResume, "john.pdf", pdf)
		ok(t, err)
		if sys.UploadedBy != 0 || sys.UploaderName != "" {
			t.Fatalf("system upload %+v", sys)
		}

		// Delete: gone, with an event in the candidate's history.
		ok(t, svc.DeleteDocument(ctx, d.ID))
		_, _, err = svc.DocumentContent(ctx, d.ID)
		wantCode(t, err, portico.ENOTFOUND)
		_, err = svc.FindDocumentByID(ctx, d.ID)
		wantCode(t, err, portico.ENOTFOUND)
		wantCode(t, svc.DeleteDocument(ctx, d.ID), portico.ENOTFOUND)
		evs, _, err := db.Services().Events.FindEvents(ctx, portico.EventFilter{CandidateID: jane.ID})
		ok(t, err)
		var actions []string
		for _, e := range evs {
			actions = append(actions, e.Action)
		}
		if len(evs) != 4 || evs[0].Action != "document.deleted" || evs[0].Details["filename"] != "Jane Doe CV.pdf" ||
			evs[1].Action != "document.added" || evs[1].Details["filename"] != "Jane (Harbour).docx" || evs[1].Details["kind"] != "formatted_resume" ||
			evs[3].Action != "candidate.created" {
			t.Fatalf("history %v", actions)
		}

		// Not for contacts.
		_, err = svc.AddDocument(candPortal(), jane.ID, portico.DocResume, "cv.pdf", pdf)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, _, err = svc.DocumentContent(candPortal(), d2.ID)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = svc.FindDocumentByID(candPortal(), d2.ID)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = svc.FindDocuments(candPortal(), jane.ID)
		wantCode(t, err, portico.EUNAUTHORIZED)
		wantCode(t, svc.DeleteDocument(candPortal(), d2.ID), portico.EUNAUTHORIZED)
	})
}
