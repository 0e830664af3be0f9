package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"portico"
)

// sessionCookie holds the console session token. The portal has its own.
const sessionCookie = "portico_session"

type userKey struct{}

// currentUser returns the signed-in agency user, or nil.
func currentUser(ctx context.Context) *portico.User {
	u, _ := ctx.Value(userKey{}).(*portico.User)
	return u
}

// user wraps a handler that needs a signed-in agency user: others go to the
// sign-in page and come back afterwards.
func (s *Server) user(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u *portico.User
		c, cookieErr := r.Cookie(sessionCookie)
		err := cookieErr
		if cookieErr == nil {
			u, _, err = s.svc.Auth.Authenticate(r.Context(), c.Value)
		}
		if err != nil {
			if cookieErr == nil && portico.ErrorCode(err) == portico.EINTERNAL {
				s.fail(w, r, err)
				return
			}
			if c != nil {
				s.clearCookie(w, sessionCookie)
			}
			if _, setupErr := s.svc.Agency.Agency(r.Context()); portico.ErrorCode(setupErr) == portico.ENOTFOUND {
				s.render(w, r, http.StatusOK, "not_setup", s.page(r, "Set up Portico"))
				return
			}
			next := r.URL.RequestURI()
			target := "/signin"
			if r.Method == http.MethodGet && next != "/" {
				target += "?next=" + url.QueryEscape(next)
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		a := portico.ActorFromContext(r.Context())
		a.Kind, a.ID, a.Name, a.Role = portico.ActorUser, u.ID, u.Name, u.Role
		ctx := portico.NewContextWithActor(r.Context(), a)
		ctx = context.WithValue(ctx, userKey{}, u)
		h(w, r.WithContext(ctx))
	})
}

// admin wraps a handler for agency admins only.
func (s *Server) admin(h http.HandlerFunc) http.Handler {
	return s.user(func(w http.ResponseWriter, r *http.Request) {
		if currentUser(r.Context()).Role != portico.RoleAdmin {
			s.renderError(w, r, http.StatusForbidden, "Only agency admins can open this page.")
			return
		}
		h(w, r)
	})
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearCookie(w http.ResponseWriter, name string) { s.setCookie(w, name, "", -1) }

// localPath returns p when it is a path on this site, else "/": the next
// parameter must not send anyone elsewhere.
func localPath(p string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	if u, err := url.Parse(p); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return p
}

// portalCookie holds the portal session token: separate from the
// console's, so an agency user testing the portal stays signed in to both.
const portalCookie = "portico_portal"

type contactKey struct{}

// currentContact returns the signed-in client contact, or nil.
func currentContact(ctx context.Context) *portico.Contact {
	k, _ := ctx.Value(contactKey{}).(*portico.Contact)
	return k
}

type previewKey struct{}

// withContact returns a context in which the contact acts: scoped to the
// share link their session came from, and read-only in a preview, whose
// agency user it carries for the page's banner.
func withContact(ctx context.Context, k *portico.Contact, ss *portico.PortalSession, preview *portico.User) context.Context {
	a := portico.ActorFromContext(ctx)
	a.Kind, a.ID, a.Name, a.Role = portico.ActorContact, k.ID, k.Name, ""
	if ss != nil {
		a.LinkID, a.LinkJobID, a.PreviewBy = ss.LinkID, ss.LinkJobID, ss.PreviewBy
	}
	ctx = context.WithValue(portico.NewContextWithActor(ctx, a), contactKey{}, k)
	if preview != nil {
		ctx = context.WithValue(ctx, previewKey{}, preview)
	}
	return ctx
}

// previewUser returns the agency user previewing the portal, or nil.
func previewUser(ctx context.Context) *portico.User {
	u, _ := ctx.Value(previewKey{}).(*portico.User)
	return u
}
