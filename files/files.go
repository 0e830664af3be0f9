// Package files checks uploaded files: that a file is what its name says
// (a PDF parses as a PDF, a Word document is a Word document), that it is
// not empty and not too large, and that its name is safe to keep and to
// send back. It reads bytes only; it never stores or runs anything.
package files

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
	"path"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"portico"
)

// Content types of the files Portico keeps, as it sends them back.
const (
	PDF  = "application/pdf"
	DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	PNG  = "image/png"
	JPEG = "image/jpeg"
	Text = "text/plain; charset=utf-8"
)

// MaxSize is the largest file Check accepts.
const MaxSize = portico.MaxDocumentSize

// types maps a file name's extension to the content it must have.
var types = map[string]string{
	".pdf": PDF, ".docx": DOCX, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".txt": Text,
}

// Describe names a content type as people know it.
func Describe(contentType string) string {
	switch contentType {
	case PDF:
		return "PDF"
	case DOCX:
		return "Word document"
	case PNG:
		return "PNG image"
	case JPEG:
		return "JPEG image"
	case Text:
		return "text file"
	}
	return "file"
}

// IsResumeType reports whether a résumé may have the content type: PDF
// or Word, the formats clients can open anywhere.
func IsResumeType(contentType string) bool { return contentType == PDF || contentType == DOCX }

// Check returns the content type of an uploaded file after checking that
// its content is what its name's extension says, that it is a type Portico
// keeps (PDF, Word .docx, PNG, JPEG or plain text), that it is not empty and
// not larger than MaxSize. Any problem is an EINVALID error whose message
// (also under the field "file") tells the person what to do.
func Check(filename string, content []byte) (contentType string, err error) {
	switch {
	case len(content) == 0:
		return "", invalid("The file is empty. Choose the file again, or check that it saved properly.")
	case len(content) > MaxSize:
		return "", invalid(fmt.Sprintf("The file is larger than %d MB. Make it smaller (for example, save the PDF with reduced size) and upload it again.", MaxSize>>20))
	}
	ext := strings.ToLower(path.Ext(CleanName(filename)))
	want, known := types[ext]
	if !known {
		return "", invalid("Portico keeps PDF and Word (.docx) files, and PNG, JPEG and plain text (.txt) files as other documents. Save the file in one of those formats and upload it again.")
	}
	sniffed := mimetype.Detect(content)
	if isProgram(content, sniffed) {
		return "", invalid(fmt.Sprintf("This file is not a %s: it is a program. Portico doesn't keep programs. Choose the real %s.", Describe(want), Describe(want)))
	}
	switch want {
	case PDF:
		return PDF, checkPDF(content, sniffed)
	case DOCX:
		return DOCX, checkDOCX(content)
	case PNG, JPEG:
		return want, checkImage(content, want)
	default:
		return Text, checkText(content)
	}
}

func invalid(msg string) error {
	return &portico.Error{Code: portico.EINVALID, Message: msg, Fields: map[string]string{"file": msg}}
}

// isProgram reports whether content is an executable of any common kind,
// whatever its name says.
func isProgram(content []byte, m *mimetype.MIME) bool {
	for _, sig := range [][]byte{[]byte("MZ"), []byte("\x7fELF"), {0xfe, 0xed, 0xfa, 0xce}, {0xfe, 0xed, 0xfa, 0xcf},
		{0xce, 0xfa, 0xed, 0xfe}, {0xcf, 0xfa, 0xed, 0xfe}, {0xca, 0xfe, 0xba, 0xbe}, []byte("#!")} {
		if bytes.HasPrefix(content, sig) {
			return true
		}
	}
	for _, t := range []string{"application/vnd.microsoft.portable-executable", "application/x-elf", "application/x-executable",
		"application/x-sharedlib", "application/x-mach-binary", "application/x-msi", "application/java-archive",
		"application/vnd.android.package-archive", "application/x-shellscript", "text/x-shellscript", "text/x-sh"} {
		if m.Is(t) {
			return true
		}
	}
	return false
}

// what names what a file really is, for messages about a mismatch.
func what(m *mimetype.MIME) string {
	switch {
	case m.Is(PDF):
		return "a PDF"
	case m.Is(DOCX):
		return "a Word document"
	case m.Is("application/msword"), m.Is("application/x-ole-storage"):
		return "an old-style Word (.doc) file"
	case m.Is(PNG):
		return "a PNG image"
	case m.Is(JPEG):
		return "a JPEG image"
	case m.Is("application/zip"):
		return "a ZIP archive"
	case m.Is("text/html"):
		return "a web page"
	case m.Is("text/plain"):
		return "plain text"
	}
	return ""
}

