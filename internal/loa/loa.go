// Package loa renders the Letter of Authorization and Connecting Facility
// Assignment (LOA-CFA) that DescribeLoa returns.
//
// The PDF is written by hand rather than with a PDF library: the document is
// a handful of text lines in a standard font, the project is standard library
// only, and writing the objects ourselves keeps the output byte-for-byte
// deterministic, which the API tests rely on when they compare letters.
package loa

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// Validity is how long a letter stays valid after it is issued. AWS letters
// expire after 90 days; the facility operator refuses older ones.
const Validity = 90 * 24 * time.Hour

// Port is one physical port the letter authorises a cross connect to.
type Port struct {
	ResourceID string // dxcon-... or a LAG member id
	Device     string // AWS device name, e.g. EqDC2-2ab3cd4ef5gh6
	PortID     string // port name on the device, e.g. "EqDC2-2ab3cd4ef5gh6/10Gbps/3"
	Bandwidth  string // "10Gbps"
}

// Letter is everything printed on an LOA-CFA.
type Letter struct {
	ResourceID   string // the connection, interconnect or LAG asked about
	LocationCode string
	LocationName string
	ProviderName string // who orders the cross connect; empty prints "not specified"
	OwnerAccount string
	Issued       time.Time
	Ports        []Port // one page per port; a LAG has one page per member
}

// Expires reports when a letter issued at issued stops being valid.
func Expires(issued time.Time) time.Time { return issued.Add(Validity) }

// Page geometry, in PDF points (1/72 inch). US Letter is what AWS issues.
const (
	pageWidth   = 612
	pageHeight  = 792
	marginLeft  = 72
	valueColumn = 216 // x of the value column, right of the longest label
	top         = 720
	lineHeight  = 16
	bodySize    = 11
	// valueChars is how many characters fit between valueColumn and the right
	// margin at bodySize. Helvetica has no fixed width, so this is a
	// conservative average rather than an exact measure; longer values wrap
	// instead of running off the page.
	valueChars = 56
	textChars  = 84 // the same, for full-width paragraph lines
)

// Object numbers that do not depend on the number of pages. Page i (0-based)
// is object firstPage+2i and its content stream firstPage+2i+1.
const (
	objCatalog = 1
	objPages   = 2
	objFont    = 3 // Helvetica, /F1
	objBold    = 4 // Helvetica-Bold, /F2
	objInfo    = 5
	firstPage  = 6
)

