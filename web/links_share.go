package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"portico"
)

// "Share job tracker" and "Share the portal": links that open a job's
// portal page, or a client contact's whole portal, one per person, without
// a password. Sent by email (each person their own link) or created for
// one person to copy, shown once. One page serves both: /jobs/{id}/tracker
// and /clients/{id}/tracker.

// trackerLinksShown is how many of the job's links the page lists.
const trackerLinksShown = 20

// linkTable feeds the "link-table" partial.
type linkTable struct {
	Links       []*portico.Link
	Total       int
	Agency      *portico.Agency
	Next        string // where Expire comes back to
	ShowContact bool
	ShowJob     bool
	Caption     string
	Empty       string
}

// trackerView is what the "Share job tracker" and "Share the portal"
// pages show.
type trackerView struct {
	Client       *portico.Client
	Job          *portico.Job     // nil: the client's whole portal
	From         *portico.Contact // the contact whose page the share began on
	Contacts     []*portico.Contact
	ContactTotal int
	Chosen       map[int64]bool
	Access       map[int64]bool // contacts who can see this job (or the portal) now
	NoAccess     map[int64]bool // sees chosen jobs, not this one: sharing adds it
	// Whole portal: contacts who see chosen jobs only, and how many, as a
	// link opens those alone (none: an empty portal).
	ChosenOnly  map[int64]bool
	ChosenCount map[int64]int
	Defaults    string // the settings' expiry, in words
	LinkTable   linkTable
	Created     *portico.NewLink // a link to copy, shown once
	CreatedURL  string
	CreatedText string
}

// Path is the page's address.
func (v *trackerView) Path() string {
	if v.Job != nil {
		return trackerPath(v.Job.ID)
	}
	return clientPath(v.Client.ID) + "/tracker"
}

// Action is where the form posts: the page, still knowing which contact
// it began from.
func (v *trackerView) Action() string {
	if v.From != nil {
		return v.Path() + "?contact=" + strconv.FormatInt(v.From.ID, 10)
	}
	return v.Path()
}

// Back is where Cancel goes: the page the share began on.
func (v *trackerView) Back() string {
	switch {
	case v.From != nil:
		return contactPath(v.From.ID)
	case v.Job != nil:
		return "/jobs/" + strconv.FormatInt(v.Job.ID, 10)
	}
	return clientPath(v.Client.ID)
}

// What names what the links open: "Senior Nurse tracker", "Acme Health portal".
func (v *trackerView) What() string {
	if v.Job != nil {
		return v.Job.Title + " tracker"
	}
	return v.Client.Name + " portal"
}

// linkFilter selects the links the page lists: the job's, or the client's
// whole-portal links.
func (v *trackerView) linkFilter() portico.LinkFilter {
	if v.Job != nil {
		return portico.LinkFilter{JobID: v.Job.ID, Limit: trackerLinksShown}
	}
	return portico.LinkFilter{ClientID: v.Client.ID, WholePortal: true, Limit: trackerLinksShown}
}

func (s *Server) loadTracker(r *http.Request) (*trackerView, *portico.PortalSettings, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	ctx := r.Context()
	v := &trackerView{Chosen: map[int64]bool{}, Access: map[int64]bool{}, NoAccess: map[int64]bool{},
		ChosenOnly: map[int64]bool{}, ChosenCount: map[int64]int{}}
	clientID := id
	if !strings.HasPrefix(r.URL.Path, "/clients/") {
		if v.Job, err = s.svc.Jobs.FindJobByID(ctx, id); err != nil {
			return nil, nil, err
		}
		clientID = v.Job.ClientID
	}
	if v.Client, err = s.svc.Clients.FindClientByID(ctx, clientID); err != nil {
		return nil, nil, err
	}
	if v.Contacts, v.ContactTotal, err = s.svc.Clients.FindContacts(ctx, clientID, 0, sendContactsLimit); err != nil {
		return nil, nil, err
	}
	if v.From, err = s.trackerFrom(r, v); err != nil {
		return nil, nil, err
	}
	st, err := s.svc.PortalSettings.EffectiveSettings(ctx, clientID)
	if err != nil {
		return nil, nil, err
	}
	v.Defaults = linkDefaultsText(st)
	ls, lt, err := s.svc.Links.FindLinks(ctx, v.linkFilter())
	if err != nil {
		return nil, nil, err
	}
	v.LinkTable = linkTable{Links: ls, Total: lt, Agency: s.agencyOf(r), Next: v.Path() + "#links-h", ShowContact: true,
		Caption: "Links to the " + v.What(), Empty: "No links to this job's tracker yet."}
	if v.Job == nil {
		v.LinkTable.Empty = "No links to the " + v.What() + " yet."
	}
	accounts, err := s.svc.PortalAccounts.ClientAccounts(ctx, clientID)
	if err != nil {
		return nil, nil, err
	}
	for _, k := range v.Contacts {
		acc := accounts[k.ID]
		if k.PortalStatus == portico.PortalDisabled || acc == nil {
			continue
		}
		registered := k.PortalStatus != portico.PortalNotRegistered
		switch {
		case v.Job == nil:
			v.Access[k.ID] = registered
			if !acc.AllJobs {
				v.ChosenOnly[k.ID], v.ChosenCount[k.ID] = true, len(acc.JobIDs)
			}
		case acc.AllJobs || slices.Contains(acc.JobIDs, v.Job.ID):
			v.Access[k.ID] = registered
		default:
			v.NoAccess[k.ID] = true
		}
	}
	return v, st, nil
}

