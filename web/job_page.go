package web

import (
	"net/http"
	"net/url"
	"strconv"

	"portico"
)

// boardCards bounds the cards the board shows; beyond it, each column
// links to its stage in the list view, which pages.
const boardCards = 500

// shortlistPerPage is the length of the list view.
const shortlistPerPage = 50

// boardColumn is a stage on the board with its candidates.
type boardColumn struct {
	Stage *portico.Stage
	Count int // all of the job's applications in the stage
	Cards []*portico.Application
	More  int // how many the board leaves out
}

// jobPage shows a job and its shortlist, as a board by stage or as a list.
func (s *Server) jobPage(w http.ResponseWriter, r *http.Request) {
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
	stages, err := s.svc.Stages.ListStages(ctx, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.svc.Applications.StageCounts(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	byStage, total := map[int64]int{}, 0
	for _, c := range counts {
		byStage[c.StageID], total = c.Count, total+c.Count
	}

	// The columns: every active stage, and a retired one while some of the
	// job's candidates are still in it.
	var columns []*boardColumn
	var active []*portico.Stage
	col := map[int64]*boardColumn{}
	for _, st := range stages {
		if st.Retired && byStage[st.ID] == 0 {
			continue
		}
		if !st.Retired {
			active = append(active, st)
		}
		c := &boardColumn{Stage: st, Count: byStage[st.ID]}
		columns, col[st.ID] = append(columns, c), c
	}

	list := r.URL.Query().Get("view") == "list"
	data := map[string]any{"Job": job, "Columns": columns, "Active": active, "Total": total, "List": list,
		"Back": jobPath(id)}
	if err := s.portalBox(r, job, data); err != nil {
		s.fail(w, r, err)
		return
	}
	if list {
		f := portico.ApplicationFilter{JobID: id, StageID: idParam(r, "stage"), Offset: offset(r), Limit: shortlistPerPage}
		if col[f.StageID] == nil {
			f.StageID = 0
		}
		apps, n, err := s.svc.Applications.FindApplications(ctx, f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		base := url.Values{"view": {"list"}}
		if f.StageID != 0 {
			base.Set("stage", strconv.FormatInt(f.StageID, 10))
		}
		back := jobPath(id) + "?" + base.Encode()
		if f.Offset > 0 {
			back += "&offset=" + strconv.Itoa(f.Offset)
		}
		data["Apps"], data["Stage"], data["Back"] = apps, f.StageID, back
		data["Pager"] = pager{Offset: f.Offset, Limit: f.Limit, Total: n, Base: base, Path: jobPath(id)}
	} else if total > 0 {
		apps, _, err := s.svc.Applications.FindApplications(ctx, portico.ApplicationFilter{JobID: id, Limit: boardCards})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, a := range apps {
			if c := col[a.StageID]; c != nil {
				c.Cards = append(c.Cards, a)
			}
		}
		for _, c := range columns {
			c.More = c.Count - len(c.Cards)
		}
	}

	// The history pages on its own parameter, keeping the shortlist's.
	historyAt := namedOffset(r, "history")
	evs, evTotal, err := s.svc.Events.FindEvents(ctx, portico.EventFilter{JobID: id, Offset: historyAt, Limit: historyPerPage})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	historyBase := url.Values{}
	for _, k := range []string{"view", "stage", "offset"} {
		if v := r.URL.Query().Get(k); v != "" {
			historyBase.Set(k, v)
		}
	}
	data["Events"] = evs
	data["HistoryPager"] = subPager(jobPath(id), "history", historyAt, historyPerPage, evTotal, historyBase, "#history-h")

	p := s.page(r, job.Title)
	p.Nav = "jobs"
	p.Data = data
	s.render(w, r, http.StatusOK, "job", p)
}
