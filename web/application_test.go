package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

func TestApplicationPage(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newShortlistSite(t, db, clock, 2)
		ctx := testkit.AsUser(s.rec)
		if _, err := db.Services().Applications.AddToShortlist(ctx, s.job.ID, []int64{s.cands[0].ID, s.cands[1].ID}); err != nil {
			t.Fatal(err)
		}
		app := s.apps(t)[0]
		ap := fmt.Sprintf("/applications/%d", app.ID)
		jp := s.jobPath()
		offer := slStage(t, db, "Offer")
		secret := "Wants 10% above the client's top rate <b>really</b>"

		s.run(t, []scenario{
			{name: "visitor", method: http.MethodGet, path: ap, status: http.StatusSeeOther, location: "/signin"},
			{name: "unknown", as: slRita, method: http.MethodGet, path: "/applications/987654", status: http.StatusNotFound,
				contains: []string{"There&#39;s no such shortlisted candidate."}},
			{name: "malformed", as: slRita, method: http.MethodGet, path: "/applications/-1", status: http.StatusNotFound},
			{name: "page", as: slRita, method: http.MethodGet, path: ap, status: http.StatusOK,
				contains: []string{"Cand Number00", fmt.Sprintf(`href="/candidates/%d"`, app.CandidateID), fmt.Sprintf(`href="%s"`, jp), "Senior Nurse", "Northwind Health",
					"by Rita Recruiter", "<strong>Internal</strong> — clients never see notes.", "No notes yet.", `<label for="f-body">Add a note</label>`,
					`<label for="f-stage_id">Move to</label>`, fmt.Sprintf(`name="next" value="%s"`, ap), "Remove from shortlist",
					fmt.Sprintf(`action="%s/remove"`, ap), "added Cand Number00 to the shortlist for Senior Nurse"}},

			// Notes.
			{name: "empty note", as: slRita, method: http.MethodPost, path: ap + "/notes", form: url.Values{"body": {"   "}}, status: http.StatusUnprocessableEntity,
				contains: []string{"Write the note first.", `aria-describedby="f-body-error"`, `id="form-errors"`}},
			{name: "long note", as: slRita, method: http.MethodPost, path: ap + "/notes", form: url.Values{"body": {strings.Repeat("x", 10001)}}, status: http.StatusUnprocessableEntity,
				contains: []string{"Keep the note under 10,000 characters.", strings.Repeat("x", 100)}},
			{name: "note on unknown", as: slRita, method: http.MethodPost, path: "/applications/987654/notes", form: url.Values{"body": {"Hi"}}, status: http.StatusNotFound},
			{name: "note", as: slRita, method: http.MethodPost, path: ap + "/notes", form: url.Values{"body": {secret}}, status: http.StatusSeeOther, location: ap + "#notes-h"},
			{name: "noted", as: slRita, method: http.MethodGet, path: ap, status: http.StatusOK,
				contains: []string{"Your note was added. Only the agency can see it.", "Wants 10% above the client&#39;s top rate &lt;b&gt;really&lt;/b&gt;",
					"added an internal note on Cand Number00 for Senior Nurse"},
				forbidden: []string{"<b>really</b>", "No notes yet."}},
			{name: "note count on the board", as: slRita, method: http.MethodGet, path: jp, status: http.StatusOK,
				contains: []string{"1 note"}, forbidden: []string{"top rate"}},

			// Move from the application page, back to it.
			{name: "move", as: slRita, method: http.MethodPost, path: ap + "/stage", form: url.Values{"stage_id": {fmt.Sprint(offer.ID)}, "next": {ap}},
				status: http.StatusSeeOther, location: ap},
			{name: "moved", as: slRita, method: http.MethodGet, path: ap, status: http.StatusOK,
				contains: []string{"Cand Number00 moved to Offer.", "In <strong>Offer</strong>", "moved Cand Number00 from Sourced to Offer"}},

			// Remove: a confirmation step without script, then gone.
			{name: "remove unknown", as: slRita, method: http.MethodPost, path: "/applications/987654/remove", status: http.StatusNotFound},
			{name: "remove", as: slRita, method: http.MethodPost, path: ap + "/remove", status: http.StatusSeeOther, location: jp},
			{name: "removed", as: slRita, method: http.MethodGet, path: jp, status: http.StatusOK,
				contains: []string{"Cand Number00 was taken off the shortlist.", "took Cand Number00 off the shortlist for Senior Nurse", "1 candidate on the shortlist."}},
			{name: "gone", as: slRita, method: http.MethodGet, path: ap, status: http.StatusNotFound},
			{name: "remove again", as: slRita, method: http.MethodPost, path: ap + "/remove", status: http.StatusNotFound},
		})

		if n := len(s.apps(t)); n != 1 {
			t.Fatalf("%d on the shortlist, want 1", n)
		}
		evs, _, err := db.Services().Events.FindEvents(ctx, portico.EventFilter{CandidateID: app.CandidateID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range evs {
			actions = append(actions, e.Action)
		}
		want := "application.removed application.moved application.noted application.added"
		if got := strings.Join(actions[:4], " "); got != want {
			t.Fatalf("candidate history %s, want %s", got, want)
		}
	})
}
