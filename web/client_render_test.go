package web

import (
	"bytes"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"portico"
)

// TestClientPortalBadges renders a client's contacts in each portal
// status: no action sets them yet, so the page is rendered directly.
func TestClientPortalBadges(t *testing.T) {
	s, err := New(Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	c := &portico.Client{ID: 7, Name: "Acme", Status: portico.ClientActive, CreatedAt: time.Now()}
	var ks []*portico.Contact
	for i, st := range []portico.PortalStatus{portico.PortalNotRegistered, portico.PortalPending, portico.PortalConnected, portico.PortalDisabled} {
		ks = append(ks, &portico.Contact{ID: int64(i + 1), ClientID: 7, Name: "Contact " + string(st), PortalStatus: st})
	}
	p := &Page{Data: map[string]any{
		"Client": c, "WebsiteURL": "", "Contacts": ks, "Locations": nil, "Jobs": []*portico.Job(nil), "JobTotal": 0, "Events": []*portico.Event(nil),
		"ContactPager": pager{Limit: 25, Total: 4, Path: "/clients/7"}, "HistoryPager": subPage{},
	}}
	var buf bytes.Buffer
	if err := s.pages["client"].ExecuteTemplate(&buf, "content", p); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<span class="badge">Not registered</span>`, `<span class="badge badge-warn">Pending activation</span>`,
		`<span class="badge badge-ok">Connected</span>`, `<span class="badge badge-bad">Disabled</span>`,
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("client page lacks %s", want)
		}
	}

	k := ks[1]
	p.Data = map[string]any{"Contact": k, "Client": c, "Events": []*portico.Event(nil), "Pager": pager{Limit: 20, Path: "/contacts/2"}}
	buf.Reset()
	if err := s.pages["contact"].ExecuteTemplate(&buf, "content", p); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Pending activation", "Invited; hasn't signed in yet", "add an email address before inviting"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("contact page lacks %s", want)
		}
	}
}

func TestClientEventText(t *testing.T) {
	for _, tc := range []struct {
		e    portico.Event
		want string
	}{
		{portico.Event{Action: "client.created", Details: map[string]string{"name": "Acme"}}, "added the client Acme"},
		{portico.Event{Action: "client.updated", Details: map[string]string{"name": "Acme", "changed": "name, phone"}}, "updated the client Acme (name, phone)"},
		{portico.Event{Action: "client.updated", Details: map[string]string{"name": "Acme", "changed": "status", "status": "inactive"}}, "updated the client Acme (status), now inactive"},
		{portico.Event{Action: "contact.created", Details: map[string]string{"name": "Hal"}}, "added the contact Hal"},
		{portico.Event{Action: "contact.updated", Details: map[string]string{"name": "Hal", "changed": "email"}}, "updated the contact Hal (email)"},
		{portico.Event{Action: "location.created", Details: map[string]string{"name": "Ward 9"}}, "added the location Ward 9"},
		{portico.Event{Action: "location.updated", Details: map[string]string{"name": "Ward 9", "changed": "time zone"}}, "updated the location Ward 9 (time zone)"},
	} {
		if got := eventText(&tc.e); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.e.Action, got, tc.want)
		}
	}
}

func TestClientWebsiteURL(t *testing.T) {
	for in, want := range map[string]string{
		"acme.test": "https://acme.test", "http://acme.test/jobs": "http://acme.test/jobs", "https://acme.test": "https://acme.test",
		"javascript:alert(1)": "", "ftp://acme.test": "", "call us": "", "localhost": "", "": "",
	} {
		if got := websiteURL(in); got != want {
			t.Errorf("websiteURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClientClipName(t *testing.T) {
	if got := clipName("Acme"); got != "Acme" {
		t.Errorf("clipName(Acme) = %q", got)
	}
	long := strings.Repeat("é", 150)
	got := clipName(long)
	if len(got) > 80 || !strings.HasSuffix(got, "…") || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
		t.Errorf("clipName(long) = %q (%d bytes)", got, len(got))
	}
}
