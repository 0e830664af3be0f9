package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"portico"
	"portico/sqlstore"
)

// loadPortalLook gives the demo what an agency sets up once its portal is
// in use: a welcome and footer for every client, a client of its own with
// its logo and colour (the documented hiring manager's, so the demo shows
// it at once), the recruiting team on that client's jobs, and a job
// tracker shared by link with a contact who has no password.
func loadPortalLook(ctx context.Context, db *sqlstore.DB, users []*portico.User, progress func(string)) error {
	svc := db.Services()
	admin := as(users[0])
	def, err := svc.PortalSettings.Settings(admin, 0)
	if err != nil {
		return err
	}
	def.Welcome = "Welcome to the Northwind Talent client portal. Your shortlists are here as soon as we share them: rate, comment and tell us who you'd like to meet."
	def.Footer = "Northwind Talent · 14 Wellington Place, Leeds LS1 4AP · +44 113 496 0321"
	if err := svc.PortalSettings.SetSettings(admin, def, nil); err != nil {
		return fmt.Errorf("agency portal settings: %w", err)
	}

	k, err := findContactByEmail(ctx, db, admin, PortalEmail)
	if err != nil {
		return err
	}
	client, err := svc.Clients.FindClientByID(admin, k.ClientID)
	if err != nil {
		return err
	}
	logo, err := svc.PortalSettings.AddImage(admin, client.ID, demoLogo())
	if err != nil {
		return fmt.Errorf("client logo: %w", err)
	}
	own, err := svc.PortalSettings.Settings(admin, client.ID)
	if err != nil {
		return err
	}
	own.Custom, own.Brand, own.ImageID, own.Accent = true, portico.BrandLogo, logo.ID, "#0f766e"
	own.Welcome = "Hello from your Northwind team. Everyone we put forward for " + client.Name + " is here, newest first."
	own.Footer = client.Name + " hiring, with Northwind Talent · talent@northwind.example"
	if err := svc.PortalSettings.SetSettings(admin, own, nil); err != nil {
		return fmt.Errorf("client portal settings: %w", err)
	}

	jobs, _, err := svc.Jobs.FindJobs(admin, portico.JobFilter{ClientID: client.ID, Status: portico.JobOpen, Limit: 20})
	if err != nil {
		return err
	}
	teamed := 0
	for _, j := range jobs {
		team := []portico.JobRecruiter{{UserID: j.OwnerID, Role: "Recruiter"}}
		if client.OwnerID != 0 && client.OwnerID != j.OwnerID {
			team = append([]portico.JobRecruiter{{UserID: client.OwnerID, Role: "Account manager"}}, team...)
		}
		if err := svc.PortalSettings.SetJobRecruiters(admin, j.ID, team); err != nil {
			return fmt.Errorf("recruiters of %s: %w", j.Title, err)
		}
		teamed++
	}

	// A tracker link for a colleague of the hiring manager who hasn't set
	// a password: the email waits in the Outbox.
	links := 0
	if len(jobs) > 0 {
		ks, _, err := svc.Clients.FindContacts(admin, client.ID, 0, 20)
		if err != nil {
			return err
		}
		for _, c := range ks {
			if (c.PortalStatus == portico.PortalNotRegistered || c.PortalStatus == portico.PortalPending) && c.Email != "" {
				if _, err := svc.Links.CreateLinks(as(userByID(users, jobs[0].OwnerID)), portico.LinkInput{JobID: jobs[0].ID,
					ContactIDs: []int64{c.ID}, Send: true, Days: 14,
					Message: "Here is where the " + jobs[0].Title + " search stands. No password needed: the link opens the tracker."}); err != nil {
					return fmt.Errorf("tracker link: %w", err)
				}
				links++
				break
			}
		}
	}
	progress(fmt.Sprintf("portal look: %s with its own logo and colour, teams on %d jobs, %d tracker link", client.Name, teamed, links))
	return nil
}

// findContactByEmail returns the contact with the address among the
// clients' contacts.
func findContactByEmail(ctx context.Context, db *sqlstore.DB, admin context.Context, email string) (*portico.Contact, error) {
	svc := db.Services()
	clients, _, err := svc.Clients.FindClients(admin, portico.ClientFilter{Limit: 100})
	if err != nil {
		return nil, err
	}
	for _, c := range clients {
		ks, _, err := svc.Clients.FindContacts(admin, c.ID, 0, 50)
		if err != nil {
			return nil, err
		}
		for _, k := range ks {
			if k.Email == email {
				return k, nil
			}
		}
	}
	return nil, fmt.Errorf("no contact %s", email)
}

// demoLogo draws a small logo: a teal mark and three bars, as a PNG.
func demoLogo() []byte {
	const w, h = 240, 64
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	teal := color.RGBA{0x0f, 0x76, 0x6e, 0xff}
	light := color.RGBA{0x99, 0xd5, 0xcf, 0xff}
	fill := func(x0, y0, x1, y1 int, c color.Color) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				img.Set(x, y, c)
			}
		}
	}
	fill(4, 4, 60, 60, teal)
	fill(18, 18, 46, 46, light)
	for i, width := range []int{150, 120, 90} {
		fill(76, 10+i*17, 76+width, 20+i*17, teal)
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img) // writing to memory can't fail
	return b.Bytes()
}
