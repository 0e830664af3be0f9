package demo

import (
	"bytes"
	"fmt"
	"strings"
)

// ResumePDF writes a one-page résumé as a real PDF: a title, then lines of
// text. It is small and hand-made so the demo needs no PDF library, and it
// parses in every reader.
func ResumePDF(title string, lines []string) []byte {
	var content bytes.Buffer
	content.WriteString("BT /F2 18 Tf 56 780 Td ")
	fmt.Fprintf(&content, "(%s) Tj ET\n", pdfText(title))
	y := 750
	for _, l := range lines {
		if y < 60 {
			break
		}
		font, size := "/F1 11", 16
		if strings.HasPrefix(l, "# ") {
			l, font, size = strings.TrimPrefix(l, "# "), "/F2 12", 20
			y -= 6
		}
		fmt.Fprintf(&content, "BT %s Tf 56 %d Td (%s) Tj ET\n", font, y, pdfText(l))
		y -= size
	}
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		fmt.Sprintf("<< /Title (%s) /Producer (Portico demo) >>", pdfText(title)),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, len(objects), xref)
	return b.Bytes()
}

// pdfText escapes a string for a PDF literal in WinAnsi (Latin-1 for the
// letters names use); characters beyond it become '?'.
func pdfText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 32:
			b.WriteByte(' ')
		case r < 128:
			b.WriteRune(r)
		case r < 256:
			fmt.Fprintf(&b, "\\%03o", r)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
