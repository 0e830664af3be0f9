package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"portico"
)

// A contact's portal use on their console page: the links they were sent,
// the feedback they gave, and every portal action they took (time, what,
// job, address), filtered by action and dates, and exported as CSV.

// contactActions are what a contact does on the portal, for the filter.
var contactActions = []struct{ Action, Label string }{
	{"link.used", "Opened a share link"},
	{"contact.signed_in", "Signed in"},
	{"contact.signed_out", "Signed out"},
	{"portal.rated", "Rated a candidate"},
	{"portal.feedback", "Gave feedback"},
	{"portal.interview_requested", "Asked for an interview"},
	{"portal.approved", "Approved a candidate"},
	{"portal.hired", "Asked to hire"},
	{"portal.rejected", "Rejected a candidate"},
	{"contact.activated", "Set a password"},
	{"contact.password_reset", "Chose a new password"},
	{"contact.unsubscribed", "Unsubscribed from the weekly report"},
}

// Page sizes of the contact page's lists.
const (
	actionsPerPage  = 25
	contactLinks    = 10
	contactFeedback = 10
	csvPage         = 500
)

// activityFilter is the actions list's filter, as typed and as times.
type activityFilter struct {
	Action, From, To string
	Offset           int
	from, to         time.Time
}

// query is the filter as URL parameters, for the pager and the export.
func (f activityFilter) query() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"action": f.Action, "from": f.From, "to": f.To} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// eventFilter is the store's filter for one page of the contact's actions.
func (f activityFilter) eventFilter(contactID int64, offset, limit int) portico.EventFilter {
	return portico.EventFilter{ContactID: contactID, Action: f.Action, From: f.from, To: f.to, Offset: offset, Limit: limit}
}

