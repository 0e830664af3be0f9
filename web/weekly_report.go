package web

import (
	"net/http"
	"time"

	"portico"
)

// The weekly report's subscription: a contact's switch in the console and
// the one-click unsubscribe link of every report.

// setContactWeeklyReport turns a contact's report on (on=1) or off (on=0).
func (s *Server) setContactWeeklyReport(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	k, _, err := s.findContact(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var on bool
	switch r.PostForm.Get("on") {
	case "1":
		on = true
	case "0":
	default:
		s.renderError(w, r, http.StatusBadRequest, "Choose whether "+clipName(k.Name)+" gets the weekly report. Reload the page and try again.")
		return
	}
	if err := s.svc.WeeklyReports.SetWeeklyReport(r.Context(), k.ID, on); err != nil {
		s.fail(w, r, err)
		return
	}
	msg := clipName(k.Name) + " won't get the weekly report any more."
	if on {
		msg = clipName(k.Name) + " will get the weekly report each Monday."
	}
	s.redirect(w, r, contactPath(k.ID), msg)
}

// unsubscribePage is what a report's unsubscribe link opens: a button,
// since mail scanners open links and must not unsubscribe anyone.
func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	k, err := s.svc.WeeklyReports.CheckUnsubscribe(r.Context(), token)
	if err != nil {
		s.unsubscribeProblem(w, r, err)
		return
	}
	p := s.unsubscribePortalPage(r, "Unsubscribe from the weekly report", k)
	p.Data = map[string]any{"Token": token, "Contact": k}
	s.render(w, r, http.StatusOK, "unsubscribe", p)
}

// unsubscribe turns the report off: the page's button, or a mail client's
// one-click unsubscribe (RFC 8058), whose body is
// "List-Unsubscribe=One-Click" and which reads only the status.
func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	k, err := s.svc.WeeklyReports.Unsubscribe(r.Context(), r.PathValue("token"))
	if err != nil {
		s.unsubscribeProblem(w, r, err)
		return
	}
	p := s.unsubscribePortalPage(r, "You're unsubscribed", k)
	p.Data = map[string]any{"Done": true, "Contact": k}
	s.render(w, r, http.StatusOK, "unsubscribe", p)
}

// unsubscribePortalPage is a portal page in the look of the contact's
// client, though no one is signed in.
func (s *Server) unsubscribePortalPage(r *http.Request, title string, k *portico.Contact) *Page {
	p := s.portalPage(r, title)
	if b, remember := s.portalBrand(r, k); b != nil {
		p.Brand, p.rememberBrand = b, remember
	}
	return p
}

// unsubscribeProblem answers an unknown or expired link with a page that
// says what to do, not an error page.
func (s *Server) unsubscribeProblem(w http.ResponseWriter, r *http.Request, err error) {
	if statusOf(err) == http.StatusInternalServerError {
		s.fail(w, r, err)
		return
	}
	p := s.portalPage(r, "This link doesn't work")
	p.Data = map[string]any{"Problem": portico.ErrorMessage(err)}
	s.render(w, r, statusOf(err), "unsubscribe", p)
}

// weeklyReportEventText words the report's events.
func weeklyReportEventText(e *portico.Event) (string, bool) {
	who := e.Details["name"]
	if who == "" {
		who = "the contact"
	}
	if e.ActorKind == portico.ActorContact && e.ActorID == e.SubjectID {
		who = "themselves" // the contact on the portal
	}
	switch e.Action {
	case "contact.weekly_report_sent":
		week := e.Details["week"]
		if t, err := time.Parse(time.DateOnly, week); err == nil {
			week = t.Format("2 Jan 2006")
		}
		return "sent " + who + " the weekly report for the week of " + week, true
	case "contact.weekly_report_on":
		return "turned the weekly report on for " + who, true
	case "contact.weekly_report_off":
		return "turned the weekly report off for " + who, true
	case "contact.unsubscribed":
		return "unsubscribed from the weekly report by its email link", true
	}
	return "", false
}
