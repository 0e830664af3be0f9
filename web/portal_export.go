package web

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"portico"
)

// portalExportLimit bounds the rows of one export; a job's shortlist is
// far shorter.
const portalExportLimit = 10000

// portalExport sends a job's shared candidates as an Excel workbook: the
// name (or reference), the client-facing stage, the visible fields and
// the ratings. Cells hold text and numbers only, never formulas: a value
// starting with = + - @ is text with the text format, so a spreadsheet
// never runs it.
func (s *Server) portalExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	j, ok := s.portalJobOf(w, r)
	if !ok {
		return
	}
	vis := j.Visibility
	var all []*portico.PortalCandidate
	for off := 0; off < portalExportLimit; {
		cs, total, err := s.svc.Portal.Candidates(ctx, j.ID, portico.PortalCandidateFilter{Offset: off, Limit: 500})
		if err != nil {
			s.portalFail(w, r, err)
			return
		}
		all = append(all, cs...)
		off += len(cs)
		if len(cs) == 0 || off >= total {
			break
		}
	}
	agency, _ := s.svc.Agency.Agency(ctx)
	b, err := portalWorkbook(j, vis, all, agency)
	if err != nil {
		s.portalFail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", contentDisposition(false, j.Title+" candidates.xlsx"))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
}

// portalWorkbook writes the workbook with excelize's stream writer.
func portalWorkbook(j *portico.PortalJob, vis portico.Visibility, cs []*portico.PortalCandidate, agency *portico.Agency) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Candidates"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	f.SetDocProps(&excelize.DocProperties{Title: j.Title + " candidates", Creator: "Portico"})
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF2F7"}},
		Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}) // 49 is "@": text
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	name := "Candidate"
	if vis.Anonymous {
		name = "Reference"
	}
	header := []any{excelize.Cell{StyleID: bold, Value: name}, excelize.Cell{StyleID: bold, Value: "Stage"}}
	widths := []float64{24, 18}
	for _, fl := range vis.Fields {
		header = append(header, excelize.Cell{StyleID: bold, Value: fl.Label()})
		w := 20.0
		if fl == portico.FieldSummary || fl == portico.FieldSkills {
			w = 40
		}
		widths = append(widths, w)
	}
	header = append(header, excelize.Cell{StyleID: bold, Value: "Average rating"}, excelize.Cell{StyleID: bold, Value: "Ratings"},
		excelize.Cell{StyleID: bold, Value: "Shared on"})
	widths = append(widths, 14, 10, 14)
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", header); err != nil {
		return nil, err
	}
	cell := func(s string) excelize.Cell { return excelize.Cell{StyleID: text, Value: cellText(s)} }
	for i, c := range cs {
		row := []any{cell(c.Name), cell(c.StageName)}
		for _, fl := range vis.Fields {
			row = append(row, cell(c.Field(fl)))
		}
		if c.Ratings > 0 {
			row = append(row, excelize.Cell{Value: c.AvgRating}, excelize.Cell{Value: c.Ratings})
		} else {
			row = append(row, nil, excelize.Cell{Value: 0})
		}
		row = append(row, cell(inZone(c.SharedAt, agency).Format("2006-01-02")))
		axis, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return nil, err
		}
		if err := sw.SetRow(axis, row); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cellText makes a value safe for a cell: characters XML can't hold are
// dropped, and it is cut to Excel's limit of 32,767 characters.
func cellText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF && !(r >= 0xD800 && r <= 0xDFFF) {
			return r
		}
		return -1
	}, s)
	if len([]rune(s)) > 32767 {
		s = string([]rune(s)[:32767])
	}
	return s
}
