package sqlstore_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

func TestSharingDocuments(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newSharingWorld(t, db)
		sh := db.Services().Sharing
		v := db.Services().Portal
		pat := testkit.AsContact(testkit.PortalContact(t, db, w.client.ID, "Pat Portal", "pat@northwind.test"))
		a := w.apps[0]

		// By default: the newest formatted résumé as the résumé, and the
		// newest résumé of the other kind as a document.
		_, err := sh.SetShared(w.ctx, w.job.ID, []int64{a.ID}, true)
		ok(t, err)
		s, err := sh.FindShare(w.ctx, a.ID)
		ok(t, err)
		if s.ResumeID != w.newest.ID || !slices.Equal(s.DocumentIDs, []int64{w.resume.ID}) {
			t.Fatalf("default share: résumé %d, documents %v", s.ResumeID, s.DocumentIDs)
		}
		d, err := v.Candidate(pat, w.job.ID, a.ID)
		ok(t, err)
		if d.ResumeID != w.newest.ID || len(d.Documents) != 1 || d.Documents[0].ID != w.resume.ID || d.Documents[0].Kind != portico.DocResume ||
			!d.Documents[0].IsPDF || d.Documents[0].Name != "cv.pdf" {
			t.Fatalf("portal documents %+v (résumé %d)", d.Documents, d.ResumeID)
		}
		doc, content, err := v.Document(pat, w.job.ID, a.ID, w.resume.ID)
		ok(t, err)
		if doc.ID != w.resume.ID || !bytes.Equal(content, testkit.PDF("cv")) || doc.UploaderName != "" {
			t.Errorf("served %+v", doc)
		}
		// Only what is shared with that application is served.
		for _, id := range []int64{w.other.ID, w.strangerResume.ID, 987654} {
			_, _, err := v.Document(pat, w.job.ID, a.ID, id)
			wantCode(t, err, portico.ENOTFOUND)
		}
		_, _, err = v.Document(pat, w.job.ID, w.apps[1].ID, w.resume.ID) // not shared at all
		wantCode(t, err, portico.ENOTFOUND)
		olga := testkit.AsContact(testkit.PortalContact(t, db, w.otherContact.ClientID, "Oona Other", "oona@elsewhere.test"))
		_, _, err = v.Document(olga, w.job.ID, a.ID, w.resume.ID)
		wantCode(t, err, portico.ENOTFOUND)
		_, _, err = v.Document(w.ctx, w.job.ID, a.ID, w.resume.ID)
		wantCode(t, err, portico.EUNAUTHORIZED)

		// The recruiter chooses: only the candidate's own documents.
		_, err = sh.Share(w.ctx, a.ID, portico.ShareInput{ResumeID: w.newest.ID, DocumentIDs: []int64{w.strangerResume.ID}})
		wantMessage(t, err, "document_ids", "isn't this candidate's")
		_, err = sh.Share(w.ctx, a.ID, portico.ShareInput{ResumeID: w.newest.ID, DocumentIDs: []int64{-1}})
		wantMessage(t, err, "document_ids", "Choose from")
		s, err = sh.Share(w.ctx, a.ID, portico.ShareInput{ResumeID: w.newest.ID, DocumentIDs: []int64{w.other.ID, w.resume.ID, w.other.ID, w.newest.ID}})
		ok(t, err)
		if !slices.Equal(s.DocumentIDs, []int64{w.resume.ID, w.other.ID}) {
			t.Errorf("chosen documents %v", s.DocumentIDs)
		}
		evs := events(t, db, "application.share_updated")
		if len(evs) != 1 || evs[0].Details["document_ids"] == "" {
			t.Fatalf("events %+v", evs)
		}
		_, err = sh.Share(w.ctx, a.ID, portico.ShareInput{ResumeID: w.newest.ID, DocumentIDs: []int64{w.resume.ID, w.other.ID}})
		ok(t, err)
		if n := len(events(t, db, "application.share_updated")); n != 1 {
			t.Errorf("an unchanged share was recorded: %d events", n)
		}
		_, _, err = v.Document(pat, w.job.ID, a.ID, w.other.ID)
		ok(t, err)

		// Unshared: nothing is served.
		ok(t, sh.Unshare(w.ctx, a.ID))
		_, _, err = v.Document(pat, w.job.ID, a.ID, w.other.ID)
		wantCode(t, err, portico.ENOTFOUND)

		// The client's settings choose the kinds attached by default.
		c2 := w.cands[2]
		add := func(kind portico.DocumentKind, name string) *portico.Document {
			d, err := db.Services().Candidates.AddDocument(w.ctx, c2.ID, kind, name+".pdf", testkit.PDF(name))
			ok(t, err)
			return d
		}
		cv, cert := add(portico.DocResume, "c2-cv"), add(portico.DocOther, "c2-cert")
		add(portico.DocFormattedResume, "c2-formatted")
		testkit.SetPortalSettings(t, db, w.client.ID, func(s *portico.PortalSettings) {
			s.ShareDocuments = []portico.DocumentKind{portico.DocOther, portico.DocResume}
		})
		ok(t, sh.SendResumes(w.ctx, w.job.ID, []int64{w.apps[2].ID}, []int64{w.hal.ID}, "Here she is."))
		s, err = sh.FindShare(w.ctx, w.apps[2].ID)
		ok(t, err)
		if s.ResumeID != cv.ID || !slices.Equal(s.DocumentIDs, []int64{cert.ID}) {
			t.Errorf("shared by the client's kinds: résumé %d, documents %v", s.ResumeID, s.DocumentIDs)
		}
		// None chosen: nothing attached, not even a résumé.
		testkit.SetPortalSettings(t, db, w.client.ID, func(s *portico.PortalSettings) { s.ShareDocuments = nil })
		_, err = sh.SetShared(w.ctx, w.job.ID, []int64{w.apps[1].ID}, true)
		ok(t, err)
		s, err = sh.FindShare(w.ctx, w.apps[1].ID)
		ok(t, err)
		if s.ResumeID != 0 || len(s.DocumentIDs) != 0 {
			t.Errorf("with no kinds: résumé %d, documents %v", s.ResumeID, s.DocumentIDs)
		}
	})
}

