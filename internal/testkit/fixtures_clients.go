package testkit

import (
	"context"
	"testing"

	"portico"
	"portico/sqlstore"
)

// AddClient creates an active client with no owner, as the system.
func AddClient(t testing.TB, db *sqlstore.DB, name string) *portico.Client {
	t.Helper()
	c, err := db.Services().Clients.CreateClient(context.Background(), portico.ClientInput{Name: name, Status: portico.ClientActive})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// AddLocation creates a location of a client in Europe/London.
func AddLocation(t testing.TB, db *sqlstore.DB, clientID int64, name string) *portico.Location {
	t.Helper()
	l, err := db.Services().Clients.CreateLocation(context.Background(), clientID, portico.LocationInput{
		Name: name, Address: "1 High Street, London", TimeZone: "Europe/London",
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// AddContact creates a contact of a client.
func AddContact(t testing.TB, db *sqlstore.DB, clientID int64, name, email string) *portico.Contact {
	t.Helper()
	k, err := db.Services().Clients.CreateContact(context.Background(), clientID, portico.ContactInput{Name: name, Title: "Hiring Manager", Email: email})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// AddJob opens a permanent job with one opening for a client, owned by a
// user.
func AddJob(t testing.TB, db *sqlstore.DB, clientID, ownerID int64, title string) *portico.Job {
	t.Helper()
	j, err := db.Services().Jobs.CreateJob(context.Background(), portico.JobInput{
		ClientID: clientID, OwnerID: ownerID, Title: title, Type: portico.JobPermanent, Openings: 1, Status: portico.JobOpen,
	})
	if err != nil {
		t.Fatal(err)
	}
	return j
}
