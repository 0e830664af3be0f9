package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"portico"
)

// The agency's side of sharing: the share form of one application, unshare,
// and sharing several from the shortlist at once.

// shareView is what the share form shows.
type shareView struct {
	App        *portico.Application
	Candidate  *portico.Candidate
	Share      *portico.Share
	Resumes    []*portico.Document
	Documents  []*portico.Document // all the candidate's, for the documents shared besides the résumé
	Choices    []shareDocChoice    // Documents with their boxes ticked or not
	Defaults   []portico.DocumentKind
	Visibility portico.Visibility
	Preview    []fieldValue // the visible fields with this candidate's values
	ShownName  string       // the name, or the reference of an anonymous profile
}

// shareDocChoice is one document's checkbox.
type shareDocChoice struct {
	Doc     *portico.Document
	Checked bool
}

// fieldValue is one visible field and its value, for a preview.
type fieldValue struct {
	Label, Value string
}

// loadShare reads what the share form needs.
func (s *Server) loadShare(r *http.Request) (*shareView, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	a, err := s.svc.Applications.FindApplicationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := s.svc.Candidates.FindCandidateByID(ctx, a.CandidateID)
	if err != nil {
		return nil, err
	}
	sh, err := s.svc.Sharing.FindShare(ctx, id)
	if err != nil {
		return nil, err
	}
	docs, err := s.svc.Candidates.FindDocuments(ctx, a.CandidateID)
	if err != nil {
		return nil, err
	}
	vis, err := s.svc.Sharing.EffectiveVisibility(ctx, a.JobID)
	if err != nil {
		return nil, err
	}
	v := &shareView{App: a, Candidate: c, Share: sh, Documents: docs, Visibility: vis, ShownName: c.Name()}
	if v.firstShare() {
		// What the portal settings attach by default, for the boxes ticked
		// at first.
		job, err := s.svc.Jobs.FindJobByID(ctx, a.JobID)
		if err != nil {
			return nil, err
		}
		set, err := s.svc.PortalSettings.EffectiveSettings(ctx, job.ClientID)
		if err != nil {
			return nil, err
		}
		v.Defaults = set.ShareDocuments
	}
	if vis.Anonymous {
		v.ShownName = portico.Reference(c.ID) + " (anonymous)"
	}
	for _, d := range docs {
		if d.Kind == portico.DocResume || d.Kind == portico.DocFormattedResume {
			v.Resumes = append(v.Resumes, d)
		}
	}
	for _, f := range vis.Fields {
		v.Preview = append(v.Preview, fieldValue{f.Label(), f.Value(c)})
	}
	return v, nil
}

// firstShare reports whether the application has never been shared with
// anything: the form then starts from the portal settings' defaults.
func (v *shareView) firstShare() bool {
	return v.Share.SharedAt == nil && v.Share.ResumeID == 0 && len(v.Share.DocumentIDs) == 0
}

// defaultDocuments are the documents ticked at first: those shared now or
// last time, else the newest of each kind the portal settings attach, less
// the résumé chosen above (shared already).
func (v *shareView) defaultDocuments() []int64 {
	if !v.firstShare() {
		return v.Share.DocumentIDs
	}
	resume := v.defaultResume()
	var out []int64
	for _, k := range v.Defaults {
		var newest *portico.Document
		for _, d := range v.Documents {
			if d.Kind == k && (newest == nil || d.ID > newest.ID) {
				newest = d
			}
		}
		if newest != nil && newest.ID != resume {
			out = append(out, newest.ID)
		}
	}
	return out
}

// DefaultsText names the kinds the portal settings attach, for the
// form's hint: "formatted résumé and résumé".
func (v *shareView) DefaultsText() string {
	var names []string
	for _, k := range v.Defaults {
		names = append(names, strings.ToLower(k.Label()))
	}
	if len(names) == 0 {
		return ""
	}
	return joinNames(names)
}

// choose ticks the documents' boxes from the form's values.
func (v *shareView) choose(form url.Values) {
	on := map[string]bool{}
	for _, id := range form["document_id"] {
		on[id] = true
	}
	v.Choices = v.Choices[:0]
	for _, d := range v.Documents {
		v.Choices = append(v.Choices, shareDocChoice{Doc: d, Checked: on[strconv.FormatInt(d.ID, 10)]})
	}
}

