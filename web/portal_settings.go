package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"portico"
)

// Portal settings: the agency default (admins) and a client's own (any
// agency user) share one form: appearance, what clients may do, documents
// shared, stage counts, client-facing names, share links and the weekly
// report.

// portalSettingsView is what the settings page shows.
type portalSettingsView struct {
	Client    *portico.Client // nil: the agency default
	Action    string          // where the form posts
	Current   *portico.PortalSettings
	ImagePath string // the stored image, "" for none
	SigninURL string // where contacts sign in to this look
	IsAdmin   bool

	Permissions settingsGroup
	Approve     settingsGroup // stage options; Value "" is the default
	Reject      settingsGroup
	Documents   settingsGroup
	CountStages settingsGroup
	Summary     settingsGroup
	StageNames  settingsGroup
	Activities  settingsGroup
	Columns     settingsGroup
}

// settingsChoice is a checkbox or an option.
type settingsChoice struct {
	Value, Label, Hint string
	Checked            bool
}

// settingsGroup is a group of the form's fields, for its partials: the
// checkboxes or options of one field, or one text box per name.
type settingsGroup struct {
	Form               *Form
	Name, Legend, Hint string
	Choices            []settingsChoice
	Rows               []nameRow
}

// nameRow is a text box for a client-facing name.
type nameRow struct {
	Field, Label, Placeholder, Value string
}

func (s *Server) agencyPortalSettingsForm(w http.ResponseWriter, r *http.Request) {
	s.showPortalSettings(w, r, 0, http.StatusOK, nil, nil)
}

func (s *Server) clientPortalSettingsForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showPortalSettings(w, r, id, http.StatusOK, nil, nil)
}

func (s *Server) setAgencyPortalSettings(w http.ResponseWriter, r *http.Request) {
	s.savePortalSettings(w, r, 0)
}

func (s *Server) setClientPortalSettings(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.savePortalSettings(w, r, id)
}

// settingsPath is the settings page of a client (0: the agency default).
func settingsPath(clientID int64) string {
	if clientID == 0 {
		return "/settings/portal"
	}
	return clientPath(clientID) + "/portal"
}

