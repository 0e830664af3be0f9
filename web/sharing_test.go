package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

const shRita = "rita@agency.test"

// shSite is a job with three shortlisted candidates, the first with two
// documents (a résumé and a certificate) and a video, contacts at the
// job's client, and another client's job.
type shSite struct {
	*slSite
	apps               []*portico.Application
	resume, cert       *portico.Document
	hal, nomail        *portico.Contact
	otherContact       *portico.Contact
	otherJob           *portico.Job
	otherApp           *portico.Application
	otherClientsResume *portico.Document
}

func newSharingSite(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) *shSite {
	t.Helper()
	s := &shSite{slSite: newShortlistSite(t, db, clock, 3)}
	ctx := testkit.AsUser(s.rec)
	svc := db.Services()
	if _, err := svc.Applications.AddToShortlist(ctx, s.job.ID, []int64{s.cands[0].ID, s.cands[1].ID, s.cands[2].ID}); err != nil {
		t.Fatal(err)
	}
	s.apps = s.slSite.apps(t)
	c0 := s.cands[0]
	if _, err := svc.Candidates.UpdateCandidate(ctx, c0.ID, portico.CandidateInput{FirstName: c0.FirstName, LastName: c0.LastName,
		Email: c0.Email, Phone: "07700 900123", CurrentTitle: "Staff Nurse", CurrentEmployer: "Leeds General", City: "Leeds",
		Skills: "Triage, Phlebotomy", Availability: "From April", NoticePeriod: "4 weeks", VideoURL: "https://video.example/c0"}); err != nil {
		t.Fatal(err)
	}
	var err error
	if s.resume, err = svc.Candidates.AddDocument(ctx, c0.ID, portico.DocResume, "cand-cv.pdf", testkit.PDF("CV")); err != nil {
		t.Fatal(err)
	}
	if s.cert, err = svc.Candidates.AddDocument(ctx, c0.ID, portico.DocOther, "secret-certificate.pdf", testkit.PDF("Cert")); err != nil {
		t.Fatal(err)
	}
	if s.otherClientsResume, err = svc.Candidates.AddDocument(ctx, s.cands[1].ID, portico.DocResume, "other-cv.pdf", testkit.PDF("CV2")); err != nil {
		t.Fatal(err)
	}
	s.hal = testkit.AddContact(t, db, s.client.ID, "Hal Hiring", "hal@northwind.test")
	s.nomail = testkit.AddContact(t, db, s.client.ID, "Nora Nomail", "")
	other := testkit.AddClient(t, db, "Elsewhere Ltd")
	s.otherContact = testkit.AddContact(t, db, other.ID, "Olga Other", "olga@elsewhere.test")
	s.otherJob = testkit.AddJob(t, db, other.ID, s.rec.ID, "Porter")
	if _, err := svc.Applications.AddToShortlist(ctx, s.otherJob.ID, []int64{s.cands[0].ID}); err != nil {
		t.Fatal(err)
	}
	list, _, err := svc.Applications.FindApplications(ctx, portico.ApplicationFilter{JobID: s.otherJob.ID})
	if err != nil {
		t.Fatal(err)
	}
	s.otherApp = list[0]
	return s
}

func appPath(a *portico.Application) string { return fmt.Sprintf("/applications/%d", a.ID) }

