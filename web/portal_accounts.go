package web

import (
	"net/http"
	"strconv"

	"portico"
)

// Portal accounts, agency side: the "Portal access" panel of a contact's
// page invites, re-invites, enables and disables the contact and sets
// which of the client's jobs they see.

// accessJobsLimit is how many of a client's jobs the access form lists.
const accessJobsLimit = 500

// portalAccess is what the contact page's "Portal access" panel shows.
type portalAccess struct {
	Account *portico.PortalAccount
	Jobs    []*portico.Job // the client's jobs, for the access form
	More    int            // jobs not listed
	Chosen  map[int64]bool
	Confirm bool // asking to confirm Disable
	Form    *Form
}

// portalAccessOf reads a contact's account and the client's jobs.
func (s *Server) portalAccessOf(r *http.Request, k *portico.Contact) (*portalAccess, error) {
	a, err := s.svc.PortalAccounts.FindAccount(r.Context(), k.ID)
	if err != nil {
		return nil, err
	}
	jobs, total, err := s.svc.Jobs.FindJobs(r.Context(), portico.JobFilter{ClientID: k.ClientID, Limit: accessJobsLimit})
	if err != nil {
		return nil, err
	}
	pa := &portalAccess{Account: a, Jobs: jobs, More: total - len(jobs), Chosen: map[int64]bool{}}
	for _, id := range a.JobIDs {
		pa.Chosen[id] = true
	}
	return pa, nil
}

// accessProblem shows the contact page again with a message in the
// "Portal access" panel.
func (s *Server) accessProblem(w http.ResponseWriter, r *http.Request, err error) {
	if !correctable(err) {
		s.fail(w, r, err)
		return
	}
	s.showContact(w, r, statusOf(err), formFrom(r, err), false)
}

func (s *Server) inviteContact(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	k, _, err := s.findContact(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.svc.PortalAccounts.Invite(r.Context(), k.ID); err != nil {
		s.accessProblem(w, r, err)
		return
	}
	msg := "Invitation sent to " + clipName(k.Email) + ". The link works for 7 days."
	switch k.PortalStatus {
	case portico.PortalDisabled:
		msg = "Portal access for " + clipName(k.Name) + " is on again: a new invitation went to " + clipName(k.Email) + "."
	case portico.PortalPending, portico.PortalConnected:
		msg = "A new invitation went to " + clipName(k.Email) + ". Links in earlier invitations no longer work."
	}
	s.redirect(w, r, contactPath(k.ID)+"#portal-h", msg)
}

func (s *Server) disableContact(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	k, _, err := s.findContact(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.PostForm.Get("confirm") != "yes" {
		// Without JavaScript too: a page that asks first.
		s.showContact(w, r, http.StatusOK, nil, true)
		return
	}
	if err := s.svc.PortalAccounts.Disable(r.Context(), k.ID); err != nil {
		s.accessProblem(w, r, err)
		return
	}
	s.redirect(w, r, contactPath(k.ID)+"#portal-h", "Portal access for "+clipName(k.Name)+" is disabled. They were signed out.")
}

func (s *Server) setContactAccess(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	k, _, err := s.findContact(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	all := r.PostForm.Get("access") != "chosen"
	var ids []int64
	for _, v := range r.PostForm["jobs"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			s.accessProblem(w, r, portico.FieldError("jobs", "Choose jobs from the list."))
			return
		}
		ids = append(ids, id)
	}
	if err := s.svc.PortalAccounts.SetAccess(r.Context(), k.ID, all, ids); err != nil {
		s.accessProblem(w, r, err)
		return
	}
	msg := clipName(k.Name) + " now sees all of the client's jobs on the portal."
	if !all {
		n := len(ids)
		msg = clipName(k.Name) + " now sees " + strconv.Itoa(n) + " chosen job"
		if n != 1 {
			msg += "s"
		}
		msg += " on the portal."
	}
	s.redirect(w, r, contactPath(k.ID)+"#portal-h", msg)
}

// portalAccountEventText words the portal account events of a contact,
// for history lists; ok is false for other events.
func portalAccountEventText(e *portico.Event) (string, bool) {
	d := e.Details
	who := d["name"]
	if who == "" {
		who = "the contact"
	}
	switch e.Action {
	case "contact.invited":
		switch {
		case d["enabled"] == "true":
			return "turned portal access on again for " + who + " and sent an invitation to " + d["email"], true
		case d["again"] == "true":
			return "sent " + who + " a new portal invitation at " + d["email"], true
		}
		return "invited " + who + " to the portal at " + d["email"], true
	case "contact.activated":
		return "set a password and activated their portal account", true
	case "contact.signed_in":
		switch d["method"] {
		case "link":
			return "signed in to the portal with an emailed link", true
		case "activation":
			return "signed in to the portal for the first time", true
		}
		return "signed in to the portal", true
	case "contact.signed_out":
		return "signed out of the portal", true
	case "contact.sign_in_failed":
		// A visitor's event: "Portico refused …".
		if d["reason"] == "disabled" {
			return "refused a portal sign-in as " + d["email"] + ": their access is disabled", true
		}
		return "refused a portal sign-in as " + d["email"] + " (wrong password)", true
	case "contact.sign_in_link_sent":
		return "emailed a portal sign-in link to " + d["email"], true
	case "contact.password_reset_requested":
		return "emailed a portal password reset link to " + d["email"], true
	case "contact.password_reset":
		return "chose a new portal password", true
	case "contact.disabled":
		return "disabled portal access for " + who, true
	case "contact.access_changed":
		if d["all_jobs"] == "true" {
			return "gave " + who + " portal access to all of the client's jobs", true
		}
		n := d["jobs"]
		if n == "1" {
			return "gave " + who + " portal access to 1 chosen job", true
		}
		return "gave " + who + " portal access to " + n + " chosen jobs", true
	}
	return "", false
}
