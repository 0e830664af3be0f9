package sqlstore_test

import (
	"bytes"
	"context"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// stageIDs returns the IDs of the agency's stages by internal name.
func stageIDs(t *testing.T, db *sqlstore.DB) map[string]int64 {
	t.Helper()
	sts, err := db.Services().Stages.FindStages(context.Background(), true)
	ok(t, err)
	out := map[string]int64{}
	for _, s := range sts {
		out[s.InternalName] = s.ID
	}
	return out
}

// wantMessage fails unless err is EINVALID with a message for the field
// containing want.
func wantMessage(t *testing.T, err error, field, want string) {
	t.Helper()
	wantCode(t, err, portico.EINVALID)
	if got := portico.ErrorFields(err)[field]; !strings.Contains(got, want) {
		t.Errorf("field %s: %q, want it to say %q (all: %v)", field, got, want, portico.ErrorFields(err))
	}
}

func TestPortalSettingsDefaults(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		client := testkit.AddClient(t, db, "Northwind Health")
		svc := db.Services().PortalSettings
		ctx := testkit.AsUser(adm)

		def, err := svc.Settings(ctx, 0)
		ok(t, err)
		if !reflect.DeepEqual(def, portico.DefaultPortalSettings()) {
			t.Errorf("a new agency's default = %+v, want Portico's defaults", def)
		}
		own, err := svc.Settings(ctx, client.ID)
		ok(t, err)
		if own.ClientID != client.ID || own.Custom || own.LinkDays != 14 || !own.Allow.Hire {
			t.Errorf("a client without its own settings = %+v", own)
		}
		eff, err := svc.EffectiveSettings(ctx, client.ID)
		ok(t, err)
		if eff.Custom || eff.LinkDays != 14 || !eff.CountSharedOnly {
			t.Errorf("effective = %+v", eff)
		}
		_, err = svc.Settings(ctx, 999999)
		wantCode(t, err, portico.ENOTFOUND)
		_, err = svc.EffectiveSettings(ctx, 999999)
		wantCode(t, err, portico.ENOTFOUND)
	})
}