func (s *shSite) share(t *testing.T, a *portico.Application) *portico.Share {
	t.Helper()
	sh, err := s.db.Services().Sharing.FindShare(testkit.AsUser(s.rec), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func ids(as ...*portico.Application) []string {
	var out []string
	for _, a := range as {
		out = append(out, fmt.Sprint(a.ID))
	}
	return out
}

func TestSharingShareForm(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSharingSite(t, db, clock)
		a := s.apps[0]
		ap := appPath(a)
		s.run(t, []scenario{
			{name: "visitor", method: http.MethodGet, path: ap + "/share", status: http.StatusSeeOther, location: "/signin"},
			{name: "visitor can't share", method: http.MethodPost, path: ap + "/share", form: url.Values{}, status: http.StatusSeeOther, location: "/signin"},
			{name: "visitor can't unshare", method: http.MethodPost, path: ap + "/unshare", form: url.Values{}, status: http.StatusSeeOther, location: "/signin"},
			{name: "unknown", as: shRita, method: http.MethodGet, path: "/applications/987654/share", status: http.StatusNotFound},
			{name: "malformed", as: shRita, method: http.MethodGet, path: "/applications/x1/share", status: http.StatusNotFound},
			{name: "unknown post", as: shRita, method: http.MethodPost, path: "/applications/987654/share", form: url.Values{}, status: http.StatusNotFound},
			{name: "unknown unshare", as: shRita, method: http.MethodPost, path: "/applications/987654/unshare", form: url.Values{}, status: http.StatusNotFound},
			{name: "not shared yet", as: shRita, method: http.MethodGet, path: ap, status: http.StatusOK,
				contains: []string{"Client portal", "Not shared", `href="` + ap + `/share"`}},
			{name: "form", as: shRita, method: http.MethodGet, path: ap + "/share", status: http.StatusOK,
				contains: []string{"Share Cand Number00 with Northwind Health", "cand-cv.pdf", "No résumé", "Show the video résumé link",
					"https://video.example/c0", "Fill from the agency profile template", "What the client sees",
					// The preview shows the visible fields only.
					"Current employer", "Leeds General", "From April",
					fmt.Sprintf(`value="%d" id="f-resume_id" checked`, s.resume.ID), `name="share_video" value="on" checked`},
				// Other documents are offered, not ticked: the settings attach résumés only.
				forbidden: []string{fmt.Sprintf(`value="%d" checked`, s.cert.ID), fmt.Sprintf(`value="%d" id="f-document_id" checked`, s.cert.ID),
					"07700 900123", "cand.number00@example.com", "other-cv.pdf"}},
			{name: "template", as: shRita, method: http.MethodPost, path: ap + "/share",
				form:   url.Values{"action": {"template"}, "resume_id": {fmt.Sprint(s.resume.ID)}, "profile": {"old text"}},
				status: http.StatusOK,
				contains: []string{"Staff Nurse at Leeds General, based in Leeds. Skills: Triage, Phlebotomy. Availability: From April; notice period: 4 weeks.",
					fmt.Sprintf(`value="%d" id="f-resume_id" checked`, s.resume.ID)},
				forbidden: []string{"old text", "07700 900123"}},
			{name: "someone else's résumé", as: shRita, method: http.MethodPost, path: ap + "/share",
				form: url.Values{"resume_id": {fmt.Sprint(s.otherClientsResume.ID)}, "profile": {"Keeps my text"}}, status: http.StatusUnprocessableEntity,
				contains: []string{"one of this candidate", `aria-describedby="f-resume_id-error"`, "Keeps my text"}},
			{name: "not a résumé", as: shRita, method: http.MethodPost, path: ap + "/share",
				form: url.Values{"resume_id": {fmt.Sprint(s.cert.ID)}}, status: http.StatusUnprocessableEntity,
				contains: []string{"Only a résumé or a formatted résumé can be shared"}},
			{name: "malformed résumé", as: shRita, method: http.MethodPost, path: ap + "/share",
				form: url.Values{"resume_id": {"abc"}}, status: http.StatusUnprocessableEntity, contains: []string{"Choose one of the résumés listed"}},
			{name: "too long", as: shRita, method: http.MethodPost, path: ap + "/share",
				form: url.Values{"profile": {strings.Repeat("a", 20001)}}, status: http.StatusUnprocessableEntity,
				contains: []string{"Keep the profile under 20,000 characters", `aria-describedby="f-profile-error f-profile-hint"`}},
			{name: "video without one", as: shRita, method: http.MethodPost, path: appPath(s.apps[1]) + "/share",
				form: url.Values{"share_video": {"on"}}, status: http.StatusUnprocessableEntity, contains: []string{"no video résumé link"}},
		})
		if n := s.share(t, a); n.SharedAt != nil {
			t.Fatal("a refused request shared")
		}

		rita := s.signedIn(shRita)
		res := rita.post(ap+"/share", url.Values{"action": {"share"}, "resume_id": {fmt.Sprint(s.resume.ID)}, "share_video": {"on"},
			"profile": {"A calm, capable nurse."}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != ap+"#portal-h" {
			t.Fatalf("share: %d %s", res.status, res.header.Get("Location"))
		}
		sh := s.share(t, a)
		if sh.SharedAt == nil || sh.ResumeID != s.resume.ID || !sh.ShareVideo || sh.Profile != "A calm, capable nurse." {
			t.Fatalf("share %+v", sh)
		}
		page := rita.get(ap)
		for _, want := range []string{"Cand Number00 is shared with Northwind Health", "Shared with client", "by Rita Recruiter", "cand-cv.pdf",
			"A calm, capable nurse.", "Edit sharing", ap + "/unshare"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("application page lacks %q", want)
			}
		}
		// The panel names the stage as the client knows it.
		if _, err := db.Services().Applications.MoveApplication(testkit.AsUser(s.rec), a.ID, slStage(t, db, "Screening").ID); err != nil {
			t.Fatal(err)
		}
		if page = rita.get(ap); !strings.Contains(page.body, "in the stage they know as “Under review”") {
			t.Error("the panel doesn't give the client-facing stage")
		}
		a.StageName = "Screening"
		// Editing starts from what is shared.
		form := rita.get(ap + "/share")
		for _, want := range []string{"Edit sharing of Cand Number00", "A calm, capable nurse.", "Save changes", "Unshare Cand Number00"} {
			if !strings.Contains(form.body, want) {
				t.Errorf("edit form lacks %q", want)
			}
		}
		res = rita.post(ap+"/share", url.Values{"resume_id": {"0"}, "profile": {"Changed."}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("update: %d %s", res.status, res.body)
		}
		if sh = s.share(t, a); sh.ResumeID != 0 || sh.ShareVideo || sh.Profile != "Changed." {
			t.Fatalf("updated share %+v", sh)
		}
		if page = rita.get(ap); !strings.Contains(page.body, "Sharing of Cand Number00 saved") {
			t.Error("no confirmation after the update")
		}

		// Unsharing keeps the stage.
		res = rita.post(ap+"/unshare", url.Values{})
		if res.status != http.StatusSeeOther {
			t.Fatalf("unshare: %d", res.status)
		}
		page = rita.get(ap)
		if !strings.Contains(page.body, "is no longer shared with Northwind Health. They stay in "+a.StageName) || !strings.Contains(page.body, "Not shared") {
			t.Errorf("after unsharing:\n%s", page.body)
		}
		got, err := db.Services().Applications.FindApplicationByID(testkit.AsUser(s.rec), a.ID)
		if err != nil || got.StageName != "Screening" {
			t.Fatalf("stage after unsharing: %v %v", got, err)
		}
	})
}

func TestSharingJobPage(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSharingSite(t, db, clock)
		jp := s.jobPath()
		testkit.ShareApplication(t, db, s.apps[0].ID)
		link := fmt.Sprintf("%s/portal/jobs/%d", testkit.BaseURL, s.job.ID)
		s.run(t, []scenario{
			{name: "board", as: shRita, method: http.MethodGet, path: jp, status: http.StatusOK,
				contains: []string{"Client portal", "1 shared with client", "3 candidates on the shortlist, 1 shared with the client",
					`value="` + link + `"`, `href="` + jp + `/send"`, "Send résumés online", `href="` + jp + `/visibility"`,
					`<span class="badge badge-ok">Shared with client</span>`, "Clients see: name, Current title"}},
			{name: "list", as: shRita, method: http.MethodGet, path: jp + "?view=list", status: http.StatusOK,
				contains: []string{`id="bulk-share"`, `form="bulk-share" name="application_id" value="` + fmt.Sprint(s.apps[1].ID) + `"`,
					`name="action" value="share"`, `name="action" value="unshare"`, "Not shared"}},
			{name: "visitor can't bulk share", method: http.MethodPost, path: jp + "/sharing",
				form: url.Values{"action": {"share"}, "application_id": ids(s.apps[1])}, status: http.StatusSeeOther, location: "/signin"},
			{name: "unknown job", as: shRita, method: http.MethodPost, path: "/jobs/987654/sharing",
				form: url.Values{"action": {"share"}, "application_id": ids(s.apps[1])}, status: http.StatusNotFound},
			{name: "another job's application", as: shRita, method: http.MethodPost, path: jp + "/sharing",
				form: url.Values{"action": {"share"}, "application_id": ids(s.apps[1], s.otherApp)}, status: http.StatusNotFound},
			{name: "unknown application", as: shRita, method: http.MethodPost, path: jp + "/sharing",
				form: url.Values{"action": {"share"}, "application_id": {"987654"}}, status: http.StatusNotFound},
			{name: "bad action", as: shRita, method: http.MethodPost, path: jp + "/sharing",
				form: url.Values{"action": {"delete"}, "application_id": ids(s.apps[1])}, status: http.StatusBadRequest},
			{name: "malformed id", as: shRita, method: http.MethodPost, path: jp + "/sharing",
				form: url.Values{"action": {"share"}, "application_id": {"1; DROP"}}, status: http.StatusBadRequest},
			{name: "nothing ticked", as: shRita, method: http.MethodPost, path: jp + "/sharing",
				form: url.Values{"action": {"share"}}, status: http.StatusSeeOther, location: jp + "?view=list"},
			{name: "share two", as: shRita, method: http.MethodPost, path: jp + "/sharing",
				form:   url.Values{"action": {"share"}, "application_id": ids(s.apps[0], s.apps[1]), "next": {jp + "?view=list#shortlist-h"}},
				status: http.StatusSeeOther, location: jp + "?view=list"},
		})
		if s.share(t, s.apps[1]).SharedAt == nil || s.share(t, s.apps[2]).SharedAt != nil {
			t.Fatal("bulk share didn't share the ticked candidate only")
		}
		if s.share(t, s.otherApp).SharedAt != nil {
			t.Fatal("a refused bulk share shared another job's candidate")
		}
		rita := s.signedIn(shRita)
		rita.post(jp+"/sharing", url.Values{"action": {"share"}, "application_id": ids(s.apps[2])})
		if page := rita.get(jp + "?view=list"); !strings.Contains(page.body, "1 candidate shared with Northwind Health.") {
			t.Errorf("no confirmation of the bulk share")
		}
		rita.post(jp+"/sharing", url.Values{"action": {"unshare"}, "application_id": ids(s.apps...)})
		page := rita.get(jp)
		if !strings.Contains(page.body, "3 candidates are no longer shared with Northwind Health. Their stages stay as they are.") ||
			!strings.Contains(page.body, "0 shared with client") || strings.Contains(page.body, "Shared with client</span>") {
			t.Errorf("after the bulk unshare:\n%s", page.body)
		}
	})
}

