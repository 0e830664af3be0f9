package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"

	"portico"
	"portico/internal/testkit"
	"portico/sqlstore"
)

// multipartHead and multipartTail wrap one file (after a "kind" field) in
// a multipart body, so a test can stream the file's bytes between them.
func multipartParts(kind, filename string) (head, tail []byte, contentType string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if kind != "" {
		_ = mw.WriteField("kind", kind)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filename))
	h.Set("Content-Type", "application/octet-stream")
	_, _ = mw.CreatePart(h)
	head = append([]byte(nil), b.Bytes()...)
	b.Reset()
	_ = mw.Close()
	return head, append([]byte("\r\n"), bytes.TrimPrefix(b.Bytes(), []byte("\r\n"))...), mw.FormDataContentType()
}

// upload posts a file as the browser's upload form does. size < 0 sends
// the body without a length (chunked), as a stream.
func (c *client) upload(path, kind, filename string, content io.Reader, size int64) response {
	c.s.t.Helper()
	head, tail, ct := multipartParts(kind, filename)
	body := io.MultiReader(bytes.NewReader(head), content, bytes.NewReader(tail))
	req, _ := http.NewRequest(http.MethodPost, c.s.srv.URL+path, body)
	if size >= 0 {
		req.ContentLength = int64(len(head)+len(tail)) + size
	} else {
		req.ContentLength = -1
		req.Body = io.NopCloser(body) // hide the length
	}
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Origin", c.s.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

func (c *client) uploadBytes(path, kind, filename string, content []byte) response {
	c.s.t.Helper()
	return c.upload(path, kind, filename, bytes.NewReader(content), int64(len(content)))
}

// zeros streams n zero bytes without holding them.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), z.n)
	clear(p[:k])
	z.n -= k
	return int(k), nil
}

