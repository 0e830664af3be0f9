package sqlstore

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"portico"
)

// A shared candidate's history as the client reads it: when the agency
// shared them, the client-facing stages they moved through (named from the
// stage the move went to, never from the internal names the event keeps),
// and what the client's own people did. Everything else on the record (notes,
// unshares, moves between stages the client sees as one) stays internal.

// maxPortalHistory bounds the events read for one candidate page.
const maxPortalHistory = 500

// history returns an application's client-facing events, newest first,
// worded with the client's stage and activity names.
func (s *PortalService) history(ctx context.Context, c conn, sc portalScope, set *portico.PortalSettings, p *pipeline, applicationID int64) ([]portico.PortalEvent, error) {
	// What other clients' people did stays theirs: a job moved between
	// clients keeps its candidates' events.
	rows, err := c.query(ctx, `SELECT at, actor_kind, actor_id, actor_name, action, details FROM events
		WHERE subject_type = 'application' AND subject_id = ?
		AND (actor_kind <> 'contact' OR actor_id IN (SELECT k.id FROM contacts k WHERE k.client_id = ?))
		ORDER BY id LIMIT ?`, applicationID, sc.clientID, maxPortalHistory)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	agency := ""
	out := []portico.PortalEvent{}
	shared := false
	for rows.Next() {
		var at time.Time
		var kind, name, action, details string
		var actorID int64
		if err := rows.Scan(&at, &kind, &actorID, &name, &action, &details); err != nil {
			return nil, err
		}
		d := decodeDetails(details)
		switch action {
		case "application.shared":
			shared = true
		case "application.unshared":
			shared = false
		}
		if !shared {
			continue // while the client couldn't see the candidate
		}
		text, detail := "", ""
		if portico.ActorKind(kind) == portico.ActorContact {
			text, detail = contactActionText(action, d)
		} else {
			text, detail = agencyActionText(action, d, p)
		}
		if text == "" {
			continue
		}
		activity := clientActivity(action)
		renamed := false
		if name := set.ActivityNames[activity]; name != "" {
			renamed = true
			// The agency's name for the activity replaces Portico's words.
			text = name
			if detail != "" {
				text += ": " + detail
			}
		}
		who := name
		switch {
		case portico.ActorKind(kind) == portico.ActorContact && actorID == sc.contactID:
			who = "You"
		case portico.ActorKind(kind) != portico.ActorUser && portico.ActorKind(kind) != portico.ActorContact, who == "":
			if agency == "" {
				agency = agencyName(ctx, c)
			}
			who = agency
		}
		ev := portico.PortalEvent{At: at.UTC(), Who: who, Text: text, Renamed: renamed}
		if activity != "" {
			ev.Activity = set.ActivityName(activity)
		}
		out = append(out, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.Reverse(out)
	return out, nil
}

// clientActivities maps the events clients read about to their activity
// in portico.ClientActivities, whose names the portal settings may change.
var clientActivities = map[string]string{
	"application.shared":         "application.shared",
	"application.moved":          "application.moved",
	"portal.rated":               "application.rated",
	"portal.feedback":            "application.feedback",
	"portal.interview_requested": "application.interview_requested",
	"portal.approved":            "application.approved",
	"portal.hired":               "application.hired",
	"portal.rejected":            "application.rejected_by_client",
}

// clientActivity returns the client activity an event's action is (a key
// of PortalSettings.ActivityNames), "" for one that isn't any. Use it
// wherever a client reads about events (history, reports), with
// PortalSettings.ActivityName for the words.
func clientActivity(action string) string { return clientActivities[action] }

// agencyActionText words an agency's change for the client, "" for one
// they don't see, and its detail for a renamed activity's line.
func agencyActionText(action string, d map[string]string, p *pipeline) (text, detail string) {
	switch action {
	case "application.shared":
		return "shared this candidate with you", ""
	case "application.share_updated":
		return "updated the candidate's profile", ""
	case "application.moved":
		to, ok := parseID(d["to_id"])
		if !ok {
			return "", ""
		}
		dest := p.stageOf(to)
		if from, ok := parseID(d["from_id"]); ok && p.stageOf(from) == dest {
			return "", "" // a move within what the client sees as one stage
		}
		return "moved the candidate to " + dest.name, dest.name
	}
	return "", ""
}

// contactActionText words what a client contact did (the actions of
// portal_action.go), "" for anything else, and its detail for a renamed
// activity's line.
func contactActionText(action string, d map[string]string) (text, detail string) {
	switch action {
	case "portal.rated":
		if n, err := strconv.Atoi(d["stars"]); err == nil && n >= 1 && n <= 5 {
			return "rated the candidate " + strconv.Itoa(n) + " of 5 stars", strconv.Itoa(n) + " of 5 stars"
		}
		return "rated the candidate", ""
	case "portal.feedback":
		return "gave feedback", ""
	case "portal.interview_requested":
		return "asked for an interview", ""
	case "portal.approved":
		return "approved the candidate", ""
	case "portal.hired":
		return "decided to hire the candidate", ""
	case "portal.rejected":
		if r := strings.TrimSpace(d["reason"]); r != "" {
			return "rejected the candidate: " + r, r
		}
		return "rejected the candidate", ""
	}
	return "", ""
}

// decodeDetails reads an event's details, empty when unreadable.
func decodeDetails(s string) map[string]string {
	d := map[string]string{}
	_ = json.Unmarshal([]byte(s), &d)
	return d
}

// parseID reads a positive ID from a detail.
func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

func itoa(n int) string { return strconv.Itoa(n) }
