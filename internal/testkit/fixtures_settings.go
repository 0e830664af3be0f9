package testkit

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"portico"
	"portico/sqlstore"
)

// PNG returns a real PNG image of the size, in one colour.
func PNG(w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, solid(w, h)); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// JPEG returns a real JPEG image of the size, in one colour.
func JPEG(w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, solid(w, h), nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func solid(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{R: 11, G: 110, B: 79, A: 255})
		}
	}
	return img
}

// SetPortalSettings changes the portal settings of a client (0: the
// agency default), as the system: edit gets the current settings (a
// client's with Custom set) and changes them.
func SetPortalSettings(t testing.TB, db *sqlstore.DB, clientID int64, edit func(s *portico.PortalSettings)) *portico.PortalSettings {
	t.Helper()
	ctx := context.Background()
	svc := db.Services().PortalSettings
	s, err := svc.Settings(ctx, clientID)
	if err != nil {
		t.Fatal(err)
	}
	s.ClientID, s.Custom = clientID, clientID != 0
	edit(s)
	if err := svc.SetSettings(ctx, s, nil); err != nil {
		t.Fatalf("set portal settings of client %d: %v", clientID, err)
	}
	return s
}