// defaultResume is what the form chooses at first: what is shared now or
// was last time, else the newest résumé.
func (v *shareView) defaultResume() int64 {
	if v.Share.ResumeID != 0 || v.Share.SharedAt != nil {
		return v.Share.ResumeID
	}
	var newest int64
	for _, d := range v.Resumes {
		newest = max(newest, d.ID)
	}
	return newest
}

// shareFormValues fills the form from the stored share.
func (v *shareView) shareFormValues() url.Values {
	vals := url.Values{"resume_id": {strconv.FormatInt(v.defaultResume(), 10)}, "profile": {v.Share.Profile}}
	if v.Share.ShareVideo || (v.Share.SharedAt == nil && v.Share.ResumeID == 0 && v.Candidate.VideoURL != "") {
		vals.Set("share_video", "on")
	}
	for _, id := range v.defaultDocuments() {
		vals.Add("document_id", strconv.FormatInt(id, 10))
	}
	return vals
}

func (s *Server) shareForm(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadShare(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderShare(w, r, http.StatusOK, v, &Form{Values: v.shareFormValues()})
}

func (s *Server) renderShare(w http.ResponseWriter, r *http.Request, status int, v *shareView, form *Form) {
	title := "Share " + v.App.CandidateName + " with " + v.App.ClientName
	if v.Share.SharedAt != nil {
		title = "Edit sharing of " + v.App.CandidateName
	}
	v.choose(form.Values)
	p := s.page(r, title)
	p.Nav = "jobs"
	p.Form = form
	p.Data = v
	s.render(w, r, status, "share", p)
}

// share saves the share form; action=template fills the profile from the
// agency's template instead and shows the form again.
func (s *Server) share(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	v, err := s.loadShare(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	if f.Get("action") == "template" {
		form := &Form{Values: url.Values{}}
		for k, vs := range f {
			form.Values[k] = vs
		}
		form.Values.Set("profile", profileFromTemplate(v.Candidate, v.Visibility))
		form.Values.Del("action")
		s.renderShare(w, r, http.StatusOK, v, form)
		return
	}
	in := portico.ShareInput{Profile: f.Get("profile"), ShareVideo: f.Get("share_video") != ""}
	if raw := strings.TrimSpace(f.Get("resume_id")); raw != "" && raw != "0" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			s.renderShare(w, r, http.StatusUnprocessableEntity, v, formFrom(r, portico.FieldError("resume_id", "Choose one of the résumés listed, or none.")))
			return
		}
		in.ResumeID = id
	}
	docs, err := shareDocumentIDs(f["document_id"], in.ResumeID)
	if err != nil {
		s.renderShare(w, r, http.StatusUnprocessableEntity, v, formFrom(r, err))
		return
	}
	in.DocumentIDs = docs
	was := v.Share.SharedAt != nil
	if _, err := s.svc.Sharing.Share(r.Context(), v.App.ID, in); err != nil {
		if portico.ErrorCode(err) == portico.EINVALID {
			err = renameFields(err, map[string]string{"document_ids": "document_id", "documents": "document_id"})
			s.renderShare(w, r, statusOf(err), v, formFrom(r, err))
			return
		}
		s.fail(w, r, err)
		return
	}
	msg := v.App.CandidateName + " is shared with " + v.App.ClientName + ". Their contacts see them on the portal now."
	if was {
		msg = "Sharing of " + v.App.CandidateName + " saved. The client sees the change now."
	}
	s.redirect(w, r, applicationPath(v.App.ID)+"#portal-h", msg)
}

