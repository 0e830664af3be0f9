package sqlstore

import (
	"context"

	"portico"
)

// staff returns the acting agency user, or EUNAUTHORIZED: console records
// are for the agency's own people (the command line and routines, acting as
// the system, count as staff too; visitors and contacts never do).
func staff(ctx context.Context) (portico.Actor, error) {
	a := portico.ActorFromContext(ctx)
	if a.Kind == portico.ActorUser || a.Kind == portico.ActorSystem {
		return a, nil
	}
	return a, portico.Errorf(portico.EUNAUTHORIZED, "Sign in to the console to do this.")
}

// admin returns the acting admin, or EFORBIDDEN.
func admin(ctx context.Context, what string) (portico.Actor, error) {
	a, err := staff(ctx)
	if err != nil {
		return a, err
	}
	if a.Kind == portico.ActorUser && a.Role != portico.RoleAdmin {
		return a, portico.Errorf(portico.EFORBIDDEN, "Only agency admins can %s.", what)
	}
	return a, nil
}

// notFound is the error for a record that doesn't exist, or that the actor
// may not see: the two must look the same.
func notFound(what string) error {
	return portico.Errorf(portico.ENOTFOUND, "There's no such %s. It may have been removed, or the link may be mistyped.", what)
}