func TestSharingSendResumes(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSharingSite(t, db, clock)
		jp := s.jobPath()
		testkit.ShareApplication(t, db, s.apps[1].ID)
		valid := func() url.Values {
			return url.Values{"application_id": ids(s.apps[0], s.apps[1]), "contact_id": {fmt.Sprint(s.hal.ID)}, "message": {"Two strong nurses."}}
		}
		with := func(k string, v ...string) url.Values {
			f := valid()
			f[k] = v
			return f
		}
		s.run(t, []scenario{
			{name: "visitor", method: http.MethodGet, path: jp + "/send", status: http.StatusSeeOther, location: "/signin"},
			{name: "visitor can't send", method: http.MethodPost, path: jp + "/send", form: valid(), status: http.StatusSeeOther, location: "/signin"},
			{name: "unknown job", as: shRita, method: http.MethodGet, path: "/jobs/987654/send", status: http.StatusNotFound},
			{name: "form", as: shRita, method: http.MethodGet, path: jp + "/send", status: http.StatusOK,
				contains: []string{"Send résumés for Senior Nurse", "Cand Number00", "Cand Number02", "Hal Hiring", "hal@northwind.test",
					"Nora Nomail", "No email address", "like to put forward the candidates below for the Senior Nurse role",
					fmt.Sprintf(`value="%d" checked`, s.apps[1].ID),               // shared: ticked
					fmt.Sprintf(`value="%d" id="f-contact_id" checked`, s.hal.ID), // the only one with an email
					"Has no portal account yet"},
				forbidden: []string{"Olga Other", fmt.Sprintf(`value="%d" checked`, s.apps[0].ID)}},
			{name: "nothing chosen", as: shRita, method: http.MethodPost, path: jp + "/send", form: url.Values{"message": {""}},
				status:   http.StatusUnprocessableEntity,
				contains: []string{"Choose at least one candidate to send.", "Choose at least one contact to send them to.", "Write a short message"}},
			{name: "another client's contact", as: shRita, method: http.MethodPost, path: jp + "/send",
				form: with("contact_id", fmt.Sprint(s.otherContact.ID)), status: http.StatusNotFound},
			{name: "another job's candidate", as: shRita, method: http.MethodPost, path: jp + "/send",
				form: with("application_id", fmt.Sprint(s.otherApp.ID)), status: http.StatusNotFound},
			{name: "contact without email", as: shRita, method: http.MethodPost, path: jp + "/send",
				form: with("contact_id", fmt.Sprint(s.hal.ID), fmt.Sprint(s.nomail.ID)), status: http.StatusUnprocessableEntity,
				contains: []string{"Nora Nomail has no email address", "Two strong nurses."}},
			{name: "malformed", as: shRita, method: http.MethodPost, path: jp + "/send", form: with("contact_id", "abc"), status: http.StatusBadRequest},
			{name: "send", as: shRita, method: http.MethodPost, path: jp + "/send", form: valid(), status: http.StatusSeeOther, location: jp + "#portal-h"},
			{name: "confirmed", as: shRita, method: http.MethodGet, path: jp, status: http.StatusOK,
				contains: []string{"2 candidates shared and emailed to Hal Hiring.", "2 shared with client"}},
		})
		ms, _, err := db.Services().Outbox.FindMessages(testkit.AsUser(s.admin), portico.MessageFilter{Limit: 10, Kind: portico.MessageEmail})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 || ms[0].Email.To[0] != "hal@northwind.test" || !strings.Contains(ms[0].Email.Text, "Two strong nurses.") ||
			!strings.Contains(ms[0].Email.Text, fmt.Sprintf("%s/portal/jobs/%d", testkit.BaseURL, s.job.ID)) {
			t.Fatalf("outbox %+v", ms)
		}

		// A contact limited to other jobs is flagged before the link fails them.
		rctx := testkit.AsUser(s.rec)
		job2 := testkit.AddJob(t, db, s.client.ID, s.rec.ID, "Ward Manager")
		if err := db.Services().PortalAccounts.Invite(rctx, s.hal.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.Services().PortalAccounts.SetAccess(rctx, s.hal.ID, false, []int64{job2.ID}); err != nil {
			t.Fatal(err)
		}
		rita := s.signedIn(shRita)
		if page := rita.get(jp + "/send"); !strings.Contains(page.body, "Can see chosen jobs only, and not this one") {
			t.Error("the form doesn't flag a contact without access to the job")
		}
		if page := rita.get(fmt.Sprintf("/jobs/%d/send", job2.ID)); strings.Contains(page.body, "Can see chosen jobs only") {
			t.Error("the form flags a contact who has access")
		}
	})
}

