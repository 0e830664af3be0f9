package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"portico"
)

// The portal settings form as fields: settings become form values for the
// page, and posted values (with the chosen image) become settings. One
// path from values to the page serves a fresh form and one that came back
// with errors alike.

// settingsFormLimit bounds a settings post: the largest image and room for
// the rest of the form.
const settingsFormLimit = portico.MaxPortalImage + 256<<10

// defaultAccent is Portico's own colour, what the colour picker shows when
// no accent is chosen.
const defaultAccent = "#1d4ed8"

// The field names of the form; the checkbox groups and selects are named
// like the store's error fields, so each message lands beside its field.
const (
	fMode          = "mode" // a client's: "default" or "custom"
	fBrand         = "brand"
	fImage         = "image"
	fWelcome       = "welcome"
	fFooter        = "footer"
	fAccent        = "accent"
	fAccentPick    = "accent_pick"
	fAccentWas     = "accent_was" // the accent the form started with
	fAllow         = "allow"
	fApproveStage  = "approve_stage_id"
	fRejectStage   = "reject_stage_id"
	fShareDocs     = "share_documents"
	fCountStages   = "count_stage_ids"
	fCountShared   = "count_shared_only"
	fSummary       = "summary"
	fStageName     = "stage_name_"    // + the stage's ID
	fActivityName  = "activity_name_" // + the action
	fLinkDays      = "link_days"
	fLinkUses      = "link_uses"
	fReportColumns = "report_columns"
)

// settingsPost is a posted settings form.
type settingsPost struct {
	values url.Values
	image  []byte // the chosen image, nil when none was chosen
	tooBig bool   // the image was over the limit and was not kept
}

// readSettingsPost reads the form, streaming a multipart body so an image
// over the limit is refused without being held. Fields after an image that
// overflowed the whole body are lost; the caller shows the stored settings
// for them. ok is false when the answer has been sent.
func (s *Server) readSettingsPost(w http.ResponseWriter, r *http.Request) (p *settingsPost, ok bool) {
	p = &settingsPost{values: url.Values{}}
	if !isUpload(r) {
		if !s.parseForm(w, r) {
			return nil, false
		}
		p.values = r.PostForm
		return p, true
	}
	raw := r.Body
	overflow := func() {
		// Let the browser finish sending, so it reads the answer, and
		// close the connection afterwards.
		_, _ = io.CopyN(io.Discard, raw, drainLimit)
		w.Header().Set("Connection", "close")
		p.tooBig = true
	}
	defer func() { r.PostForm = p.values }()
	// Even a body declared too large is read up to the limit: the fields
	// before the image arrive and are kept.
	r.Body = http.MaxBytesReader(w, r.Body, settingsFormLimit)
	mr, err := r.MultipartReader()
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, "Portico couldn't read that form. Reload the page and try again.")
		return nil, false
	}
	var mbe *http.MaxBytesError
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if errors.As(err, &mbe) {
			overflow()
			break
		} else if err != nil {
			s.renderError(w, r, http.StatusBadRequest, "Portico couldn't read that form. Reload the page and try again.")
			return nil, false
		}
		name := part.FormName()
		if name == fImage {
			b, err := io.ReadAll(io.LimitReader(part, portico.MaxPortalImage+1))
			if err == nil && len(b) > portico.MaxPortalImage {
				_, err = io.Copy(io.Discard, part)
				p.tooBig = true
			}
			if errors.As(err, &mbe) {
				overflow()
				break
			} else if err != nil {
				s.renderError(w, r, http.StatusBadRequest, "The upload was interrupted. Choose the image again and save.")
				return nil, false
			}
			// A file input left empty still sends a part, without a name.
			if !p.tooBig && (part.FileName() != "" || len(b) > 0) {
				p.image = b
			}
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFormBytes))
		if errors.As(err, &mbe) {
			overflow()
			break
		} else if err != nil {
			s.renderError(w, r, http.StatusBadRequest, "Portico couldn't read that form. Reload the page and try again.")
			return nil, false
		}
		p.values.Add(name, string(b))
	}
	if !storableText(p.values) {
		s.renderError(w, r, http.StatusBadRequest, unstorableText)
		return nil, false
	}
	return p, true
}