func TestPortalSettingsRoundTrip(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		rec := testkit.AddUser(t, db, "Rita Recruiter", "rita@agency.test", portico.RoleRecruiter)
		north := testkit.AddClient(t, db, "Northwind Health")
		south := testkit.AddClient(t, db, "Southwind Care")
		svc := db.Services().PortalSettings
		st := stageIDs(t, db)

		img, err := svc.AddImage(testkit.AsUser(rec), north.ID, testkit.PNG(120, 40))
		ok(t, err)
		want := &portico.PortalSettings{
			ClientID: north.ID, Custom: true,
			Brand: portico.BrandHeader, ImageID: img.ID, Welcome: "Welcome, Northwind!", Footer: "Call us on 020 7946 0000",
			ImageKey:       strings.Repeat("0", portico.PortalImageKeyLen), // the store's to set, not the caller's
			Accent:         "#0B6E4F",
			Allow:          portico.PortalPermissions{Rate: true, Approve: true, Feedback: true},
			ApproveStageID: st["Offer"], RejectStageID: st["Rejected by agency"],
			ShareDocuments:  []portico.DocumentKind{portico.DocOther, portico.DocResume},
			CountStageIDs:   []int64{st["Client interview"], st["Offer"], st["Offer"]},
			CountSharedOnly: false,
			Summary:         []portico.SummaryItem{portico.SummaryFeedback, portico.SummaryNewCandidates},
			StageNames:      map[int64]string{st["Client interview"]: " Meet the team ", st["Offer"]: ""},
			ActivityNames:   map[string]string{"application.moved": "Progress", "application.rated": "Scored"},
			LinkDays:        0, LinkUses: 3,
			ReportColumns: []portico.ReportColumn{portico.ReportFeedback},
		}
		ok(t, svc.SetSettings(testkit.AsUser(rec), want, nil))
		got, err := svc.Settings(testkit.AsUser(rec), north.ID)
		ok(t, err)
		if got.UpdatedAt.IsZero() {
			t.Error("UpdatedAt not set")
		}
		got.UpdatedAt = want.UpdatedAt
		// Stored normalised: the colour in lower case, names trimmed and
		// empty ones dropped, stages to count once each; the image's own key.
		want.Accent, want.StageNames, want.CountStageIDs = "#0b6e4f", map[int64]string{st["Client interview"]: "Meet the team"}, []int64{st["Client interview"], st["Offer"]}
		want.ImageKey = img.Key
		if !reflect.DeepEqual(got, want) {
			t.Errorf("read back\n%+v\nwant\n%+v", got, want)
		}
		eff, err := svc.EffectiveSettings(context.Background(), north.ID)
		ok(t, err)
		if eff.Welcome != "Welcome, Northwind!" || eff.Allow.Hire {
			t.Errorf("effective for the custom client = %+v", eff)
		}
		// Another client sees the agency default.
		eff, err = svc.EffectiveSettings(context.Background(), south.ID)
		ok(t, err)
		if eff.Welcome != "" || !eff.Allow.Hire || eff.LinkDays != 14 {
			t.Errorf("effective for a client without its own = %+v", eff)
		}
		evs := events(t, db, "portal_settings.updated")
		if len(evs) != 1 || evs[0].SubjectType != "client" || evs[0].SubjectID != north.ID || evs[0].ClientID != north.ID ||
			evs[0].ActorID != rec.ID || !strings.Contains(evs[0].Details["changed"], "appearance") {
			t.Fatalf("events %+v", evs)
		}

		// Saving the same again records nothing.
		ok(t, svc.SetSettings(testkit.AsUser(rec), got, nil))
		if n := len(events(t, db, "portal_settings.updated")); n != 1 {
			t.Errorf("an unchanged save wrote an event: %d events", n)
		}

		// Back to the default: the client's values are kept for later.
		got.Custom = false
		ok(t, svc.SetSettings(testkit.AsUser(rec), got, nil))
		eff, err = svc.EffectiveSettings(context.Background(), north.ID)
		ok(t, err)
		if eff.Welcome != "" || !eff.Allow.Hire {
			t.Errorf("after going back to the default, effective = %+v", eff)
		}
		kept, err := svc.Settings(testkit.AsUser(rec), north.ID)
		ok(t, err)
		if kept.Custom || kept.Welcome != "Welcome, Northwind!" {
			t.Errorf("the client's own settings after going back = %+v", kept)
		}

		// The agency default, by an admin, applies to every client without
		// its own.
		def := testkit.SetPortalSettings(t, db, 0, func(s *portico.PortalSettings) {
			s.Welcome, s.Accent, s.LinkDays = "Welcome to our portal", "#123456", 30
		})
		if def.Custom {
			t.Error("the default is never custom")
		}
		ok(t, svc.SetSettings(testkit.AsUser(adm), def, nil))
		for _, id := range []int64{north.ID, south.ID} {
			eff, err = svc.EffectiveSettings(context.Background(), id)
			ok(t, err)
			if eff.Welcome != "Welcome to our portal" || eff.LinkDays != 30 {
				t.Errorf("client %d: effective = %+v", id, eff)
			}
		}
		evs = events(t, db, "portal_settings.updated")
		if evs[0].SubjectType != "agency" || evs[0].ClientID != 0 {
			t.Errorf("the default's event = %+v", evs[0])
		}
	})
}

