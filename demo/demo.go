// Package demo fills an empty Portico with a believable agency, the same
// every time for the same seed. The small size is for trying Portico; the
// large one is for benchmarks.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"portico"
	"portico/sqlstore"
)

// Size is how much data to make.
type Size string

const (
	SizeDemo  Size = "demo"
	SizeLarge Size = "large"
)

// Valid reports whether s is a known size.
func (s Size) Valid() bool { return s == SizeDemo || s == SizeLarge }

// Options choose what Load makes.
type Options struct {
	Size Size
	Seed int64
}

// Credentials are the demo admin's sign-in.
type Credentials struct{ Email, Password string }

// AdminEmail and Password are the documented demo sign-in.
const (
	AdminEmail = "admin@demo.portico.test"
	Password   = "portico-demo"
)

// Load fills an empty database: the agency, its users, and (when the
// services are there) its clients, jobs, candidates and shortlists.
// progress hears what was made; nil is fine. ECONFLICT when the agency
// exists already.
func Load(ctx context.Context, db *sqlstore.DB, o Options, progress func(string)) (Credentials, error) {
	if !o.Size.Valid() {
		o.Size = SizeDemo
	}
	if progress == nil {
		progress = func(string) {}
	}
	svc := db.Services()
	g := &gen{rnd: rand.New(rand.NewPCG(uint64(o.Seed), 0x5eed))}
	token, err := svc.Agency.SetupToken(ctx)
	if err != nil {
		return Credentials{}, err
	}
	admin, err := svc.Agency.CompleteSetup(ctx, token, portico.Setup{
		AgencyName: "Northwind Talent", TimeZone: "Europe/London",
		AdminName: "Alex Morgan", AdminEmail: AdminEmail, Password: Password,
	})
	if err != nil {
		return Credentials{}, err
	}
	users := []*portico.User{admin}
	seen := map[string]bool{AdminEmail: true}
	recruiters := 5
	if o.Size == SizeLarge {
		recruiters = 60
	}
	for i := 0; i < recruiters; i++ {
		first, last := g.pick(firstNames), g.pick(lastNames)
		email := slug(first) + "." + slug(last) + "@demo.portico.test"
		for n := 2; seen[email]; n++ {
			email = fmt.Sprintf("%s.%s%d@demo.portico.test", slug(first), slug(last), n)
		}
		seen[email] = true
		role := portico.RoleRecruiter
		if i == 0 {
			role = portico.RoleAdmin
		}
		u, err := svc.Users.CreateUser(ctx, portico.NewUser{
			Name: first + " " + last, Email: email, Phone: g.phone(), Role: role, Password: Password,
		})
		if err != nil {
			return Credentials{}, fmt.Errorf("user %s: %w", email, err)
		}
		users = append(users, u)
	}
	progress(fmt.Sprintf("%d users", len(users)))
	if o.Size == SizeLarge {
		err = loadLarge(ctx, db, g, users, progress)
	} else {
		err = loadConsole(ctx, db, g, users, progress)
	}
	if err != nil {
		return Credentials{}, err
	}
	return Credentials{Email: AdminEmail, Password: Password}, nil
}

// slug makes a name fit an email address: lower-case ASCII letters only.
func slug(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.NewReplacer("ü", "u", "ö", "o", "ä", "a", "é", "e").Replace(name)) {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// gen draws from a seeded source, so a seed always gives the same agency.
type gen struct{ rnd *rand.Rand }

func (g *gen) pick(xs []string) string { return xs[g.rnd.IntN(len(xs))] }

func (g *gen) phone() string {
	return fmt.Sprintf("+44 7%03d %06d", g.rnd.IntN(1000), g.rnd.IntN(1000000))
}

var firstNames = []string{
	"Olivia", "Noah", "Amelia", "Oliver", "Isla", "George", "Ava", "Arthur", "Mia", "Leo", "Ivy", "Harry",
	"Freya", "Oscar", "Lily", "Muhammad", "Florence", "Jack", "Willow", "Charlie", "Priya", "Tomasz", "Aisha",
	"Chen", "Sofia", "Mateo", "Zara", "Kwame", "Ingrid", "Ravi", "Niamh", "Sean", "Fatima", "Lukas", "Elena",
}

var lastNames = []string{
	"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
	"Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
	"Khan", "Nowak", "Okafor", "Murphy", "O'Brien", "Lindqvist", "Rossi", "Garcia", "Müller", "Nguyen", "Singh",
}
