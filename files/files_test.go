package files_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"portico"
	"portico/files"
	"portico/internal/testkit"
)

// The fixtures' PDF is valid by pdfcpu's strict rules, not just relaxed.
func TestFixturePDFIsValid(t *testing.T) {
	api.DisableConfigDir()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationStrict
	for _, title := range []string{"Résumé", "Jane (Doe) \\ CV", ""} {
		if err := api.Validate(bytes.NewReader(testkit.PDF(title)), conf); err != nil {
			t.Errorf("PDF(%q) is not valid: %v", title, err)
		}
	}
}

func TestCheck(t *testing.T) {
	pdf := testkit.PDF("Jane Doe")
	docx := testkit.DOCX("Jane Doe")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0dIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00\xff\xd9")
	tests := []struct {
		name     string
		filename string
		content  []byte
		want     string // content type, or "" for an error
		msg      string // part of the error message
	}{
		{"pdf", "cv.pdf", pdf, files.PDF, ""},
		{"pdf upper-case extension", "CV.PDF", pdf, files.PDF, ""},
		{"docx", "cv.docx", docx, files.DOCX, ""},
		{"png", "photo.png", png, files.PNG, ""},
		{"jpeg", "photo.jpg", jpeg, files.JPEG, ""},
		{"text", "notes.txt", []byte("Références: available on request.\n"), files.Text, ""},
		{"empty", "cv.pdf", nil, "", "empty"},
		{"too large", "cv.pdf", append(pdf, make([]byte, portico.MaxDocumentSize)...), "", "larger than 10 MB"},
		{"windows program renamed", "cv.pdf", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 200)...), "", "This file is not a PDF: it is a program"},
		{"linux program renamed", "cv.pdf", append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 200)...), "", "This file is not a PDF: it is a program"},
		{"script renamed", "cv.docx", []byte("#!/bin/sh\nrm -rf /\n"), "", "it is a program"},
		{"text named pdf", "cv.pdf", []byte("Jane Doe, nurse, 10 years of experience."), "", "This file is not a PDF: it is plain text"},
		{"pdf header then garbage", "cv.pdf", append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("garbage "), 100)...), "", "This PDF can't be read"},
		{"truncated pdf", "cv.pdf", pdf[:len(pdf)/2], "", "This PDF can't be read"},
		{"pdf named docx", "cv.docx", pdf, "", "This file is not a Word document: it is a PDF"},
		{"zip named docx", "cv.docx", zipOf(t, "hello.txt"), "", "not a Word document"},
		{"docx named pdf", "cv.pdf", docx, "", "This file is not a PDF: it is a Word document"},
		{"old word", "cv.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "", "PDF and Word (.docx)"},
		{"no extension", "cv", pdf, "", "PDF and Word (.docx)"},
		{"executable name", "setup.exe", []byte("MZ"), "", "PDF and Word (.docx)"},
		{"html named txt", "notes.txt", []byte("\x00\x01binary"), "", "not plain text"},
		{"png named jpg", "photo.jpg", png, "", "not a JPEG image: it is a PNG image"},
		{"broken png", "photo.png", []byte("\x89PNG\r\n\x1a\nxxxx"), "", "can't be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := files.Check(tt.filename, tt.content)
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Fatalf("Check = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Check = %q, want an error containing %q", got, tt.msg)
			}
			if portico.ErrorCode(err) != portico.EINVALID || portico.ErrorFields(err)["file"] == "" {
				t.Fatalf("error %v: want EINVALID with a message for the file field", err)
			}
			if msg := portico.ErrorMessage(err); !strings.Contains(msg, tt.msg) {
				t.Fatalf("message %q, want it to contain %q", msg, tt.msg)
			}
		})
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		`C:\fakepath\cv.pdf`:               "cv.pdf",
		"../../etc/passwd":                 "passwd",
		"Jane\x00 Doe\r\n.pdf":             "Jane Doe.pdf",
		`a"b<c>.pdf`:                       "a_b_c_.pdf",
		"":                                 "document",
		".pdf":                             "document.pdf",
		"   ":                              "document",
		"Zoë Ångström CV.pdf":              "Zoë Ångström CV.pdf",
		strings.Repeat("é", 200) + ".docx": strings.Repeat("é", 72) + ".docx",
		"bad\xffutf8.pdf":                  "bad_utf8.pdf",
		"rtl\u202eexe.pdf":                 "rtlexe.pdf",
	} {
		if got := files.CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

func zipOf(t *testing.T, name string) []byte {
	t.Helper()
	d := testkit.DOCX("x")
	// Rewrite the DOCX's part names so it's a ZIP but not a Word document.
	return bytes.ReplaceAll(bytes.ReplaceAll(d, []byte("word/document.xml"), []byte("word/documenx.xml")), []byte("[Content_Types].xml"), []byte("[Content_Typex].xml"))
}

func FuzzCheck(f *testing.F) {
	f.Add("cv.pdf", testkit.PDF("x"))
	f.Add("cv.docx", testkit.DOCX("x"))
	f.Add("cv.pdf", []byte("%PDF-1.4\n1 0 obj"))
	f.Fuzz(func(t *testing.T, name string, content []byte) {
		ct, err := files.Check(name, content)
		if err == nil && ct == "" {
			t.Fatal("no content type and no error")
		}
		if err != nil && portico.ErrorCode(err) != portico.EINVALID {
			t.Fatalf("error %v is not EINVALID", err)
		}
	})
}