func TestSharingVisibilityPages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSharingSite(t, db, clock)
		jp, cp := s.jobPath(), fmt.Sprintf("/clients/%d", s.client.ID)
		admin := testkit.AdminEmail
		s.run(t, []scenario{
			{name: "visitor", method: http.MethodGet, path: "/settings/visibility", status: http.StatusSeeOther, location: "/signin"},
			{name: "recruiter can't open the default", as: shRita, method: http.MethodGet, path: "/settings/visibility", status: http.StatusForbidden},
			{name: "recruiter can't change the default", as: shRita, method: http.MethodPost, path: "/settings/visibility",
				form: url.Values{"field": {"email"}}, status: http.StatusForbidden},
			{name: "default", as: admin, method: http.MethodGet, path: "/settings/visibility", status: http.StatusOK,
				contains: []string{"Visible fields", "First and last name", "Current title", "Salary expectation",
					`name="field" value="current_title" id="f-fields" checked`, `name="field" value="email">`, "Show anonymous profiles"}},
			{name: "unknown field", as: admin, method: http.MethodPost, path: "/settings/visibility",
				form: url.Values{"field": {"skills", "password_hash"}}, status: http.StatusUnprocessableEntity,
				contains: []string{"Portico knows", `name="field" value="skills" checked`}},
			{name: "set default", as: admin, method: http.MethodPost, path: "/settings/visibility",
				form: url.Values{"field": {"skills", "city"}, "anonymous": {"on"}}, status: http.StatusSeeOther, location: "/settings/visibility"},
			{name: "default saved", as: admin, method: http.MethodGet, path: "/settings/visibility", status: http.StatusOK,
				contains:  []string{"Saved. Clients see these fields", `value="city" checked`, `value="skills" checked`, `name="anonymous" value="on" checked`},
				forbidden: []string{`value="current_title" checked`}},
			{name: "job shows it", as: shRita, method: http.MethodGet, path: jp, status: http.StatusOK,
				contains: []string{"anonymous profiles", "Location, Skills", "Inherited"}},

			{name: "client: unknown", as: shRita, method: http.MethodGet, path: "/clients/987654/visibility", status: http.StatusNotFound},
			{name: "client: unknown post", as: shRita, method: http.MethodPost, path: "/clients/987654/visibility",
				form: url.Values{"mode": {"custom"}}, status: http.StatusNotFound},
			{name: "client page links", as: shRita, method: http.MethodGet, path: cp, status: http.StatusOK,
				contains: []string{`href="` + cp + `/visibility"`, "Visible fields for this client"}},
			{name: "client form", as: shRita, method: http.MethodGet, path: cp + "/visibility", status: http.StatusOK,
				contains: []string{"Visible fields for Northwind Health", "Use the agency default", `value="inherit" checked`, `value="city" checked`}},
			{name: "client: no mode", as: shRita, method: http.MethodPost, path: cp + "/visibility",
				form: url.Values{"field": {"email"}}, status: http.StatusUnprocessableEntity, contains: []string{"Choose whether to use the agency default"}},
			{name: "client: custom", as: shRita, method: http.MethodPost, path: cp + "/visibility",
				form: url.Values{"mode": {"custom"}, "field": {"current_title"}}, status: http.StatusSeeOther, location: cp},
			{name: "client: saved", as: shRita, method: http.MethodGet, path: cp + "/visibility", status: http.StatusOK,
				contains:  []string{"Custom", `value="custom" checked`, `value="current_title" id="f-fields" checked`},
				forbidden: []string{`value="city" checked`, `name="anonymous" value="on" checked`}},
			{name: "job form", as: shRita, method: http.MethodGet, path: jp + "/visibility", status: http.StatusOK,
				contains: []string{"Visible fields for Senior Nurse", "Use the setting for Northwind Health", `value="inherit" checked`}},
			{name: "job: unknown", as: shRita, method: http.MethodGet, path: "/jobs/987654/visibility", status: http.StatusNotFound},
			{name: "job: custom", as: shRita, method: http.MethodPost, path: jp + "/visibility",
				form: url.Values{"mode": {"custom"}, "field": {"phone", "email"}}, status: http.StatusSeeOther, location: jp + "#portal-h"},
			{name: "job: shows", as: shRita, method: http.MethodGet, path: jp, status: http.StatusOK,
				contains: []string{"Saved. Northwind Health sees these fields for Senior Nurse.", "Clients see: name, Email, Phone", "This job’s own setting"}},
			{name: "job: inherit", as: shRita, method: http.MethodPost, path: jp + "/visibility",
				form: url.Values{"mode": {"inherit"}}, status: http.StatusSeeOther},
			{name: "job: back", as: shRita, method: http.MethodGet, path: jp, status: http.StatusOK,
				contains: []string{"Senior Nurse uses the setting for Northwind Health again.", "Clients see: name, Current title"}},
			{name: "client: inherit", as: shRita, method: http.MethodPost, path: cp + "/visibility",
				form: url.Values{"mode": {"inherit"}}, status: http.StatusSeeOther},
		})
		v, err := db.Services().Sharing.EffectiveVisibility(context.Background(), s.job.ID)
		if err != nil || !v.Anonymous || len(v.Fields) != 2 {
			t.Fatalf("effective after clearing: %+v %v", v, err)
		}
	})
}

