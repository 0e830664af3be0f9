package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// shortlistFixture is a job with a client, a recruiter and some candidates.
type shortlistFixture struct {
	adm, rec *portico.User
	client   *portico.Client
	job      *portico.Job
	cands    []*portico.Candidate
	ctx      context.Context // the recruiter
}

func newShortlistFixture(t *testing.T, db *sqlstore.DB, candidates int) *shortlistFixture {
	t.Helper()
	f := &shortlistFixture{adm: testkit.SetUp(t, db)}
	f.rec = testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
	f.client = testkit.AddClient(t, db, "Northwind Health")
	f.job = testkit.AddJob(t, db, f.client.ID, f.rec.ID, "Senior Nurse")
	for i := range candidates {
		f.cands = append(f.cands, testkit.AddCandidate(t, db, "Cand", fmt.Sprintf("Number%02d", i)))
	}
	f.ctx = testkit.AsUser(f.rec)
	return f
}

func (f *shortlistFixture) ids(n int) []int64 {
	var out []int64
	for _, c := range f.cands[:n] {
		out = append(out, c.ID)
	}
	return out
}

func shortlist(t *testing.T, db *sqlstore.DB, ctx context.Context, filter portico.ApplicationFilter) ([]*portico.Application, int) {
	t.Helper()
	list, total, err := db.Services().Applications.FindApplications(ctx, filter)
	ok(t, err)
	return list, total
}

func TestApplicationAdd(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		f := newShortlistFixture(t, db, 3)
		apps := db.Services().Applications

		// The first active stage is where they start, whatever its ID.
		ok(t, db.Services().Stages.MoveStage(admin(f.adm), stageByName(t, db, "Screening").ID, 1))
		n, err := apps.AddToShortlist(f.ctx, f.job.ID, []int64{f.cands[0].ID, f.cands[1].ID, f.cands[0].ID, 0, -4})
		ok(t, err)
		if n != 2 {
			t.Fatalf("added %d, want 2", n)
		}
		list, total := shortlist(t, db, f.ctx, portico.ApplicationFilter{JobID: f.job.ID})
		if total != 2 || len(list) != 2 {
			t.Fatalf("shortlist %d of %d", len(list), total)
		}
		a := list[0]
		if a.JobID != f.job.ID || a.JobTitle != "Senior Nurse" || a.ClientName != "Northwind Health" || a.CandidateID != f.cands[0].ID ||
			a.CandidateName != "Cand Number00" || a.CandidateTitle != "Staff Nurse" || a.CandidateCity != "Leeds" ||
			a.StageName != "Screening" || a.StageKind != portico.KindSourcing || a.AddedBy != f.rec.ID ||
			!a.CreatedAt.Equal(clock.Now()) || !a.StageChangedAt.Equal(clock.Now()) || a.Notes != 0 {
			t.Fatalf("application %+v", a)
		}

		// One event per candidate, naming the job, the candidate and the client.
		evs := events(t, db, "application.added")
		if len(evs) != 2 {
			t.Fatalf("%d application.added events", len(evs))
		}
		e := evs[1]
		if e.SubjectType != "application" || e.SubjectID != a.ID || e.JobID != f.job.ID || e.CandidateID != f.cands[0].ID ||
			e.ClientID != f.client.ID || e.ActorID != f.rec.ID || e.Details["candidate"] != "Cand Number00" || e.Details["job"] != "Senior Nurse" {
			t.Fatalf("application.added event %+v", e)
		}

		// Those on it already are skipped.
		n, err = apps.AddToShortlist(f.ctx, f.job.ID, f.ids(3))
		ok(t, err)
		if n != 1 {
			t.Fatalf("second add: added %d, want 1", n)
		}
		n, err = apps.AddToShortlist(f.ctx, f.job.ID, f.ids(3))
		ok(t, err)
		if n != 0 || len(events(t, db, "application.added")) != 3 {
			t.Fatalf("third add: added %d", n)
		}

		// Refusals change nothing.
		_, err = apps.AddToShortlist(f.ctx, 987654, f.ids(1))
		wantCode(t, err, portico.ENOTFOUND)
		other := testkit.AddJob(t, db, f.client.ID, f.rec.ID, "Ward Manager")
		_, err = apps.AddToShortlist(f.ctx, other.ID, []int64{f.cands[0].ID, 987654})
		wantCode(t, err, portico.ENOTFOUND)
		_, err = apps.AddToShortlist(f.ctx, other.ID, nil)
		wantCode(t, err, portico.EINVALID)
		_, err = apps.AddToShortlist(fromIP("203.0.113.9"), other.ID, f.ids(1))
		wantCode(t, err, portico.EUNAUTHORIZED)
		if n := count(t, db, `SELECT COUNT(*) FROM applications WHERE job_id = ?`, other.ID); n != 0 {
			t.Fatalf("%d applications after refused adds", n)
		}
	})
}

