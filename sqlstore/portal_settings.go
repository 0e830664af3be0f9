package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"portico"
)

// PortalSettingsService implements portico.PortalSettingsService: the
// agency's default portal settings and each client's own, kept as one JSON
// document per scope in portal_settings (client_id 0: the default).
type PortalSettingsService DB

func (db *DB) portalSettingsService() portico.PortalSettingsService {
	return (*PortalSettingsService)(db)
}

// Settings returns the agency default (clientID 0) or a client's own, for
// the settings forms. A client that never had its own gets a copy of the
// default with Custom false; one that went back to the default keeps its
// own values, Custom false, so switching back brings them back.
func (s *PortalSettingsService) Settings(ctx context.Context, clientID int64) (*portico.PortalSettings, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	c := (*DB)(s).read()
	if clientID == 0 {
		return defaultSettings(ctx, c)
	}
	if err := clientExists(ctx, c, clientID); err != nil {
		return nil, err
	}
	own, err := storedSettings(ctx, c, clientID)
	if err != nil || own != nil {
		return own, err
	}
	def, err := defaultSettings(ctx, c)
	if err != nil {
		return nil, err
	}
	def.ClientID, def.Custom = clientID, false
	return def, nil
}

// EffectiveSettings returns what applies to a client. Agency users and the
// system may ask for any client; a client contact only for their own (any
// other is ENOTFOUND, like a client that doesn't exist); visitors get the
// agency default's only, as on the sign-in page.
func (s *PortalSettingsService) EffectiveSettings(ctx context.Context, clientID int64) (*portico.PortalSettings, error) {
	c := (*DB)(s).read()
	a := portico.ActorFromContext(ctx)
	switch a.Kind {
	case portico.ActorUser, portico.ActorSystem:
	case portico.ActorContact:
		sc, err := loadScope(ctx, c)
		if err != nil {
			return nil, err
		}
		if clientID != sc.clientID {
			return nil, notFound("client")
		}
	default:
		if clientID != 0 {
			return nil, notFound("client")
		}
	}
	if clientID != 0 {
		if err := clientExists(ctx, c, clientID); err != nil {
			return nil, err
		}
	}
	return settingsFor(ctx, c, clientID)
}

// clientExists is ENOTFOUND for an unknown client.
func clientExists(ctx context.Context, c conn, clientID int64) error {
	var id int64
	err := c.queryRow(ctx, `SELECT id FROM clients WHERE id = ?`, clientID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("client")
	}
	return err
}

