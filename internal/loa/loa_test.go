package loa

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var issued = time.Date(2024, 1, 2, 15, 4, 5, 0, time.UTC)

// expiryText is Issued + 90 days as printed on the letter.
const expiryText = "2024-04-01"

func port(id, dev string, n int) Port {
	return Port{ResourceID: id, Device: dev, PortID: fmt.Sprintf("%s/10Gbps/%d", dev, n), Bandwidth: "10Gbps"}
}

var cases = []struct {
	name   string
	letter Letter
	// want is text each page's content stream must contain, already in PDF
	// literal-string form (escaped).
	want []string
	// wantPerPage is text that must appear on page i only.
	wantPerPage [][]string
}{
	{
		name: "connection",
		letter: Letter{
			ResourceID: "dxcon-fg5678gh", LocationCode: "EqDC2", LocationName: "Equinix DC1-DC6, DC10-DC11",
			ProviderName: "Example Telecom", OwnerAccount: "123456789012", Issued: issued,
			Ports: []Port{port("dxcon-fg5678gh", "EqDC2-2ab3cd4ef5gh6", 3)},
		},
		want: []string{"dxcon-fg5678gh", "EqDC2 - Equinix DC1-DC6, DC10-DC11", "EqDC2-2ab3cd4ef5gh6",
			"EqDC2-2ab3cd4ef5gh6/10Gbps/3", "10Gbps", "Example Telecom", "123456789012", "2024-01-02", expiryText},
	},
	{
		name: "lag one page per member",
		letter: Letter{
			ResourceID: "dxlag-ffabc123", LocationCode: "EqSe2", LocationName: "Equinix SE2",
			OwnerAccount: "123456789012", Issued: issued,
			Ports: []Port{
				port("dxcon-aaaa1111", "EqSe2-1abc", 1),
				port("dxcon-bbbb2222", "EqSe2-1abc", 2),
				port("dxcon-cccc3333", "EqSe2-2def", 7),
			},
		},
		want: []string{"dxlag-ffabc123", "EqSe2 - Equinix SE2", "not specified", expiryText},
		wantPerPage: [][]string{
			{"dxcon-aaaa1111", "EqSe2-1abc/10Gbps/1", "Page 1 of 3"},
			{"dxcon-bbbb2222", "EqSe2-1abc/10Gbps/2", "Page 2 of 3"},
			{"dxcon-cccc3333", "EqSe2-2def/10Gbps/7", "Page 3 of 3"},
		},
	},
	{
		name: "no ports",
		letter: Letter{
			ResourceID: "dxcon-noports1", LocationCode: "EqDC2", LocationName: "Equinix DC2",
			OwnerAccount: "123456789012", Issued: issued,
		},
		want: []string{"dxcon-noports1", "EqDC2 - Equinix DC2", "not assigned", expiryText, "Page 1 of 1"},
	},
	{
		name: "escaping and non-ASCII",
		letter: Letter{
			ResourceID: `dxcon-(a)\b`, LocationCode: "ZH1", LocationName: "Zürich (Interxion) \\ 東京",
			ProviderName: "Prov)ider\x00\n", OwnerAccount: "1234", Issued: issued,
			Ports: []Port{{ResourceID: `dxcon-(a)\b`, Device: "Dev(1)", PortID: `p\1`, Bandwidth: "1Gbps"}},
		},
		want: []string{`dxcon-\(a\)\\b`, `ZH1 - Z?rich \(Interxion\) \\ ??`, `Dev\(1\)`, `p\\1`, `Prov\)ider??`, expiryText},
	},
	{
		name: "long values wrap",
		letter: Letter{
			ResourceID: "dxcon-long", LocationCode: "LOC",
			LocationName: strings.Repeat("word ", 30) + strings.Repeat("x", 130),
			Issued:       issued, Ports: []Port{port("dxcon-long", "dev", 1)},
		},
		want: []string{"dxcon-long", "LOC - word", "dev", expiryText},
	},
}

