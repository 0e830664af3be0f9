package demo

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"time"

	"portico"
	"portico/sqlstore"
)

// PortalEmail is the documented demo sign-in for the client portal (with
// Password): a hiring manager at the first client, with access to all of
// its jobs.
const PortalEmail = "hiring.manager@demo.portico.test"

// portalClients is how many clients get portal accounts and shared
// candidates.
const portalClients = 3

var activationLink = regexp.MustCompile(`/portal/activate/([A-Za-z0-9_-]+)`)

// asContact returns a context in which a contact acts on the portal.
func asContact(k *portico.Contact) context.Context {
	return portico.NewContextWithActor(context.Background(), portico.Actor{
		Kind: portico.ActorContact, ID: k.ID, Name: k.Name, UserAgent: "Portico demo",
	})
}

// loadPortal gives the first clients' contacts portal accounts in every
// status, shares candidates on their jobs with résumés, and has the
// contacts rate them, give feedback and ask for an interview, all through
// the services, so the history, alerts and tasks are what real use makes.
func loadPortal(ctx context.Context, db *sqlstore.DB, g *gen, users []*portico.User, progress func(string)) error {
	svc := db.Services()
	if svc.PortalAccounts == nil || svc.PortalAuth == nil || svc.Sharing == nil || svc.PortalActions == nil {
		return nil // the portal's services are not all there yet
	}
	admin := as(users[0])
	clients, _, err := svc.Clients.FindClients(admin, portico.ClientFilter{Limit: 100})
	if err != nil {
		return err
	}
	made, shared := 0, 0
	var connected []*portico.Contact
	for _, c := range clients {
		if made == portalClients {
			break
		}
		jobs, _, err := svc.Jobs.FindJobs(admin, portico.JobFilter{ClientID: c.ID, Limit: 20})
		if err != nil {
			return err
		}
		var withShortlist []*portico.Job
		for _, j := range jobs {
			if _, n, err := svc.Applications.FindApplications(admin, portico.ApplicationFilter{JobID: j.ID, Limit: 1}); err != nil {
				return err
			} else if n > 0 {
				withShortlist = append(withShortlist, j)
			}
		}
		if len(withShortlist) == 0 {
			continue
		}
		owner := userByID(users, c.OwnerID)
		ks, _, err := svc.Clients.FindContacts(admin, c.ID, 0, 10)
		if err != nil {
			return err
		}
		if made == 0 {
			k, err := svc.Clients.CreateContact(as(owner), c.ID, portico.ContactInput{Name: "Jordan Reyes", Title: "Head of Talent",
				Email: PortalEmail, Phone: g.phone()})
			if err != nil {
				return fmt.Errorf("portal contact: %w", err)
			}
			ks = append([]*portico.Contact{k}, ks...)
		}
		// The first contact is connected with all jobs; then, client by
		// client, the others show the other states an account can be in.
		for i, k := range ks {
			state := portico.PortalConnected
			switch {
			case i == 0:
			case made == 0 && i == 1: // connected, the first job only
			case made == 0:
				state = portico.PortalPending
			case made == 1:
				state = portico.PortalNotRegistered
			default:
				state = portico.PortalDisabled
			}
			if err := demoAccount(db, owner, users[0], k, state); err != nil {
				return fmt.Errorf("portal account for %s: %w", k.Email, err)
			}
			if made == 0 && i == 1 {
				if err := svc.PortalAccounts.SetAccess(as(owner), k.ID, false, []int64{withShortlist[0].ID}); err != nil {
					return err
				}
			}
			if state == portico.PortalConnected {
				connected = append(connected, k)
			}
		}
		for _, j := range withShortlist {
			n, err := shareDemoJob(db, g, userByID(users, j.OwnerID), j, connected)
			if err != nil {
				return fmt.Errorf("share %s: %w", j.Title, err)
			}
			shared += n
		}
		made++
	}
	progress(fmt.Sprintf("portal accounts at %d clients, %d candidates shared (portal sign-in: %s)", made, shared, PortalEmail))
	return loadPortalLook(ctx, db, users, progress)
}

// demoAccount puts a contact's portal account in a state: invited (and
// for connected or disabled ones, activated with the demo password).
func demoAccount(db *sqlstore.DB, owner, admin *portico.User, k *portico.Contact, state portico.PortalStatus) error {
	svc := db.Services()
	if state == portico.PortalNotRegistered {
		return nil
	}
	if err := svc.PortalAccounts.Invite(as(owner), k.ID); err != nil {
		return err
	}
	if state == portico.PortalPending {
		return nil
	}
	token, err := activationToken(db, admin, k.Email)
	if err != nil {
		return err
	}
	session, _, err := svc.PortalAuth.Activate(context.Background(), token, Password)
	if err != nil {
		return err
	}
	if err := svc.PortalAuth.SignOut(context.Background(), session); err != nil {
		return err
	}
	if state == portico.PortalDisabled {
		return svc.PortalAccounts.Disable(as(owner), k.ID)
	}
	return nil
}

