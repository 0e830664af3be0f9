package web_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// psWorld is an agency with a recruiter and two clients, each with a
// portal contact: Acme Health gets its own look in the tests, Bolt keeps
// the agency default.
type psWorld struct {
	s          *site
	db         *sqlstore.DB
	rec        *portico.User
	acme, bolt *portico.Client
	ann, bob   *portico.Contact
	acmePath   string
}

const (
	psRec      = "rita@agency.test"
	psAnn      = "ann@acme.test"
	psBob      = "bob@bolt.test"
	psAgencyHi = "Welcome to Harbour Recruitment's client portal."
	psAcmeHi   = "Welcome to the Acme Health hiring portal.\nYour shortlists are below."
)

func newPSWorld(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) *psWorld {
	t.Helper()
	w := &psWorld{s: newSite(t, db, clock), db: db}
	w.rec = testkit.AddUser(t, db, "Rita Recruiter", psRec, portico.RoleRecruiter)
	w.acme = testkit.AddClient(t, db, "Acme Health")
	w.bolt = testkit.AddClient(t, db, "Bolt Engineering")
	w.ann = testkit.PortalContact(t, db, w.acme.ID, "Ann Archer", psAnn)
	w.bob = testkit.PortalContact(t, db, w.bolt.ID, "Bob Bolt", psBob)
	w.acmePath = "/clients/" + strconv.FormatInt(w.acme.ID, 10) + "/portal"
	return w
}