// TestSharingShareDocuments: the share form offers the candidate's
// documents, ticks at first what the portal settings attach (the newest
// of each kind, less the résumé chosen), then what is shared; the choice
// round-trips, and documents that aren't the candidate's are refused.
func TestSharingShareDocuments(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSharingSite(t, db, clock)
		a := s.apps[0]
		ap := appPath(a)
		formatted, err := db.Services().Candidates.AddDocument(testkit.AsUser(s.rec), s.cands[0].ID, portico.DocFormattedResume, "cand-formatted.docx", testkit.DOCX("Formatted"))
		must(t, err)
		box := func(d *portico.Document, first, checked bool) string {
			b := fmt.Sprintf(`name="document_id" value="%d"`, d.ID)
			if first {
				b += ` id="f-document_id"`
			}
			if checked {
				return b + " checked>"
			}
			return b + ">"
		}
		// Newest first: the formatted résumé, the certificate, the résumé.
		s.run(t, []scenario{
			{name: "defaults", as: shRita, path: ap + "/share", status: http.StatusOK,
				contains: []string{"Other documents the client sees", fmt.Sprintf(`value="%d" id="f-resume_id" checked`, formatted.ID),
					box(formatted, true, false), box(s.cert, false, false), box(s.resume, false, true), "secret-certificate.pdf",
					"Ticked at first: the newest formatted résumé and résumé, as the portal settings attach."}},
			{name: "malformed", as: shRita, method: http.MethodPost, path: ap + "/share",
				form:   url.Values{"resume_id": {fmt.Sprint(s.resume.ID)}, "document_id": {"abc"}, "profile": {"Kept"}},
				status: http.StatusUnprocessableEntity, contains: []string{"Choose from the documents listed.", `id="f-document_id-error"`, "Kept"}},
			{name: "another candidate's", as: shRita, method: http.MethodPost, path: ap + "/share",
				form:   url.Values{"resume_id": {fmt.Sprint(s.resume.ID)}, "document_id": {fmt.Sprint(s.cert.ID), fmt.Sprint(s.otherClientsResume.ID)}},
				status: http.StatusUnprocessableEntity, contains: []string{box(s.cert, false, true)}, forbidden: []string{"other-cv.pdf"}},
		})
		if sh := s.share(t, a); sh.SharedAt != nil || len(sh.DocumentIDs) != 0 {
			t.Fatalf("a refused share stored %+v", sh)
		}
		s.run(t, []scenario{
			// The résumé ticked as a document too is shared once, as the résumé.
			{name: "share", as: shRita, method: http.MethodPost, path: ap + "/share",
				form:   url.Values{"resume_id": {fmt.Sprint(s.resume.ID)}, "document_id": {fmt.Sprint(s.cert.ID), fmt.Sprint(s.resume.ID)}},
				status: http.StatusSeeOther, location: ap},
		})
		sh := s.share(t, a)
		if sh.ResumeID != s.resume.ID || len(sh.DocumentIDs) != 1 || sh.DocumentIDs[0] != s.cert.ID {
			t.Fatalf("shared %+v", sh)
		}
		s.run(t, []scenario{
			{name: "the form starts from what is shared", as: shRita, path: ap + "/share", status: http.StatusOK,
				contains:  []string{box(formatted, true, false), box(s.cert, false, true), box(s.resume, false, false)},
				forbidden: []string{"Ticked at first"}},
			{name: "untick all", as: shRita, method: http.MethodPost, path: ap + "/share", form: url.Values{"resume_id": {fmt.Sprint(s.resume.ID)}},
				status: http.StatusSeeOther},
		})
		if sh := s.share(t, a); len(sh.DocumentIDs) != 0 {
			t.Fatalf("after unticking %+v", sh)
		}
	})
}
