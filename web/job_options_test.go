package web

import (
	"testing"

	"portico"
)

// The job choice's options are written without the template engine, so
// they must escape what the engine would have; alike labels get the job's
// number.
func TestJobOptionsEscape(t *testing.T) {
	got := string(jobOptions([]*portico.Job{
		{ID: 7, Title: `R&D <Lead> "Ops"`, ClientName: `O'Neil & Co`},
		{ID: 12, Title: "Nurse", ClientName: "Acme"},
		{ID: 13, Title: "Nurse", ClientName: "Acme", LocationName: "Leeds <North>"},
		{ID: 14, Title: "Driver", ClientName: "Acme", LocationName: "York"},
		{ID: 15, Title: "Driver", ClientName: "Acme", LocationName: "York"},
	}))
	want := `<option value="7">R&amp;D &lt;Lead&gt; &#34;Ops&#34; — O&#39;Neil &amp; Co</option>` +
		`<option value="12">Nurse — Acme</option>` +
		`<option value="13">Nurse — Acme (Leeds &lt;North&gt;)</option>` +
		`<option value="14">Driver — Acme (York), job 14</option>` +
		`<option value="15">Driver — Acme (York), job 15</option>`
	if got != want {
		t.Fatalf("options:\n got %s\nwant %s", got, want)
	}
	if jobOptions(nil) != "" {
		t.Fatal("no jobs should give no options")
	}
}
