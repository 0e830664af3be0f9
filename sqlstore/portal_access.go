package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"portico"
)

// The portal's scope: who the acting contact is and what they may see.
// Every portal read and action starts here, so no query of the portal can
// forget to scope itself to the contact's client and jobs.

var errPortalSignIn = portico.Errorf(portico.EUNAUTHORIZED, "Sign in to the client portal to see this.")

// contactActor returns the acting client contact, or EUNAUTHORIZED for
// anyone else (agency users, visitors, the system): the portal's reads
// answer to a contact only.
func contactActor(ctx context.Context) (portico.Actor, error) {
	a := portico.ActorFromContext(ctx)
	if a.Kind != portico.ActorContact || a.ID <= 0 {
		return a, errPortalSignIn
	}
	return a, nil
}

// portalScope is the acting contact with their client and access.
type portalScope struct {
	contactID     int64
	clientID      int64
	name          string
	clientName    string
	allJobs       bool
	previousVisit *time.Time
	columns       string
	// A share link's visitor sees the link's job only (0: all their jobs).
	linkJobID int64
}

// loadScope returns the acting contact's scope. A contact who can't use
// the portal (disabled, never invited, removed) is EUNAUTHORIZED, exactly
// like someone who never signed in. A share link lets in a contact who has
// no portal account yet (the link is their invitation), never a disabled
// one; the link's validity is checked where its session is authenticated.
func loadScope(ctx context.Context, c conn) (portalScope, error) {
	a, err := contactActor(ctx)
	if err != nil {
		return portalScope{}, err
	}
	var sc portalScope
	var status string
	var prev sql.NullTime
	err = c.queryRow(ctx, `SELECT k.id, k.client_id, k.name, cl.name, k.all_jobs, k.previous_visit_at, k.list_columns, k.portal_status
		FROM contacts k JOIN clients cl ON cl.id = k.client_id WHERE k.id = ?`, a.ID).
		Scan(&sc.contactID, &sc.clientID, &sc.name, &sc.clientName, &sc.allJobs, &prev, &sc.columns, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return portalScope{}, errPortalSignIn
	} else if err != nil {
		return portalScope{}, err
	}
	if a.LinkID != 0 {
		if portico.PortalStatus(status) == portico.PortalDisabled {
			return portalScope{}, errPortalSignIn
		}
		sc.linkJobID = a.LinkJobID
	} else if !mayUsePortal(portico.PortalStatus(status)) {
		return portalScope{}, errPortalSignIn
	}
	sc.previousVisit = timePtr(prev)
	return sc, nil
}

// jobs returns a condition on the jobs table aliased j that holds for the
// jobs the contact may see, and its arguments: the client's jobs, all of
// them or the chosen ones, and only the link's job for a job link.
func (sc portalScope) jobs() (string, []any) {
	cond, args := `j.client_id = ?`, []any{sc.clientID}
	if !sc.allJobs {
		cond, args = cond+` AND j.id IN (SELECT job_id FROM contact_jobs WHERE contact_id = ?)`, append(args, sc.contactID)
	}
	if sc.linkJobID != 0 {
		cond, args = cond+` AND j.id = ?`, append(args, sc.linkJobID)
	}
	return cond, args
}

// checkJob returns ENOTFOUND unless the contact may see the job: a job of
// another client, or one not among their chosen jobs, is not there.
func (sc portalScope) checkJob(ctx context.Context, c conn, jobID int64) error {
	cond, args := sc.jobs()
	var id int64
	err := c.queryRow(ctx, `SELECT j.id FROM jobs j WHERE j.id = ? AND `+cond, append([]any{jobID}, args...)...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("job")
	}
	return err
}

// sharedApplication returns the candidate of an application that is shared
// on a job the contact may see: ENOTFOUND otherwise, the same for an
// unshared candidate as for one that doesn't exist.
func (sc portalScope) sharedApplication(ctx context.Context, c conn, jobID, applicationID int64) (int64, error) {
	cond, args := sc.jobs()
	var candidateID int64
	err := c.queryRow(ctx, `SELECT a.candidate_id FROM applications a JOIN jobs j ON j.id = a.job_id
		WHERE a.id = ? AND a.job_id = ? AND a.shared_at IS NOT NULL AND `+cond,
		append([]any{applicationID, jobID}, args...)...).Scan(&candidateID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("candidate")
	}
	return candidateID, err
}