// trackerFrom reads ?contact=, the contact whose page the share began on,
// listing them if the page's list stops short of them. Anyone else (a
// mistyped ID, another client's contact) is ignored: it only ticks a box.
func (s *Server) trackerFrom(r *http.Request, v *trackerView) (*portico.Contact, error) {
	id, err := strconv.ParseInt(r.URL.Query().Get("contact"), 10, 64)
	if err != nil || id <= 0 {
		return nil, nil
	}
	k, err := s.svc.Clients.FindContactByID(r.Context(), id)
	switch {
	case portico.ErrorCode(err) == portico.ENOTFOUND:
		return nil, nil
	case err != nil:
		return nil, err
	case k.ClientID != v.Client.ID:
		return nil, nil
	}
	if !slices.ContainsFunc(v.Contacts, func(c *portico.Contact) bool { return c.ID == k.ID }) {
		v.Contacts = append(v.Contacts, k)
	}
	return k, nil
}

func trackerPath(jobID int64) string { return "/jobs/" + strconv.FormatInt(jobID, 10) + "/tracker" }

// agencyOf is the agency for the page's dates, nil before setup.
func (s *Server) agencyOf(r *http.Request) *portico.Agency {
	a, _ := s.svc.Agency.Agency(r.Context())
	return a
}

// linkDefaultsText says what a link lasts by default: "14 days", "2 uses",
// "14 days or 2 uses, whichever comes first".
func linkDefaultsText(st *portico.PortalSettings) string {
	days := countNoun(st.LinkDays, "day", "days")
	uses := countNoun(st.LinkUses, "use", "uses")
	switch {
	case st.LinkDays > 0 && st.LinkUses > 0:
		return days + " or " + uses + ", whichever comes first"
	case st.LinkUses > 0:
		return uses
	}
	return days
}

// defaultTrackerMessage is the message the form starts with: about the
// job, or about the portal when job is nil.
func defaultTrackerMessage(job *portico.Job, allow portico.PortalPermissions) string {
	msg := "Here is your link to our client portal. It shows each of your jobs with us: the candidates we've put forward, where each one stands, and what happens next."
	if job != nil {
		msg = "Here is the tracker for the " + job.Title + " role. It shows the candidates we've put forward, where each one stands, and what happens next."
	}
	if can := clientCan(allow); can != "" {
		msg += "\n\nYou can " + can + " right there."
	}
	return msg
}

// clientCan words what the portal settings let a client do with the
// candidates, for the messages the share forms start with: "rate them,
// leave feedback and propose interview times"; "" when none of those. An
// email never promises what the portal then refuses.
func clientCan(allow portico.PortalPermissions) string {
	var can []string
	if allow.Rate {
		can = append(can, "rate them")
	}
	if allow.Feedback {
		can = append(can, "leave feedback")
	}
	if allow.Interview {
		can = append(can, "propose interview times")
	}
	switch len(can) {
	case 0:
		return ""
	case 1:
		return can[0]
	}
	return strings.Join(can[:len(can)-1], ", ") + " and " + can[len(can)-1]
}