func TestApplicationList(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		f := newShortlistFixture(t, db, 12)
		apps := db.Services().Applications
		_, err := apps.AddToShortlist(f.ctx, f.job.ID, f.ids(12))
		ok(t, err)
		list, _ := shortlist(t, db, f.ctx, portico.ApplicationFilter{JobID: f.job.ID})
		offer := stageByName(t, db, "Offer")
		interview := stageByName(t, db, "Client interview")
		for _, a := range list[:3] {
			_, err := apps.MoveApplication(f.ctx, a.ID, offer.ID)
			ok(t, err)
		}
		for _, a := range list[3:5] {
			_, err := apps.MoveApplication(f.ctx, a.ID, interview.ID)
			ok(t, err)
		}
		for i := range 3 {
			_, err := apps.AddNote(f.ctx, list[11].ID, fmt.Sprintf("note %d", i))
			ok(t, err)
		}

		// Counts per stage, one query.
		counts, err := apps.StageCounts(f.ctx, f.job.ID)
		ok(t, err)
		got := map[int64]int{}
		for _, c := range counts {
			got[c.StageID] = c.Count
		}
		sourced := stageByName(t, db, "Sourced")
		if len(got) != 3 || got[sourced.ID] != 7 || got[interview.ID] != 2 || got[offer.ID] != 3 {
			t.Fatalf("stage counts %v", got)
		}

		// Pages in pipeline order, with the total, and notes counted.
		p1, total := shortlist(t, db, f.ctx, portico.ApplicationFilter{JobID: f.job.ID, Limit: 5})
		p2, _ := shortlist(t, db, f.ctx, portico.ApplicationFilter{JobID: f.job.ID, Limit: 5, Offset: 5})
		p3, _ := shortlist(t, db, f.ctx, portico.ApplicationFilter{JobID: f.job.ID, Limit: 5, Offset: 10})
		if total != 12 || len(p1) != 5 || len(p2) != 5 || len(p3) != 2 {
			t.Fatalf("pages %d/%d/%d of %d", len(p1), len(p2), len(p3), total)
		}
		all := append(append(p1, p2...), p3...)
		var order []string
		for _, a := range all {
			order = append(order, a.StageName)
		}
		if order[0] != "Sourced" || order[6] != "Sourced" || order[7] != "Client interview" || order[9] != "Offer" || order[11] != "Offer" {
			t.Fatalf("pipeline order %v", order)
		}
		for _, a := range all {
			want := 0
			if a.ID == list[11].ID {
				want = 3
			}
			if a.Notes != want {
				t.Fatalf("application %d has %d notes, want %d", a.ID, a.Notes, want)
			}
		}

		// Filtered by stage, and a candidate's jobs.
		inOffer, total := shortlist(t, db, f.ctx, portico.ApplicationFilter{JobID: f.job.ID, StageID: offer.ID})
		if total != 3 || len(inOffer) != 3 || inOffer[0].StageID != offer.ID {
			t.Fatalf("offer stage: %d of %d", len(inOffer), total)
		}
		other := testkit.AddJob(t, db, f.client.ID, f.rec.ID, "Ward Manager")
		_, err = apps.AddToShortlist(f.ctx, other.ID, []int64{list[11].CandidateID})
		ok(t, err)
		theirs, total := shortlist(t, db, f.ctx, portico.ApplicationFilter{CandidateID: list[11].CandidateID})
		if total != 2 || theirs[0].JobTitle != "Ward Manager" || theirs[1].JobTitle != "Senior Nurse" || theirs[1].Notes != 3 {
			t.Fatalf("candidate's jobs %+v", theirs)
		}
		none, total := shortlist(t, db, f.ctx, portico.ApplicationFilter{JobID: 987654})
		if total != 0 || len(none) != 0 {
			t.Fatalf("unknown job: %d", total)
		}

		one, err := apps.FindApplicationByID(f.ctx, list[11].ID)
		ok(t, err)
		if one.Notes != 3 || one.CandidateName != list[11].CandidateName {
			t.Fatalf("FindApplicationByID %+v", one)
		}
		_, err = apps.FindApplicationByID(f.ctx, 987654)
		wantCode(t, err, portico.ENOTFOUND)
		_, err = apps.FindApplicationByID(fromIP("203.0.113.9"), one.ID)
		wantCode(t, err, portico.EUNAUTHORIZED)
	})
}

