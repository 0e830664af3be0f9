package main

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// portalTargets are what the portal's endpoints ask for, as the known
// contact (contactEmail) sees them.
type portalTargets struct {
	portalClient   int64
	portalJob      int64 // the client's open job with (nearest) 100 shared candidates
	portalShared   int
	portalApp      int64 // a shared application on it: the one with most feedback
	exportJob      int64 // the client's job with (nearest) 500 shared candidates, at least 500
	exportShared   int
	clientShared   int // shared on all the client's open jobs, which the home page sums
	clientOpenJobs int
}

func (t *portalTargets) String() string {
	return fmt.Sprintf("portal: client %d (%d open jobs, %d shared candidates), job %d (%d shared), application %d, export job %d (%d shared)",
		t.portalClient, t.clientOpenJobs, t.clientShared, t.portalJob, t.portalShared, t.portalApp, t.exportJob, t.exportShared)
}

// The sizes issue 6 names: a client job page with 100 shared candidates
// and an Excel export of 500.
const (
	wantJobShared    = 100
	wantExportShared = 500
)

// pickPortalTargets finds the known contact's client and, among its open
// jobs, the ones nearest the sizes issue 6 names. The values written into
// the queries are our own constants and numbers: the two drivers take
// parameters in different forms.
func pickPortalTargets(ctx context.Context, db *sql.DB, t *portalTargets) error {
	err := db.QueryRowContext(ctx, `SELECT client_id FROM contacts WHERE email = '`+contactEmail+`'`).Scan(&t.portalClient)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("no contact %s: this data set was made before the large demo had portal use; run with --regenerate", contactEmail)
	} else if err != nil {
		return fmt.Errorf("finding the portal contact: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT a.job_id, COUNT(*) FROM applications a JOIN jobs j ON j.id = a.job_id
		WHERE j.client_id = `+strconv.FormatInt(t.portalClient, 10)+` AND j.status = 'open' AND a.shared_at IS NOT NULL GROUP BY a.job_id ORDER BY a.job_id`)
	if err != nil {
		return fmt.Errorf("picking portal jobs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var job int64
		var n int
		if err := rows.Scan(&job, &n); err != nil {
			return err
		}
		t.clientOpenJobs++
		t.clientShared += n
		if t.portalJob == 0 || abs(n-wantJobShared) < abs(t.portalShared-wantJobShared) {
			t.portalJob, t.portalShared = job, n
		}
		if n >= wantExportShared && (t.exportJob == 0 || n < t.exportShared) {
			t.exportJob, t.exportShared = job, n
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	if t.portalJob == 0 || t.exportJob == 0 {
		return fmt.Errorf("%s's client has no open job with shared candidates, or none with %d or more: is this the large data set with portal use? (%s)",
			contactEmail, wantExportShared, t)
	}
	err = db.QueryRowContext(ctx, `SELECT a.id FROM applications a WHERE a.job_id = `+strconv.FormatInt(t.portalJob, 10)+` AND a.shared_at IS NOT NULL
		ORDER BY (SELECT COUNT(*) FROM feedback f WHERE f.application_id = a.id) DESC, a.id LIMIT 1`).Scan(&t.portalApp)
	if err != nil {
		return fmt.Errorf("picking a shared candidate: %w", err)
	}
	return nil
}

// checkWorkbook says whether an export is an Excel workbook holding a
// header row and a row per shared candidate of the export job.
func checkWorkbook(t *targets, contentType string, body []byte) error {
	const xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if contentType != xlsx {
		return fmt.Errorf("content type %q, want %s", contentType, xlsx)
	}
	if !bytes.HasPrefix(body, []byte("PK\x03\x04")) {
		return fmt.Errorf("%d bytes that are not a zip file (an .xlsx is one)", len(body))
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return fmt.Errorf("not a readable zip file: %w", err)
	}
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		sheet, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		if rows := strings.Count(string(sheet), "<row "); rows != t.exportShared+1 {
			return fmt.Errorf("the worksheet has %d rows, want a header and %d candidates", rows, t.exportShared)
		}
		return nil
	}
	return errors.New("the workbook has no worksheet xl/worksheets/sheet1.xml")
}