// An anonymous profile: sharing attaches none of the candidate's own files
// by default (their names and contents name the candidate), and what the
// recruiter does share reaches the client under the reference.
func TestSharingDocumentsAnonymous(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newSharingWorld(t, db)
		sh := db.Services().Sharing
		v := db.Services().Portal
		pat := testkit.AsContact(testkit.PortalContact(t, db, w.client.ID, "Pat Portal", "pat@northwind.test"))
		testkit.SetVisibility(t, db, portico.ScopeJob, w.job.ID, portico.Visibility{Anonymous: true, Fields: []portico.CandidateField{portico.FieldCurrentTitle}})
		a := w.apps[0]

		_, err := sh.SetShared(w.ctx, w.job.ID, []int64{a.ID}, true)
		ok(t, err)
		s, err := sh.FindShare(w.ctx, a.ID)
		ok(t, err)
		if s.ResumeID != 0 || len(s.DocumentIDs) != 0 || s.ShareVideo {
			t.Fatalf("anonymous default share attached %+v", s)
		}
		d, err := v.Candidate(pat, w.job.ID, a.ID)
		ok(t, err)
		if d.ResumeID != 0 || len(d.Documents) != 0 || d.VideoURL != "" {
			t.Fatalf("anonymous candidate page shows résumé %d, documents %+v, video %q", d.ResumeID, d.Documents, d.VideoURL)
		}

		// Chosen by the recruiter: served, named by the reference.
		_, err = sh.Share(w.ctx, a.ID, portico.ShareInput{ResumeID: w.newest.ID, DocumentIDs: []int64{w.resume.ID}})
		ok(t, err)
		d, err = v.Candidate(pat, w.job.ID, a.ID)
		ok(t, err)
		ref := portico.Reference(w.newest.CandidateID)
		if !strings.HasPrefix(d.ResumeName, ref) || len(d.Documents) != 1 || !strings.HasPrefix(d.Documents[0].Name, ref) ||
			!strings.HasSuffix(d.Documents[0].Name, ".pdf") {
			t.Errorf("anonymous names: résumé %q, documents %+v", d.ResumeName, d.Documents)
		}
		res, _, err := v.Resume(pat, w.job.ID, a.ID)
		ok(t, err)
		doc, _, err := v.Document(pat, w.job.ID, a.ID, w.resume.ID)
		ok(t, err)
		for _, name := range []string{res.Filename, doc.Filename} {
			if !strings.HasPrefix(name, ref) || strings.Contains(name, "cv") {
				t.Errorf("served as %q", name)
			}
		}
	})
}