// activationToken finds the invitation just emailed to the address in
// the outbox.
func activationToken(db *sqlstore.DB, admin *portico.User, email string) (string, error) {
	ms, _, err := db.Services().Outbox.FindMessages(as(admin), portico.MessageFilter{Kind: portico.MessageEmail, Limit: 20})
	if err != nil {
		return "", err
	}
	for _, m := range ms { // newest first
		if m.Email == nil || !slices.Contains(m.Email.To, portico.NormalizeEmail(email)) {
			continue
		}
		if sub := activationLink.FindStringSubmatch(m.Email.Text); sub != nil {
			return sub[1], nil
		}
	}
	return "", fmt.Errorf("no invitation to %s in the outbox", email)
}

// shareDemoJob shares the candidates a client would have been sent (those
// submitted or further on, never ones the agency rejected or who
// withdrew), putting forward sourced ones when fewer than two are, and has
// the connected contacts of the job's client rate some and give feedback;
// the first client's hiring manager asks to interview one. It returns how
// many it shared.
func shareDemoJob(db *sqlstore.DB, g *gen, owner *portico.User, j *portico.Job, connected []*portico.Contact) (int, error) {
	svc := db.Services()
	list, _, err := svc.Applications.FindApplications(as(owner), portico.ApplicationFilter{JobID: j.ID, Limit: 50})
	if err != nil {
		return 0, err
	}
	stages, err := svc.Stages.ListStages(as(owner), false)
	if err != nil {
		return 0, err
	}
	var submitted *portico.Stage
	for _, st := range stages {
		if st.Kind == portico.KindSubmitted && submitted == nil {
			submitted = st
		}
	}
	var ids []int64
	for _, a := range list {
		switch a.StageKind {
		case portico.KindSubmitted, portico.KindInterview, portico.KindOffer, portico.KindHired, portico.KindRejectedByClient:
			ids = append(ids, a.ID)
		}
	}
	for _, a := range list {
		if len(ids) >= 2 || submitted == nil {
			break
		}
		if a.StageKind != portico.KindSourcing {
			continue
		}
		if _, err := svc.Applications.MoveApplication(as(owner), a.ID, submitted.ID); err != nil {
			return 0, err
		}
		a.StageKind = portico.KindSubmitted
		ids = append(ids, a.ID)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	if _, err := svc.Sharing.SetShared(as(owner), j.ID, ids, true); err != nil {
		return 0, err
	}
	var reviewers []*portico.Contact
	for _, k := range connected {
		if k.ClientID == j.ClientID {
			reviewers = append(reviewers, k)
		}
	}
	asked := false
	for i, a := range list {
		if !slices.Contains(ids, a.ID) {
			continue
		}
		for n, k := range reviewers {
			if err := reviewDemo(db, g, k, a, i+n, !asked && k.Email == PortalEmail); err != nil {
				if portico.ErrorCode(err) == portico.ENOTFOUND {
					continue // a contact with chosen jobs, not this one
				}
				return 0, fmt.Errorf("%s on %s: %w", k.Name, a.CandidateName, err)
			}
			if k.Email == PortalEmail && a.StageKind.InRunning() {
				asked = true
			}
		}
	}
	return len(ids), nil
}

// reviewDemo has a contact rate about two in three candidates, comment on
// some, and (once per job, for the documented contact) ask for an
// interview with a candidate still in the running.
func reviewDemo(db *sqlstore.DB, g *gen, k *portico.Contact, a *portico.Application, turn int, interview bool) error {
	act := db.Services().PortalActions
	ctx := asContact(k)
	if turn%3 != 2 {
		if err := act.Rate(ctx, a.JobID, a.ID, 2+g.rnd.IntN(4)); err != nil {
			return err
		}
	}
	if turn%2 == 0 {
		if err := act.Feedback(ctx, a.JobID, a.ID, g.pick(feedbackTexts)); err != nil {
			return err
		}
	}
	if interview && a.StageKind.InRunning() {
		day := db.Now().UTC().Truncate(24 * time.Hour)
		slots := []time.Time{day.Add(2*24*time.Hour + 10*time.Hour), day.Add(3*24*time.Hour + 14*time.Hour)}
		if err := act.RequestInterview(ctx, a.JobID, a.ID, portico.InterviewInput{Slots: slots,
			Note: "Either slot works for our panel. We can do it on video if that is easier for the candidate."}); err != nil {
			return err
		}
	}
	return nil
}

var feedbackTexts = []string{
	"Strong CV and relevant experience. We'd like to know more about their notice period.",
	"Good match on skills, but the salary expectation is above our budget.",
	"Impressive background. Our team lead would like to meet them.",
	"Not quite senior enough for this role, but keep us in mind for them for the junior opening.",
	"Looks promising. Can you check whether they are open to two days a week on site?",
}
