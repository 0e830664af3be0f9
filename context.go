package portico

import "context"

// ActorKind says who is acting: an agency user, a client contact (portal),
// a visitor who has not signed in, or Portico itself (scheduled routines,
// the command line). Only the system and agency users hold console rights;
// a visitor holds none.
type ActorKind string

const (
	ActorUser    ActorKind = "user"
	ActorContact ActorKind = "contact"
	ActorVisitor ActorKind = "visitor"
	ActorSystem  ActorKind = "system"
)

// Actor is whoever performs an action, with where the request came from.
// Every event records it.
type Actor struct {
	Kind      ActorKind
	ID        int64 // user or contact ID; 0 for the system
	Name      string
	Role      Role // for agency users
	IP        string
	UserAgent string
	// A contact who came in by a share link: the link, and its job (0: the
	// whole portal). Their reads are scoped to it, their actions recorded
	// as theirs with the link in the event.
	LinkID    int64
	LinkJobID int64
	// PreviewBy is the agency user previewing the portal as this contact:
	// reads only; every change is refused.
	PreviewBy int64
}

// IsAdmin reports whether the actor is an agency admin.
func (a Actor) IsAdmin() bool { return a.Kind == ActorUser && a.Role == RoleAdmin }

type actorKey struct{}

// NewContextWithActor returns a context that carries the actor.
func NewContextWithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the acting user, contact or system. A context
// without one is the system with no address (command line, routines).
func ActorFromContext(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Kind: ActorSystem, Name: "Portico"}
}