// readActivityFilter reads the filter from the query. Dates are days in
// the agency's time zone, both included; a date that can't be read is a
// field error, and that bound is left out.
func readActivityFilter(r *http.Request, loc *time.Location) (activityFilter, *Form) {
	q := r.URL.Query()
	f := activityFilter{Action: strings.TrimSpace(q.Get("action")), From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	f.Offset = namedOffset(r, "aoffset")
	var v portico.Validation
	known := f.Action == ""
	for _, a := range contactActions {
		known = known || a.Action == f.Action
	}
	v.Check(known, "action", "Choose an action from the list.")
	if !known {
		f.Action = ""
	}
	day := func(name, raw string) time.Time {
		if raw == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", raw, loc)
		v.Check(err == nil, name, "Enter a date like 2026-03-02.")
		return t
	}
	f.from = day("from", f.From)
	if to := day("to", f.To); !to.IsZero() {
		f.to = to.AddDate(0, 0, 1)
	}
	if !f.from.IsZero() && !f.to.IsZero() && !f.from.Before(f.to) {
		v.Check(false, "to", "The end date is before the start date.")
		f.to = time.Time{}
	}
	if err := v.Err(); err != nil {
		return f, &Form{Values: q, Errors: portico.ErrorFields(err), Order: portico.ErrorOrder(err), Message: "Some of the filter couldn't be used: " + portico.ErrorMessage(err)}
	}
	return f, &Form{Values: q}
}

// activityRow is one action as the page and the export show it.
type activityRow struct {
	At        time.Time
	Text      string
	JobID     int64
	Job       string
	IP        string
	UserAgent string
}

func activityRows(evs []*portico.Event) []activityRow {
	rows := make([]activityRow, len(evs))
	for i, e := range evs {
		rows[i] = activityRow{At: e.At, Text: sentence(eventText(e)), JobID: e.JobID, Job: e.Details["job"], IP: e.IP, UserAgent: e.UserAgent}
	}
	return rows
}

// sentence capitalises an event's text, which is written to follow a name.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// contactActivity is what the contact page's portal-use sections show.
type contactActivity struct {
	Filter        activityFilter
	FilterForm    *Form
	Actions       []activityRow
	ActionsPager  subPage
	ActionChoices []struct{ Action, Label string }
	CSV           string
	LinkTable     linkTable
	Feedback      []portico.ContactFeedback
	FeedbackTotal int
}

// loadContactActivity reads a contact's links, feedback and a page of
// their actions. A bad filter comes back in the form, with status 422.
func (s *Server) loadContactActivity(r *http.Request, k *portico.Contact, a *portico.Agency) (*contactActivity, int, error) {
	ctx := r.Context()
	loc := time.UTC
	if a != nil {
		loc = a.Location()
	}
	f, form := readActivityFilter(r, loc)
	status := http.StatusOK
	if len(form.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	evs, total, err := s.svc.Events.FindEvents(ctx, f.eventFilter(k.ID, f.Offset, actionsPerPage))
	if err != nil {
		return nil, 0, err
	}
	ls, lt, err := s.svc.Links.FindLinks(ctx, portico.LinkFilter{ContactID: k.ID, Limit: contactLinks})
	if err != nil {
		return nil, 0, err
	}
	fb, ft, err := s.svc.PortalAccounts.ContactFeedback(ctx, k.ID, 0, contactFeedback)
	if err != nil {
		return nil, 0, err
	}
	q := f.query()
	csv := contactPath(k.ID) + "/activity.csv"
	if len(q) > 0 {
		csv += "?" + q.Encode()
	}
	ca := &contactActivity{Filter: f, FilterForm: form, Actions: activityRows(evs), ActionChoices: contactActions, CSV: csv,
		Feedback: fb, FeedbackTotal: ft,
		LinkTable: linkTable{Links: ls, Total: lt, Agency: a, Next: contactPath(k.ID) + "#links-h", ShowJob: true,
			Caption: "Links sent to " + k.Name, Empty: "No links sent to " + k.Name + " yet. Send a portal link above, or share a job’s tracker from the job’s page."}}
	ca.ActionsPager = subPager(contactPath(k.ID), "aoffset", f.Offset, actionsPerPage, total, q, "#actions-h")
	return ca, status, nil
}

// contactActivityCSV exports the contact's actions with the page's
// filter, a page of events at a time, every cell defused against formulas.
func (s *Server) contactActivityCSV(w http.ResponseWriter, r *http.Request) {
	k, _, err := s.findContact(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := s.agencyOf(r)
	loc := time.UTC
	if a != nil {
		loc = a.Location()
	}
	f, form := readActivityFilter(r, loc)
	if len(form.Errors) > 0 {
		s.renderError(w, r, http.StatusBadRequest, form.Message)
		return
	}
	ctx := r.Context()
	// Pages go by event ID, so actions taken during the export don't shift
	// them; the first is read before anything is written, so a failure is
	// still an error page and not half a file.
	page := func(before int64) ([]*portico.Event, error) {
		ef := f.eventFilter(k.ID, 0, csvPage)
		ef.BeforeID, ef.NoTotal = before, true
		evs, _, err := s.svc.Events.FindEvents(ctx, ef)
		return evs, err
	}
	evs, err := page(0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := newCSV(w, "portal-activity-"+fileSlug(k.Name)+".csv", "Time (UTC)", "Action", "What", "Job", "IP address", "Browser")
	for {
		for _, e := range evs {
			out.row(e.At.UTC().Format(time.RFC3339), e.Action, sentence(eventText(e)), e.Details["job"], e.IP, e.UserAgent)
		}
		if len(evs) < csvPage {
			break
		}
		if err := out.flush(); err != nil {
			return // the browser went away
		}
		if evs, err = page(evs[len(evs)-1].ID); err != nil {
			s.log.Error("contact activity export", "contact", k.ID, "err", err)
			return
		}
	}
	if err := out.flush(); err != nil {
		s.log.Warn("contact activity export", "contact", k.ID, "err", err)
	}
}

// fileSlug makes a name safe and short for a download's file name.
func fileSlug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case unicode.IsLetter(r) && r < 128, unicode.IsDigit(r):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	if s := strings.Trim(b.String(), "-"); s != "" {
		return s
	}
	return "contact"
}