func mismatch(want string, m *mimetype.MIME) error {
	msg := fmt.Sprintf("This file is not a %s, though its name says it is.", Describe(want))
	if w := what(m); w != "" {
		msg = fmt.Sprintf("This file is not a %s: it is %s, though its name says %s.", Describe(want), w, Describe(want))
	}
	return invalid(msg + " Choose the right file, or save it as a real " + Describe(want) + " and upload that.")
}

var pdfOnce sync.Once

// checkPDF parses the whole document, as a reader would, in pdfcpu's
// relaxed mode (which accepts the small faults common in real files).
func checkPDF(content []byte, m *mimetype.MIME) (err error) {
	if !m.Is(PDF) {
		return mismatch(PDF, m)
	}
	pdfOnce.Do(api.DisableConfigDir) // never touch the home folder
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.Optimize = false
	conf.Offline = true
	conf.Limits.MaxStreamBytes = 4 * MaxSize
	conf.Limits.MaxDecodeBytes = 16 * MaxSize
	conf.Limits.MaxImageBytes = 16 * MaxSize
	damaged := invalid("This PDF can't be read: it may be damaged or cut short. Open it on your computer, save or export it again as PDF, and upload the new file.")
	defer func() {
		// A parser of hostile input may fail in ways it didn't plan for;
		// any of them means the file can't be read.
		if recover() != nil {
			err = damaged
		}
	}()
	// A PDF ends with %%EOF in its last kilobyte; a file cut short in a
	// download doesn't, even when what arrived still parses.
	if !bytes.Contains(content[max(0, len(content)-1024):], []byte("%%EOF")) {
		return damaged
	}
	ctx, rerr := api.ReadContext(bytes.NewReader(content), conf)
	if rerr == nil {
		rerr = api.ValidateContext(ctx)
	}
	if rerr != nil {
		if errors.Is(rerr, pdfcpu.ErrWrongPassword) || strings.Contains(rerr.Error(), "password") {
			return invalid("This PDF is protected by a password. Save a copy without the password and upload that.")
		}
		return damaged
	}
	if ctx.PageCount < 1 {
		return invalid("This PDF has no pages. Export it again and upload the new file.")
	}
	return nil
}

// checkDOCX checks that the file is a ZIP holding the parts every Word
// document has. Nothing is decompressed.
func checkDOCX(content []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return mismatch(DOCX, mimetype.Detect(content))
	}
	var types, doc bool
	for _, f := range zr.File {
		switch f.Name {
		case "[Content_Types].xml":
			types = true
		case "word/document.xml":
			doc = true
		}
	}
	if !types || !doc {
		return invalid("This file is not a Word document, though its name ends in .docx. Open it in Word (or another word processor), save it as .docx or PDF, and upload that.")
	}
	return nil
}

func checkImage(content []byte, want string) error {
	m := mimetype.Detect(content)
	if !m.Is(want) {
		return mismatch(want, m)
	}
	var err error
	if want == PNG {
		_, err = png.DecodeConfig(bytes.NewReader(content))
	} else {
		_, err = jpeg.DecodeConfig(bytes.NewReader(content))
	}
	if err != nil {
		return invalid("This image can't be read: it may be damaged. Save it again and upload the new file.")
	}
	return nil
}

// checkText accepts UTF-8 text without control characters other than
// tabs and line breaks.
func checkText(content []byte) error {
	if !utf8.Valid(content) {
		return invalid("This text file isn't in UTF-8, or isn't text at all. Save it as UTF-8 text, or as a PDF, and upload it again.")
	}
	for _, r := range string(content) {
		if r == 0 || (unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' && r != '\f') {
			return invalid("This file is not plain text, though its name ends in .txt. Choose the right file, or save it as a PDF.")
		}
	}
	return nil
}

// CleanName returns a file name safe to keep and to show: the last part of
// any path a browser sent, without control characters or characters that
// file systems reject, at most 150 bytes with the extension kept. An empty
// result becomes "document".
func CleanName(name string) string {
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "_")
	}
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), r == utf8.RuneError, unicode.Is(unicode.Cf, r):
			return -1
		case strings.ContainsRune(`<>:"|?*`, r):
			return '_'
		}
		return r
	}, name)
	name = strings.TrimRight(strings.TrimSpace(name), ". ")
	if strings.HasPrefix(name, ".") {
		name = "document" + name // not a hidden file, and never just an extension
	}
	if len(name) > 150 {
		ext := path.Ext(name)
		if len(ext) > 10 {
			ext = ""
		}
		base := strings.TrimSuffix(name, ext)
		for len(base)+len(ext) > 150 {
			_, size := utf8.DecodeLastRuneInString(base)
			base = base[:len(base)-size]
		}
		name = strings.TrimSpace(base) + ext
	}
	if name == "" {
		return "document"
	}
	return name
}