func (s *Server) shareTrackerForm(w http.ResponseWriter, r *http.Request) {
	v, st, err := s.loadTracker(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Those who see the job (or the portal) already start ticked; from a
	// contact's page, that contact alone.
	if v.From != nil {
		v.Chosen[v.From.ID] = true
	} else {
		for id, ok := range v.Access {
			v.Chosen[id] = ok
		}
	}
	form := &Form{Values: url.Values{"message": {defaultTrackerMessage(v.Job, st.Allow)}}}
	if st.LinkDays > 0 {
		form.Values.Set("days", strconv.Itoa(st.LinkDays))
	}
	if st.LinkUses > 0 {
		form.Values.Set("uses", strconv.Itoa(st.LinkUses))
	}
	s.renderTracker(w, r, http.StatusOK, v, form)
}

func (s *Server) renderTracker(w http.ResponseWriter, r *http.Request, status int, v *trackerView, form *Form) {
	title := "Share the " + v.What()
	if v.Created != nil {
		title = "Link for " + v.Created.Link.ContactName
	}
	p := s.page(r, title)
	p.Nav = "jobs"
	if v.Job == nil {
		p.Nav = "clients"
	}
	p.Form = form
	p.Data = v
	s.render(w, r, status, "share_tracker", p)
}

// postedEmails reads the other addresses: one a line, or separated by
// commas, semicolons or spaces as people paste them.
func postedEmails(raw string) []string {
	return strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) })
}

// postedLimit reads a days or uses box: empty is 0 (no limit of that kind).
func postedLimit(r *http.Request, name string, v *portico.Validation, msg string) int {
	raw := strings.TrimSpace(r.PostForm.Get(name))
	if raw == "" {
		return 0
	}
	n, err := strconv.Atoi(raw)
	v.Check(err == nil && n >= 0, name, msg)
	return max(n, 0)
}

func (s *Server) shareTracker(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	v, _, err := s.loadTracker(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ids, ok := postedIDs(r, "contact_id")
	if !ok {
		s.renderError(w, r, http.StatusBadRequest, "Portico didn't understand which contacts were chosen. Go back, reload the page and choose again.")
		return
	}
	in := portico.LinkInput{ClientID: v.Client.ID, ContactIDs: ids, Emails: postedEmails(r.PostForm.Get("emails")),
		Message: r.PostForm.Get("message"), Send: r.PostForm.Get("action") != "copy"}
	if v.Job != nil {
		in.JobID = v.Job.ID
	}
	var check portico.Validation
	in.Days = postedLimit(r, "days", &check, "Enter a number of days, or leave it empty for no date limit.")
	in.Uses = postedLimit(r, "uses", &check, "Enter a number of uses, or leave it empty for no use limit.")
	if !in.Send {
		check.Check(len(ids)+len(in.Emails) == 1, "contact_id",
			"A link to copy is for one person: choose one contact or enter one address. To share with several people, send by email.")
	}
	err = check.Err()
	var created []portico.NewLink
	if err == nil {
		created, err = s.svc.Links.CreateLinks(r.Context(), in)
	}
	if err != nil {
		if !correctable(err) {
			s.fail(w, r, err)
			return
		}
		for _, id := range ids {
			v.Chosen[id] = true
		}
		s.renderTracker(w, r, statusOf(err), v, formFrom(r, err))
		return
	}
	if !in.Send {
		// Shown once, here: the token is stored only as its hash.
		nl := created[0]
		v.Created, v.CreatedURL = &nl, s.baseURL+"/portal/l/"+nl.Token
		v.CreatedText = nl.Link.Expiry(s.zone(r))
		// The table was read before the link was made: read it again, so
		// the new link is there to expire, as the page says. The token is
		// shown whatever happens, as it can't be shown later.
		if ls, lt, err := s.svc.Links.FindLinks(r.Context(), v.linkFilter()); err == nil {
			v.LinkTable.Links, v.LinkTable.Total = ls, lt
		} else {
			s.log.Warn("share tracker: links after creating one", "page", v.Path(), "err", err)
		}
		s.renderTracker(w, r, http.StatusOK, v, &Form{})
		return
	}
	var names []string
	for _, nl := range created {
		if !containsString(names, nl.Link.ContactName) {
			names = append(names, clipName(nl.Link.ContactName))
		}
	}
	sent := "Job tracker sent to "
	if v.Job == nil {
		sent = "Portal link sent to "
	}
	msg := sent + joinNames(names) + "."
	if len(names) > 4 || len(msg) > maxFlash {
		msg = sent + countNoun(len(names), "person", "people") + "."
	}
	s.redirect(w, r, v.Path()+"#links-h", msg)
}
