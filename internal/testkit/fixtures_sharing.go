package testkit

import (
	"context"
	"testing"

	"portico"
	"portico/sqlstore"
)

// ShareApplication shares an application with its client, as the system,
// with the candidate's newest résumé if there is one (and the video résumé
// link when the candidate has one).
func ShareApplication(t testing.TB, db *sqlstore.DB, applicationID int64) {
	t.Helper()
	ctx := context.Background()
	a, err := db.Services().Applications.FindApplicationByID(ctx, applicationID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Services().Sharing.SetShared(ctx, a.JobID, []int64{applicationID}, true); err != nil {
		t.Fatal(err)
	}
}

// ShareWith shares an application with exactly what is given.
func ShareWith(t testing.TB, db *sqlstore.DB, applicationID int64, in portico.ShareInput) *portico.Share {
	t.Helper()
	s, err := db.Services().Sharing.Share(context.Background(), applicationID, in)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// SetVisibility sets the visible fields of a scope as the system.
func SetVisibility(t testing.TB, db *sqlstore.DB, scope portico.VisibilityScope, id int64, v portico.Visibility) {
	t.Helper()
	if err := db.Services().Sharing.SetVisibility(context.Background(), scope, id, v); err != nil {
		t.Fatal(err)
	}
}