// settings reads stored settings as the admin.
func (w *psWorld) settings(t *testing.T, clientID int64) *portico.PortalSettings {
	t.Helper()
	ps, err := w.db.Services().PortalSettings.Settings(testkit.AsUser(w.s.admin), clientID)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// portalKey is a client's portal key as the store has it now.
func (w *psWorld) portalKey(t *testing.T, clientID int64) string {
	t.Helper()
	c, err := w.db.Services().Clients.FindClientByID(testkit.AsUser(w.s.admin), clientID)
	if err != nil {
		t.Fatal(err)
	}
	if c.PortalKey == "" {
		t.Fatalf("client %d has no portal key", clientID)
	}
	return c.PortalKey
}

// psForm is a full settings form as the page posts it, from settings.
func psForm(mode string, edit func(url.Values)) url.Values {
	v := url.Values{
		"mode": {mode}, "brand": {"none"}, "welcome": {""}, "footer": {""},
		"accent": {""}, "accent_was": {""}, "accent_pick": {"#1d4ed8"},
		"allow":           {"rate", "approve", "reject", "feedback", "interview", "hire"},
		"share_documents": {"formatted_resume", "resume"}, "count_shared_only": {"on"},
		"summary":   {"new_candidates", "submitted", "interviews", "feedback"},
		"link_days": {"14"}, "link_uses": {"0"},
		"report_columns": {"new_candidates", "stage_changes", "interviews", "feedback"},
	}
	if edit != nil {
		edit(v)
	}
	return v
}

// postMultipart sends a form with a file the way a browser does: the
// fields in before, then the file, then the fields in after.
func (c *client) postMultipart(path string, before url.Values, field, filename string, content []byte, after url.Values) response {
	c.s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	write := func(v url.Values) {
		for k, vs := range v {
			for _, x := range vs {
				_ = mw.WriteField(k, x)
			}
		}
	}
	write(before)
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		c.s.t.Fatal(err)
	}
	_, _ = fw.Write(content)
	write(after)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.s.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", c.s.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// pngImage is a real PNG of w×h pixels; noisy ones don't compress.
func pngImage(t *testing.T, w, h int, noisy bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{11, 110, 79, 255}
			if noisy {
				c = color.RGBA{uint8(rand.IntN(256)), uint8(rand.IntN(256)), uint8(rand.IntN(256)), 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestPortalSettingsAccess(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPSWorld(t, db, clock)
		key := w.portalKey(t, w.acme.ID)
		w.s.run(t, []scenario{
			{name: "visitor, agency", path: "/settings/portal", status: http.StatusSeeOther, location: "/signin?next="},
			{name: "visitor, client", path: w.acmePath, status: http.StatusSeeOther, location: "/signin?next="},
			{name: "visitor posts", method: http.MethodPost, path: "/settings/portal", form: psForm("custom", nil), status: http.StatusSeeOther, location: "/signin"},
			{name: "recruiter, agency default", as: psRec, path: "/settings/portal", status: http.StatusForbidden,
				contains: []string{"Only agency admins"}, forbidden: []string{"Appearance"}},
			{name: "recruiter posts the agency default", as: psRec, method: http.MethodPost, path: "/settings/portal",
				form: psForm("custom", func(v url.Values) { v.Set("welcome", "Hacked") }), status: http.StatusForbidden},
			{name: "recruiter, client", as: psRec, path: w.acmePath, status: http.StatusOK,
				contains: []string{"Portal settings for Acme Health", "Use the agency default", "Use custom settings for this client",
					`value="` + testkit.BaseURL + "/portal/signin?b=" + key + `"`, "Uses the agency default", `enctype="multipart/form-data"`},
				forbidden: []string{`href="/settings/portal"`}},
			{name: "admin, agency default", as: testkit.AdminEmail, path: "/settings/portal", status: http.StatusOK,
				contains: []string{"<h1>Portal settings</h1>", `aria-current="page">Portal settings`, "Appearance", "Image at the top",
					`type="color"`, `name="accent_pick" type="color" value="#1d4ed8"`, "Client actions", "Request interviews",
					"An approval moves the candidate to", "Client interview", "Documents attached when sharing", "Formatted résumé",
					"Stages the portal counts", "Count only candidates visible on the portal", "Client-facing names",
					`placeholder="Under review"`, `name="activity_name_application.rejected_by_client"`, `placeholder="Rejected"`,
					"Share links", `name="link_days" type="number" min="0" max="365" step="1" inputmode="numeric" value="14"`,
					"Weekly report", "Stage changes", testkit.BaseURL + "/portal/signin"},
				forbidden: []string{"Use the agency default"}},
			{name: "admin, client", as: testkit.AdminEmail, path: w.acmePath, status: http.StatusOK,
				contains: []string{"The agency default is set under", `href="/settings/portal"`}},
			{name: "client page links here", as: psRec, path: "/clients/" + strconv.FormatInt(w.acme.ID, 10), status: http.StatusOK,
				contains: []string{`href="` + w.acmePath + `"`}},
			{name: "unknown client", as: psRec, path: "/clients/999999/portal", status: http.StatusNotFound},
			{name: "not a client ID", as: psRec, path: "/clients/abc/portal", status: http.StatusNotFound},
			{name: "unknown client, post", as: psRec, method: http.MethodPost, path: "/clients/999999/portal", form: psForm("custom", nil), status: http.StatusNotFound},
		})
		if got := w.settings(t, 0).Welcome; got != "" {
			t.Errorf("the recruiter's post changed the agency default: welcome %q", got)
		}
	})
}

func TestPortalSettingsSave(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPSWorld(t, db, clock)
		stages, err := db.Services().Stages.ListStages(context.Background(), false)
		must(t, err)
		var interview, rejected *portico.Stage
		for _, st := range stages {
			switch {
			case st.Kind == portico.KindInterview && interview == nil:
				interview = st
			case st.Kind == portico.KindRejectedByClient && rejected == nil:
				rejected = st
			}
		}
		sid := func(st *portico.Stage) string { return strconv.FormatInt(st.ID, 10) }
		admin := w.s.signedIn(testkit.AdminEmail)

		// The agency default, every field.
		form := psForm("custom", func(v url.Values) {
			v.Set("welcome", psAgencyHi)
			v.Set("footer", "Harbour Recruitment · 1 Quay St")
			v.Set("accent", "#0B6E4F")
			v["allow"] = []string{"rate", "feedback"}
			v.Set("approve_stage_id", sid(interview))
			v.Set("reject_stage_id", sid(rejected))
			v["share_documents"] = []string{"other"}
			v["count_stage_ids"] = []string{sid(interview), sid(rejected)}
			v.Del("count_shared_only")
			v["summary"] = []string{"interviews"}
			v.Set("stage_name_"+sid(interview), "Meet them")
			v.Set("activity_name_application.rejected_by_client", "Declined")
			v.Set("link_days", "3")
			v.Set("link_uses", "2")
			v["report_columns"] = []string{"feedback"}
		})
		res := admin.post("/settings/portal", form)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/settings/portal" {
			t.Fatalf("save: %d %s\n%s", res.status, res.header.Get("Location"), res.body)
		}
		got := w.settings(t, 0)
		want := portico.PortalSettings{Welcome: psAgencyHi, Footer: "Harbour Recruitment · 1 Quay St", Accent: "#0b6e4f",
			Allow: portico.PortalPermissions{Rate: true, Feedback: true}, ApproveStageID: interview.ID, RejectStageID: rejected.ID,
			LinkDays: 3, LinkUses: 2}
		if got.Welcome != want.Welcome || got.Footer != want.Footer || got.Accent != want.Accent || got.Allow != want.Allow ||
			got.ApproveStageID != want.ApproveStageID || got.RejectStageID != want.RejectStageID || got.LinkDays != 3 || got.LinkUses != 2 ||
			got.CountSharedOnly || len(got.CountStageIDs) != 2 || len(got.Summary) != 1 || got.Summary[0] != portico.SummaryInterviews ||
			len(got.ShareDocuments) != 1 || got.ShareDocuments[0] != portico.DocOther || len(got.ReportColumns) != 1 ||
			got.StageNames[interview.ID] != "Meet them" || got.ActivityNames["application.rejected_by_client"] != "Declined" {
			t.Errorf("saved %+v", got)
		}
		page := admin.get("/settings/portal")
		for _, s := range []string{"Portal settings saved.", "Welcome to Harbour Recruitment&#39;s client portal.", `value="#0b6e4f"`,
			`name="allow" value="rate" id="f-allow" checked`, `name="allow" value="approve">`, `value="` + sid(interview) + `" selected`,
			`name="stage_name_` + sid(interview) + `" type="text" value="Meet them"`, `value="Declined"`, `value="3"`,
			`name="count_stage_ids" value="` + sid(interview) + `" checked`, `name="report_columns" value="feedback" checked`} {
			if !strings.Contains(page.body, s) {
				t.Errorf("the form after saving lacks %q", s)
			}
		}
		if strings.Contains(page.body, `name="count_shared_only" value="on" checked`) {
			t.Error("count only shared should be off")
		}

		// Colour: the picker wins when only it changed; the text box when it
		// changed; an empty box is Portico's own colour.
		res = admin.post("/settings/portal", psForm("custom", func(v url.Values) {
			v.Set("accent", "#0b6e4f")
			v.Set("accent_was", "#0b6e4f")
			v.Set("accent_pick", "#aa3300")
		}))
		if res.status != http.StatusSeeOther || w.settings(t, 0).Accent != "#aa3300" {
			t.Errorf("picker: %d, accent %q", res.status, w.settings(t, 0).Accent)
		}
		res = admin.post("/settings/portal", psForm("custom", func(v url.Values) {
			v.Set("accent", "")
			v.Set("accent_was", "#aa3300")
			v.Set("accent_pick", "#aa3300")
		}))
		if res.status != http.StatusSeeOther || w.settings(t, 0).Accent != "" {
			t.Errorf("cleared: %d, accent %q", res.status, w.settings(t, 0).Accent)
		}

		// Refused: messages beside the fields, input kept, nothing saved.
		before := w.settings(t, 0)
		for _, tc := range []struct {
			name string
			edit func(url.Values)
			want []string
		}{
			{"bad colour", func(v url.Values) { v.Set("accent", "blue"); v.Set("welcome", "Typed & kept") },
				[]string{`id="f-accent-error">Choose a colour as #rrggbb`, "Typed &amp; kept", `name="accent" type="text" value="blue"`}},
			{"not a number", func(v url.Values) { v.Set("link_days", "ten") },
				[]string{`id="f-link_days-error">Enter a whole number of days`, `value="ten"`}},
			{"no limit at all", func(v url.Values) { v.Set("link_days", "0"); v.Set("link_uses", "0") },
				[]string{"A link must expire after some days, some uses or both."}},
			{"too many days", func(v url.Values) { v.Set("link_days", "400") }, []string{"Choose from 0 to 365 days."}},
			{"long welcome", func(v url.Values) { v.Set("welcome", strings.Repeat("w", portico.MaxWelcome+1)) },
				[]string{`id="f-welcome-error"`, "Keep the welcome message under 2,000 characters."}},
			{"unknown stage", func(v url.Values) { v.Set("approve_stage_id", "999999") }, []string{`id="f-approve_stage_id-error"`}},
			{"forged stage", func(v url.Values) { v.Set("reject_stage_id", "x") }, []string{`id="f-reject_stage_id-error"`}},
			{"logo without an image", func(v url.Values) { v.Set("brand", "logo") },
				[]string{`id="f-image-error">Upload an image for the logo, or choose neither.`}},
			{"long stage name", func(v url.Values) { v.Set("stage_name_"+sid(interview), strings.Repeat("n", 61)) },
				[]string{`id="f-stage_names-error">Keep each stage name under 60 characters.`}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := admin.post("/settings/portal", psForm("custom", tc.edit))
				if res.status != http.StatusUnprocessableEntity {
					t.Fatalf("status %d\n%s", res.status, res.body)
				}
				for _, s := range append(tc.want, "Please correct the highlighted fields.") {
					if !strings.Contains(res.body, s) {
						t.Errorf("lacks %q", s)
					}
				}
				if after := w.settings(t, 0); after.UpdatedAt != before.UpdatedAt || after.Welcome != before.Welcome {
					t.Errorf("a refused form changed the settings")
				}
			})
		}

		// A client: custom, then back to the default, keeping its values.
		rec := w.s.signedIn(psRec)
		res = rec.post(w.acmePath, psForm("custom", func(v url.Values) { v.Set("welcome", psAcmeHi); v.Set("accent", "#ffd166") }))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != w.acmePath {
			t.Fatalf("client save: %d %s\n%s", res.status, res.header.Get("Location"), res.body)
		}
		if got := w.settings(t, w.acme.ID); !got.Custom || got.Welcome != psAcmeHi || got.Accent != "#ffd166" {
			t.Errorf("client settings %+v", got)
		}
		page = rec.get(w.acmePath)
		for _, s := range []string{"Portal settings saved.", "Custom settings", `name="mode" value="custom" checked`} {
			if !strings.Contains(page.body, s) {
				t.Errorf("client page lacks %q", s)
			}
		}
		res = rec.post(w.acmePath, psForm("default", func(v url.Values) { v.Set("welcome", psAcmeHi); v.Set("accent", "#ffd166") }))
		if res.status != http.StatusSeeOther {
			t.Fatalf("back to default: %d\n%s", res.status, res.body)
		}
		if got := w.settings(t, w.acme.ID); got.Custom || got.Welcome != psAcmeHi {
			t.Errorf("back to default: %+v", got)
		}
		if page := rec.get(w.acmePath); !strings.Contains(page.body, "Portal settings saved. This client uses the agency default.") {
			t.Error("no confirmation that the client uses the default")
		}
		history := rec.get("/clients/" + strconv.FormatInt(w.acme.ID, 10)).body
		for _, s := range []string{"changed the portal settings of Acme Health: appearance", "set Acme Health to use the agency’s portal settings"} {
			if !strings.Contains(history, s) {
				t.Errorf("the client's history lacks %q", s)
			}
		}
		res = rec.post(w.acmePath, psForm("sideways", nil))
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="f-mode-error"`) {
			t.Errorf("bad mode: %d", res.status)
		}
	})
}

func TestPortalSettingsImage(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPSWorld(t, db, clock)
		admin := w.s.signedIn(testkit.AdminEmail)
		rest := psForm("custom", func(v url.Values) { v.Set("welcome", "Typed after the image"); v.Del("brand"); v.Del("mode") })
		first := url.Values{"mode": {"custom"}, "brand": {"logo"}}
		logo := pngImage(t, 120, 40, false)

		// A real PNG: stored, chosen, served.
		res := admin.postMultipart("/settings/portal", first, "image", "logo.png", logo, rest)
		if res.status != http.StatusSeeOther {
			t.Fatalf("upload: %d\n%s", res.status, res.body)
		}
		ps := w.settings(t, 0)
		if ps.Brand != portico.BrandLogo || ps.ImageID == 0 || ps.Welcome != "Typed after the image" {
			t.Fatalf("after upload %+v", ps)
		}
		if !portico.ValidPortalImageKey(ps.ImageKey) {
			t.Fatalf("the saved image's key %q", ps.ImageKey)
		}
		imgPath := "/portal/images/" + ps.ImageKey
		idPath := "/portal/images/" + strconv.FormatInt(ps.ImageID, 10)
		page := admin.get("/settings/portal")
		if !strings.Contains(page.body, `<img src="`+imgPath+`" alt="The current logo">`) || !strings.Contains(page.body, "Replace the image") {
			t.Errorf("the form doesn't show the current image")
		}
		visitor := w.s.client()
		img := visitor.get(imgPath)
		if img.status != http.StatusOK || img.body != string(logo) || img.header.Get("Content-Type") != "image/png" ||
			img.header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(img.header.Get("Cache-Control"), "public") ||
			!strings.Contains(img.header.Get("Cache-Control"), "max-age=31536000") {
			t.Errorf("image: %d %v", img.status, img.header)
		}
		if strings.Contains(page.body, idPath+`"`) {
			t.Errorf("the form shows the image at its ID")
		}
		// Only the key finds it: not its ID, nor anything else.
		for _, p := range []string{
			idPath, "/portal/images/999999", "/portal/images/abc", "/portal/images/0", "/portal/images/-1",
			"/portal/images/" + strings.Repeat("a", portico.PortalImageKeyLen), // a key's shape, no image's
			"/portal/images/" + ps.ImageKey[1:],                                // too short
			"/portal/images/" + ps.ImageKey + "0",                              // too long
			"/portal/images/" + strings.ToUpper(ps.ImageKey),                   // not the keys' alphabet
			"/portal/images/" + ps.ImageKey[2:] + "%27%3B",                     // quote and semicolon
			"/portal/images/" + strings.Repeat(ps.ImageKey, 200),               // very long
		} {
			if res := visitor.get(p); res.status != http.StatusNotFound {
				t.Errorf("%.60s: %d", p, res.status)
			}
		}

		// The same image as a header, without uploading it again.
		res = admin.post("/settings/portal", psForm("custom", func(v url.Values) { v.Set("brand", "header") }))
		if ps := w.settings(t, 0); res.status != http.StatusSeeOther || ps.Brand != portico.BrandHeader || ps.ImageID == 0 {
			t.Errorf("header: %d %+v", res.status, ps)
		}
		before := w.settings(t, 0)

		// Refused uploads: the message beside the image, the rest kept, nothing saved.
		fake := append([]byte("\x89PNG\r\n\x1a\n"), []byte("not really an image at all")...)
		over := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, portico.MaxPortalImage)...)
		for _, tc := range []struct {
			name    string
			content []byte
			first   url.Values
			status  int
			want    []string
		}{
			{"fake PNG", fake, first, http.StatusUnprocessableEntity,
				[]string{`id="f-image-error">Upload a PNG or JPEG image.`, "Typed after the image"}},
			{"good image, bad colour", logo, url.Values{"mode": {"custom"}, "brand": {"logo"}, "accent": {"#12345"}}, http.StatusUnprocessableEntity,
				[]string{`id="f-image-error">Choose the image again: nothing was saved`, `id="f-accent-error"`}},
			{"just over 2 MB", over, first, http.StatusRequestEntityTooLarge,
				[]string{`id="f-image-error">The image is larger than 2 MB, so nothing was saved.`, "Typed after the image"}},
			{"far over 2 MB", pngImage(t, 1100, 1100, true), first, http.StatusRequestEntityTooLarge,
				[]string{`id="f-image-error">The image is larger than 2 MB`, `name="brand" value="logo" checked`}},
			{"an image with no image kind", logo, url.Values{"mode": {"custom"}, "brand": {"none"}}, http.StatusUnprocessableEntity,
				[]string{`id="f-brand-error">Choose whether the image is a logo or a header.`}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := admin.postMultipart("/settings/portal", tc.first, "image", "x.png", tc.content, rest)
				if res.status != tc.status {
					t.Fatalf("status %d, want %d\n%s", res.status, tc.status, res.body)
				}
				for _, s := range tc.want {
					if !strings.Contains(res.body, s) {
						t.Errorf("lacks %q", s)
					}
				}
				if after := w.settings(t, 0); after.UpdatedAt != before.UpdatedAt || after.ImageID != before.ImageID || after.Welcome != before.Welcome {
					t.Errorf("a refused upload changed the settings: %+v", after)
				}
			})
		}

		// A client's own logo.
		rec := w.s.signedIn(psRec)
		res = rec.postMultipart(w.acmePath, first, "image", "acme.png", pngImage(t, 60, 60, false), rest)
		ps = w.settings(t, w.acme.ID)
		if res.status != http.StatusSeeOther || !ps.Custom || ps.ImageID == 0 || ps.ImageID == before.ImageID {
			t.Errorf("client logo: %d %+v", res.status, ps)
		}
		// Two images, two keys.
		if !portico.ValidPortalImageKey(ps.ImageKey) || ps.ImageKey == before.ImageKey {
			t.Errorf("the client's logo has the key %q, the agency's %q", ps.ImageKey, before.ImageKey)
		}
		if res := visitor.get("/portal/images/" + ps.ImageKey); res.status != http.StatusOK || res.header.Get("Content-Type") != "image/png" {
			t.Errorf("client logo served: %d %v", res.status, res.header)
		}
	})
}

