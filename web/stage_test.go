package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

const slRita = "rita@agency.test"

// slStage finds a stage by its internal name.
func slStage(t *testing.T, db *sqlstore.DB, name string) *portico.Stage {
	t.Helper()
	sts, err := db.Services().Stages.FindStages(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sts {
		if s.InternalName == name {
			return s
		}
	}
	t.Fatalf("no stage %q", name)
	return nil
}

func TestStagePages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		testkit.AddUser(t, db, "Rita Recruiter", slRita, portico.RoleRecruiter)
		offer := slStage(t, db, "Offer")
		screening := slStage(t, db, "Screening")
		withdrawn := slStage(t, db, "Withdrawn")

		// A candidate in Offer keeps that stage from being deleted.
		rec, _ := db.Services().Users.FindUserByEmail(context.Background(), slRita)
		job := testkit.AddJob(t, db, testkit.AddClient(t, db, "Northwind Health").ID, rec.ID, "Senior Nurse")
		cand := testkit.AddCandidate(t, db, "Jane", "Doe")
		ctx := testkit.AsUser(rec)
		if _, err := db.Services().Applications.AddToShortlist(ctx, job.ID, []int64{cand.ID}); err != nil {
			t.Fatal(err)
		}
		apps, _, _ := db.Services().Applications.FindApplications(ctx, portico.ApplicationFilter{JobID: job.ID})
		if _, err := db.Services().Applications.MoveApplication(ctx, apps[0].ID, offer.ID); err != nil {
			t.Fatal(err)
		}
		id := func(st *portico.Stage) string { return fmt.Sprint(st.ID) }
		adm := testkit.AdminEmail

		s.run(t, []scenario{
			{name: "visitor", method: http.MethodGet, path: "/stages", status: http.StatusSeeOther, location: "/signin"},
			{name: "recruiter can't open", as: slRita, method: http.MethodGet, path: "/stages", status: http.StatusForbidden, contains: []string{"Only agency admins"}},
			{name: "recruiter can't add", as: slRita, method: http.MethodPost, path: "/stages", form: url.Values{"internal_name": {"Sneaky"}, "kind": {"offer"}}, status: http.StatusForbidden},
			{name: "recruiter can't retire", as: slRita, method: http.MethodPost, path: "/stages/" + id(screening) + "/retire", status: http.StatusForbidden},
			{name: "list", as: adm, method: http.MethodGet, path: "/stages", status: http.StatusOK,
				contains: []string{"Pipeline stages", "Sourced", "Rejected by Client", "Clients see “Not progressing”", "Rejected by client",
					`action="/stages/` + id(offer) + `/move"`, "Move up", "Move down", "1 candidate", "Add a stage", `<label for="f-kind">`},
				forbidden: []string{"Retired stages", "Sneaky"}},
			// The first stage can't go up, the last can't go down.
			{name: "unused is deleted, used retired", as: adm, method: http.MethodGet, path: "/stages", status: http.StatusOK,
				contains: []string{"Retire<span class=\"sr-only\"> Offer", "Delete<span class=\"sr-only\"> Screening"}},

			{name: "add: no name", as: adm, method: http.MethodPost, path: "/stages", form: url.Values{"internal_name": {" "}, "kind": {""}}, status: http.StatusUnprocessableEntity,
				contains: []string{"Enter the stage&#39;s name.", "Choose what the stage means.", `aria-invalid="true"`, `id="form-errors"`}},
			{name: "add: duplicate", as: adm, method: http.MethodPost, path: "/stages", form: url.Values{"internal_name": {"offer"}, "kind": {"offer"}}, status: http.StatusConflict,
				contains: []string{"There is a stage with this name already.", `value="offer"`}},
			{name: "add", as: adm, method: http.MethodPost, path: "/stages", form: url.Values{"internal_name": {"Reference check"}, "client_name": {""}, "kind": {"offer"}},
				status: http.StatusSeeOther, location: "/stages#stage-"},
			{name: "added", as: adm, method: http.MethodGet, path: "/stages", status: http.StatusOK,
				contains: []string{"The stage “Reference check” was added at the end of the pipeline.", "Clients see “Reference check”"}},

			{name: "edit form", as: adm, method: http.MethodGet, path: "/stages/" + id(screening) + "/edit", status: http.StatusOK,
				contains: []string{"Edit stage “Screening”", `value="Under review"`, `<option value="sourcing" selected>`}},
			{name: "edit unknown", as: adm, method: http.MethodGet, path: "/stages/987654/edit", status: http.StatusNotFound},
			{name: "edit malformed", as: adm, method: http.MethodGet, path: "/stages/abc/edit", status: http.StatusNotFound},
			{name: "save: duplicate", as: adm, method: http.MethodPost, path: "/stages/" + id(screening),
				form: url.Values{"internal_name": {"Sourced"}, "client_name": {"x"}, "kind": {"sourcing"}}, status: http.StatusConflict,
				contains: []string{"There is a stage with this name already.", `value="Sourced"`}},
			{name: "save: bad kind", as: adm, method: http.MethodPost, path: "/stages/" + id(screening),
				form: url.Values{"internal_name": {"Phone screen"}, "kind": {"bogus"}}, status: http.StatusUnprocessableEntity, contains: []string{"Choose what the stage means."}},
			{name: "save", as: adm, method: http.MethodPost, path: "/stages/" + id(screening),
				form: url.Values{"internal_name": {"Phone screen"}, "client_name": {"Being reviewed"}, "kind": {"sourcing"}}, status: http.StatusSeeOther, location: "/stages#stage-" + id(screening)},
			{name: "saved", as: adm, method: http.MethodGet, path: "/stages", status: http.StatusOK,
				contains: []string{"The stage “Phone screen” was saved.", "Clients see “Being reviewed”"}, forbidden: []string{">Screening<"}},
			{name: "save unknown", as: adm, method: http.MethodPost, path: "/stages/987654", form: url.Values{"internal_name": {"X"}, "kind": {"offer"}}, status: http.StatusNotFound},

			{name: "move: bad position", as: adm, method: http.MethodPost, path: "/stages/" + id(offer) + "/move", form: url.Values{"position": {"up"}}, status: http.StatusUnprocessableEntity},
			{name: "move unknown", as: adm, method: http.MethodPost, path: "/stages/987654/move", form: url.Values{"position": {"1"}}, status: http.StatusNotFound},
			{name: "move up", as: adm, method: http.MethodPost, path: "/stages/" + id(offer) + "/move", form: url.Values{"position": {"4"}}, status: http.StatusSeeOther, location: "/stages#stage-" + id(offer)},
			{name: "moved", as: adm, method: http.MethodGet, path: "/stages", status: http.StatusOK, contains: []string{"“Offer” is now stage 4 of the pipeline."}},

			{name: "retire used", as: adm, method: http.MethodPost, path: "/stages/" + id(offer) + "/retire", status: http.StatusSeeOther},
			{name: "retired", as: adm, method: http.MethodGet, path: "/stages", status: http.StatusOK,
				contains: []string{"“Offer” was retired", "Retired stages", "Restore<span class=\"sr-only\"> Offer", `action="/stages/` + id(offer) + `/restore"`}},
			{name: "retire again", as: adm, method: http.MethodPost, path: "/stages/" + id(offer) + "/retire", status: http.StatusConflict,
				contains: []string{"The stage “Offer” is retired already.", "Pipeline stages"}},
			{name: "retire unused", as: adm, method: http.MethodPost, path: "/stages/" + id(withdrawn) + "/retire", status: http.StatusSeeOther, location: "/stages"},
			{name: "deleted", as: adm, method: http.MethodGet, path: "/stages", status: http.StatusOK,
				contains: []string{"“Withdrawn” was deleted: no candidate was in it."}, forbidden: []string{"stage-" + id(withdrawn)}},
			{name: "deleted is gone", as: adm, method: http.MethodGet, path: "/stages/" + id(withdrawn) + "/edit", status: http.StatusNotFound},
			{name: "restore", as: adm, method: http.MethodPost, path: "/stages/" + id(offer) + "/restore", status: http.StatusSeeOther},
			{name: "restored", as: adm, method: http.MethodGet, path: "/stages", status: http.StatusOK,
				contains: []string{"“Offer” was restored at the end of the pipeline."}, forbidden: []string{"Retired stages"}},
			{name: "restore active", as: adm, method: http.MethodPost, path: "/stages/" + id(offer) + "/restore", status: http.StatusConflict,
				contains: []string{"is in use already"}},
			{name: "restore unknown", as: adm, method: http.MethodPost, path: "/stages/987654/restore", status: http.StatusNotFound},
		})

		evs, _, err := db.Services().Events.FindEvents(context.Background(), portico.EventFilter{Action: "stage.renamed"})
		if err != nil || len(evs) != 1 {
			t.Fatalf("stage.renamed events %v %v", evs, err)
		}
	})
}

// The last active stage can't be retired: the page says why, and offers
// no button for it.
func TestStageLastActive(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		ctx := testkit.AsUser(s.admin)
		sts, err := db.Services().Stages.ListStages(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range sts[1:] {
			if err := db.Services().Stages.RetireStage(ctx, st.ID); err != nil {
				t.Fatal(err)
			}
		}
		last := fmt.Sprint(sts[0].ID)
		s.run(t, []scenario{
			{name: "refused", as: testkit.AdminEmail, method: http.MethodPost, path: "/stages/" + last + "/retire", status: http.StatusConflict,
				contains: []string{"is the last active stage, so it can&#39;t be retired", `role="alert"`}},
			{name: "no button", as: testkit.AdminEmail, method: http.MethodGet, path: "/stages", status: http.StatusOK,
				contains: []string{"The last active stage stays."}, forbidden: []string{"/stages/" + last + "/retire", "Move up", "Move down"}},
		})
	})
}
