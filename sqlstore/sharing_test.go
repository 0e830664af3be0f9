package sqlstore_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// sharingWorld is a job with three shortlisted candidates, one with two
// résumés and a video, and two contacts at the job's client.
type sharingWorld struct {
	*shortlistFixture
	apps            []*portico.Application
	resume, newest  *portico.Document // the first candidate's résumés
	other           *portico.Document // not a résumé
	strangerResume  *portico.Document // another candidate's
	hal, kim, nomai *portico.Contact
	otherContact    *portico.Contact // at another client
}

func newSharingWorld(t *testing.T, db *sqlstore.DB) *sharingWorld {
	t.Helper()
	w := &sharingWorld{shortlistFixture: newShortlistFixture(t, db, 3)}
	svc := db.Services()
	_, err := svc.Applications.AddToShortlist(w.ctx, w.job.ID, w.ids(3))
	ok(t, err)
	w.apps, _ = shortlist(t, db, w.ctx, portico.ApplicationFilter{JobID: w.job.ID})
	c0 := w.cands[0]
	in := portico.CandidateInput{FirstName: c0.FirstName, LastName: c0.LastName, Email: c0.Email, CurrentTitle: c0.CurrentTitle,
		City: c0.City, Skills: c0.Skills, VideoURL: "https://video.example/cand0"}
	_, err = svc.Candidates.UpdateCandidate(w.ctx, c0.ID, in)
	ok(t, err)
	add := func(cid int64, kind portico.DocumentKind, name string) *portico.Document {
		content := testkit.PDF(name)
		d, err := svc.Candidates.AddDocument(w.ctx, cid, kind, name+".pdf", content)
		ok(t, err)
		return d
	}
	w.resume = add(c0.ID, portico.DocResume, "cv")
	w.other = add(c0.ID, portico.DocOther, "certificate")
	w.newest = add(c0.ID, portico.DocFormattedResume, "formatted")
	w.strangerResume = add(w.cands[1].ID, portico.DocResume, "someone-else")
	w.hal = testkit.AddContact(t, db, w.client.ID, "Hal Hiring", "hal@northwind.test")
	w.kim = testkit.AddContact(t, db, w.client.ID, "Kim Keller", "kim@northwind.test")
	w.nomai = testkit.AddContact(t, db, w.client.ID, "No Mail", "")
	other := testkit.AddClient(t, db, "Elsewhere Ltd")
	w.otherContact = testkit.AddContact(t, db, other.ID, "Olga Other", "olga@elsewhere.test")
	return w
}

func (w *sharingWorld) appIDs(n int) []int64 {
	var out []int64
	for _, a := range w.apps[:n] {
		out = append(out, a.ID)
	}
	return out
}