func TestPortalSettingsTheme(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPSWorld(t, db, clock)
		visitor := w.s.client()
		res := visitor.get("/portal/theme/default")
		if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/css") || strings.Contains(res.body, "--brand") {
			t.Fatalf("default theme: %d %v\n%s", res.status, res.header, res.body)
		}
		admin := w.s.signedIn(testkit.AdminEmail)
		rec := w.s.signedIn(psRec)
		must(t, nonRedirect(admin.post("/settings/portal", psForm("custom", func(v url.Values) { v.Set("accent", "#0b6e4f") }))))
		must(t, nonRedirect(rec.post(w.acmePath, psForm("custom", func(v url.Values) { v.Set("accent", "#ffd166") }))))
		acme := w.portalKey(t, w.acme.ID)

		res = visitor.get("/portal/theme/default?v=1-0b6e4f")
		if !strings.Contains(res.body, "--brand: #0b6e4f;") || !strings.Contains(res.body, "--on-brand: #ffffff;") ||
			!strings.Contains(res.header.Get("Cache-Control"), "immutable") {
			t.Errorf("agency theme: %v\n%s", res.header, res.body)
		}
		res = visitor.get("/portal/theme/" + acme)
		if !strings.Contains(res.body, "--brand: #ffd166;") || !strings.Contains(res.body, "--on-brand: #000000;") ||
			!strings.Contains(res.header.Get("Cache-Control"), "no-cache") {
			t.Errorf("client theme: %v\n%s", res.header, res.body)
		}
		etag := res.header.Get("ETag")
		req, _ := http.NewRequest(http.MethodGet, w.s.srv.URL+"/portal/theme/"+acme, nil)
		req.Header.Set("If-None-Match", etag)
		if res := visitor.do(req); etag == "" || res.status != http.StatusNotModified {
			t.Errorf("revalidation: ETag %q, status %d", etag, res.status)
		}
		// Bolt has no settings of its own: the agency's colours.
		res = visitor.get("/portal/theme/" + w.portalKey(t, w.bolt.ID))
		if !strings.Contains(res.body, "--brand: #0b6e4f;") {
			t.Errorf("default client's theme:\n%s", res.body)
		}
		for _, p := range []string{"/portal/theme/0123456789abcdef", "/portal/theme/%3Cscript%3E"} {
			if res := visitor.get(p); res.status != http.StatusNotFound {
				t.Errorf("%s: %d", p, res.status)
			}
		}
	})
}