func TestApplicationMove(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		f := newShortlistFixture(t, db, 1)
		apps := db.Services().Applications
		_, err := apps.AddToShortlist(f.ctx, f.job.ID, f.ids(1))
		ok(t, err)
		list, _ := shortlist(t, db, f.ctx, portico.ApplicationFilter{JobID: f.job.ID})
		a := list[0]
		sub := stageByName(t, db, "Submitted to client")

		clock.Advance(90 * 60e9)
		moved, err := apps.MoveApplication(f.ctx, a.ID, sub.ID)
		ok(t, err)
		if moved.StageID != sub.ID || moved.StageName != "Submitted to client" || !moved.StageChangedAt.Equal(clock.Now()) || !moved.CreatedAt.Equal(a.CreatedAt) {
			t.Fatalf("moved %+v", moved)
		}
		evs := events(t, db, "application.moved")
		if len(evs) != 1 {
			t.Fatalf("%d application.moved events", len(evs))
		}
		e := evs[0]
		if e.SubjectID != a.ID || e.JobID != f.job.ID || e.CandidateID != a.CandidateID || e.ClientID != f.client.ID ||
			e.Details["from"] != "Sourced" || e.Details["to"] != "Submitted to client" || e.Details["candidate"] != "Cand Number00" {
			t.Fatalf("application.moved event %+v", e)
		}
		// To where it is: no change, no event.
		_, err = apps.MoveApplication(f.ctx, a.ID, sub.ID)
		ok(t, err)
		if n := len(events(t, db, "application.moved")); n != 1 {
			t.Fatalf("%d application.moved events after a move in place", n)
		}
		_, err = apps.MoveApplication(f.ctx, 987654, sub.ID)
		wantCode(t, err, portico.ENOTFOUND)
		_, err = apps.MoveApplication(f.ctx, a.ID, 987654)
		wantCode(t, err, portico.ENOTFOUND)
		_, err = apps.MoveApplication(fromIP("203.0.113.9"), a.ID, stageByName(t, db, "Offer").ID)
		wantCode(t, err, portico.EUNAUTHORIZED)
		if got := column(t, db, `SELECT s.internal_name FROM applications a JOIN stages s ON s.id = a.stage_id WHERE a.id = ?`, a.ID); got[0] != "Submitted to client" {
			t.Fatalf("stage after refused moves: %v", got)
		}
	})
}

