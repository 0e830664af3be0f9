package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// assets serves the embedded static files under fingerprinted names
// (app.3fa2c1d0.css), so browsers may cache them for a year and still get
// a new file the moment it changes.
type assets struct {
	byName map[string]string // app.css → app.3fa2c1d0.css
	files  map[string][]byte // app.3fa2c1d0.css → content
}

// The stylesheets in static/css are served as one file, app.css, joined in
// name order: one request, and each area of the site keeps its own file.
func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]string{}, files: map[string][]byte{}}
	var css bytes.Buffer
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		if path.Dir(p) == "static/css" {
			css.Write(b)
			css.WriteByte('\n')
			return nil
		}
		a.add(path.Base(p), b)
		return nil
	})
	a.add("app.css", css.Bytes())
	return a, err
}

func (a *assets) add(name string, b []byte) {
	sum := sha256.Sum256(b)
	ext := path.Ext(name)
	fp := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
	a.byName[name], a.files[fp] = fp, b
}

// url returns the fingerprinted address of a static file.
func (a *assets) url(name string) string {
	if fp, ok := a.byName[name]; ok {
		return "/static/" + fp
	}
	return "/static/" + name
}

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, ok := a.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(b)
}