func TestPDF(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := PDF(tc.letter)
			doc := parse(t, out)

			wantPages := max(1, len(tc.letter.Ports))
			if len(doc.pages) != wantPages {
				t.Fatalf("pages = %d, want %d", len(doc.pages), wantPages)
			}
			for i, content := range doc.pages {
				for _, w := range tc.want {
					if !bytes.Contains(content, []byte(w)) {
						t.Errorf("page %d lacks %q:\n%s", i+1, w, content)
					}
				}
				if i < len(tc.wantPerPage) {
					for _, w := range tc.wantPerPage[i] {
						if !bytes.Contains(content, []byte(w)) {
							t.Errorf("page %d lacks %q", i+1, w)
						}
					}
				}
				checkStrings(t, i+1, content)
			}

			if again := PDF(tc.letter); !bytes.Equal(out, again) {
				t.Error("output differs between two calls with the same letter")
			}
		})
	}
}

// document is what parse extracts: the page content streams in page order.
type document struct {
	pages [][]byte
}

var (
	startxrefRe = regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`)
	xrefHeadRe  = regexp.MustCompile(`^xref\n0 (\d+)\n`)
	xrefEntryRe = regexp.MustCompile(`^(\d{10}) (\d{5}) ([nf]) \n$`)
	trailerRe   = regexp.MustCompile(`^trailer\n<< /Size (\d+) /Root (\d+) 0 R /Info (\d+) 0 R >>\n`)
	kidsRe      = regexp.MustCompile(`/Kids \[([^\]]*)\] /Count (\d+)`)
	refRe       = regexp.MustCompile(`(\d+) 0 R`)
	lengthRe    = regexp.MustCompile(`^<< /Length (\d+) >>\nstream\n`)
)

// parse checks the file structure the way a reader walks it — trailer,
// xref, catalog, page tree, content streams — and fails the test on the
// first thing a reader would reject.
func parse(t *testing.T, pdf []byte) document {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4\n%")) {
		t.Fatalf("header: %q", pdf[:min(len(pdf), 20)])
	}
	// The second line must be a comment of high bytes (binary marker).
	second := pdf[len("%PDF-1.4\n%"):]
	second = second[:bytes.IndexByte(second, '\n')]
	if len(second) < 4 {
		t.Fatalf("binary comment too short: %q", second)
	}
	for _, c := range second {
		if c < 0x80 {
			t.Fatalf("binary comment has low byte: %q", second)
		}
	}
	// Everything after the binary comment is ASCII: text was sanitised.
	rest := pdf[len("%PDF-1.4\n%")+len(second)+1:]
	for i, c := range rest {
		if c >= 0x80 {
			t.Fatalf("non-ASCII byte 0x%x at %d", c, i)
		}
	}
	if !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatalf("does not end with %%%%EOF\\n: %q", pdf[max(0, len(pdf)-20):])
	}

	m := startxrefRe.FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref")
	}
	xrefOff, _ := strconv.Atoi(string(m[1]))
	xref := pdf[xrefOff:]
	h := xrefHeadRe.FindSubmatch(xref)
	if h == nil {
		t.Fatalf("startxref %d does not point at xref: %q", xrefOff, xref[:min(len(xref), 20)])
	}
	size, _ := strconv.Atoi(string(h[1]))
	entries := xref[len(h[0]):]
	offsets := make([]int, size)
	for i := range size {
		e := entries[i*20 : i*20+20]
		em := xrefEntryRe.FindSubmatch(e)
		if em == nil {
			t.Fatalf("xref entry %d malformed: %q", i, e)
		}
		off, _ := strconv.Atoi(string(em[1]))
		if i == 0 {
			if string(em[2]) != "65535" || string(em[3]) != "f" {
				t.Fatalf("xref entry 0 = %q", e)
			}
			continue
		}
		if string(em[3]) != "n" {
			t.Fatalf("object %d not in use: %q", i, e)
		}
		head := fmt.Sprintf("%d 0 obj\n", i)
		if !bytes.HasPrefix(pdf[off:], []byte(head)) {
			t.Fatalf("xref offset %d of object %d points at %q", off, i, pdf[off:min(len(pdf), off+20)])
		}
		offsets[i] = off
	}
	tm := trailerRe.FindSubmatch(entries[size*20:])
	if tm == nil {
		t.Fatalf("trailer malformed: %q", entries[size*20:])
	}
	if s, _ := strconv.Atoi(string(tm[1])); s != size {
		t.Fatalf("/Size %d, xref has %d entries", s, size)
	}
	if n := bytes.Count(pdf, []byte(" 0 obj\n")); n != size-1 {
		t.Fatalf("%d objects, xref lists %d", n, size-1)
	}

	obj := func(num int) []byte {
		t.Helper()
		if num <= 0 || num >= size {
			t.Fatalf("reference to object %d outside xref", num)
		}
		body := pdf[offsets[num]+len(fmt.Sprintf("%d 0 obj\n", num)):]
		end := bytes.Index(body, []byte("endobj\n"))
		if end < 0 {
			t.Fatalf("object %d has no endobj", num)
		}
		return body[:end]
	}
	ref := func(dict []byte, key string) int {
		t.Helper()
		m := regexp.MustCompile(key + ` (\d+) 0 R`).FindSubmatch(dict)
		if m == nil {
			t.Fatalf("no %s in %q", key, dict)
		}
		n, _ := strconv.Atoi(string(m[1]))
		return n
	}

	root, _ := strconv.Atoi(string(tm[2]))
	catalog := obj(root)
	if !bytes.Contains(catalog, []byte("/Type /Catalog")) {
		t.Fatalf("root is not a catalog: %q", catalog)
	}
	pagesNum := ref(catalog, "/Pages")
	pages := obj(pagesNum)
	km := kidsRe.FindSubmatch(pages)
	if km == nil || !bytes.Contains(pages, []byte("/Type /Pages")) {
		t.Fatalf("bad page tree: %q", pages)
	}
	kids := refRe.FindAllSubmatch(km[1], -1)
	if c, _ := strconv.Atoi(string(km[2])); c != len(kids) {
		t.Fatalf("/Count %d but %d kids", c, len(kids))
	}

	var doc document
	for _, k := range kids {
		num, _ := strconv.Atoi(string(k[1]))
		page := obj(num)
		if !bytes.Contains(page, []byte("/Type /Page ")) {
			t.Fatalf("kid %d is not a page: %q", num, page)
		}
		if ref(page, "/Parent") != pagesNum {
			t.Fatalf("page %d has wrong parent", num)
		}
		for _, f := range []string{"/F1", "/F2"} {
			font := obj(ref(page, f))
			if !bytes.Contains(font, []byte("/Subtype /Type1 /BaseFont /Helvetica")) {
				t.Fatalf("font %s: %q", f, font)
			}
		}
		stream := obj(ref(page, "/Contents"))
		lm := lengthRe.FindSubmatch(stream)
		if lm == nil {
			t.Fatalf("content stream header: %q", stream[:min(len(stream), 40)])
		}
		length, _ := strconv.Atoi(string(lm[1]))
		data := stream[len(lm[0]):]
		if len(data) < length || string(data[length:]) != "\nendstream\n" {
			t.Fatalf("/Length %d does not end at endstream: %q", length, data[min(length, len(data)):])
		}
		doc.pages = append(doc.pages, data[:length])
	}
	return doc
}

// checkStrings checks that every literal string in a content stream is
// closed where the text ends, i.e. no unescaped parenthesis or trailing
// backslash leaked through.
func checkStrings(t *testing.T, page int, content []byte) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(string(content), "\n"), "\n") {
		i := strings.Index(line, "(")
		j := strings.LastIndex(line, ") Tj ET")
		if !strings.HasPrefix(line, "BT /F") || i < 0 || j < 0 || j != len(line)-len(") Tj ET") {
			t.Fatalf("page %d: unexpected operator line %q", page, line)
		}
		s := line[i+1 : j]
		for k := 0; k < len(s); k++ {
			switch s[k] {
			case '\\':
				k++ // the escaped byte
				if k >= len(s) || !strings.ContainsRune(`()\`, rune(s[k])) {
					t.Fatalf("page %d: stray backslash in %q", page, s)
				}
			case '(', ')':
				t.Fatalf("page %d: unescaped parenthesis in %q", page, s)
			}
		}
	}
}

func TestPDFString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "()"},
		{"plain", "(plain)"},
		{`a(b)c\d`, `(a\(b\)c\\d)`},
		{"ü", "(?)"},
		{"東京", "(??)"},
		{"tab\there", "(tab?here)"},
		{"bad\xffutf8", "(bad?utf8)"},
	} {
		if got := pdfString(tc.in); got != tc.want {
			t.Errorf("pdfString(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
		want  []string
	}{
		{"", 10, []string{""}},
		{"short", 10, []string{"short"}},
		{"exactly10!", 10, []string{"exactly10!"}},
		{"one two three", 7, []string{"one two", "three"}},
		{"one two three", 8, []string{"one two", "three"}},
		{"abcdefghijkl", 5, []string{"abcde", "fghij", "kl"}},
		{"ab   cd", 2, []string{"ab", "cd"}},
	} {
		got := wrap(tc.in, tc.width)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) || len(got) != len(tc.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
	}
}

func TestExpires(t *testing.T) {
	if got := Expires(issued).Format("2006-01-02"); got != expiryText {
		t.Errorf("Expires = %s, want %s", got, expiryText)
	}
}

// TestExternalCheckers runs real PDF tools over the output when the machine
// has them; the structural checks above cannot tell whether a reader
// actually accepts the file.
func TestExternalCheckers(t *testing.T) {
	qpdf, _ := exec.LookPath("qpdf")
	pdftotext, _ := exec.LookPath("pdftotext")
	if qpdf == "" && pdftotext == "" {
		t.Skip("neither qpdf nor pdftotext installed")
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "loa.pdf")
			if err := os.WriteFile(path, PDF(tc.letter), 0o644); err != nil {
				t.Fatal(err)
			}
			if qpdf != "" {
				out, err := exec.Command(qpdf, "--check", path).CombinedOutput()
				// qpdf exits 0 when clean and 3 on warnings; both are a
				// reader-accepted file, but this one should be clean.
				if err != nil || !bytes.Contains(out, []byte("No syntax or stream encoding errors")) ||
					bytes.Contains(out, []byte("WARNING")) {
					t.Errorf("qpdf --check: %v\n%s", err, out)
				}
			}
			if pdftotext != "" {
				out, err := exec.Command(pdftotext, "-q", path, "-").Output()
				if err != nil {
					t.Fatalf("pdftotext: %v", err)
				}
				// pdftotext ends every page with a form feed.
				if got, want := bytes.Count(out, []byte("\f")), max(1, len(tc.letter.Ports)); got != want {
					t.Errorf("pdftotext pages = %d, want %d", got, want)
				}
				for _, w := range []string{"LOA-CFA", expiryText, "Page 1 of"} {
					if !bytes.Contains(out, []byte(w)) {
						t.Errorf("pdftotext output lacks %q:\n%s", w, out)
					}
				}
				// Unescaped, the resource id is what a reader shows.
				id := strings.Map(func(r rune) rune {
					if r > 0x7e {
						return '?'
					}
					return r
				}, tc.letter.ResourceID)
				if !bytes.Contains(out, []byte(id)) {
					t.Errorf("pdftotext output lacks resource id %q:\n%s", id, out)
				}
			}
		})
	}
}
