package web

import (
	"encoding/csv"
	"mime"
	"net/http"
	"strings"
)

// csvWriter streams a CSV download. Every cell goes through safeCell, so a
// value a client or candidate typed can't run as a formula when the file
// is opened in a spreadsheet.
type csvWriter struct {
	w *csv.Writer
}

// newCSV starts a CSV download named filename with its header row.
func newCSV(w http.ResponseWriter, filename string, header ...string) *csvWriter {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	w.Header().Set("Cache-Control", "no-store")
	c := &csvWriter{w: csv.NewWriter(w)}
	c.row(header...)
	return c
}

// row writes one row.
func (c *csvWriter) row(cells ...string) {
	safe := make([]string, len(cells))
	for i, v := range cells {
		safe[i] = safeCell(v)
	}
	_ = c.w.Write(safe)
}

// flush sends what is buffered; call it at the end (and every so often in
// long exports). It returns the first write error, if any.
func (c *csvWriter) flush() error {
	c.w.Flush()
	return c.w.Error()
}

// safeCell defuses spreadsheet formula injection (OWASP's advice): a cell
// starting with =, +, -, @, a tab or a carriage return gets a leading
// apostrophe, which spreadsheets show as text and don't evaluate.
func safeCell(v string) string {
	if v == "" {
		return v
	}
	if strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