func TestSharingShare(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newSharingWorld(t, db)
		sh := db.Services().Sharing
		a := w.apps[0]

		s, err := sh.FindShare(w.ctx, a.ID)
		ok(t, err)
		if s.SharedAt != nil || s.ResumeID != 0 || s.ShareVideo || s.Profile != "" {
			t.Fatalf("new application's share %+v", s)
		}

		// Bad input changes nothing.
		_, err = sh.Share(w.ctx, a.ID, portico.ShareInput{ResumeID: w.strangerResume.ID})
		wantField(t, err, portico.EINVALID, "resume_id")
		_, err = sh.Share(w.ctx, a.ID, portico.ShareInput{ResumeID: w.other.ID})
		wantField(t, err, portico.EINVALID, "resume_id")
		_, err = sh.Share(w.ctx, a.ID, portico.ShareInput{Profile: strings.Repeat("x", 20001)})
		wantField(t, err, portico.EINVALID, "profile")
		_, err = sh.Share(w.ctx, w.apps[1].ID, portico.ShareInput{ShareVideo: true})
		wantField(t, err, portico.EINVALID, "share_video")
		_, err = sh.Share(w.ctx, 999999, portico.ShareInput{})
		wantCode(t, err, portico.ENOTFOUND)
		_, err = sh.Share(asContact(), a.ID, portico.ShareInput{})
		wantRefused(t, err)
		_, err = sh.FindShare(asContact(), a.ID)
		wantRefused(t, err)
		if n := count(t, db, `SELECT COUNT(*) FROM applications WHERE shared_at IS NOT NULL`); n != 0 {
			t.Fatalf("%d shared after refused requests", n)
		}
		if n := len(events(t, db, "application.shared")); n != 0 {
			t.Fatalf("%d events after refused requests", n)
		}

		s, err = sh.Share(w.ctx, a.ID, portico.ShareInput{ResumeID: w.resume.ID, ShareVideo: true, Profile: "  A calm, capable nurse.\r\n"})
		ok(t, err)
		if s.SharedAt == nil || !s.SharedAt.Equal(clock.Now()) || s.SharedBy != w.rec.ID || s.ResumeID != w.resume.ID || !s.ShareVideo ||
			s.Profile != "A calm, capable nurse." {
			t.Fatalf("share %+v", s)
		}
		evs := events(t, db, "application.shared")
		if len(evs) != 1 || evs[0].JobID != w.job.ID || evs[0].CandidateID != a.CandidateID || evs[0].ClientID != w.client.ID ||
			evs[0].SubjectID != a.ID || evs[0].Details["video"] != "yes" || evs[0].ActorID != w.rec.ID {
			t.Fatalf("shared events %+v", evs)
		}
		// The profile's text stays out of the event.
		if strings.Contains(strings.Join(column(t, db, `SELECT details FROM events`), " "), "calm") {
			t.Fatal("the profile leaked into an event")
		}
		// The shortlist's cards carry the marker, from the same query.
		list, _ := shortlist(t, db, w.ctx, portico.ApplicationFilter{JobID: w.job.ID})
		if list[0].SharedAt == nil || list[1].SharedAt != nil {
			t.Fatalf("shared markers %v %v", list[0].SharedAt, list[1].SharedAt)
		}
		one, err := db.Services().Applications.FindApplicationByID(w.ctx, a.ID)
		ok(t, err)
		if one.SharedAt == nil {
			t.Fatal("FindApplicationByID has no SharedAt")
		}

		// Sharing the same again records nothing; a change is an update
		// that keeps when and by whom it was first shared.
		_, err = sh.Share(w.ctx, a.ID, portico.ShareInput{ResumeID: w.resume.ID, ShareVideo: true, Profile: "A calm, capable nurse."})
		ok(t, err)
		if n := len(events(t, db, "application.share_updated")); n != 0 {
			t.Fatalf("%d updates for no change", n)
		}
		clock.Advance(time.Hour)
		s, err = sh.Share(testkit.AsUser(w.adm), a.ID, portico.ShareInput{ResumeID: w.newest.ID})
		ok(t, err)
		if !s.SharedAt.Equal(clock.Now().Add(-time.Hour)) || s.SharedBy != w.rec.ID || s.ResumeID != w.newest.ID || s.ShareVideo || s.Profile != "" {
			t.Fatalf("updated share %+v", s)
		}
		if evs := events(t, db, "application.share_updated"); len(evs) != 1 || evs[0].Details["resume_id"] != itoa(w.newest.ID) || evs[0].Details["video"] != "no" {
			t.Fatalf("share_updated events %+v", evs)
		}

		// Unsharing hides it and leaves the stage and the choices alone.
		stage := a.StageID
		ok(t, sh.Unshare(w.ctx, a.ID))
		s, err = sh.FindShare(w.ctx, a.ID)
		ok(t, err)
		if s.SharedAt != nil || s.SharedBy != 0 || s.ResumeID != w.newest.ID {
			t.Fatalf("after unsharing %+v", s)
		}
		one, err = db.Services().Applications.FindApplicationByID(w.ctx, a.ID)
		ok(t, err)
		if one.StageID != stage || one.SharedAt != nil {
			t.Fatalf("after unsharing: stage %d (was %d), shared %v", one.StageID, stage, one.SharedAt)
		}
		// Unsharing again is a no-op.
		ok(t, sh.Unshare(w.ctx, a.ID))
		if evs := events(t, db, "application.unshared"); len(evs) != 1 || evs[0].JobID != w.job.ID || evs[0].CandidateID != a.CandidateID {
			t.Fatalf("unshared events %+v", evs)
		}
		wantCode(t, sh.Unshare(w.ctx, 999999), portico.ENOTFOUND)
		wantRefused(t, sh.Unshare(asContact(), a.ID))

		// Deleting the shared résumé leaves the share without one.
		_, err = sh.Share(w.ctx, a.ID, portico.ShareInput{ResumeID: w.resume.ID})
		ok(t, err)
		ok(t, db.Services().Candidates.DeleteDocument(w.ctx, w.resume.ID))
		s, err = sh.FindShare(w.ctx, a.ID)
		ok(t, err)
		if s.SharedAt == nil || s.ResumeID != 0 {
			t.Fatalf("after deleting the résumé %+v", s)
		}
	})
}