func TestDocumentUploads(t *testing.T) {
	testkit.EachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testkit.Clock) {
		s := newCandidateSite(t, db, clock)
		c := s.signedIn(cdRecruiter)
		page := fmt.Sprintf("/candidates/%d", s.jane.ID)
		uploadTo := page + "/documents"
		docs := func() []*portico.Document {
			ds, err := db.Services().Candidates.FindDocuments(context.Background(), s.jane.ID)
			if err != nil {
				t.Fatal(err)
			}
			return ds
		}

		// Every bad file: a clear message beside the file field, the
		// kind kept, and nothing stored.
		elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 4000)...)
		for _, tc := range []struct {
			name     string
			kind     string
			filename string
			content  []byte
			status   int
			message  string
		}{
			{"text named pdf", "resume", "cv.pdf", []byte("I am definitely a PDF file."), 422, "This file is not a PDF: it is plain text"},
			{"program named pdf", "resume", "cv.pdf", append([]byte("MZ\x90\x00\x03"), make([]byte, 4000)...), 422, "This file is not a PDF: it is a program"},
			{"linux program named docx", "formatted_resume", "cv.docx", elf, 422, "This file is not a Word document: it is a program"},
			{"pdf header then garbage", "resume", "cv.pdf", []byte("%PDF-1.7\n" + strings.Repeat("garbage\n", 50) + "%%EOF\n"), 422, "This PDF can&#39;t be read"},
			{"empty file", "resume", "cv.pdf", nil, 422, "The file is empty."},
			{"no file chosen", "resume", "", nil, 422, "Choose a file to upload."},
			{"image as résumé", "resume", "photo.png", pngPixel, 422, "A résumé must be a PDF or Word (.docx) file"},
			{"unknown kind", "photo", "cv.pdf", testkit.PDF("x"), 422, "Choose what kind of document this is."},
			{"unsupported format", "other", "cv.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old word"), 422, "Portico keeps PDF and Word (.docx) files"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := c.uploadBytes(uploadTo, tc.kind, tc.filename, tc.content)
				if res.status != tc.status {
					t.Fatalf("status %d, want %d\n%s", res.status, tc.status, res.body)
				}
				if !strings.Contains(res.body, tc.message) {
					t.Errorf("body lacks %q", tc.message)
				}
				field := "file"
				if tc.kind == "photo" {
					field = "kind"
				}
				if !strings.Contains(res.body, `id="f-`+field+`-error"`) || !strings.Contains(res.body, `aria-invalid="true"`) {
					t.Errorf("the message isn't beside the %s field", field)
				}
				if !strings.Contains(res.body, "<h1>Jane Doe</h1>") {
					t.Error("the candidate's page wasn't shown again")
				}
				if n := len(docs()); n != 0 {
					t.Fatalf("%d documents stored after a refused upload", n)
				}
			})
		}
		// The kind chosen is kept after a refusal.
		res := c.uploadBytes(uploadTo, "other", "notes.pdf", []byte("not a pdf"))
		if !strings.Contains(res.body, `<option value="other" selected>`) {
			t.Error("the chosen kind was lost")
		}

		// A 50 MB upload is refused with 413 and a clear page, with a
		// length and streamed without one; nothing is stored.
		for _, size := range []int64{50 << 20, -1} {
			var body io.Reader = &zeros{n: 50 << 20}
			res := c.upload(uploadTo, "resume", "huge.pdf", body, size)
			if res.status != http.StatusRequestEntityTooLarge || !strings.Contains(res.body, "The file is larger than 10 MB") ||
				!strings.Contains(res.body, `id="f-file-error"`) {
				t.Fatalf("50 MB (length %d): status %d\n%.500s", size, res.status, res.body)
			}
		}
		// Just over the limit: the file part alone is too big.
		res = c.uploadBytes(uploadTo, "resume", "big.pdf", append(testkit.PDF("x"), make([]byte, portico.MaxDocumentSize)...))
		if res.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("just over 10 MB: status %d", res.status)
		}
		if n := len(docs()); n != 0 {
			t.Fatalf("%d documents stored after too-large uploads", n)
		}

		// A real PDF résumé and a Word document are stored.
		pdf := testkit.PDF("Jane Doe — CV")
		res = c.uploadBytes(uploadTo, "resume", "Jane Doe CV (2026).pdf", pdf)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != page+"#documents-h" {
			t.Fatalf("upload pdf: status %d location %q\n%s", res.status, res.header.Get("Location"), res.body)
		}
		docx := testkit.DOCX("Jane Doe, formatted")
		res = c.uploadBytes(uploadTo, "formatted_resume", "Résumé Jane.docx", docx)
		if res.status != http.StatusSeeOther {
			t.Fatalf("upload docx: status %d\n%s", res.status, res.body)
		}
		ds := docs()
		if len(ds) != 2 {
			t.Fatalf("%d documents", len(ds))
		}
		wordDoc, pdfDoc := ds[0], ds[1]
		res = c.get(page)
		for _, want := range []string{"Uploaded Résumé Jane.docx (Formatted résumé) for Jane Doe.", "Jane Doe CV (2026).pdf", "PDF, ", "Word document, ",
			"by Rita Recruiter", fmt.Sprintf(`href="/documents/%d"`, pdfDoc.ID), fmt.Sprintf(`src="/documents/%d?inline=1"`, pdfDoc.ID), "<iframe",
			fmt.Sprintf(`href="/candidates/%d?preview=%d#preview-h"`, s.jane.ID, pdfDoc.ID), "uploaded the résumé Jane Doe CV (2026).pdf for Jane Doe"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("page after uploads lacks %q", want)
			}
		}
		if strings.Contains(res.body, fmt.Sprintf("preview=%d", wordDoc.ID)) {
			t.Error("a Word document is offered for viewing in the page")
		}

		// Download: the exact bytes, as an attachment, locked down.
		res = c.get(fmt.Sprintf("/documents/%d", pdfDoc.ID))
		h := res.header
		if res.status != 200 || res.body != string(pdf) || h.Get("Content-Type") != "application/pdf" ||
			h.Get("Content-Disposition") != `attachment; filename="Jane Doe CV (2026).pdf"; filename*=UTF-8''Jane%20Doe%20CV%20%282026%29.pdf` ||
			!strings.HasPrefix(h.Get("Content-Security-Policy"), "sandbox") || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" {
			t.Fatalf("download: %d %q %v", res.status, h.Get("Content-Disposition"), h)
		}
		// Inline, for the page's frame: a PDF only.
		res = c.get(fmt.Sprintf("/documents/%d?inline=1", pdfDoc.ID))
		h = res.header
		if res.status != 200 || res.body != string(pdf) || !strings.HasPrefix(h.Get("Content-Disposition"), "inline; ") ||
			h.Get("X-Frame-Options") != "SAMEORIGIN" || h.Get("Content-Security-Policy") != "sandbox; frame-ancestors 'self'" {
			t.Fatalf("inline: %d %v", res.status, h)
		}
		res = c.get(fmt.Sprintf("/documents/%d?inline=1", wordDoc.ID))
		if res.status != 200 || res.body != string(docx) || !strings.HasPrefix(res.header.Get("Content-Disposition"), `attachment; filename="R_sum_ Jane.docx"; filename*=UTF-8''R%C3%A9sum%C3%A9%20Jane.docx`) ||
			res.header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
			t.Fatalf("word inline: %d %q", res.status, res.header.Get("Content-Disposition"))
		}
		// A range, as PDF viewers ask for.
		req, _ := http.NewRequest(http.MethodGet, s.srv.URL+fmt.Sprintf("/documents/%d?inline=1", pdfDoc.ID), nil)
		req.Header.Set("Range", "bytes=0-7")
		res = c.do(req)
		if res.status != http.StatusPartialContent || res.body != "%PDF-1.4" {
			t.Fatalf("range: %d %q", res.status, res.body)
		}

		// Unknown documents and candidates.
		for _, p := range []string{"/documents/99999", "/documents/abc", "/documents/0"} {
			if res := c.get(p); res.status != 404 {
				t.Errorf("GET %s: %d", p, res.status)
			}
		}
		res = c.uploadBytes("/candidates/99999/documents", "resume", "cv.pdf", pdf)
		if res.status != 404 {
			t.Errorf("upload to unknown candidate: %d", res.status)
		}
		if res := c.post("/documents/99999/delete", url.Values{"confirm": {"yes"}}); res.status != 404 {
			t.Errorf("delete unknown: %d", res.status)
		}

		// Delete asks first, then deletes, with the history keeping a note.
		del := fmt.Sprintf("/documents/%d/delete", wordDoc.ID)
		res = c.post(del, nil)
		if res.status != 200 || !strings.Contains(res.body, "Delete Résumé Jane.docx?") || !strings.Contains(res.body, `name="confirm" value="yes"`) {
			t.Fatalf("delete confirmation: %d\n%s", res.status, res.body)
		}
		if len(docs()) != 2 {
			t.Fatal("deleted without confirmation")
		}
		res = c.post(del, url.Values{"confirm": {"yes"}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != page+"#documents-h" {
			t.Fatalf("delete: %d %q", res.status, res.header.Get("Location"))
		}
		res = c.get(page)
		if !strings.Contains(res.body, "Deleted Résumé Jane.docx from Jane Doe’s documents.") || !strings.Contains(res.body, "deleted the formatted résumé Résumé Jane.docx of Jane Doe") {
			t.Errorf("after delete:\n%s", res.body)
		}
		if ds := docs(); len(ds) != 1 || ds[0].ID != pdfDoc.ID {
			t.Fatalf("after delete: %d documents", len(ds))
		}
		if res := c.get(fmt.Sprintf("/documents/%d", wordDoc.ID)); res.status != 404 {
			t.Errorf("deleted document still downloads: %d", res.status)
		}

		// Visitors get nothing.
		anon := s.client()
		if res := anon.get(fmt.Sprintf("/documents/%d", pdfDoc.ID)); res.status != http.StatusSeeOther || strings.Contains(res.body, "%PDF") {
			t.Errorf("visitor download: %d", res.status)
		}
		if res := anon.uploadBytes(uploadTo, "resume", "cv.pdf", pdf); res.status != http.StatusSeeOther {
			t.Errorf("visitor upload: %d", res.status)
		}
		if n := len(docs()); n != 1 {
			t.Errorf("%d documents after a visitor's upload", n)
		}
	})
}

// pngPixel is a valid one-pixel PNG.
var pngPixel = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0dIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
