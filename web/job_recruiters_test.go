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

// TestJobRecruiters: the console form that chooses a job's recruiting
// team, who may use it, what it refuses, and the team on the portal's job
// page, in order, with mail and phone links.
func TestJobRecruiters(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newSite(t, db, clock)
		ctx := context.Background()
		svc := db.Services()
		newUser := func(name, email, phone string) *portico.User {
			u, err := svc.Users.CreateUser(ctx, portico.NewUser{Name: name, Email: email, Phone: phone, Role: portico.RoleRecruiter, Password: testkit.Password})
			must(t, err)
			return u
		}
		rita := newUser("Rita Recruiter", "rita@agency.test", "+44 20 7946 0001")
		sam := newUser("Sam Sourcer", "sam@agency.test", "+44 (0)20 7946 0002")
		ivy := newUser("Ivy Inactive", "ivy@agency.test", "")
		off := false
		_, err := svc.Users.UpdateUser(testkit.AsUser(s.admin), ivy.ID, portico.UserUpdate{Active: &off})
		must(t, err)
		client := testkit.AddClient(t, db, "Northwind Health")
		job := testkit.AddJob(t, db, client.ID, rita.ID, "Senior Nurse")
		cand := testkit.AddCandidate(t, db, "Jane", "Doe")
		testkit.ShareApplication(t, db, pvApply(t, db, job.ID, cand.ID))
		hal := testkit.PortalContact(t, db, client.ID, "Hal Hiring", "hal@northwind.test")

		jp := fmt.Sprintf("/jobs/%d", job.ID)
		rp := jp + "/recruiters"
		pp := fmt.Sprintf("/portal/jobs/%d", job.ID)
		row := func(kv ...string) url.Values {
			v := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
		id := func(u *portico.User) string { return fmt.Sprint(u.ID) }
		s.run(t, []scenario{
			{name: "visitor", path: rp, status: http.StatusSeeOther, location: "/signin"},
			{name: "visitor can't save", method: http.MethodPost, path: rp, form: row("user_1", id(sam)), status: http.StatusSeeOther, location: "/signin"},
			{name: "unknown job", as: "rita@agency.test", path: "/jobs/987654/recruiters", status: http.StatusNotFound},
			{name: "unknown job post", as: "rita@agency.test", method: http.MethodPost, path: "/jobs/987654/recruiters", form: row("user_1", id(sam)),
				status: http.StatusNotFound},
			{name: "malformed job", as: "rita@agency.test", path: "/jobs/x/recruiters", status: http.StatusNotFound},
			{name: "the job page links to the form", as: "rita@agency.test", path: jp, status: http.StatusOK,
				contains: []string{`href="` + rp + `"`, "Change the recruiting team", "Recruiting team clients see: Rita Recruiter (Recruiter)."}},
			{name: "form: the owner until a team is chosen", as: "rita@agency.test", path: rp, status: http.StatusOK,
				contains: []string{"Recruiting team for Senior Nurse", "Contacts at Northwind Health see these people",
					`<label for="f-user_1">Name</label>`, `<label for="f-role_1">Role the client sees</label>`, `list="jr-roles"`,
					`<option value="Account manager">`, `value="` + id(rita) + `" selected>Rita Recruiter`, `value="` + id(sam) + `">Sam Sourcer`,
					`id="f-user_4"`},
				forbidden: []string{"Ivy Inactive", `id="f-user_5"`}},

			// Refused input comes back with the message beside the field.
			{name: "unknown person", as: "rita@agency.test", method: http.MethodPost, path: rp, form: row("user_1", "987654", "role_1", "Lead"),
				status: http.StatusUnprocessableEntity, contains: []string{"Choose one of the people listed.", `id="f-user_1-error"`, `value="Lead"`}},
			{name: "inactive person", as: "rita@agency.test", method: http.MethodPost, path: rp, form: row("user_1", id(ivy)),
				status: http.StatusUnprocessableEntity, contains: []string{"Choose one of the people listed."}},
			{name: "malformed person", as: "rita@agency.test", method: http.MethodPost, path: rp, form: row("user_1", "1 OR 1=1"),
				status: http.StatusUnprocessableEntity, contains: []string{"Choose one of the people listed."}},
			{name: "twice", as: "rita@agency.test", method: http.MethodPost, path: rp, form: row("user_1", id(sam), "user_3", id(sam)),
				status: http.StatusUnprocessableEntity, contains: []string{"Sam Sourcer is listed twice.", `id="f-user_3-error"`, `href="#f-user_3"`},
				forbidden: []string{`id="f-user_1-error"`}},
			{name: "a role without a person", as: "rita@agency.test", method: http.MethodPost, path: rp, form: row("user_1", id(sam), "role_2", "Account manager"),
				status: http.StatusUnprocessableEntity, contains: []string{"Choose who is Account manager, or clear the role.", `id="f-user_2-error"`}},
			{name: "role too long", as: "rita@agency.test", method: http.MethodPost, path: rp, form: row("user_1", id(sam), "role_1", strings.Repeat("r", 61)),
				status: http.StatusUnprocessableEntity, contains: []string{"Keep the role under 60 characters.", `id="f-role_1-error"`}},

			// Saved, in the order chosen (gaps closed up).
			{name: "save", as: "rita@agency.test", method: http.MethodPost, path: rp,
				form:   row("user_1", id(sam), "role_1", "  Account manager ", "user_3", id(rita), "role_3", "Recruiter"),
				status: http.StatusSeeOther, location: jp + "#portal-h"},
			{name: "confirmed", as: "rita@agency.test", path: jp, status: http.StatusOK,
				contains: []string{"Saved: contacts at Northwind Health see Sam Sourcer and Rita Recruiter on Senior Nurse.",
					"Recruiting team clients see: Sam Sourcer (Account manager) and Rita Recruiter (Recruiter)."}},
			{name: "form shows the team", as: "rita@agency.test", path: rp, status: http.StatusOK,
				contains: []string{`value="` + id(sam) + `" selected>Sam Sourcer`, `id="f-role_1" name="role_1" type="text" value="Account manager"`,
					`id="f-role_2" name="role_2" type="text" value="Recruiter"`, `id="f-user_5"`}},
		})
		rs, err := svc.PortalSettings.JobRecruiters(testkit.AsUser(s.admin), job.ID)
		must(t, err)
		if len(rs) != 2 || rs[0].UserID != sam.ID || rs[0].Role != "Account manager" || rs[1].UserID != rita.ID || rs[1].Role != "Recruiter" {
			t.Fatalf("stored team %+v", rs)
		}

		// The client sees the team, in order, with links to write and call.
		s.portalRun(t, []scenario{
			{name: "portal job page", as: hal.Email, path: pp, status: http.StatusOK,
				contains: []string{"Your recruiting team", "Sam Sourcer", "Account manager", `href="mailto:sam@agency.test"`, `href="tel:&#43;442079460002"`,
					"Rita Recruiter", `href="mailto:rita@agency.test"`, `href="tel:&#43;442079460001"`},
				forbidden: []string{"Ivy", "Ada Admin"}},
		})
		page := s.portalSignedIn(hal.Email).get(pp)
		if strings.Index(page.body, "Sam Sourcer") > strings.Index(page.body, "Rita Recruiter") {
			t.Error("the team is not in the order chosen")
		}

		// An admin clears the team: the client sees the owner again.
		s.run(t, []scenario{
			{name: "clear", as: testkit.AdminEmail, method: http.MethodPost, path: rp, form: url.Values{}, status: http.StatusSeeOther, location: jp},
			{name: "cleared", as: testkit.AdminEmail, path: jp, status: http.StatusOK,
				contains: []string{"Saved: contacts at Northwind Health see the job’s owner, Rita Recruiter, on Senior Nurse."}},
		})
		s.portalRun(t, []scenario{
			{name: "portal: the owner", as: hal.Email, path: pp, status: http.StatusOK,
				contains: []string{"Your recruiter", "Rita Recruiter", `href="mailto:rita@agency.test"`}, forbidden: []string{"Sam Sourcer", "Your recruiting team"}},
		})
		// A contact's portal session is no way into the console.
		if res := s.portalSignedIn(hal.Email).get(rp); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/signin") {
			t.Errorf("portal contact on the console form: %d %s", res.status, res.header.Get("Location"))
		}
	})
}
