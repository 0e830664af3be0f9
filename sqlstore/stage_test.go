package sqlstore_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// stageNames lists the internal names of the stages, in order.
func stageNames(sts []*portico.Stage) []string {
	var out []string
	for _, s := range sts {
		out = append(out, s.InternalName)
	}
	return out
}

// activeNames returns the active stages' names in order, and checks their
// positions are 1…n.
func activeNames(t *testing.T, db *sqlstore.DB) []string {
	t.Helper()
	sts, err := db.Services().Stages.ListStages(context.Background(), false)
	ok(t, err)
	for i, s := range sts {
		if s.Position != i+1 || s.Retired {
			t.Fatalf("stage %d: %+v, want position %d and active", i, s, i+1)
		}
	}
	return stageNames(sts)
}

func stageByName(t *testing.T, db *sqlstore.DB, name string) *portico.Stage {
	t.Helper()
	sts, err := db.Services().Stages.FindStages(context.Background(), true)
	ok(t, err)
	for _, s := range sts {
		if s.InternalName == name {
			return s
		}
	}
	t.Fatalf("no stage %q in %v", name, stageNames(sts))
	return nil
}

func TestStagesDefault(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		got := activeNames(t, db)
		var want []string
		for _, s := range portico.DefaultStages {
			want = append(want, s.InternalName)
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("default stages %v, want %v", got, want)
		}
		rbc := stageByName(t, db, "Rejected by Client")
		if rbc.Kind != portico.KindRejectedByClient || rbc.ClientName != "Not progressing" || rbc.InUse != 0 {
			t.Fatalf("Rejected by Client = %+v", rbc)
		}
		// Everyone signed in reads the pipeline; visitors don't.
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		_, err := db.Services().Stages.FindStages(testkit.AsUser(rec), false)
		ok(t, err)
		_, err = db.Services().Stages.ListStages(fromIP("203.0.113.9"), false)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = db.Services().Stages.FindStageByID(admin(adm), 987654)
		wantCode(t, err, portico.ENOTFOUND)
	})
}

func TestStageCreate(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		stages := db.Services().Stages

		st, err := stages.CreateStage(admin(adm), portico.StageInput{InternalName: "  Reference check ", Kind: portico.KindOffer})
		ok(t, err)
		if st.InternalName != "Reference check" || st.ClientName != "Reference check" || st.Position != len(portico.DefaultStages)+1 || st.Retired {
			t.Fatalf("created %+v", st)
		}
		evs := events(t, db, "stage.created")
		if len(evs) != 1 || evs[0].SubjectType != "stage" || evs[0].SubjectID != st.ID || evs[0].Details["name"] != "Reference check" || evs[0].ActorID != adm.ID {
			t.Fatalf("stage.created events %+v", evs)
		}

		// Rules: a name, a kind, no duplicates (case aside), admins only.
		_, err = stages.CreateStage(admin(adm), portico.StageInput{InternalName: " ", Kind: "bogus"})
		wantCode(t, err, portico.EINVALID)
		if f := portico.ErrorFields(err); f["internal_name"] == "" || f["kind"] == "" {
			t.Fatalf("fields %v", f)
		}
		_, err = stages.CreateStage(admin(adm), portico.StageInput{InternalName: "reference CHECK", Kind: portico.KindOffer})
		wantCode(t, err, portico.ECONFLICT)
		if !strings.Contains(portico.ErrorFields(err)["internal_name"], "already") {
			t.Fatalf("duplicate name: fields %v", portico.ErrorFields(err))
		}
		_, err = stages.CreateStage(testkit.AsUser(rec), portico.StageInput{InternalName: "Mine", Kind: portico.KindOffer})
		wantCode(t, err, portico.EFORBIDDEN)
		if n := count(t, db, `SELECT COUNT(*) FROM stages`); n != len(portico.DefaultStages)+1 {
			t.Fatalf("%d stages after refused creates", n)
		}
	})
}