func TestPortalSettingsValidation(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		north := testkit.AddClient(t, db, "Northwind Health")
		south := testkit.AddClient(t, db, "Southwind Care")
		svc := db.Services().PortalSettings
		ctx := testkit.AsUser(adm)
		st := stageIDs(t, db)
		southImg, err := svc.AddImage(ctx, south.ID, testkit.PNG(10, 10))
		ok(t, err)
		agencyImg, err := svc.AddImage(ctx, 0, testkit.PNG(10, 10))
		ok(t, err)
		ok(t, db.Services().Stages.RetireStage(ctx, st["Withdrawn"]))

		for _, c := range []struct {
			name, field, msg string
			edit             func(s *portico.PortalSettings)
		}{
			{"accent", "accent", "#rrggbb", func(s *portico.PortalSettings) { s.Accent = "green" }},
			{"welcome", "welcome", "2,000", func(s *portico.PortalSettings) { s.Welcome = strings.Repeat("x", 2001) }},
			{"no expiry", "link_days", "some days, some uses", func(s *portico.PortalSettings) { s.LinkDays, s.LinkUses = 0, 0 }},
			{"unknown count stage", "count_stage_ids", "no longer exists", func(s *portico.PortalSettings) { s.CountStageIDs = []int64{987654} }},
			{"unknown renamed stage", "stage_names", "no longer exists", func(s *portico.PortalSettings) { s.StageNames = map[int64]string{987654: "X"} }},
			{"unknown activity", "activity_names", "activities listed", func(s *portico.PortalSettings) { s.ActivityNames = map[string]string{"note.added": "X"} }},
			{"long stage name", "stage_names", "60", func(s *portico.PortalSettings) { s.StageNames = map[int64]string{st["Offer"]: strings.Repeat("y", 61)} }},
			{"unknown approval stage", "approve_stage_id", "active stages", func(s *portico.PortalSettings) { s.ApproveStageID = 987654 }},
			{"retired rejection stage", "reject_stage_id", "active stages", func(s *portico.PortalSettings) { s.RejectStageID = st["Withdrawn"] }},
			{"logo without image", "image", "Upload an image", func(s *portico.PortalSettings) { s.Brand = portico.BrandLogo }},
			{"another client's image", "image", "isn't one of yours", func(s *portico.PortalSettings) { s.Brand, s.ImageID = portico.BrandLogo, southImg.ID }},
			{"unknown image", "image", "isn't one of yours", func(s *portico.PortalSettings) { s.Brand, s.ImageID = portico.BrandLogo, 987654 }},
			{"document kind", "share_documents", "document kinds", func(s *portico.PortalSettings) { s.ShareDocuments = []portico.DocumentKind{"passport"} }},
			{"summary item", "summary", "summary items", func(s *portico.PortalSettings) { s.Summary = []portico.SummaryItem{"hires"} }},
			{"report column", "report_columns", "report columns", func(s *portico.PortalSettings) { s.ReportColumns = []portico.ReportColumn{"notes"} }},
		} {
			t.Run(c.name, func(t *testing.T) {
				s, err := svc.Settings(ctx, north.ID)
				ok(t, err)
				s.Custom = true
				c.edit(s)
				wantMessage(t, svc.SetSettings(ctx, s, nil), c.field, c.msg)
			})
		}
		if n := count(t, db, `SELECT COUNT(*) FROM portal_settings`); n != 0 {
			t.Errorf("%d settings rows stored by refused saves", n)
		}
		// The agency's own image and the client's own are both fine.
		testkit.SetPortalSettings(t, db, north.ID, func(s *portico.PortalSettings) { s.Brand, s.ImageID = portico.BrandLogo, agencyImg.ID })
		testkit.SetPortalSettings(t, db, south.ID, func(s *portico.PortalSettings) { s.Brand, s.ImageID = portico.BrandLogo, southImg.ID })
		// An approval stage that is later retired falls back to the default
		// at action time; a save naming it now is refused (above).
	})
}

