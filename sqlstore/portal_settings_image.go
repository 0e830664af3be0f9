package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"image"
	_ "image/jpeg" // registers JPEG with image.DecodeConfig
	_ "image/png"  // registers PNG
	"strconv"

	"portico"
)

// Bounds of a logo or header image's size in pixels: large enough for a
// sharp header on a wide screen, small enough to decode safely.
const (
	maxImageSide   = 4000
	maxImagePixels = 16_000_000
)

// AddImage checks and stores a logo or header image for the agency
// (clientID 0, admins only) or a client (any agency user). The content must
// decode as a PNG or JPEG whole, not merely start like one.
func (s *PortalSettingsService) AddImage(ctx context.Context, clientID int64, content []byte) (*portico.PortalImage, error) {
	if clientID == 0 {
		if _, err := admin(ctx, "change the agency's portal settings"); err != nil {
			return nil, err
		}
	} else if _, err := staff(ctx); err != nil {
		return nil, err
	}
	contentType, err := checkPortalImage(content)
	if err != nil {
		return nil, err
	}
	var img *portico.PortalImage
	err = (*DB)(s).inTx(ctx, func(tx *Tx) error {
		img, err = tx.addImage(clientID, contentType, content)
		return err
	})
	if err != nil {
		return nil, err
	}
	return img, nil
}

// addImage stores a checked image and records it.
func (tx *Tx) addImage(clientID int64, contentType string, content []byte) (*portico.PortalImage, error) {
	ch := change{action: "portal_settings.image_added", subjectType: "agency",
		details: map[string]string{"content_type": contentType, "size": strconv.Itoa(len(content))}}
	if clientID != 0 {
		name, err := tx.clientName(clientID)
		if err != nil {
			return nil, err
		}
		ch.subjectType, ch.subjectID, ch.clientID, ch.details["client"] = "client", clientID, clientID, name
	}
	img := &portico.PortalImage{Key: newImageKey(), ClientID: clientID, ContentType: contentType, Size: len(content), CreatedAt: tx.now}
	var err error
	if img.ID, err = tx.insert(tx.ctx, `INSERT INTO portal_images (address_key, client_id, content_type, size, content, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		img.Key, clientID, contentType, len(content), content, tx.now); err != nil {
		return nil, err
	}
	ch.details["image_id"] = strconv.FormatInt(img.ID, 10)
	if _, err := tx.record(ch); err != nil {
		return nil, err
	}
	return img, nil
}

// checkPortalImage returns the content type of a PNG or JPEG that fits the
// bounds, EINVALID (field "image") with what is wrong otherwise.
func checkPortalImage(content []byte) (string, error) {
	bad := func(msg string) (string, error) { return "", portico.FieldError("image", msg) }
	switch {
	case len(content) == 0:
		return bad("Choose an image file to upload.")
	case len(content) > portico.MaxPortalImage:
		return bad("The image is larger than 2 MB. Save it smaller (a logo rarely needs more than 200 KB) and upload it again.")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(content))
	if err != nil || (format != "png" && format != "jpeg") {
		return bad("Upload a PNG or JPEG image. This file isn't one (SVG, GIF and other formats can't be used).")
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxImageSide || cfg.Height > maxImageSide || cfg.Width*cfg.Height > maxImagePixels {
		return bad("The image must be at most 4,000 pixels wide and high. Resize it and upload it again.")
	}
	// The header may be fine while the rest is cut off or corrupt: decode
	// it all, so that what the portal and emails show is a real image.
	if _, _, err := image.Decode(bytes.NewReader(content)); err != nil {
		return bad("The image file is damaged or incomplete. Export it again and upload the new file.")
	}
	return "image/" + format, nil
}

// ImageByKey returns a stored image to anyone: images show on sign-in
// pages and in emails, to people not signed in. Its random key, not its
// sequential ID, is what it is found by, so only someone given its address
// can read it. ENOTFOUND for an unknown or malformed key.
func (s *PortalSettingsService) ImageByKey(ctx context.Context, key string) (*portico.PortalImage, []byte, error) {
	if !portico.ValidPortalImageKey(key) {
		return nil, nil, notFound("image")
	}
	var img portico.PortalImage
	var content []byte
	err := (*DB)(s).read().queryRow(ctx, `SELECT id, address_key, client_id, content_type, size, content, created_at FROM portal_images WHERE address_key = ?`, key).
		Scan(&img.ID, &img.Key, &img.ClientID, &img.ContentType, &img.Size, &content, &img.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound("image")
	} else if err != nil {
		return nil, nil, err
	}
	img.CreatedAt = img.CreatedAt.UTC()
	return &img, content, nil
}
