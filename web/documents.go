package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"portico"
	"portico/files"
)

// uploadLimit bounds an upload request: the largest file and room for the
// rest of the form.
const uploadLimit = portico.MaxDocumentSize + 1<<20

// drainLimit is how much of a too-large upload is read and thrown away, so
// the browser, still sending, gets to read the answer.
const drainLimit = 100 << 20

// notUploaded heads the list of an upload's problems.
const notUploaded = "Nothing was uploaded."

func tooLargeMessage() string {
	return fmt.Sprintf("The file is larger than %d MB, so it wasn't uploaded. Make it smaller (for example, save the PDF with reduced size) and try again.", portico.MaxDocumentSize>>20)
}

// uploadDocument stores a file for a candidate. The body is read as a
// stream: a file over the limit is refused once the limit is passed,
// without holding it.
func (s *Server) uploadDocument(w http.ResponseWriter, r *http.Request) {
	c, err := s.findCandidate(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body := r.Body
	tooLarge := func(kind string) {
		// Read what the browser is still sending (up to a point) and
		// close the connection after answering.
		_, _ = io.CopyN(io.Discard, body, drainLimit)
		w.Header().Set("Connection", "close")
		s.uploadFailed(w, r, http.StatusRequestEntityTooLarge, c, kind, tooLargeMessage())
	}
	if r.ContentLength > uploadLimit {
		tooLarge(string(portico.DocResume))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, uploadLimit)
	mr, err := r.MultipartReader()
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, "Portico couldn't read that upload. Choose the file again and press “Upload”.")
		return
	}
	var (
		kind     = ""
		filename string
		content  []byte
		gotFile  bool
	)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			tooLarge(kind)
			return
		} else if err != nil {
			s.renderError(w, r, http.StatusBadRequest, "Portico couldn't read that upload. Choose the file again and press “Upload”.")
			return
		}
		switch part.FormName() {
		case "kind":
			b, err := io.ReadAll(io.LimitReader(part, 100))
			if err != nil {
				tooLarge(kind)
				return
			}
			kind = strings.TrimSpace(string(b))
		case "file":
			if gotFile {
				break // one file per upload; ignore any more
			}
			gotFile, filename = true, part.FileName()
			content, err = io.ReadAll(io.LimitReader(part, portico.MaxDocumentSize+1))
			if errors.As(err, &mbe) || len(content) > portico.MaxDocumentSize {
				tooLarge(kind)
				return
			} else if err != nil {
				s.renderError(w, r, http.StatusBadRequest, "The upload was interrupted. Choose the file again and press “Upload”.")
				return
			}
		}
		_ = part.Close()
	}
	if !gotFile || (filename == "" && len(content) == 0) {
		s.uploadFailed(w, r, http.StatusUnprocessableEntity, c, kind, "Choose a file to upload.")
		return
	}
	d, err := s.svc.Candidates.AddDocument(r.Context(), c.ID, portico.DocumentKind(kind), filename, content)
	if portico.ErrorCode(err) == portico.EINVALID {
		p := &Form{Values: url.Values{"kind": {kind}}, Errors: portico.ErrorFields(err), Message: notUploaded}
		if len(p.Errors) == 0 {
			p.Errors = map[string]string{"file": portico.ErrorMessage(err)}
		}
		s.showCandidate(w, r, statusOf(err), c, p)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, candidatePath(c.ID)+"#documents-h", "Uploaded "+d.Filename+" ("+d.Kind.Label()+") for "+c.Name()+".")
}

// uploadFailed shows the candidate's page with the upload's problem beside
// the file field.
func (s *Server) uploadFailed(w http.ResponseWriter, r *http.Request, status int, c *portico.Candidate, kind, msg string) {
	if kind == "" {
		kind = string(portico.DocResume)
	}
	s.showCandidate(w, r, status, c, &Form{Values: url.Values{"kind": {kind}}, Errors: map[string]string{"file": msg}, Message: notUploaded})
}

// document sends a document's file: as a download, or (a PDF with
// ?inline=1) to show in the browser, also inside a frame of our own pages.
func (s *Server) document(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, content, err := s.svc.Candidates.DocumentContent(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	serveDocument(w, r, d, content, d.IsPDF() && r.URL.Query().Get("inline") == "1")
}

// serveDocument sends a candidate's file, to the console or the portal.
// Inline (PDFs), it may show in a frame of our own pages only.
func serveDocument(w http.ResponseWriter, r *http.Request, d *portico.Document, content []byte, inline bool) {
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Disposition", contentDisposition(inline, d.Filename))
	// The file is never a page of ours: no scripts, no same-origin access,
	// even if a browser were tricked into treating it as HTML.
	if inline {
		h.Set("Content-Security-Policy", "sandbox; frame-ancestors 'self'")
		h.Set("X-Frame-Options", "SAMEORIGIN")
	} else {
		h.Set("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'")
	}
	// ServeContent answers range requests, which PDF viewers make.
	http.ServeContent(w, r, "", d.CreatedAt, bytes.NewReader(content))
}

// contentDisposition names the file for the browser (RFC 6266): a plain
// ASCII name for old clients and the exact name in UTF-8.
func contentDisposition(inline bool, name string) string {
	kind := "attachment"
	if inline {
		kind = "inline"
	}
	name = files.CleanName(name)
	var ascii strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' || r == ';':
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	return kind + `; filename="` + ascii.String() + `"; filename*=UTF-8''` + strings.ReplaceAll(url.PathEscape(name), "'", "%27")
}

// deleteDocument asks first; with confirm=yes it deletes the file.
func (s *Server) deleteDocument(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	d, err := s.svc.Candidates.FindDocumentByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.svc.Candidates.FindCandidateByID(ctx, d.CandidateID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.PostForm.Get("confirm") != "yes" {
		p := s.page(r, "Delete "+d.Filename)
		p.Nav = "candidates"
		p.Data = map[string]any{"Document": d, "Candidate": c}
		s.render(w, r, http.StatusOK, "candidate_document_delete", p)
		return
	}
	if err := s.svc.Candidates.DeleteDocument(ctx, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, candidatePath(c.ID)+"#documents-h", "Deleted "+d.Filename+" from "+c.Name()+"’s documents.")
}

// fileSize writes a size for people: "840 KB", "2.4 MB".
func fileSize(n int64) string {
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10) + " bytes"
	case n < 1000*1000:
		return strconv.FormatInt((n+500)/1000, 10) + " KB"
	}
	return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB"
}

// fileKind names a document's format: "PDF", "Word document".
func fileKind(d *portico.Document) string {
	if k := files.Describe(d.ContentType); k != "file" {
		return k
	}
	return strings.ToUpper(strings.TrimPrefix(path.Ext(d.Filename), "."))
}

// docRow is a document as its list shows it.
type docRow struct {
	*portico.Document
	Format string // "PDF"
	Bytes  string // "840 KB"
}

func docRows(ds []*portico.Document) []docRow {
	rows := make([]docRow, len(ds))
	for i, d := range ds {
		rows[i] = docRow{Document: d, Format: fileKind(d), Bytes: fileSize(d.Size)}
	}
	return rows
}
