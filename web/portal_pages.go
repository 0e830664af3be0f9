package web

import (
	"net/http"
	"time"

	"portico"
)

// The portal's pages for a signed-in contact: home, a job, a candidate,
// the résumé and the Excel export. Every read goes through the scoped
// viewer (s.svc.Portal); no handler here touches anything else, so what a
// contact may not see can't reach these pages.

// portalFail answers a portal request's error on a portal page. A record
// the contact may not see answers exactly like one that doesn't exist.
func (s *Server) portalFail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		s.log.Error("portal request failed", "path", logPath(r), "err", err)
	}
	if status == http.StatusUnauthorized && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		// The account was turned off since the session began.
		s.clearCookie(w, portalCookie)
		http.Redirect(w, r, signinPath(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	p := s.portalPage(r, errorTitle(status))
	msg := portico.ErrorMessage(err)
	if status == http.StatusNotFound {
		msg = "There's nothing to show at this address. The link may be mistyped, or what it pointed to is no longer shared with you."
	}
	p.Data = map[string]any{"Status": status, "Message": msg}
	s.render(w, r, status, "error", p)
}

// portalHomeView is what the home page shows.
type portalHomeView struct {
	*portico.PortalHome
	Greeting string
	MoreNew  int          // new candidates the list leaves out
	Stats    []portalStat // the week's summary items the portal settings show
}

// portalStat is one figure of the home page's summary.
type portalStat struct {
	Label string
	Count int
}

// portalWeekStats lists the summary items the settings show, in their
// order, each with its count of the last 7 days.
func portalWeekStats(w portico.ActivitySummary) []portalStat {
	var out []portalStat
	for _, item := range w.Items {
		switch item {
		case portico.SummaryNewCandidates:
			out = append(out, portalStat{"New candidates, last 7 days", w.NewCandidates})
		case portico.SummarySubmitted:
			out = append(out, portalStat{"Submitted to you, last 7 days", w.Submitted})
		case portico.SummaryInterviews:
			out = append(out, portalStat{"Interview requests, last 7 days", w.Interviews})
		case portico.SummaryFeedback:
			out = append(out, portalStat{"Feedback given, last 7 days", w.Feedback})
		}
	}
	return out
}

// portalGreeting says good morning, afternoon or evening at the agency's time.
func portalGreeting(now time.Time, a *portico.Agency, first string) string {
	h := inZone(now, a).Hour()
	g := "Good evening"
	switch {
	case h >= 4 && h < 12:
		g = "Good morning"
	case h >= 12 && h < 18:
		g = "Good afternoon"
	}
	if first == "" {
		return g
	}
	return g + ", " + first
}

func (s *Server) portalHome(w http.ResponseWriter, r *http.Request) {
	h, err := s.svc.Portal.Home(r.Context())
	if err != nil {
		s.portalFail(w, r, err)
		return
	}
	p := s.portalPage(r, "Your jobs")
	p.Data = portalHomeView{PortalHome: h, Greeting: portalGreeting(s.now(), p.Agency, h.FirstName()), MoreNew: h.NewTotal - len(h.NewCandidates),
		Stats: portalWeekStats(h.Week)}
	s.render(w, r, http.StatusOK, "portal_home", p)
}
