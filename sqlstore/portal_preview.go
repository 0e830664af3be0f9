package sqlstore

import (
	"context"

	"portico"
)

// Previews: an agency user sees the portal exactly as one contact sees it.
// A preview is a short portal session marked with the user; the portal's
// reads treat it as the contact, and every change refuses it.

// StartPreview opens a read-only portal session as the contact for the
// agency user in ctx, and records it on the contact. The contact must be
// able to use the portal: there is nothing to see for one who can't.
func (s *PortalAuthService) StartPreview(ctx context.Context, contactID int64) (string, error) {
	a := portico.ActorFromContext(ctx)
	if a.Kind != portico.ActorUser || a.ID <= 0 {
		return "", portico.Errorf(portico.EUNAUTHORIZED, "Sign in to the console to preview the portal.")
	}
	var token string
	err := (*DB)(s).inTx(ctx, func(tx *Tx) error {
		k, err := findContact(ctx, tx.conn, contactID)
		if err != nil {
			return err
		}
		switch k.PortalStatus {
		case portico.PortalNotRegistered:
			return portico.Errorf(portico.EINVALID, "%s has no portal account yet, so there is nothing to preview. Invite them first.", k.Name)
		case portico.PortalDisabled:
			return portico.Errorf(portico.EINVALID, "%s's portal access is disabled, so there is nothing to preview.", k.Name)
		}
		var hash string
		token, hash = newToken()
		if _, err := tx.exec(ctx, `INSERT INTO portal_sessions (token_hash, contact_id, created_at, last_seen_at, expires_at, ip, user_agent, preview_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, hash, k.ID, tx.now, tx.now, tx.now.Add(portico.PreviewTTL), tx.actor.IP, truncate(tx.actor.UserAgent, 500), a.ID); err != nil {
			return err
		}
		_, err = tx.record(change{action: "contact.previewed", subjectType: "contact", subjectID: k.ID, clientID: k.ClientID,
			details: map[string]string{"name": k.Name}})
		return err
	})
	if err != nil {
		return "", err
	}
	return token, nil
}