// settingsValues turns settings into the form's values.
func settingsValues(ps *portico.PortalSettings) url.Values {
	v := url.Values{}
	v.Set(fMode, "default")
	if ps.Custom {
		v.Set(fMode, "custom")
	}
	v.Set(fBrand, string(ps.Brand))
	if ps.Brand == portico.BrandNone || ps.ImageID == 0 {
		v.Set(fBrand, "none")
	}
	v.Set(fWelcome, ps.Welcome)
	v.Set(fFooter, ps.Footer)
	v.Set(fAccent, ps.Accent)
	v.Set(fAccentWas, ps.Accent)
	v.Set(fAccentPick, pickerColour(ps.Accent))
	for _, a := range permissionList(ps.Allow) {
		if a.on {
			v.Add(fAllow, a.value)
		}
	}
	if ps.ApproveStageID != 0 {
		v.Set(fApproveStage, strconv.FormatInt(ps.ApproveStageID, 10))
	}
	if ps.RejectStageID != 0 {
		v.Set(fRejectStage, strconv.FormatInt(ps.RejectStageID, 10))
	}
	for _, k := range ps.ShareDocuments {
		v.Add(fShareDocs, string(k))
	}
	for _, id := range ps.CountStageIDs {
		v.Add(fCountStages, strconv.FormatInt(id, 10))
	}
	if ps.CountSharedOnly {
		v.Set(fCountShared, "on")
	}
	for _, item := range ps.Summary {
		v.Add(fSummary, string(item))
	}
	for id, name := range ps.StageNames {
		v.Set(fStageName+strconv.FormatInt(id, 10), name)
	}
	for action, name := range ps.ActivityNames {
		v.Set(fActivityName+action, name)
	}
	v.Set(fLinkDays, strconv.Itoa(ps.LinkDays))
	v.Set(fLinkUses, strconv.Itoa(ps.LinkUses))
	for _, c := range ps.ReportColumns {
		v.Add(fReportColumns, string(c))
	}
	return v
}

// pickerColour is what the colour input shows: it can't be empty.
func pickerColour(accent string) string {
	if accent == "" {
		return defaultAccent
	}
	return accent
}

// permission is one of the client actions the form switches on or off.
type permission struct {
	value, label, hint string
	on                 bool
	set                func(*portico.PortalPermissions, bool)
}

func permissionList(p portico.PortalPermissions) []permission {
	return []permission{
		{"rate", "Rate candidates", "one to five stars", p.Rate, func(p *portico.PortalPermissions, on bool) { p.Rate = on }},
		{"approve", "Approve candidates", "moves them to the approval stage below", p.Approve, func(p *portico.PortalPermissions, on bool) { p.Approve = on }},
		{"reject", "Reject candidates", "with a reason; moves them to the rejection stage below", p.Reject, func(p *portico.PortalPermissions, on bool) { p.Reject = on }},
		{"feedback", "Leave feedback", "written comments on a candidate", p.Feedback, func(p *portico.PortalPermissions, on bool) { p.Feedback = on }},
		{"interview", "Request interviews", "proposing dates and times", p.Interview, func(p *portico.PortalPermissions, on bool) { p.Interview = on }},
		{"hire", "Hire", "tells the job's owner they want to hire", p.Hire, func(p *portico.PortalPermissions, on bool) { p.Hire = on }},
	}
}

