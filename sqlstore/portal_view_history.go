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

// history returns an application's client-facing events, newest first.
func (s *PortalService) history(ctx context.Context, c conn, sc portalScope, p *pipeline, applicationID int64) ([]portico.PortalEvent, error) {
	rows, err := c.query(ctx, `SELECT at, actor_kind, actor_id, actor_name, action, details FROM events
		WHERE subject_type = 'application' AND subject_id = ? ORDER BY id LIMIT ?`, applicationID, maxPortalHistory)
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
		if action == "application.shared" {
			shared = true
		}
		if !shared {
			continue // before the client first saw the candidate
		}
		text := ""
		if portico.ActorKind(kind) == portico.ActorContact {
			text = contactActionText(action, d)
		} else {
			text = agencyActionText(action, d, p)
		}
		if text == "" {
			continue
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
		out = append(out, portico.PortalEvent{At: at.UTC(), Who: who, Text: text})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.Reverse(out)
	return out, nil
}

// agencyActionText words an agency's change for the client, "" for one
// they don't see.
func agencyActionText(action string, d map[string]string, p *pipeline) string {
	switch action {
	case "application.shared":
		return "shared this candidate with you"
	case "application.share_updated":
		return "updated the candidate's profile"
	case "application.moved":
		to, ok := parseID(d["to_id"])
		if !ok {
			return ""
		}
		dest := p.stageOf(to)
		if from, ok := parseID(d["from_id"]); ok && p.stageOf(from) == dest {
			return "" // a move within what the client sees as one stage
		}
		return "moved the candidate to " + dest.name
	}
	return ""
}

// contactActionText words what a client contact did (the actions of
// portal_action.go), "" for anything else.
func contactActionText(action string, d map[string]string) string {
	switch action {
	case "portal.rated":
		if n, err := strconv.Atoi(d["stars"]); err == nil && n >= 1 && n <= 5 {
			return "rated the candidate " + strconv.Itoa(n) + " of 5 stars"
		}
		return "rated the candidate"
	case "portal.feedback":
		return "gave feedback"
	case "portal.interview_requested":
		return "asked for an interview"
	case "portal.hired":
		return "decided to hire the candidate"
	case "portal.rejected":
		if r := strings.TrimSpace(d["reason"]); r != "" {
			return "rejected the candidate: " + r
		}
		return "rejected the candidate"
	}
	return ""
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