func TestSharingSetShared(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newSharingWorld(t, db)
		sh := db.Services().Sharing

		_, err := sh.SetShared(w.ctx, w.job.ID, nil, true)
		wantField(t, err, portico.EINVALID, "application_id")
		_, err = sh.SetShared(w.ctx, 999999, w.appIDs(1), true)
		wantCode(t, err, portico.ENOTFOUND)
		// An application of another job stops the whole request.
		job2 := testkit.AddJob(t, db, w.client.ID, w.rec.ID, "Ward Manager")
		_, err = db.Services().Applications.AddToShortlist(w.ctx, job2.ID, w.ids(1))
		ok(t, err)
		other, _ := shortlist(t, db, w.ctx, portico.ApplicationFilter{JobID: job2.ID})
		_, err = sh.SetShared(w.ctx, w.job.ID, append(w.appIDs(2), other[0].ID), true)
		wantCode(t, err, portico.ENOTFOUND)
		_, err = sh.SetShared(asContact(), w.job.ID, w.appIDs(1), true)
		wantRefused(t, err)
		if n := count(t, db, `SELECT COUNT(*) FROM applications WHERE shared_at IS NOT NULL`); n != 0 {
			t.Fatalf("%d shared after refused requests", n)
		}

		n, err := sh.SetShared(w.ctx, w.job.ID, append(w.appIDs(3), w.apps[0].ID), true)
		ok(t, err)
		if n != 3 {
			t.Fatalf("shared %d, want 3", n)
		}
		// With the newest résumé (formatted or not), and the video when
		// there is one.
		s, err := sh.FindShare(w.ctx, w.apps[0].ID)
		ok(t, err)
		if s.ResumeID != w.newest.ID || !s.ShareVideo || s.SharedBy != w.rec.ID {
			t.Fatalf("bulk share %+v", s)
		}
		s, err = sh.FindShare(w.ctx, w.apps[2].ID)
		ok(t, err)
		if s.SharedAt == nil || s.ResumeID != 0 || s.ShareVideo {
			t.Fatalf("bulk share without documents %+v", s)
		}
		// Those shared already are counted out.
		if n, err = sh.SetShared(w.ctx, w.job.ID, w.appIDs(3), true); err != nil || n != 0 {
			t.Fatalf("shared again: %d, %v", n, err)
		}
		if n, err = sh.SetShared(w.ctx, w.job.ID, w.appIDs(2), false); err != nil || n != 2 {
			t.Fatalf("unshared %d, %v", n, err)
		}
		if evs := events(t, db, "application.unshared"); len(evs) != 2 {
			t.Fatalf("%d unshared events", len(evs))
		}
		if evs := events(t, db, "application.shared"); len(evs) != 3 || evs[0].ClientID != w.client.ID {
			t.Fatalf("shared events %+v", evs)
		}
		// Sharing again brings back what was chosen before.
		_, err = sh.Share(w.ctx, w.apps[0].ID, portico.ShareInput{ResumeID: w.resume.ID})
		ok(t, err)
		ok(t, sh.Unshare(w.ctx, w.apps[0].ID))
		_, err = sh.SetShared(w.ctx, w.job.ID, w.appIDs(1), true)
		ok(t, err)
		if s, _ = sh.FindShare(w.ctx, w.apps[0].ID); s.ResumeID != w.resume.ID || s.ShareVideo {
			t.Fatalf("shared again %+v", s)
		}
		// The fixture shares as the system.
		_, err = sh.SetShared(w.ctx, w.job.ID, w.appIDs(3), false)
		ok(t, err)
		testkit.ShareApplication(t, db, w.apps[1].ID)
		if s, _ = sh.FindShare(w.ctx, w.apps[1].ID); s.SharedAt == nil || s.SharedBy != 0 {
			t.Fatalf("fixture share %+v", s)
		}
	})
}