// PDF renders the letter as a PDF 1.4 document: one page per port, each
// stating resource id, location code and name, device, port id, bandwidth,
// provider name, owner account, issue date and expiry (Issued + Validity).
// A letter without ports still gets one page naming the resource, so the
// caller always has something to hand to the facility.
func PDF(l Letter) []byte {
	ports := l.Ports
	if len(ports) == 0 {
		// A nil-valued Port prints "not assigned" for the port fields; see
		// pageContent.
		ports = []Port{{}}
	}
	n := len(ports)

	w := &writer{offsets: make([]int, firstPage+2*n)}
	// The binary comment tells transfer tools the file is binary, so they do
	// not rewrite line endings and break the xref offsets (PDF 1.4, 3.4.1).
	w.buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

	w.object(objCatalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", objPages))

	var kids strings.Builder
	for i := range n {
		if i > 0 {
			kids.WriteByte(' ')
		}
		fmt.Fprintf(&kids, "%d 0 R", firstPage+2*i)
	}
	w.object(objPages, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids.String(), n))

	// Standard 14 fonts need no embedding: every conforming reader has them.
	// WinAnsiEncoding is stated so readers do not guess; the text is ASCII,
	// which all encodings agree on.
	w.object(objFont, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	w.object(objBold, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")

	// The creation date comes from Issued, never from the wall clock, so the
	// same letter always renders to the same bytes.
	w.object(objInfo, fmt.Sprintf("<< /Title %s /Producer (dxlocal) /CreationDate (D:%sZ) >>",
		pdfString("LOA-CFA "+l.ResourceID), l.Issued.UTC().Format("20060102150405")))

	for i, p := range ports {
		pageObj, contentObj := firstPage+2*i, firstPage+2*i+1
		w.object(pageObj, fmt.Sprintf(
			"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] "+
				"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>",
			objPages, pageWidth, pageHeight, objFont, objBold, contentObj))
		w.stream(contentObj, pageContent(l, p, len(l.Ports) > 0, i+1, n))
	}

	w.trailer()
	return w.buf.Bytes()
}

// pageContent is the content stream of one page. hasPort is false for the
// placeholder page of a letter without ports.
func pageContent(l Letter, p Port, hasPort bool, page, pages int) []byte {
	issued := l.Issued.UTC()
	expires := Expires(issued)

	orNot := func(s, missing string) string {
		if strings.TrimSpace(s) == "" {
			return missing
		}
		return s
	}
	portField := func(s string) string {
		if !hasPort {
			return "not assigned"
		}
		return orNot(s, "not specified")
	}
	location := orNot(l.LocationCode, "not specified")
	if l.LocationName != "" {
		location += " - " + l.LocationName
	}

	fields := [][2]string{
		{"Resource ID", orNot(l.ResourceID, "not specified")},
		{"Port resource", portField(p.ResourceID)},
		{"Location", location},
		{"AWS device", portField(p.Device)},
		{"Port", portField(p.PortID)},
		{"Bandwidth", portField(p.Bandwidth)},
		{"Provider", orNot(l.ProviderName, "not specified")},
		{"AWS account", orNot(l.OwnerAccount, "not specified")},
		{"Issued", issued.Format("2006-01-02") + " (UTC)"},
		{"Expires", expires.Format("2006-01-02") + " (UTC)"},
	}

	var c contentWriter
	y := top
	c.text("F2", 18, marginLeft, y, "LOA-CFA")
	y -= 22
	c.text("F2", 12, marginLeft, y, "Letter of Authorization and Connecting Facility Assignment")
	y -= lineHeight
	c.text("F1", bodySize, marginLeft, y, "AWS Direct Connect")
	y -= 2 * lineHeight

	for _, f := range fields {
		c.text("F2", bodySize, marginLeft, y, f[0]+":")
		for _, line := range wrap(f[1], valueChars) {
			c.text("F1", bodySize, valueColumn, y, line)
			y -= lineHeight
		}
	}

	y -= lineHeight
	provider := orNot(l.ProviderName, "the customer's provider")
	onBehalf := ""
	if strings.TrimSpace(l.OwnerAccount) != "" {
		onBehalf = ", on behalf of AWS account " + l.OwnerAccount
	}
	body := "The facility operator at the location above is authorized to connect " +
		provider + " by cross connect to the AWS port named on this page" + onBehalf +
		". This letter is valid until " +
		expires.Format("2006-01-02") + "; after that date request a new letter from AWS Direct Connect."
	for _, line := range wrap(body, textChars) {
		c.text("F1", bodySize, marginLeft, y, line)
		y -= lineHeight
	}

	c.text("F1", 9, marginLeft, 54, fmt.Sprintf("Page %d of %d", page, pages))
	return c.buf.Bytes()
}

// writer assembles the file and records where each object starts, because
// the xref table must hold the exact byte offset of every "N 0 obj".
type writer struct {
	buf     bytes.Buffer
	offsets []int // index = object number; 0 is the free-list head
}

func (w *writer) object(num int, body string) {
	w.offsets[num] = w.buf.Len()
	fmt.Fprintf(&w.buf, "%d 0 obj\n%s\nendobj\n", num, body)
}

func (w *writer) stream(num int, data []byte) {
	w.offsets[num] = w.buf.Len()
	// /Length counts only the data: the EOL before "endstream" is not part
	// of it (PDF 1.4, 3.2.7).
	fmt.Fprintf(&w.buf, "%d 0 obj\n<< /Length %d >>\nstream\n", num, len(data))
	w.buf.Write(data)
	w.buf.WriteString("\nendstream\nendobj\n")
}

func (w *writer) trailer() {
	xref := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n", len(w.offsets))
	// Each entry must be exactly 20 bytes, so the two-byte EOL is " \n".
	w.buf.WriteString("0000000000 65535 f \n")
	for _, off := range w.offsets[1:] {
		fmt.Fprintf(&w.buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&w.buf, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		len(w.offsets), objCatalog, objInfo, xref)
}

// contentWriter emits text-showing operators for a page content stream.
type contentWriter struct{ buf bytes.Buffer }

func (c *contentWriter) text(font string, size, x, y int, s string) {
	fmt.Fprintf(&c.buf, "BT /%s %d Tf %d %d Td %s Tj ET\n", font, size, x, y, pdfString(s))
}

// pdfString returns s as a PDF literal string. Only printable ASCII goes
// through: the fonts are single-byte and the input is UTF-8, so anything
// else would print as the wrong glyphs; control characters would break the
// line layout. Parentheses and backslash are escaped because they delimit
// and escape literal strings.
func pdfString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('(')
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		default: // includes utf8.RuneError from invalid input
			b.WriteByte('?')
		}
	}
	b.WriteByte(')')
	return b.String()
}

// wrap splits s into lines of at most width characters, breaking at spaces
// where possible and mid-word only when a word alone is too long (long ids
// have no spaces). It never returns an empty slice, so every field prints.
func wrap(s string, width int) []string {
	var lines []string
	r := []rune(s)
	for len(r) > width {
		cut := width
		// r[width] is in range: it may be the space that ends a full line.
		for i := width; i > 0; i-- {
			if r[i] == ' ' {
				cut = i
				break
			}
		}
		lines = append(lines, strings.TrimRight(string(r[:cut]), " "))
		for cut < len(r) && r[cut] == ' ' {
			cut++
		}
		r = r[cut:]
	}
	if len(r) > 0 || len(lines) == 0 {
		lines = append(lines, string(r))
	}
	return lines
}
