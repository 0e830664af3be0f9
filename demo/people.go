package demo

import (
	"fmt"
	"slices"
	"strings"

	"portico"
)

// candidate draws a believable candidate: a sector, a title in it, skills
// from it, a city, and the rest.
func (g *gen) candidate() portico.CandidateInput {
	s := sectors[g.rnd.IntN(len(sectors))]
	first, last := g.pick(firstNames), g.pick(lastNames)
	skills := g.some(s.skills, 3+g.rnd.IntN(4))
	title := g.pick(s.titles)
	years := 1 + g.rnd.IntN(20)
	employer := g.pick(companyStems) + " " + g.pick(companySuffixes)
	return portico.CandidateInput{
		FirstName: first, LastName: last, Phone: g.phone(), City: g.pick(cities),
		CurrentTitle: title, CurrentEmployer: employer, Skills: strings.Join(skills, ", "),
		Summary: fmt.Sprintf("%s with %d years in %s, currently at %s. Strengths: %s.", title, years, strings.ToLower(s.name), employer,
			strings.ToLower(strings.Join(skills[:2], " and "))),
		SalaryExpectation: fmt.Sprintf("£%d,000", 22+g.rnd.IntN(60)), NoticePeriod: g.pick(notices),
		Availability: g.pick(availabilities), Source: g.pick(sources),
	}
}

// some draws n different items.
func (g *gen) some(xs []string, n int) []string {
	idx := g.rnd.Perm(len(xs))
	out := make([]string, 0, n)
	for _, i := range idx[:min(n, len(xs))] {
		out = append(out, xs[i])
	}
	return out
}

// describe writes a client-facing job description.
func describe(title, sector string) string {
	return fmt.Sprintf("We are looking for a %s to join a growing %s team. You will work with a friendly, experienced group "+
		"and have real responsibility from day one.\n\nWhat you bring: relevant experience, reliability and a positive attitude.\n\n"+
		"What you get: competitive pay, training, and a clear path to progress.", title, strings.ToLower(sector))
}

// sortEvents puts events in time order, so IDs follow time as they do in
// real use.
func sortEvents(evs []event) {
	slices.SortFunc(evs, func(a, b event) int { return a.at.Compare(b.at) })
}

// resumeLines is the body of a candidate's résumé PDF.
func resumeLines(c portico.CandidateInput, email string) []string {
	return []string{
		c.CurrentTitle + " - " + c.City,
		email + "  |  " + c.Phone,
		"# Profile",
		c.Summary,
		"# Experience",
		c.CurrentTitle + ", " + c.CurrentEmployer + " (current)",
		"# Skills",
		c.Skills,
		"# Availability",
		c.Availability + "; notice period " + c.NoticePeriod + ".",
	}
}