func TestApplicationNotesAndRemove(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		f := newShortlistFixture(t, db, 2)
		apps := db.Services().Applications
		_, err := apps.AddToShortlist(f.ctx, f.job.ID, f.ids(2))
		ok(t, err)
		list, _ := shortlist(t, db, f.ctx, portico.ApplicationFilter{JobID: f.job.ID})
		a := list[0]

		secret := "Salary expectation is above the client's range."
		n1, err := apps.AddNote(f.ctx, a.ID, "  "+secret+"\n")
		ok(t, err)
		if n1.Body != secret || n1.AuthorID != f.rec.ID || n1.AuthorName != "Rita Recruiter" || n1.ApplicationID != a.ID || !n1.CreatedAt.Equal(clock.Now()) {
			t.Fatalf("note %+v", n1)
		}
		clock.Advance(60e9)
		_, err = apps.AddNote(admin(f.adm), a.ID, "Second thoughts.")
		ok(t, err)
		notes, err := apps.FindNotes(f.ctx, a.ID)
		ok(t, err)
		if len(notes) != 2 || notes[0].Body != "Second thoughts." || notes[0].AuthorName != "Ada Admin" || notes[1].ID != n1.ID {
			t.Fatalf("notes %+v", notes)
		}
		evs := events(t, db, "application.noted")
		if len(evs) != 2 || evs[1].JobID != f.job.ID || evs[1].CandidateID != a.CandidateID || evs[1].ClientID != f.client.ID {
			t.Fatalf("application.noted events %+v", evs)
		}
		// The text is in the notes table only, never in an event.
		if n := count(t, db, `SELECT COUNT(*) FROM events WHERE details LIKE ?`, "%above the client%"); n != 0 {
			t.Fatalf("%d events hold the note's text", n)
		}

		_, err = apps.AddNote(f.ctx, a.ID, " \n ")
		wantCode(t, err, portico.EINVALID)
		if portico.ErrorFields(err)["body"] == "" {
			t.Fatalf("empty note: fields %v", portico.ErrorFields(err))
		}
		_, err = apps.AddNote(f.ctx, a.ID, strings.Repeat("x", 10001))
		wantCode(t, err, portico.EINVALID)
		_, err = apps.AddNote(f.ctx, 987654, "Lost")
		wantCode(t, err, portico.ENOTFOUND)
		_, err = apps.AddNote(context.Background(), a.ID, "By the system")
		wantCode(t, err, portico.EFORBIDDEN)
		if n := count(t, db, `SELECT COUNT(*) FROM notes`); n != 2 {
			t.Fatalf("%d notes after refused adds", n)
		}

		// A task on the application outlives it, unlinked.
		sqldb := sqlstore.SQLDB(db)
		_, err = sqldb.ExecContext(context.Background(), sqlstore.Rebind(db, `INSERT INTO tasks (title, kind, job_id, application_id, assignee_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
			"Call back", "follow_up", f.job.ID, a.ID, f.rec.ID, clock.Now())
		ok(t, err)

		// Removing deletes the row and its notes; the history stays.
		ok(t, apps.RemoveApplication(f.ctx, a.ID))
		_, err = apps.FindApplicationByID(f.ctx, a.ID)
		wantCode(t, err, portico.ENOTFOUND)
		if n := count(t, db, `SELECT COUNT(*) FROM notes WHERE application_id = ?`, a.ID); n != 0 {
			t.Fatalf("%d notes left", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM tasks WHERE application_id IS NULL AND job_id = ?`, f.job.ID); n != 1 {
			t.Fatalf("task not unlinked")
		}
		rm := events(t, db, "application.removed")
		if len(rm) != 1 || rm[0].SubjectID != a.ID || rm[0].JobID != f.job.ID || rm[0].CandidateID != a.CandidateID || rm[0].Details["stage"] != "Sourced" {
			t.Fatalf("application.removed events %+v", rm)
		}
		hist, total, err := db.Services().Events.FindEvents(f.ctx, portico.EventFilter{JobID: f.job.ID})
		ok(t, err)
		if total < 5 || hist[0].Action != "application.removed" {
			t.Fatalf("job history: %d events, newest %+v", total, hist[0])
		}
		wantCode(t, apps.RemoveApplication(f.ctx, a.ID), portico.ENOTFOUND)
		if _, total := shortlist(t, db, f.ctx, portico.ApplicationFilter{JobID: f.job.ID}); total != 1 {
			t.Fatalf("%d left on the shortlist", total)
		}
		// They can be added again.
		n, err := apps.AddToShortlist(f.ctx, f.job.ID, []int64{a.CandidateID})
		ok(t, err)
		if n != 1 {
			t.Fatalf("re-added %d", n)
		}
	})
}

// Moves, adds and notes racing a stage being retired never fail with an
// internal error: each either lands before the retirement (and then the
// stage is retired, not deleted) or is refused with a clear message.
func TestApplicationRacesRetire(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		f := newShortlistFixture(t, db, 12)
		apps := db.Services().Applications
		_, err := apps.AddToShortlist(f.ctx, f.job.ID, f.ids(6))
		ok(t, err)
		list, _ := shortlist(t, db, f.ctx, portico.ApplicationFilter{JobID: f.job.ID})
		sourced := stageByName(t, db, "Sourced")
		offer := stageByName(t, db, "Offer")

		var wg sync.WaitGroup
		errs := make(chan error, 32)
		for _, a := range list {
			wg.Add(2)
			go func() {
				defer wg.Done()
				_, err := apps.MoveApplication(f.ctx, a.ID, offer.ID)
				errs <- err
			}()
			go func() {
				defer wg.Done()
				_, err := apps.AddNote(f.ctx, a.ID, "Racing")
				errs <- err
			}()
		}
		for _, c := range f.cands[6:] {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := apps.AddToShortlist(f.ctx, f.job.ID, []int64{c.ID})
				errs <- err
			}()
		}
		wg.Add(2)
		go func() { defer wg.Done(); errs <- db.Services().Stages.RetireStage(admin(f.adm), offer.ID) }()
		go func() { defer wg.Done(); errs <- db.Services().Stages.RetireStage(admin(f.adm), sourced.ID) }()
		wg.Wait()
		close(errs)
		for err := range errs {
			if c := portico.ErrorCode(err); c != "" && c != portico.ECONFLICT && c != portico.ENOTFOUND {
				t.Fatalf("unexpected error: %v", err)
			}
		}
		// Every application is in a stage that exists; a stage holding
		// any is retired, not deleted.
		if n := count(t, db, `SELECT COUNT(*) FROM applications a LEFT JOIN stages s ON s.id = a.stage_id WHERE s.id IS NULL`); n != 0 {
			t.Fatalf("%d applications in a deleted stage", n)
		}
		if _, total := shortlist(t, db, f.ctx, portico.ApplicationFilter{JobID: f.job.ID}); total != 12 {
			t.Fatalf("%d on the shortlist, want 12", total)
		}
	})
}