// clientStage is a client-facing stage: the agency's stages that share a
// client name, merged, in the place of the first of them.
type clientStage struct {
	name  string
	kind  portico.StageKind
	order int     // place on the board
	ids   []int64 // the agency's stages it shows
	live  bool    // has an active stage (retired-only stages show only when in use)
}

// pipeline is the agency's stages as clients see them.
type pipeline struct {
	stages  []*clientStage
	byStage map[int64]*clientStage
	kinds   map[int64]portico.StageKind // each agency stage's own kind
}

// kindOf returns the kind of one of the agency's stages, "" when unknown.
func (p *pipeline) kindOf(stageID int64) portico.StageKind { return p.kinds[stageID] }

// loadPipeline reads the stages (a short table) and merges them by client
// name in pipeline order: active stages first, then retired ones.
func loadPipeline(ctx context.Context, c conn) (*pipeline, error) {
	return loadClientPipeline(ctx, c, nil)
}

// loadClientPipeline is the pipeline as a client with settings s reads it:
// a name in s.StageNames wins over the stage's own client name (s nil: the
// stages' own names). Stages renamed alike merge, as stages sharing a
// client name always do.
func loadClientPipeline(ctx context.Context, c conn, s *portico.PortalSettings) (*pipeline, error) {
	rows, err := c.query(ctx, `SELECT id, client_name, internal_name, kind, retired FROM stages ORDER BY retired, position, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	p := &pipeline{byStage: map[int64]*clientStage{}, kinds: map[int64]portico.StageKind{}}
	byName := map[string]*clientStage{}
	for rows.Next() {
		var id int64
		var name, internal, kind string
		var retired bool
		if err := rows.Scan(&id, &name, &internal, &kind, &retired); err != nil {
			return nil, err
		}
		if s != nil && s.StageNames[id] != "" {
			name = s.StageNames[id]
		}
		name = strings.TrimSpace(name)
		if name == "" {
			// Never fall back to the internal name: a stage without a
			// client name shows as its kind.
			name = portico.StageKind(kind).Label()
		}
		cs, ok := byName[strings.ToLower(name)]
		if !ok {
			cs = &clientStage{name: name, kind: portico.StageKind(kind), order: len(p.stages)}
			byName[strings.ToLower(name)] = cs
			p.stages = append(p.stages, cs)
		}
		cs.ids = append(cs.ids, id)
		p.kinds[id] = portico.StageKind(kind)
		cs.live = cs.live || !retired
		p.byStage[id] = cs
	}
	return p, rows.Err()
}

// named returns the client stage of that name (any case), nil when none.
func (p *pipeline) named(name string) *clientStage {
	name = strings.TrimSpace(name)
	for _, cs := range p.stages {
		if strings.EqualFold(cs.name, name) {
			return cs
		}
	}
	return nil
}

// stageOf returns the client stage of one of the agency's stages.
func (p *pipeline) stageOf(id int64) *clientStage {
	if cs, ok := p.byStage[id]; ok {
		return cs
	}
	return &clientStage{name: "In progress", kind: portico.KindSubmitted, order: len(p.stages)}
}

// orderBy returns an ORDER BY expression putting applications (aliased a)
// in board order: by client stage, then as they were added.
func (p *pipeline) orderBy() string {
	if len(p.byStage) == 0 {
		return `a.id`
	}
	// The stages' IDs and places are numbers from our own table, written
	// into the query (as parameters PostgreSQL would type them as text).
	var b strings.Builder
	b.WriteString(`CASE a.stage_id`)
	for _, cs := range p.stages {
		for _, id := range cs.ids {
			b.WriteString(` WHEN ` + strconv.FormatInt(id, 10) + ` THEN ` + strconv.Itoa(cs.order))
		}
	}
	b.WriteString(` ELSE ` + strconv.Itoa(len(p.stages)) + ` END, a.id`)
	return b.String()
}

// counts turns counts per agency stage into counts per client stage: every
// client stage that has an active stage, and retired ones in use. When the
// settings choose stages to count (countIDs), only the client stages
// showing one of them appear, counting the chosen stages alone.
func (p *pipeline) counts(perStage map[int64]int, countIDs ...int64) []portico.PortalStageCount {
	chosen := map[int64]bool{}
	for _, id := range countIDs {
		chosen[id] = true
	}
	n := make([]int, len(p.stages)+1)
	for id, c := range perStage {
		if len(chosen) == 0 || chosen[id] {
			n[p.stageOf(id).order] += c
		}
	}
	var out []portico.PortalStageCount
	for _, cs := range p.stages {
		show := cs.live || n[cs.order] > 0
		if len(chosen) > 0 {
			show = slices.ContainsFunc(cs.ids, func(id int64) bool { return chosen[id] })
		}
		if show {
			out = append(out, portico.PortalStageCount{Name: cs.name, Kind: cs.kind, Count: n[cs.order]})
		}
	}
	if extra := n[len(p.stages)]; extra > 0 && len(chosen) == 0 {
		out = append(out, portico.PortalStageCount{Name: "In progress", Kind: portico.KindSubmitted, Count: extra})
	}
	return out
}

// clientView returns the effective portal settings of the scope's client
// and the pipeline as that client reads it: what every page of the portal
// is read under.
func clientView(ctx context.Context, c conn, sc portalScope) (*portico.PortalSettings, *pipeline, error) {
	s, err := settingsFor(ctx, c, sc.clientID)
	if err != nil {
		return nil, nil, err
	}
	p, err := loadClientPipeline(ctx, c, s)
	if err != nil {
		return nil, nil, err
	}
	return s, p, nil
}

// visibilities resolves the visible fields of several of a client's jobs
// from one query: each job's own setting, else the client's, else the
// agency's, else Portico's default. Anonymous profiles never show contact
// details, whatever is ticked.
type visibilities struct {
	agency, client *portico.Visibility
	jobs           map[int64]portico.Visibility
}

func loadVisibilities(ctx context.Context, c conn, clientID int64, jobIDs []int64) (*visibilities, error) {
	q := `SELECT scope, scope_id, fields, anonymous FROM visibility WHERE (scope = ? AND scope_id = 0) OR (scope = ? AND scope_id = ?)`
	args := []any{string(portico.ScopeAgency), string(portico.ScopeClient), clientID}
	if len(jobIDs) > 0 {
		q += ` OR (scope = ? AND scope_id IN (` + placeholders(len(jobIDs)) + `))`
		args = append(args, string(portico.ScopeJob))
		for _, id := range jobIDs {
			args = append(args, id)
		}
	}
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	v := &visibilities{jobs: map[int64]portico.Visibility{}}
	for rows.Next() {
		var scope, fields string
		var id int64
		var anon bool
		if err := rows.Scan(&scope, &id, &fields, &anon); err != nil {
			return nil, err
		}
		x := portico.Visibility{Fields: decodeFields(fields), Anonymous: anon}
		switch portico.VisibilityScope(scope) {
		case portico.ScopeAgency:
			v.agency = &x
		case portico.ScopeClient:
			v.client = &x
		case portico.ScopeJob:
			v.jobs[id] = x
		}
	}
	return v, rows.Err()
}

// of returns what applies to a job.
func (v *visibilities) of(jobID int64) portico.Visibility {
	x, ok := v.jobs[jobID]
	switch {
	case ok:
	case v.client != nil:
		x = *v.client
	case v.agency != nil:
		x = *v.agency
	default:
		x = defaultVisibility()
	}
	return portalVisibility(x)
}

// portalVisibility drops contact details from an anonymous profile: a
// reference instead of a name means no email or phone either.
func portalVisibility(v portico.Visibility) portico.Visibility {
	out := portico.Visibility{Anonymous: v.Anonymous, Fields: []portico.CandidateField{}}
	for _, f := range v.Fields {
		if v.Anonymous && (f == portico.FieldEmail || f == portico.FieldPhone) {
			continue
		}
		out.Fields = append(out.Fields, f)
	}
	return out
}

// placeholders returns n comma-separated ? placeholders.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