// settingsFrom reads posted values into settings for clientID, starting
// from the stored ones (the image stays unless a new one is uploaded).
// Values that can't be read at all (a number that isn't one) come back as
// field messages; the rest is for Validate and the store to judge.
func settingsFrom(v url.Values, cur *portico.PortalSettings, clientID int64) (*portico.PortalSettings, error) {
	var check portico.Validation
	ps := &portico.PortalSettings{
		ClientID:        clientID,
		Custom:          clientID != 0 && v.Get(fMode) == "custom",
		ImageID:         cur.ImageID,
		Welcome:         normaliseNewlines(v.Get(fWelcome)),
		Footer:          normaliseNewlines(v.Get(fFooter)),
		Accent:          chosenAccent(v),
		CountSharedOnly: v.Get(fCountShared) != "",
		StageNames:      map[int64]string{},
		ActivityNames:   map[string]string{},
	}
	if clientID != 0 {
		mode := v.Get(fMode)
		check.Check(mode == "default" || mode == "custom", fMode, "Choose the agency default or custom settings for this client.")
	}
	switch b := v.Get(fBrand); b {
	case "none", "":
		ps.Brand = portico.BrandNone
	default:
		ps.Brand = portico.BrandImage(b)
	}
	on := map[string]bool{}
	for _, a := range v[fAllow] {
		on[a] = true
	}
	for _, p := range permissionList(portico.PortalPermissions{}) {
		p.set(&ps.Allow, on[p.value])
	}
	var err error
	if ps.ApproveStageID, err = optionalID(v.Get(fApproveStage)); err != nil {
		check.Check(false, fApproveStage, "Choose one of the stages listed, or the default.")
	}
	if ps.RejectStageID, err = optionalID(v.Get(fRejectStage)); err != nil {
		check.Check(false, fRejectStage, "Choose one of the stages listed, or the default.")
	}
	for _, k := range v[fShareDocs] {
		ps.ShareDocuments = append(ps.ShareDocuments, portico.DocumentKind(k))
	}
	for _, x := range v[fCountStages] {
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil || id <= 0 {
			check.Check(false, fCountStages, "Choose from the stages listed.")
			continue
		}
		ps.CountStageIDs = append(ps.CountStageIDs, id)
	}
	for _, item := range v[fSummary] {
		ps.Summary = append(ps.Summary, portico.SummaryItem(item))
	}
	for key, vals := range v {
		name := strings.TrimSpace(strings.Join(vals, ""))
		switch {
		case name == "":
		case strings.HasPrefix(key, fStageName):
			id, err := strconv.ParseInt(strings.TrimPrefix(key, fStageName), 10, 64)
			if err != nil || id <= 0 {
				check.Check(false, "stage_names", "Name only the stages listed.")
				continue
			}
			ps.StageNames[id] = name
		case strings.HasPrefix(key, fActivityName):
			ps.ActivityNames[strings.TrimPrefix(key, fActivityName)] = name
		}
	}
	if ps.LinkDays, err = wholeNumber(v.Get(fLinkDays)); err != nil {
		check.Check(false, fLinkDays, "Enter a whole number of days, 0 for no date limit.")
	}
	if ps.LinkUses, err = wholeNumber(v.Get(fLinkUses)); err != nil {
		check.Check(false, fLinkUses, "Enter a whole number of uses, 0 for no limit.")
	}
	for _, c := range v[fReportColumns] {
		ps.ReportColumns = append(ps.ReportColumns, portico.ReportColumn(c))
	}
	return ps, check.Err()
}

// chosenAccent is the colour the form asks for. The text box and the
// colour picker both name it and the page works without script, so the
// one the user changed wins; the text box when both changed. An empty
// text box is Portico's own colour.
func chosenAccent(v url.Values) string {
	was := strings.ToLower(strings.TrimSpace(v.Get(fAccentWas)))
	text := strings.ToLower(strings.TrimSpace(v.Get(fAccent)))
	pick := strings.ToLower(strings.TrimSpace(v.Get(fAccentPick)))
	if text != "" && !strings.HasPrefix(text, "#") {
		text = "#" + text // people type the hex digits alone too
	}
	switch {
	case text != was:
		return text
	case pick != "" && pick != pickerColour(was):
		return pick
	}
	return was
}

func optionalID(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("not an ID: %q", s)
	}
	return id, nil
}

func wholeNumber(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	return strconv.Atoi(s)
}

// normaliseNewlines keeps what people typed, with the newlines browsers
// send (CRLF) as plain ones.
func normaliseNewlines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// mergeErrors joins two EINVALID errors' field messages, the first's
// first; anything else is returned as it is.
func mergeErrors(a, b error) error {
	if a == nil {
		return b
	}
	if b == nil || portico.ErrorCode(a) != portico.EINVALID || portico.ErrorCode(b) != portico.EINVALID {
		return a
	}
	var v portico.Validation
	for _, err := range []error{a, b} {
		fields := portico.ErrorFields(err)
		for _, k := range portico.ErrorOrder(err) {
			v.Check(false, k, fields[k])
		}
	}
	return v.Err()
}