// SetSettings stores the settings of in.ClientID: the agency default for
// admins, a client's for any agency user. One event records what changed.
func (s *PortalSettingsService) SetSettings(ctx context.Context, in *portico.PortalSettings, image []byte) error {
	if in == nil {
		return portico.Errorf(portico.EINVALID, "There are no settings to save.")
	}
	if in.ClientID == 0 {
		if _, err := admin(ctx, "change the agency's portal settings"); err != nil {
			return err
		}
	} else if _, err := staff(ctx); err != nil {
		return err
	}
	next := copySettings(in)
	if next.ClientID == 0 {
		next.Custom = false
	}
	if next.Brand == portico.BrandNone {
		if image != nil {
			return portico.FieldError("brand", "Choose whether the image is a logo or a header.")
		}
		next.ImageID = 0 // no image shows: keep none, so none can dangle
	}
	next.ImageKey = "" // the stored image's, from checkSettings, never the caller's
	if err := next.Validate(); err != nil {
		return err
	}
	var contentType string
	if image != nil {
		var err error
		if contentType, err = checkPortalImage(image); err != nil {
			return err
		}
	}
	next.CountStageIDs = uniqueIDs(next.CountStageIDs)
	return (*DB)(s).inTx(ctx, func(tx *Tx) error {
		if next.ClientID != 0 {
			if _, err := tx.ensurePortalKey(next.ClientID); err != nil {
				return err
			}
		}
		if image != nil {
			img, err := tx.addImage(next.ClientID, contentType, image)
			if err != nil {
				return err
			}
			next.ImageID = img.ID
		}
		if err := tx.checkSettings(next); err != nil {
			return err
		}
		old, err := storedSettings(ctx, tx.conn, next.ClientID)
		if err != nil {
			return err
		}
		changed := changedSettings(old, next)
		if old != nil && len(changed) == 0 && old.Custom == next.Custom {
			return nil // nothing changed: nothing to record
		}
		doc, err := encodeSettings(next)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO portal_settings (client_id, custom, settings, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (client_id) DO UPDATE SET custom = excluded.custom, settings = excluded.settings, updated_at = excluded.updated_at`,
			next.ClientID, next.Custom || next.ClientID == 0, doc, tx.now); err != nil {
			return err
		}
		d := map[string]string{"changed": strings.Join(changed, ", ")}
		ch := change{action: "portal_settings.updated", subjectType: "agency", details: d}
		if next.ClientID != 0 {
			ch.subjectType, ch.subjectID, ch.clientID = "client", next.ClientID, next.ClientID
			d["custom"] = strconv.FormatBool(next.Custom)
			if d["client"], err = tx.clientName(next.ClientID); err != nil {
				return err
			}
		}
		_, err = tx.record(ch)
		return err
	})
}

// copySettings copies s deeply enough that normalising the copy leaves
// the caller's value alone.
func copySettings(s *portico.PortalSettings) *portico.PortalSettings {
	out := *s
	out.ShareDocuments = slices.Clone(s.ShareDocuments)
	out.CountStageIDs = slices.Clone(s.CountStageIDs)
	out.Summary = slices.Clone(s.Summary)
	out.ReportColumns = slices.Clone(s.ReportColumns)
	out.StageNames = map[int64]string{}
	for k, v := range s.StageNames {
		out.StageNames[k] = v
	}
	out.ActivityNames = map[string]string{}
	for k, v := range s.ActivityNames {
		out.ActivityNames[k] = v
	}
	return &out
}

// uniqueIDs drops repeats, keeping the first of each.
func uniqueIDs(ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// checkSettings checks what only the store knows: the stages named exist,
// the approval and rejection stages are active, and the image is the
// agency's or this client's own. It sets s.ImageKey from the image: the
// settings keep the key beside the ID, as the ID inside their JSON can't be
// joined on in SQL both engines share, and every portal page reads the
// key. An image's key never changes, so the copy can't go stale.
func (tx *Tx) checkSettings(s *portico.PortalSettings) error {
	stages := map[int64]bool{} // every stage: true when active
	rows, err := tx.query(tx.ctx, `SELECT id, retired FROM stages`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var retired bool
		if err := rows.Scan(&id, &retired); err != nil {
			return err
		}
		stages[id] = !retired
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	var v portico.Validation
	for _, id := range s.CountStageIDs {
		_, ok := stages[id]
		v.Check(ok, "count_stage_ids", "One of the chosen stages no longer exists. Reload the page and choose again.")
	}
	for id := range s.StageNames {
		_, ok := stages[id]
		v.Check(ok, "stage_names", "One of the renamed stages no longer exists. Reload the page and try again.")
	}
	v.Check(s.ApproveStageID == 0 || stages[s.ApproveStageID], "approve_stage_id", "Choose one of the active stages, or the default.")
	v.Check(s.RejectStageID == 0 || stages[s.RejectStageID], "reject_stage_id", "Choose one of the active stages, or the default.")
	if s.Brand != portico.BrandNone {
		if s.ImageID == 0 {
			v.Check(false, "image", "Upload an image for the "+string(s.Brand)+", or choose neither.")
		} else {
			var owner int64
			var key string
			err := tx.queryRow(tx.ctx, `SELECT client_id, address_key FROM portal_images WHERE id = ?`, s.ImageID).Scan(&owner, &key)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			ok := err == nil && (owner == 0 || owner == s.ClientID)
			v.Check(ok, "image", "That image isn't one of yours. Upload the image again.")
			if ok {
				s.ImageKey = key
			}
		}
	}
	return v.Err()
}

// changedSettings names the parts of the settings that differ, in form
// order, for the event; everything when there were none before.
func changedSettings(old, next *portico.PortalSettings) []string {
	if old == nil {
		old = &portico.PortalSettings{}
	}
	var out []string
	parts := []struct {
		name string
		a, b any
	}{
		{"appearance", [5]any{old.Brand, old.ImageID, old.Welcome, old.Footer, old.Accent}, [5]any{next.Brand, next.ImageID, next.Welcome, next.Footer, next.Accent}},
		{"client actions", [3]any{old.Allow, old.ApproveStageID, old.RejectStageID}, [3]any{next.Allow, next.ApproveStageID, next.RejectStageID}},
		{"documents shared", old.ShareDocuments, next.ShareDocuments},
		{"stage counts", [3]any{old.CountStageIDs, old.CountSharedOnly, old.Summary}, [3]any{next.CountStageIDs, next.CountSharedOnly, next.Summary}},
		{"names", [2]any{old.StageNames, old.ActivityNames}, [2]any{next.StageNames, next.ActivityNames}},
		{"share links", [2]int{old.LinkDays, old.LinkUses}, [2]int{next.LinkDays, next.LinkUses}},
		{"weekly report", old.ReportColumns, next.ReportColumns},
	}
	for _, p := range parts {
		if !equalish(p.a, p.b) {
			out = append(out, p.name)
		}
	}
	return out
}

// equalish compares two values, treating nil and empty slices and maps as
// the same (a stored document reads back empty lists as empty).
func equalish(a, b any) bool {
	return reflect.DeepEqual(normal(reflect.ValueOf(a)), normal(reflect.ValueOf(b)))
}

func normal(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Slice, reflect.Map:
		if v.Len() == 0 {
			return nil
		}
	case reflect.Array:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = normal(v.Index(i))
		}
		return out
	case reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return normal(v.Elem())
	}
	return v.Interface()
}

// clientName returns a client's name.
func (tx *Tx) clientName(clientID int64) (string, error) {
	var name string
	err := tx.queryRow(tx.ctx, `SELECT name FROM clients WHERE id = ?`, clientID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("client")
	}
	return name, err
}
