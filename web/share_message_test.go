package web_test

import (
	"strconv"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// TestShareMessagesFollowPermissions checks the messages the "Share job
// tracker" and "Send résumés" forms start with: they offer the client only
// what its portal settings allow, never what the portal would then refuse.
func TestShareMessagesFollowPermissions(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPVWorld(t, db, clock)
		rita := w.s.signedIn(w.rita.Email)
		job := "/jobs/" + strconv.FormatInt(w.nurse.ID, 10)
		forms := []string{job + "/tracker", job + "/send"}

		for _, path := range forms {
			res := rita.get(path)
			if res.status != 200 || !strings.Contains(res.body, "you can rate them, leave feedback and propose interview times right there.") &&
				!strings.Contains(res.body, "You can rate them, leave feedback and propose interview times right there.") {
				t.Errorf("GET %s with every action allowed: %d, no offer of all three", path, res.status)
			}
		}

		svc := db.Services()
		st, err := svc.PortalSettings.Settings(testkit.AsUser(w.s.admin), w.acme.ID)
		must(t, err)
		st.Custom = true
		st.Allow = portico.PortalPermissions{Rate: true, Feedback: true, Approve: true}
		must(t, svc.PortalSettings.SetSettings(testkit.AsUser(w.s.admin), st, nil))
		for _, path := range forms {
			res := rita.get(path)
			if res.status != 200 || !strings.Contains(strings.ToLower(res.body), "you can rate them and leave feedback right there.") || strings.Contains(res.body, "propose interview times") {
				t.Errorf("GET %s without interviews: %d, message still offers them or lost the rest", path, res.status)
			}
		}

		st.Allow = portico.PortalPermissions{Approve: true, Reject: true}
		must(t, svc.PortalSettings.SetSettings(testkit.AsUser(w.s.admin), st, nil))
		for _, path := range forms {
			res := rita.get(path)
			if res.status != 200 || strings.Contains(res.body, "right there.") || strings.Contains(res.body, "rate them") {
				t.Errorf("GET %s with no rating, feedback or interviews: %d, message offers them", path, res.status)
			}
		}
	})
}