func TestPortalSettingsPermissions(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newActionWorld(t, db)
		svc := db.Services().PortalSettings
		rec := testkit.AsUser(w.rec)

		def, err := svc.Settings(rec, 0)
		ok(t, err) // any agency user reads the default
		def.Welcome = "Hello"
		wantCode(t, svc.SetSettings(rec, def, nil), portico.EFORBIDDEN)
		_, err = svc.AddImage(rec, 0, testkit.PNG(10, 10))
		wantCode(t, err, portico.EFORBIDDEN)
		ok(t, svc.SetSettings(w.admCtx, def, nil))

		own, err := svc.Settings(rec, w.client.ID)
		ok(t, err)
		own.Custom, own.Welcome = true, "Hello Northwind"
		ok(t, svc.SetSettings(rec, own, nil)) // a client's: any agency user

		hal := testkit.AsContact(w.hal)
		_, err = svc.Settings(hal, w.client.ID)
		wantCode(t, err, portico.EUNAUTHORIZED)
		_, err = svc.Settings(hal, 0)
		wantCode(t, err, portico.EUNAUTHORIZED)
		wantCode(t, svc.SetSettings(hal, own, nil), portico.EUNAUTHORIZED)
		_, err = svc.AddImage(hal, w.client.ID, testkit.PNG(10, 10))
		wantCode(t, err, portico.EUNAUTHORIZED)
		wantCode(t, svc.SetJobRecruiters(hal, w.job.ID, nil), portico.EUNAUTHORIZED)
		_, err = svc.JobRecruiters(hal, w.job.ID)
		wantCode(t, err, portico.EUNAUTHORIZED)
		visitor := fromIP("198.51.100.7")
		wantCode(t, svc.SetSettings(visitor, own, nil), portico.EUNAUTHORIZED)
		_, err = svc.Settings(visitor, 0)
		wantCode(t, err, portico.EUNAUTHORIZED)

		// The portal reads its own client's effective settings, and no
		// other client's.
		eff, err := svc.EffectiveSettings(hal, w.client.ID)
		ok(t, err)
		if eff.Welcome != "Hello Northwind" {
			t.Errorf("the contact's effective settings = %+v", eff)
		}
		_, err = svc.EffectiveSettings(testkit.AsContact(w.olga), w.client.ID)
		wantCode(t, err, portico.ENOTFOUND)
		_, err = svc.EffectiveSettings(visitor, w.client.ID)
		wantCode(t, err, portico.ENOTFOUND)
		_, err = svc.EffectiveSettings(visitor, 0)
		ok(t, err)
	})
}