// shareDocumentIDs reads the ticked documents, leaving out the résumé,
// which is shared already.
func shareDocumentIDs(raw []string, resumeID int64) ([]int64, error) {
	var ids []int64
	for _, x := range raw {
		id, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		if err != nil || id <= 0 {
			return nil, portico.FieldError("document_id", "Choose from the documents listed.")
		}
		if id != resumeID {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func (s *Server) unshare(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	a, err := s.svc.Applications.FindApplicationByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.svc.Sharing.Unshare(ctx, id); err != nil {
		s.fail(w, r, err)
		return
	}
	to := applicationPath(id) + "#portal-h"
	if next := r.PostForm.Get("next"); next != "" {
		to = localPath(next)
	}
	msg := a.CandidateName + " is no longer shared with " + a.ClientName + ". They stay in " + a.StageName + "."
	if a.SharedAt == nil {
		msg = a.CandidateName + " wasn't shared with " + a.ClientName + ", so nothing changed."
	}
	s.redirect(w, r, to, msg)
}

// bulkShare shares or unshares the ticked rows of the shortlist's list.
func (s *Server) bulkShare(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	job, err := s.svc.Jobs.FindJobByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	action := r.PostForm.Get("action")
	if action != "share" && action != "unshare" {
		s.renderError(w, r, http.StatusBadRequest, "Portico didn't understand that. Choose “Share with client” or “Unshare”.")
		return
	}
	back := jobPath(id) + "?view=list#shortlist-h"
	if next := r.PostForm.Get("next"); next != "" {
		back = localPath(next)
	}
	var ids []int64
	for _, raw := range r.PostForm["application_id"] {
		aid, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil || aid <= 0 {
			s.renderError(w, r, http.StatusBadRequest, "Portico didn't understand which candidates were chosen. Go back, reload the page and choose again.")
			return
		}
		ids = append(ids, aid)
	}
	if len(ids) == 0 {
		s.redirect(w, r, back, "No candidates were chosen. Tick the candidates first, then choose “Share with client” or “Unshare”.")
		return
	}
	n, err := s.svc.Sharing.SetShared(ctx, id, ids, action == "share")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, back, bulkShareMessage(action == "share", n, distinctIDs(ids)-n, job.ClientName))
}

// bulkShareMessage says how a bulk share or unshare went.
func bulkShareMessage(share bool, changed, same int, client string) string {
	if share {
		if changed == 0 {
			return "Nothing changed: " + pluralIs(same, "the candidate is", "all "+strconv.Itoa(same)+" candidates are") + " shared with " + client + " already."
		}
		msg := countNoun(changed, "candidate", "candidates") + " shared with " + client + "."
		if same > 0 {
			msg += " " + pluralIs(same, "1 other was", strconv.Itoa(same)+" others were") + " shared already."
		}
		return msg
	}
	if changed == 0 {
		return "Nothing changed: " + pluralIs(same, "the candidate isn't", "none of the "+strconv.Itoa(same)+" candidates is") + " shared with " + client + "."
	}
	return countNoun(changed, "candidate is", "candidates are") + " no longer shared with " + client + ". Their stages stay as they are."
}

func pluralIs(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// sharePanel is what the application page's "Client portal" panel shows:
// whether it is shared, by whom and when, with which résumé and video.
type sharePanel struct {
	Share    *portico.Share
	By       string            // who shared it, "" for Portico itself
	Resume   *portico.Document // nil for none
	VideoURL string            // the candidate's video link when it is shared
	// ClientStage is the stage's client-facing name, when it differs from
	// the internal one.
	ClientStage string
}

func (s *Server) loadSharePanel(r *http.Request, a *portico.Application) (*sharePanel, error) {
	ctx := r.Context()
	sh, err := s.svc.Sharing.FindShare(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	p := &sharePanel{Share: sh}
	if sh.SharedAt == nil {
		return p, nil
	}
	st, err := s.svc.Stages.FindStageByID(ctx, a.StageID)
	if err != nil {
		return nil, err
	}
	if st.ClientName != st.InternalName {
		p.ClientStage = st.ClientName
	}
	if sh.SharedBy != 0 {
		if u, err := s.svc.Users.FindUserByID(ctx, sh.SharedBy); err == nil {
			p.By = u.Name
		}
	}
	if sh.ResumeID != 0 {
		if d, err := s.svc.Candidates.FindDocumentByID(ctx, sh.ResumeID); err == nil {
			p.Resume = d
		} else if portico.ErrorCode(err) != portico.ENOTFOUND {
			return nil, err
		}
	}
	if sh.ShareVideo {
		c, err := s.svc.Candidates.FindCandidateByID(ctx, a.CandidateID)
		if err != nil {
			return nil, err
		}
		p.VideoURL = c.VideoURL
	}
	return p, nil
}