func TestBrandOnPortalPages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newPSWorld(t, db, clock)
		admin := w.s.signedIn(testkit.AdminEmail)
		rec := w.s.signedIn(psRec)
		// The agency default: a header image, a welcome and a footer.
		must(t, nonRedirect(admin.postMultipart("/settings/portal", url.Values{"mode": {"custom"}, "brand": {"header"}}, "image", "header.png",
			pngImage(t, 600, 80, false), psForm("custom", func(v url.Values) {
				v.Del("mode")
				v.Del("brand")
				v.Set("welcome", psAgencyHi)
				v.Set("footer", "Harbour Recruitment, 1 Quay St")
			}))))
		// Acme: its own logo, welcome and colour.
		must(t, nonRedirect(rec.postMultipart(w.acmePath, url.Values{"mode": {"custom"}, "brand": {"logo"}}, "image", "acme.png",
			pngImage(t, 60, 60, false), psForm("custom", func(v url.Values) {
				v.Del("mode")
				v.Del("brand")
				v.Set("welcome", psAcmeHi)
				v.Set("accent", "#0b6e4f")
				v.Set("footer", "Acme Health privacy notice")
			}))))
		agency, acme := w.settings(t, 0), w.settings(t, w.acme.ID)
		acmeKey, boltKey := w.portalKey(t, w.acme.ID), w.portalKey(t, w.bolt.ID)
		// Images are addressed by key: an ID in an address would let
		// anyone walk through every client's logo.
		acmeLogo := `<img class="pb-logo" src="/portal/images/` + acme.ImageKey + `" alt="Acme Health logo">`
		agencyHeader := `<div class="pb-header"><img src="/portal/images/` + agency.ImageKey + `" alt=""></div>`
		byID := []string{`/portal/images/` + strconv.FormatInt(acme.ImageID, 10) + `"`, `/portal/images/` + strconv.FormatInt(agency.ImageID, 10) + `"`}
		if !portico.ValidPortalImageKey(acme.ImageKey) || !portico.ValidPortalImageKey(agency.ImageKey) {
			t.Fatalf("image keys %q and %q", acme.ImageKey, agency.ImageKey)
		}
		acmeTheme := `<link rel="stylesheet" href="/portal/theme/` + acmeKey + `?v=1-0b6e4f">`
		acmeHi := "Welcome to the Acme Health hiring portal.\nYour shortlists are below."
		agencyHi := "Welcome to Harbour Recruitment&#39;s client portal."

		// Every portal page, signed in or not, carries its client's look.
		w.s.portalRun(t, []scenario{
			{name: "Acme home", as: psAnn, path: "/portal", status: http.StatusOK,
				contains:  []string{acmeLogo, acmeTheme, `<div class="pb-welcome"><p>` + acmeHi, "Acme Health privacy notice"},
				forbidden: []string{agencyHi, agencyHeader, "Harbour Recruitment, 1 Quay St"}},
			{name: "Acme 404", as: psAnn, path: "/portal/jobs/999999", status: http.StatusNotFound,
				contains: []string{acmeLogo, acmeTheme}},
			{name: "Bolt home", as: psBob, path: "/portal", status: http.StatusOK,
				contains:  []string{agencyHeader, `<link rel="stylesheet" href="/portal/theme/` + boltKey + `?v=1">`, agencyHi, "Harbour Recruitment, 1 Quay St"},
				forbidden: []string{acmeHi, "pb-logo", "Acme Health privacy notice"}},
			{name: "sign-in, agency default", path: "/portal/signin", status: http.StatusOK,
				contains:  []string{agencyHeader, agencyHi, `href="/portal/theme/default?v=1"`},
				forbidden: append([]string{acmeHi}, byID...)},
			{name: "sign-in, Acme's address", path: "/portal/signin?b=" + acmeKey, status: http.StatusOK,
				contains:  []string{acmeLogo, acmeTheme, acmeHi, "Client portal for Acme Health"},
				forbidden: append([]string{agencyHi}, byID...)},
			{name: "sign-in, unknown key", path: "/portal/signin?b=nosuchkey", status: http.StatusOK,
				contains: []string{agencyHi}, forbidden: []string{acmeHi}},
		})

		// The key is remembered for the pages before sign-in.
		c := w.s.client()
		c.get("/portal/signin?b=" + acmeKey)
		if c.cookie("portico_brand") != acmeKey {
			t.Fatalf("brand cookie %q", c.cookie("portico_brand"))
		}
		for _, p := range []string{"/portal/forgot", "/portal/link", "/portal/signin"} {
			if res := c.get(p); !strings.Contains(res.body, acmeLogo) || !strings.Contains(res.body, acmeTheme) {
				t.Errorf("%s forgot Acme's look", p)
			}
		}
		// A sign-in page with another key shows that one.
		if res := c.get("/portal/signin?b=" + boltKey); strings.Contains(res.body, acmeLogo) || !strings.Contains(res.body, agencyHi) {
			t.Errorf("Bolt's address shows Acme's look")
		}

		// An invitation: the email and the page it leads to are Acme's.
		nia := testkit.AddContact(t, db, w.acme.ID, "Nia New", "nia@acme.test")
		must(t, db.Services().PortalAccounts.Invite(testkit.AsUser(w.rec), nia.ID))
		ms, _, err := db.Services().Outbox.FindMessages(testkit.AsUser(w.s.admin), portico.MessageFilter{Kind: portico.MessageEmail, Limit: 1})
		must(t, err)
		if len(ms) != 1 || ms[0].Email == nil || !strings.Contains(ms[0].Email.HTML, `src="`+testkit.BaseURL+"/portal/images/"+acme.ImageKey+`"`) ||
			strings.Contains(ms[0].Email.HTML, byID[0]) ||
			!strings.Contains(ms[0].Email.HTML, "background:#0b6e4f;color:#ffffff;") || !strings.Contains(ms[0].Email.HTML, "Acme Health privacy notice") {
			t.Errorf("the invitation isn't in Acme's look: %+v", ms)
		}
		fresh := w.s.client()
		if res := fresh.get("/portal/activate/" + testkit.PortalLink(t, db, "nia@acme.test", "/portal/activate/")); res.status != http.StatusOK ||
			!strings.Contains(res.body, acmeLogo) || fresh.cookie("portico_brand") != acmeKey {
			t.Errorf("activation page: %d, cookie %q, Acme's logo: %v", res.status, fresh.cookie("portico_brand"), strings.Contains(res.body, acmeLogo))
		}

		// Signing in as Bob remembers Bolt; after signing out the sign-in
		// page keeps Bolt's (the agency's) look, not Acme's.
		b := w.s.client()
		b.get("/portal/signin?b=" + acmeKey)
		res := b.post("/portal/signin", url.Values{"email": {psBob}, "password": {testkit.Password}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("sign in: %d", res.status)
		}
		b.get("/portal")
		b.post("/portal/signout", nil)
		if res := b.get("/portal/signin"); strings.Contains(res.body, acmeLogo) || !strings.Contains(res.body, agencyHi) {
			t.Errorf("after Bob signs out, the sign-in page isn't Bolt's")
		}
	})
}

// nonRedirect is an error unless the response is the 303 of a saved form.
func nonRedirect(res response) error {
	if res.status != http.StatusSeeOther {
		return portico.Errorf(portico.EINTERNAL, "status %d: %s", res.status, res.body)
	}
	return nil
}