func TestSharingSendResumes(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newSharingWorld(t, db)
		sh := db.Services().Sharing
		msg := "Hello,\n\nHere are two strong candidates for the Senior Nurse role."

		err := sh.SendResumes(w.ctx, w.job.ID, nil, nil, "")
		wantField(t, err, portico.EINVALID, "application_id")
		wantField(t, err, portico.EINVALID, "contact_id")
		wantField(t, err, portico.EINVALID, "message")
		wantField(t, sh.SendResumes(w.ctx, w.job.ID, w.appIDs(2), []int64{w.hal.ID}, strings.Repeat("x", 5001)), portico.EINVALID, "message")
		wantField(t, sh.SendResumes(w.ctx, w.job.ID, w.appIDs(2), []int64{w.hal.ID, w.nomai.ID}, msg), portico.EINVALID, "contact_id")
		wantCode(t, sh.SendResumes(w.ctx, w.job.ID, w.appIDs(2), []int64{w.otherContact.ID}, msg), portico.ENOTFOUND)
		wantCode(t, sh.SendResumes(w.ctx, 999999, w.appIDs(2), []int64{w.hal.ID}, msg), portico.ENOTFOUND)
		wantRefused(t, sh.SendResumes(asContact(), w.job.ID, w.appIDs(2), []int64{w.hal.ID}, msg))
		if n := count(t, db, `SELECT COUNT(*) FROM applications WHERE shared_at IS NOT NULL`); n != 0 {
			t.Fatalf("%d shared after refused requests", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM outbox`); n != 0 {
			t.Fatalf("%d emails after refused requests", n)
		}

		ok(t, sh.SendResumes(w.ctx, w.job.ID, w.appIDs(2), []int64{w.hal.ID, w.kim.ID}, msg))
		if n := count(t, db, `SELECT COUNT(*) FROM applications WHERE shared_at IS NOT NULL`); n != 2 {
			t.Fatalf("%d shared, want 2", n)
		}
		evs := events(t, db, "job.resumes_sent")
		if len(evs) != 1 || evs[0].JobID != w.job.ID || evs[0].ClientID != w.client.ID || evs[0].Details["candidates"] != "2" ||
			evs[0].Details["contacts"] != "Hal Hiring, Kim Keller" {
			t.Fatalf("resumes_sent events %+v", evs)
		}
		ms := messages(t, db, w.adm)
		if len(ms) != 2 {
			t.Fatalf("%d emails, want 2", len(ms))
		}
		link := testkit.BaseURL + "/portal/jobs/" + itoa(w.job.ID)
		for _, m := range ms {
			e := m.Email
			if m.EventID != evs[0].ID || len(e.To) != 1 || !strings.Contains(e.Subject, "2 candidates for Senior Nurse") {
				t.Fatalf("email %+v", e)
			}
			for _, want := range []string{"Here are two strong candidates", "Cand Number00", "Cand Number01", link, "Rita Recruiter"} {
				if !strings.Contains(e.Text, want) || !strings.Contains(e.HTML, want) {
					t.Fatalf("email lacks %q:\n%s\n%s", want, e.Text, e.HTML)
				}
			}
			if strings.Contains(e.Text, "Number02") {
				t.Fatal("email names a candidate who wasn't sent")
			}
		}
		if got := ms[0].Email.To[0] + " " + ms[1].Email.To[0]; !strings.Contains(got, "hal@northwind.test") || !strings.Contains(got, "kim@northwind.test") {
			t.Fatalf("recipients %s", got)
		}

		// Anonymous profiles: references, never names.
		testkit.SetVisibility(t, db, portico.ScopeJob, w.job.ID, portico.Visibility{Fields: []portico.CandidateField{portico.FieldSkills}, Anonymous: true})
		ok(t, sh.SendResumes(w.ctx, w.job.ID, w.appIDs(1), []int64{w.hal.ID}, msg))
		e := messages(t, db, w.adm)[0].Email
		if !strings.Contains(e.Text, portico.Reference(w.cands[0].ID)) || strings.Contains(e.Text, "Number00") || strings.Contains(e.HTML, "Number00") {
			t.Fatalf("anonymous email:\n%s", e.Text)
		}
		if !strings.Contains(e.Subject, "A candidate for Senior Nurse") {
			t.Fatalf("subject %q", e.Subject)
		}
	})
}

func TestSharingVisibility(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newSharingWorld(t, db)
		sh := db.Services().Sharing
		adm := admin(w.adm)
		fields := func(v portico.Visibility) string {
			var s []string
			for _, f := range v.Fields {
				s = append(s, string(f))
			}
			return strings.Join(s, ",")
		}
		def := fields(portico.DefaultVisibility)

		v, err := sh.EffectiveVisibility(w.ctx, w.job.ID)
		ok(t, err)
		if fields(v) != def || v.Anonymous {
			t.Fatalf("default visibility %+v", v)
		}
		v, set, err := sh.Visibility(adm, portico.ScopeAgency, 0)
		ok(t, err)
		if set || fields(v) != def {
			t.Fatalf("agency visibility %+v %v", v, set)
		}
		_, err = sh.EffectiveVisibility(w.ctx, 999999)
		wantCode(t, err, portico.ENOTFOUND)

		// The agency default: admins only, known fields only.
		wantCode(t, sh.SetVisibility(w.ctx, portico.ScopeAgency, 0, portico.Visibility{}), portico.EFORBIDDEN)
		wantRefused(t, sh.SetVisibility(asContact(), portico.ScopeClient, w.client.ID, portico.Visibility{}))
		wantField(t, sh.SetVisibility(adm, portico.ScopeAgency, 0, portico.Visibility{Fields: []portico.CandidateField{"password"}}), portico.EINVALID, "fields")
		wantCode(t, sh.SetVisibility(adm, "planet", 0, portico.Visibility{}), portico.EINVALID)
		wantCode(t, sh.SetVisibility(adm, portico.ScopeAgency, 7, portico.Visibility{}), portico.ENOTFOUND)
		wantCode(t, sh.SetVisibility(adm, portico.ScopeClient, 999999, portico.Visibility{}), portico.ENOTFOUND)
		wantCode(t, sh.SetVisibility(w.ctx, portico.ScopeJob, 999999, portico.Visibility{}), portico.ENOTFOUND)
		if n := count(t, db, `SELECT COUNT(*) FROM visibility`); n != 0 {
			t.Fatalf("%d settings after refused requests", n)
		}

		ok(t, sh.SetVisibility(adm, portico.ScopeAgency, 0, portico.Visibility{Fields: []portico.CandidateField{portico.FieldSkills, portico.FieldCurrentTitle, portico.FieldSkills}}))
		v, set, err = sh.Visibility(adm, portico.ScopeAgency, 0)
		ok(t, err)
		if !set || fields(v) != "current_title,skills" {
			t.Fatalf("agency visibility %+v", v)
		}
		// A client and a job inherit it until they have their own.
		v, set, err = sh.Visibility(w.ctx, portico.ScopeClient, w.client.ID)
		ok(t, err)
		if set || fields(v) != "current_title,skills" {
			t.Fatalf("client inherits %+v %v", v, set)
		}
		if v, _ = sh.EffectiveVisibility(w.ctx, w.job.ID); fields(v) != "current_title,skills" {
			t.Fatalf("effective %+v", v)
		}

		ok(t, sh.SetVisibility(w.ctx, portico.ScopeClient, w.client.ID, portico.Visibility{Fields: []portico.CandidateField{portico.FieldCity}, Anonymous: true}))
		if v, _ = sh.EffectiveVisibility(w.ctx, w.job.ID); fields(v) != "city" || !v.Anonymous {
			t.Fatalf("client override %+v", v)
		}
		v, set, err = sh.Visibility(w.ctx, portico.ScopeJob, w.job.ID)
		ok(t, err)
		if set || fields(v) != "city" || !v.Anonymous {
			t.Fatalf("job inherits %+v %v", v, set)
		}
		ok(t, sh.SetVisibility(w.ctx, portico.ScopeJob, w.job.ID, portico.Visibility{Fields: []portico.CandidateField{portico.FieldEmail}}))
		if v, _ = sh.EffectiveVisibility(w.ctx, w.job.ID); fields(v) != "email" || v.Anonymous {
			t.Fatalf("job override %+v", v)
		}
		// Another job of the client keeps the client's.
		job2 := testkit.AddJob(t, db, w.client.ID, w.rec.ID, "Ward Manager")
		if v, _ = sh.EffectiveVisibility(w.ctx, job2.ID); fields(v) != "city" {
			t.Fatalf("other job %+v", v)
		}
		// Nothing chosen is a setting too: no fields at all.
		ok(t, sh.SetVisibility(w.ctx, portico.ScopeJob, job2.ID, portico.Visibility{}))
		if v, _ = sh.EffectiveVisibility(w.ctx, job2.ID); len(v.Fields) != 0 {
			t.Fatalf("empty override %+v", v)
		}

		ok(t, sh.ClearVisibility(w.ctx, portico.ScopeJob, w.job.ID))
		ok(t, sh.ClearVisibility(w.ctx, portico.ScopeJob, w.job.ID)) // nothing to clear
		if v, _ = sh.EffectiveVisibility(w.ctx, w.job.ID); fields(v) != "city" {
			t.Fatalf("after clearing the job %+v", v)
		}
		ok(t, sh.ClearVisibility(w.ctx, portico.ScopeClient, w.client.ID))
		if v, _ = sh.EffectiveVisibility(w.ctx, w.job.ID); fields(v) != "current_title,skills" {
			t.Fatalf("after clearing the client %+v", v)
		}
		wantCode(t, sh.ClearVisibility(adm, portico.ScopeAgency, 0), portico.EINVALID)
		wantCode(t, sh.ClearVisibility(w.ctx, portico.ScopeClient, 999999), portico.ENOTFOUND)

		evs := events(t, db, "visibility.changed")
		if len(evs) != 6 {
			t.Fatalf("%d visibility events, want 6", len(evs))
		}
		// Newest first: cleared client, cleared job, job2, job, client, agency.
		if evs[0].ClientID != w.client.ID || evs[0].JobID != 0 || evs[0].Details["default"] != "true" ||
			evs[1].JobID != w.job.ID || evs[1].ClientID != w.client.ID ||
			evs[4].ClientID != w.client.ID || evs[4].Details["anonymous"] != "true" || evs[4].Details["fields"] != "city" ||
			evs[5].SubjectType != "agency" || evs[5].ClientID != 0 {
			t.Fatalf("visibility events %+v", evs)
		}
	})
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
