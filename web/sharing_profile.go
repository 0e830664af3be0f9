package web

import (
	"strings"

	"portico"
)

// profileFromTemplate writes the agency's profile template for a candidate
// from the fields the client may see, and only those: "Staff Nurse at
// Leeds General, based in Leeds. Skills: Triage, Phlebotomy. Available
// from March; notice period 4 weeks." The summary follows as its own
// paragraph. The name is never in it: the page shows it (or the reference
// of an anonymous profile) beside the profile.
func profileFromTemplate(c *portico.Candidate, v portico.Visibility) string {
	val := func(f portico.CandidateField) string {
		if !v.Shows(f) {
			return ""
		}
		return strings.TrimSpace(f.Value(c))
	}
	title, employer, city := val(portico.FieldCurrentTitle), val(portico.FieldCurrentEmployer), val(portico.FieldCity)
	var sentences []string

	var role string
	switch {
	case title != "" && employer != "":
		role = title + " at " + employer
	case title != "":
		role = title
	case employer != "":
		role = "Currently at " + employer
	}
	switch {
	case role != "" && city != "":
		sentences = append(sentences, role+", based in "+city)
	case role != "":
		sentences = append(sentences, role)
	case city != "":
		sentences = append(sentences, "Based in "+city)
	}
	if skills := val(portico.FieldSkills); skills != "" {
		list := (&portico.Candidate{Skills: skills}).SkillList()
		if len(list) > 0 {
			sentences = append(sentences, "Skills: "+strings.Join(list, ", "))
		}
	}
	avail, notice := val(portico.FieldAvailability), val(portico.FieldNoticePeriod)
	switch {
	case avail != "" && notice != "":
		sentences = append(sentences, "Availability: "+avail+"; notice period: "+notice)
	case avail != "":
		sentences = append(sentences, "Availability: "+avail)
	case notice != "":
		sentences = append(sentences, "Notice period: "+notice)
	}
	if salary := val(portico.FieldSalaryExpectation); salary != "" {
		sentences = append(sentences, "Salary expectation: "+salary)
	}
	var b strings.Builder
	for i, s := range sentences {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.TrimRight(s, ". "))
		b.WriteByte('.')
	}
	if summary := val(portico.FieldSummary); summary != "" {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(summary)
	}
	return b.String()
}