// savePortalSettings checks the whole form before anything is stored: an
// image is kept only once every other field is right, so a refused form
// leaves nothing behind.
func (s *Server) savePortalSettings(w http.ResponseWriter, r *http.Request, clientID int64) {
	post, ok := s.readSettingsPost(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	cur, err := s.svc.PortalSettings.Settings(ctx, clientID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if post.tooBig {
		// Fields after the image may not have arrived: show the stored
		// settings under what did.
		vals := settingsValues(cur)
		for k, v := range post.values {
			vals[k] = v
		}
		msg := "The image is larger than " + strconv.Itoa(portico.MaxPortalImage>>20) + " MB, so nothing was saved. Choose a smaller PNG or JPEG file."
		s.showPortalSettings(w, r, clientID, http.StatusRequestEntityTooLarge, vals, portico.FieldError(fImage, msg))
		return
	}
	ps, formErr := settingsFrom(post.values, cur, clientID)
	err = mergeErrors(formErr, ps.Validate())
	if post.image != nil && ps.Brand == portico.BrandNone {
		err = mergeErrors(err, portico.FieldError(fBrand, "Choose whether the image is a logo or a header."))
	}
	if err == nil {
		err = s.svc.PortalSettings.SetSettings(ctx, ps, post.image)
	}
	if portico.ErrorCode(err) == portico.EINVALID {
		if post.image != nil && portico.ErrorFields(err)[fImage] == "" {
			err = mergeErrors(err, portico.FieldError(fImage, "Choose the image again: nothing was saved, and browsers don't keep a chosen file."))
		}
		s.showPortalSettings(w, r, clientID, statusOf(err), post.values, err)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	msg := "Portal settings saved."
	if clientID != 0 && !ps.Custom {
		msg += " This client uses the agency default."
	}
	s.redirect(w, r, settingsPath(clientID), msg)
}

// showPortalSettings renders the form: from the stored settings, or from
// vals after a refused post, with formErr's messages.
func (s *Server) showPortalSettings(w http.ResponseWriter, r *http.Request, clientID int64, status int, vals url.Values, formErr error) {
	ctx := r.Context()
	v := &portalSettingsView{Action: settingsPath(clientID), IsAdmin: currentUser(ctx).Role == portico.RoleAdmin}
	title := "Portal settings"
	p := s.page(r, title)
	p.Nav = "portal"
	if clientID != 0 {
		c, err := s.svc.Clients.FindClientByID(ctx, clientID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.Client, p.Nav, p.Title = c, "clients", "Portal settings for "+c.Name
		if c.PortalKey != "" {
			v.SigninURL = s.baseURL + brandedSigninPath(c.PortalKey)
		}
	} else {
		v.SigninURL = s.baseURL + brandedSigninPath("")
	}
	cur, err := s.svc.PortalSettings.Settings(ctx, clientID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Current = cur
	if cur.ImageID != 0 && cur.ImageKey != "" {
		v.ImagePath = portico.PortalImagePath(cur.ImageKey)
	}
	stages, err := s.svc.Stages.ListStages(ctx, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if vals == nil {
		vals = settingsValues(cur)
		p.Form = &Form{Values: vals}
	} else {
		r.PostForm = vals
		p.Form = formFrom(r, formErr)
	}
	v.fill(p.Form, stages)
	p.Data = v
	s.render(w, r, status, "portal_settings", p)
}

// fill lists the form's choices, ticked from f's values.
func (v *portalSettingsView) fill(f *Form, stages []*portico.Stage) {
	vals := f.Values
	has := func(field, value string) bool { return slices.Contains(vals[field], value) }
	group := func(name, legend, hint string) settingsGroup {
		return settingsGroup{Form: f, Name: name, Legend: legend, Hint: hint}
	}
	v.Permissions = group(fAllow, "Clients may", "")
	for _, p := range permissionList(portico.PortalPermissions{}) {
		v.Permissions.Choices = append(v.Permissions.Choices, settingsChoice{Value: p.value, Label: p.label, Hint: p.hint, Checked: has(fAllow, p.value)})
	}
	v.Approve = group(fApproveStage, "An approval moves the candidate to", "")
	v.Approve.Choices = []settingsChoice{{Label: "The first interview stage (default)", Checked: vals.Get(fApproveStage) == ""}}
	v.Reject = group(fRejectStage, "A rejection moves the candidate to", "")
	v.Reject.Choices = []settingsChoice{{Label: "The first “rejected by client” stage (default)", Checked: vals.Get(fRejectStage) == ""}}
	v.CountStages = group(fCountStages, "Stages the portal counts", "A job’s progress on the portal counts candidates in these stages. None ticked: every stage.")
	v.StageNames = group("stage_names", "Stages", "")
	for _, st := range stages {
		id := strconv.FormatInt(st.ID, 10)
		label := st.InternalName
		if st.ClientName != "" && st.ClientName != st.InternalName {
			label += " (clients see “" + st.ClientName + "”)"
		}
		v.Approve.Choices = append(v.Approve.Choices, settingsChoice{Value: id, Label: label, Checked: vals.Get(fApproveStage) == id})
		v.Reject.Choices = append(v.Reject.Choices, settingsChoice{Value: id, Label: label, Checked: vals.Get(fRejectStage) == id})
		v.CountStages.Choices = append(v.CountStages.Choices, settingsChoice{Value: id, Label: st.InternalName, Hint: st.Kind.Label(), Checked: has(fCountStages, id)})
		v.StageNames.Rows = append(v.StageNames.Rows, nameRow{Field: fStageName + id, Label: st.InternalName, Placeholder: st.ClientName, Value: vals.Get(fStageName + id)})
	}
	v.Documents = group(fShareDocs, "Attach the newest of each", "When a candidate is shared, the newest document of each kind ticked goes with them. Whoever shares can still change it for each candidate.")
	for _, k := range portico.DocumentKinds {
		v.Documents.Choices = append(v.Documents.Choices, settingsChoice{Value: string(k), Label: k.Label(), Checked: has(fShareDocs, string(k))})
	}
	v.Summary = group(fSummary, "Activity summary on the home page", "The figures for the last 7 days at the top of the portal’s home page.")
	for _, item := range portico.SummaryItems {
		v.Summary.Choices = append(v.Summary.Choices, settingsChoice{Value: string(item), Label: summaryLabel(item), Checked: has(fSummary, string(item))})
	}
	v.Activities = group("activity_names", "Activities", "")
	for _, a := range portico.ClientActivities {
		v.Activities.Rows = append(v.Activities.Rows, nameRow{Field: fActivityName + a.Action, Label: a.Name, Placeholder: a.Name, Value: vals.Get(fActivityName + a.Action)})
	}
	v.Columns = group(fReportColumns, "Sections of the email", "Each week, contacts who want it get an email about the past 7 days of their jobs, with a one-click unsubscribe.")
	for _, c := range portico.ReportColumns {
		v.Columns.Choices = append(v.Columns.Choices, settingsChoice{Value: string(c), Label: reportColumnLabel(c), Checked: has(fReportColumns, string(c))})
	}
}

// summaryLabel names an item of the portal home's activity summary.
func summaryLabel(item portico.SummaryItem) string {
	switch item {
	case portico.SummaryNewCandidates:
		return "New candidates in the last 7 days"
	case portico.SummarySubmitted:
		return "Candidates submitted in the last 7 days"
	case portico.SummaryInterviews:
		return "Interviews requested in the last 7 days"
	case portico.SummaryFeedback:
		return "Feedback given in the last 7 days"
	}
	return string(item)
}

// reportColumnLabel names a section of the weekly report.
func reportColumnLabel(c portico.ReportColumn) string {
	switch c {
	case portico.ReportNewCandidates:
		return "New candidates shared"
	case portico.ReportStageChanges:
		return "Stage changes"
	case portico.ReportInterviews:
		return "Interviews requested"
	case portico.ReportFeedback:
		return "Feedback given"
	}
	return string(c)
}
