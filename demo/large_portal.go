package demo

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"

	"golang.org/x/crypto/argon2"

	"portico"
	"portico/sqlstore"
)

// The large data set's client portal. Every contact has a connected
// account with all their client's jobs and the demo password; about a
// third of applications are shared; and one known contact (PortalEmail, at
// the first client) has what the benchmark measures: a job with exactly
// large.jobShared candidates shared (the client's job page) and one with
// large.exportShared (the Excel export), with ratings and feedback.
const (
	portalClient      = 1 // the first client
	portalContact     = 1 // its first contact, signing in as PortalEmail
	portalContactName = "Jordan Reyes"
	portalJob         = 1 // its first job, one of the big ones
	exportJob         = 2 // its second, with large.exportApps applications
)

// portalPasswordHash hashes the demo password once for every contact, in
// the PHC form and with the parameters sqlstore uses (it reads them from
// the hash): hashing it ten thousand times would take ten minutes. The
// salt comes from the seed, so the data set stays the same for a seed.
func portalPasswordHash(g *gen, password string) string {
	salt := binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, g.rnd.Uint64()), g.rnd.Uint64())
	const t, m, p = 2, 19 * 1024, 1
	key := argon2.IDKey([]byte(password), salt, t, m, p, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// portalKeys returns n different keys naming clients' branded sign-in
// pages, as the services would give them (16 hex digits).
func portalKeys(g *gen, n int) []string {
	keys := make([]string, 0, n)
	seen := make(map[uint64]bool, n)
	for len(keys) < n {
		k := g.rnd.Uint64()
		if !seen[k] {
			seen[k] = true
			keys = append(keys, fmt.Sprintf("%016x", k))
		}
	}
	return keys
}

// sharePlan draws applications' stages and whether they are shared: a
// candidate the client has been sent (submitted, or further on, or
// rejected by the client) is shared three times in four; one still being
// sourced, rejected by the agency or withdrawn never is. With the demo's
// stage weights that shares about a third.
type sharePlan struct {
	g         *gen
	n         int
	shareable []bool // by stage index
	any       bool
}

func newSharePlan(g *gen, stages []*portico.Stage) *sharePlan {
	p := &sharePlan{g: g, n: len(stages), shareable: make([]bool, len(stages))}
	for i, st := range stages {
		switch st.Kind {
		case portico.KindSubmitted, portico.KindInterview, portico.KindOffer, portico.KindHired, portico.KindRejectedByClient:
			p.shareable[i], p.any = true, true
		}
	}
	return p
}

// draw returns a stage and whether the application is shared.
func (p *sharePlan) draw() (uint8, bool) {
	st := p.g.stageIndex(p.n)
	return uint8(st), p.shareable[st] && p.g.rnd.IntN(4) != 0
}

// drawKind returns a stage a shared candidate can be in (shareable true),
// or one a candidate not shared is in.
func (p *sharePlan) drawKind(shareable bool) uint8 {
	for p.any {
		if st := p.g.stageIndex(p.n); p.shareable[st] == shareable {
			return uint8(st)
		}
	}
	return 0
}

// reviewLarge has the portal client's first contacts rate and comment on
// the candidates shared with them, through the portal's own services, so
// the ratings, feedback, events, alerts and emails are what real use
// makes: the known contact rates two in three and comments on one in six,
// two colleagues rate one in four and comment on one in twelve.
// names are the contacts' names by ID.
func reviewLarge(ctx context.Context, db *sqlstore.DB, g *gen, names []string, progress func(string)) error {
	svc := db.Services()
	if svc.Portal == nil || svc.PortalActions == nil {
		return nil
	}
	reviewers := min(3, large.contactsPer)
	ctxs := make([]context.Context, reviewers)
	for i := range ctxs {
		id := int64((portalClient-1)*large.contactsPer + 1 + i)
		ctxs[i] = portico.NewContextWithActor(ctx, portico.Actor{Kind: portico.ActorContact, ID: id, Name: names[id], UserAgent: "Portico demo"})
	}
	rated, commented := 0, 0
	for j := 1; j <= large.jobsPer; j++ {
		job := int64((portalClient-1)*large.jobsPer + j)
		var list []*portico.PortalCandidate
		for {
			page, total, err := svc.Portal.Candidates(ctxs[0], job, portico.PortalCandidateFilter{Offset: len(list), Limit: 500})
			if err != nil {
				return fmt.Errorf("portal job %d: %w", job, err)
			}
			list = append(list, page...)
			if len(page) == 0 || len(list) >= total {
				break
			}
		}
		for turn, c := range list {
			for i, kctx := range ctxs {
				rate, comment := turn%4 == i, turn%12 == 6+i
				if i == 0 {
					rate, comment = turn%3 != 2, turn%6 == 0
				}
				if rate {
					if err := svc.PortalActions.Rate(kctx, job, c.ApplicationID, 2+g.rnd.IntN(4)); err != nil {
						return fmt.Errorf("rate %s on job %d: %w", c.Name, job, err)
					}
					rated++
				}
				if comment {
					if err := svc.PortalActions.Feedback(kctx, job, c.ApplicationID, g.pick(feedbackTexts)); err != nil {
						return fmt.Errorf("feedback on %s, job %d: %w", c.Name, job, err)
					}
					commented++
				}
			}
		}
	}
	progress(fmt.Sprintf("%d ratings and %d comments by the portal client's contacts (portal sign-in: %s)", rated, commented, PortalEmail))
	return nil
}