func TestStageUpdate(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		stages := db.Services().Stages
		sc := stageByName(t, db, "Screening")

		st, err := stages.UpdateStage(admin(adm), sc.ID, portico.StageInput{InternalName: "Phone screen", ClientName: "Being reviewed", Kind: portico.KindSourcing})
		ok(t, err)
		if st.InternalName != "Phone screen" || st.ClientName != "Being reviewed" || st.Position != sc.Position {
			t.Fatalf("updated %+v", st)
		}
		evs := events(t, db, "stage.renamed")
		if len(evs) != 1 || evs[0].Details["from"] != "Screening" || evs[0].Details["name"] != "Phone screen" {
			t.Fatalf("stage.renamed events %+v", evs)
		}
		// Saving without a change writes no event.
		_, err = stages.UpdateStage(admin(adm), sc.ID, portico.StageInput{InternalName: "Phone screen", ClientName: "Being reviewed", Kind: portico.KindSourcing})
		ok(t, err)
		if n := len(events(t, db, "stage.renamed")); n != 1 {
			t.Fatalf("%d stage.renamed events after a save without changes", n)
		}
		// Its own name in another case is fine; another stage's isn't.
		_, err = stages.UpdateStage(admin(adm), sc.ID, portico.StageInput{InternalName: "PHONE screen", Kind: portico.KindSourcing})
		ok(t, err)
		_, err = stages.UpdateStage(admin(adm), sc.ID, portico.StageInput{InternalName: "offer", Kind: portico.KindSourcing})
		wantCode(t, err, portico.ECONFLICT)
		_, err = stages.UpdateStage(admin(adm), 987654, portico.StageInput{InternalName: "Nope", Kind: portico.KindSourcing})
		wantCode(t, err, portico.ENOTFOUND)
	})
}

func TestStageMove(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		stages := db.Services().Stages
		offer := stageByName(t, db, "Offer")

		ok(t, stages.MoveStage(admin(adm), offer.ID, 1))
		if got := activeNames(t, db); got[0] != "Offer" || got[1] != "Sourced" || got[5] != "Placed" {
			t.Fatalf("after moving Offer to the top: %v", got)
		}
		ok(t, stages.MoveStage(admin(adm), offer.ID, 99)) // beyond the end: the end
		if got := activeNames(t, db); got[len(got)-1] != "Offer" || got[0] != "Sourced" {
			t.Fatalf("after moving Offer to the end: %v", got)
		}
		ok(t, stages.MoveStage(admin(adm), offer.ID, 5))
		want := "Sourced|Screening|Submitted to client|Client interview|Offer|Placed|Rejected by Client|Rejected by agency|Withdrawn"
		if got := strings.Join(activeNames(t, db), "|"); got != want {
			t.Fatalf("after moving Offer back: %s", got)
		}
		evs := events(t, db, "stage.moved")
		if len(evs) != 3 || evs[0].Details["from"] != "9" || evs[0].Details["to"] != "5" {
			t.Fatalf("stage.moved events %+v", evs)
		}
		// A move to where it is already is no change.
		ok(t, stages.MoveStage(admin(adm), offer.ID, 5))
		if n := len(events(t, db, "stage.moved")); n != 3 {
			t.Fatalf("%d stage.moved events after a move in place", n)
		}
		wantCode(t, stages.MoveStage(testkit.AsUser(rec), offer.ID, 1), portico.EFORBIDDEN)
		wantCode(t, stages.MoveStage(admin(adm), 987654, 1), portico.ENOTFOUND)
	})
}