// imageKey is the promised shape of an image's key: 128 bits as lowercase hex.
var imageKey = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestPortalSettingsImages(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		client := testkit.AddClient(t, db, "Northwind Health")
		svc := db.Services().PortalSettings
		ctx := testkit.AsUser(adm)
		keys := map[string]bool{}

		for _, c := range []struct {
			name, contentType string
			content           []byte
		}{
			{"png", "image/png", testkit.PNG(200, 60)},
			{"jpeg", "image/jpeg", testkit.JPEG(1200, 200)},
		} {
			img, err := svc.AddImage(ctx, client.ID, c.content)
			ok(t, err)
			if img.ID == 0 || img.ClientID != client.ID || img.ContentType != c.contentType || img.Size != len(c.content) {
				t.Errorf("%s: stored %+v", c.name, img)
			}
			// Images are public: the sign-in page and emails show them.
			// Their random key finds them, nothing else.
			if !imageKey.MatchString(img.Key) || !portico.ValidPortalImageKey(img.Key) {
				t.Errorf("%s: key %q isn't %d lowercase hex digits", c.name, img.Key, portico.PortalImageKeyLen)
			}
			if keys[img.Key] {
				t.Errorf("%s: key %q given twice", c.name, img.Key)
			}
			keys[img.Key] = true
			got, content, err := svc.ImageByKey(fromIP("198.51.100.7"), img.Key)
			ok(t, err)
			if got.ID != img.ID || got.Key != img.Key || got.ContentType != c.contentType || !bytes.Equal(content, c.content) {
				t.Errorf("%s: read back %+v, %d bytes", c.name, got, len(content))
			}
			if stored := column(t, db, `SELECT address_key FROM portal_images WHERE id = ?`, img.ID); len(stored) != 1 || stored[0] != img.Key {
				t.Errorf("%s: stored key %q, returned %q", c.name, stored, img.Key)
			}
		}
		if evs := events(t, db, "portal_settings.image_added"); len(evs) != 2 || evs[0].ClientID != client.ID {
			t.Errorf("image events %+v", evs)
		}

		png := testkit.PNG(50, 50)
		big := append(testkit.PNG(10, 10), make([]byte, portico.MaxPortalImage)...)
		for _, c := range []struct {
			name, msg string
			content   []byte
		}{
			{"empty", "Choose an image", nil},
			{"fake png", "PNG or JPEG", append([]byte("\x89PNG\r\n\x1a\n"), []byte("not really an image at all")...)},
			{"svg", "PNG or JPEG", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>`)},
			{"gif", "PNG or JPEG", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")},
			{"too large", "2 MB", big},
			{"too wide", "4,000 pixels", testkit.PNG(4001, 1)},
			{"truncated", "damaged", png[:len(png)-20]},
		} {
			_, err := svc.AddImage(ctx, client.ID, c.content)
			wantMessage(t, err, "image", c.msg)
		}
		_, err := svc.AddImage(ctx, 987654, testkit.PNG(10, 10))
		wantCode(t, err, portico.ENOTFOUND)
		if n := count(t, db, `SELECT COUNT(*) FROM portal_images`); n != 2 {
			t.Errorf("%d images stored, want the 2 good ones", n)
		}
		// Unknown and malformed keys, and IDs, find nothing.
		var first string
		for k := range keys {
			first = k
		}
		for _, key := range []string{
			strings.Repeat("a", portico.PortalImageKeyLen), // the right shape, but no image's
			"987654", "1", "0", "",
			first[:len(first)-1],        // too short
			first + "0",                 // too long
			strings.ToUpper(first),      // not the alphabet the keys use
			first[:len(first)-1] + "g",  // nor is g
			"' OR 1=1 --" + first[:21],  // the right length, SQL in it
			strings.Repeat(first, 1000), // very long
			first[:len(first)-2] + "%%", // a LIKE pattern, were it one
		} {
			_, _, err = svc.ImageByKey(context.Background(), key)
			wantCode(t, err, portico.ENOTFOUND)
		}

		// A new image saved with the settings is one transaction with
		// them: refused settings keep no image and record none.
		ps, err := svc.Settings(ctx, client.ID)
		ok(t, err)
		ps.Custom, ps.Brand, ps.CountStageIDs = true, portico.BrandLogo, []int64{987654}
		wantMessage(t, svc.SetSettings(ctx, ps, testkit.PNG(60, 20)), "count_stage_ids", "no longer exists")
		ps.CountStageIDs = nil
		wantMessage(t, svc.SetSettings(ctx, ps, []byte("not an image")), "image", "PNG or JPEG")
		ps.Brand = portico.BrandNone
		wantMessage(t, svc.SetSettings(ctx, ps, testkit.PNG(60, 20)), "brand", "logo or a header")
		if n := count(t, db, `SELECT COUNT(*) FROM portal_images`); n != 2 {
			t.Errorf("%d images stored after refused settings, want 2", n)
		}
		if evs := events(t, db, "portal_settings.image_added"); len(evs) != 2 {
			t.Errorf("%d image events after refused settings, want 2", len(evs))
		}
		ps.Brand = portico.BrandHeader
		ok(t, svc.SetSettings(ctx, ps, testkit.PNG(60, 20)))
		saved, err := svc.Settings(ctx, client.ID)
		ok(t, err)
		img, _, err := svc.ImageByKey(ctx, saved.ImageKey)
		ok(t, err)
		if saved.Brand != portico.BrandHeader || img.ID != saved.ImageID || img.ClientID != client.ID || img.Size != len(testkit.PNG(60, 20)) {
			t.Errorf("saved with an image: %+v, image %+v", saved, img)
		}
	})
}

func TestPortalBranding(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		adm := testkit.SetUp(t, db)
		north := testkit.AddClient(t, db, "Northwind Health")
		south := testkit.AddClient(t, db, "Southwind Care")
		svc := db.Services().PortalSettings
		ctx := testkit.AsUser(adm)
		if len(north.PortalKey) != 16 || north.PortalKey == south.PortalKey {
			t.Fatalf("portal keys %q and %q", north.PortalKey, south.PortalKey)
		}
		agencyLogo, err := svc.AddImage(ctx, 0, testkit.PNG(100, 30))
		ok(t, err)
		northHeader, err := svc.AddImage(ctx, north.ID, testkit.JPEG(800, 120))
		ok(t, err)
		testkit.SetPortalSettings(t, db, 0, func(s *portico.PortalSettings) {
			s.Brand, s.ImageID, s.Welcome, s.Accent, s.Footer = portico.BrandLogo, agencyLogo.ID, "Welcome to Harbour Staffing", "#112233", "Harbour Staffing Ltd"
		})
		testkit.SetPortalSettings(t, db, north.ID, func(s *portico.PortalSettings) {
			s.Brand, s.ImageID, s.Welcome, s.Accent, s.Footer = portico.BrandHeader, northHeader.ID, "Hello Northwind", "#0b6e4f", ""
		})

		visitor := fromIP("198.51.100.7")
		b, err := svc.BrandingByKey(visitor, north.PortalKey)
		ok(t, err)
		want := portico.PortalBranding{AgencyName: b.AgencyName, ClientName: "Northwind Health", Key: north.PortalKey, Custom: true,
			Brand: portico.BrandHeader, ImageKey: northHeader.Key, Welcome: "Hello Northwind", Accent: "#0b6e4f"}
		if b.AgencyName == "" || *b != want {
			t.Errorf("Northwind's branding = %+v", b)
		}
		b, err = svc.Branding(visitor, south.ID)
		ok(t, err)
		want = portico.PortalBranding{AgencyName: b.AgencyName, ClientName: "Southwind Care", Key: south.PortalKey,
			Brand: portico.BrandLogo, ImageKey: agencyLogo.Key, Welcome: "Welcome to Harbour Staffing", Footer: "Harbour Staffing Ltd", Accent: "#112233"}
		if *b != want {
			t.Errorf("Southwind's branding (the default's look, its own name) = %+v", b)
		}
		b, err = svc.Branding(visitor, 0)
		ok(t, err)
		if b.ClientName != "" || b.Key != "" || b.Welcome != "Welcome to Harbour Staffing" {
			t.Errorf("the agency's branding = %+v", b)
		}
		for _, key := range []string{"", "0000000000000000", " "} {
			_, err = svc.BrandingByKey(visitor, key)
			wantCode(t, err, portico.ENOTFOUND)
		}
		_, err = svc.Branding(visitor, 987654)
		wantCode(t, err, portico.ENOTFOUND)

		// Clients read back with their key; one loaded without a key gets
		// one when its settings are first saved.
		got, err := db.Services().Clients.FindClientByID(ctx, north.ID)
		ok(t, err)
		if got.PortalKey != north.PortalKey {
			t.Errorf("FindClientByID key %q, want %q", got.PortalKey, north.PortalKey)
		}
		_, err = sqlstore.SQLDB(db).Exec(sqlstore.Rebind(db, `UPDATE clients SET portal_key = NULL WHERE id = ?`), south.ID)
		ok(t, err)
		b, err = svc.Branding(visitor, south.ID)
		ok(t, err)
		if b.Key != "" {
			t.Errorf("key %q for a client without one", b.Key)
		}
		testkit.SetPortalSettings(t, db, south.ID, func(s *portico.PortalSettings) { s.Welcome = "Hi" })
		got, err = db.Services().Clients.FindClientByID(ctx, south.ID)
		ok(t, err)
		if len(got.PortalKey) != 16 {
			t.Errorf("after saving settings the key is %q", got.PortalKey)
		}
	})
}

func TestJobRecruiters(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		w := newActionWorld(t, db)
		svc := db.Services().PortalSettings
		ctx := testkit.AsUser(w.rec)
		amy := testkit.AddUser(t, db, "Amy Account", "amy@agency.test", portico.RoleRecruiter)
		gone := testkit.AddUser(t, db, "Gil Gone", "gil@agency.test", portico.RoleRecruiter)

		rs, err := svc.JobRecruiters(ctx, w.job.ID)
		ok(t, err)
		if len(rs) != 1 || rs[0].UserID != w.rec.ID || rs[0].Role != "Recruiter" || rs[0].Email != w.rec.Email {
			t.Errorf("with none chosen: %+v", rs)
		}
		ok(t, svc.SetJobRecruiters(ctx, w.job.ID, []portico.JobRecruiter{
			{UserID: amy.ID, Role: "  Account   manager "}, {UserID: w.rec.ID}, {UserID: gone.ID, Role: "Sourcer"}}))
		rs, err = svc.JobRecruiters(ctx, w.job.ID)
		ok(t, err)
		if len(rs) != 3 || rs[0].UserID != amy.ID || rs[0].Role != "Account manager" || rs[0].Name != "Amy Account" || rs[1].Role != "Recruiter" {
			t.Errorf("chosen: %+v", rs)
		}
		if evs := events(t, db, "job.recruiters_set"); len(evs) != 1 || evs[0].JobID != w.job.ID || evs[0].ClientID != w.client.ID {
			t.Errorf("events %+v", evs)
		}
		// The portal's job page lists them; someone deactivated drops off.
		inactive := false
		_, err = db.Services().Users.UpdateUser(w.admCtx, gone.ID, portico.UserUpdate{Active: &inactive})
		ok(t, err)
		j, err := db.Services().Portal.Job(testkit.AsContact(w.hal), w.job.ID)
		ok(t, err)
		if len(j.Recruiters) != 2 || j.Recruiters[0].Name != "Amy Account" || j.Recruiters[0].Email != "amy@agency.test" || j.Recruiters[1].UserID != w.rec.ID {
			t.Errorf("portal job recruiters %+v", j.Recruiters)
		}

		for _, c := range []struct {
			name, msg string
			rs        []portico.JobRecruiter
		}{
			{"inactive", "isn't an active user", []portico.JobRecruiter{{UserID: gone.ID}}},
			{"unknown", "isn't an active user", []portico.JobRecruiter{{UserID: 987654}}},
			{"twice", "listed once", []portico.JobRecruiter{{UserID: amy.ID}, {UserID: amy.ID}}},
			{"long role", "60", []portico.JobRecruiter{{UserID: amy.ID, Role: strings.Repeat("r", 61)}}},
			{"too many", "up to 10", make([]portico.JobRecruiter, portico.MaxJobRecruiters+1)},
		} {
			wantMessage(t, svc.SetJobRecruiters(ctx, w.job.ID, c.rs), "recruiters", c.msg)
		}
		wantCode(t, svc.SetJobRecruiters(ctx, 987654, nil), portico.ENOTFOUND)
		_, err = svc.JobRecruiters(ctx, 987654)
		wantCode(t, err, portico.ENOTFOUND)

		// None chosen: the owner again.
		ok(t, svc.SetJobRecruiters(ctx, w.job.ID, nil))
		rs, err = svc.JobRecruiters(ctx, w.job.ID)
		ok(t, err)
		if len(rs) != 1 || rs[0].UserID != w.rec.ID {
			t.Errorf("after clearing: %+v", rs)
		}
	})
}