func TestStageRetire(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		stages := db.Services().Stages
		job := testkit.AddJob(t, db, testkit.AddClient(t, db, "Northwind Health").ID, rec.ID, "Senior Nurse")
		cand := testkit.AddCandidate(t, db, "Jane", "Doe")
		apps := db.Services().Applications
		_, err := apps.AddToShortlist(testkit.AsUser(rec), job.ID, []int64{cand.ID})
		ok(t, err)
		list, _, err := apps.FindApplications(testkit.AsUser(rec), portico.ApplicationFilter{JobID: job.ID})
		ok(t, err)
		interview := stageByName(t, db, "Client interview")
		_, err = apps.MoveApplication(testkit.AsUser(rec), list[0].ID, interview.ID)
		ok(t, err)
		if st := stageByName(t, db, "Client interview"); st.InUse != 1 {
			t.Fatalf("Client interview in use by %d", st.InUse)
		}

		// In use: retired, kept for history, and no one can move into it.
		wantCode(t, stages.RetireStage(testkit.AsUser(rec), interview.ID), portico.EFORBIDDEN)
		ok(t, stages.RetireStage(admin(adm), interview.ID))
		st := stageByName(t, db, "Client interview")
		if !st.Retired || st.InUse != 1 {
			t.Fatalf("retired stage %+v", st)
		}
		if got := activeNames(t, db); len(got) != len(portico.DefaultStages)-1 || got[3] != "Offer" {
			t.Fatalf("active after retiring: %v", got)
		}
		all, err := stages.ListStages(context.Background(), true)
		ok(t, err)
		if last := all[len(all)-1]; last.ID != interview.ID {
			t.Fatalf("retired stage not listed last: %v", stageNames(all))
		}
		_, err = apps.MoveApplication(testkit.AsUser(rec), list[0].ID, stageByName(t, db, "Offer").ID)
		ok(t, err)
		_, err = apps.MoveApplication(testkit.AsUser(rec), list[0].ID, interview.ID)
		wantCode(t, err, portico.ECONFLICT)
		wantCode(t, stages.RetireStage(admin(adm), interview.ID), portico.ECONFLICT)
		wantCode(t, stages.MoveStage(admin(adm), interview.ID, 1), portico.ECONFLICT)
		if evs := events(t, db, "stage.retired"); len(evs) != 1 || evs[0].Details["name"] != "Client interview" {
			t.Fatalf("stage.retired events %+v", evs)
		}

		// Restored at the end.
		ok(t, stages.RestoreStage(admin(adm), interview.ID))
		if got := activeNames(t, db); got[len(got)-1] != "Client interview" {
			t.Fatalf("active after restoring: %v", got)
		}
		wantCode(t, stages.RestoreStage(admin(adm), interview.ID), portico.ECONFLICT)
		if evs := events(t, db, "stage.restored"); len(evs) != 1 {
			t.Fatalf("stage.restored events %+v", evs)
		}

		// Unused: deleted.
		wd := stageByName(t, db, "Withdrawn")
		ok(t, stages.RetireStage(admin(adm), wd.ID))
		_, err = stages.FindStageByID(context.Background(), wd.ID)
		wantCode(t, err, portico.ENOTFOUND)
		if evs := events(t, db, "stage.deleted"); len(evs) != 1 || evs[0].Details["name"] != "Withdrawn" {
			t.Fatalf("stage.deleted events %+v", evs)
		}

		// The last active stage stays.
		sts, err := stages.ListStages(context.Background(), false)
		ok(t, err)
		for _, s := range sts[:len(sts)-1] {
			ok(t, stages.RetireStage(admin(adm), s.ID))
		}
		last := sts[len(sts)-1]
		err = stages.RetireStage(admin(adm), last.ID)
		wantCode(t, err, portico.ECONFLICT)
		if !strings.Contains(portico.ErrorMessage(err), "last active stage") {
			t.Fatalf("message %q", portico.ErrorMessage(err))
		}
		if got := activeNames(t, db); len(got) != 1 || got[0] != last.InternalName {
			t.Fatalf("active at the end: %v", got)
		}
		// A retired stage's name is taken, with a hint to restore it.
		_, err = stages.CreateStage(admin(adm), portico.StageInput{InternalName: "Offer", Kind: portico.KindOffer})
		wantCode(t, err, portico.ECONFLICT)
		if !strings.Contains(portico.ErrorFields(err)["internal_name"], "retired") {
			t.Fatalf("fields %v", portico.ErrorFields(err))
		}
	})
}

// Two admins adding stages at once both end up in a clean order, and a
// name can't be taken twice.
func TestStageConcurrentChanges(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		stages := db.Services().Stages
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				name := "Extra " + string(rune('A'+i%4)) // each name twice
				_, errs[i] = stages.CreateStage(admin(adm), portico.StageInput{InternalName: name, Kind: portico.KindSourcing})
			}()
		}
		wg.Wait()
		created, conflicts := 0, 0
		for _, err := range errs {
			switch portico.ErrorCode(err) {
			case "":
				created++
			case portico.ECONFLICT:
				conflicts++
			default:
				t.Fatalf("unexpected error %v", err)
			}
		}
		if created != 4 || conflicts != 4 {
			t.Fatalf("%d created, %d conflicts; want 4 and 4", created, conflicts)
		}
		if got := activeNames(t, db); len(got) != len(portico.DefaultStages)+4 {
			t.Fatalf("active stages %v", got)
		}
	})
}
