package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"portico"
)

// stdin is where passwords are read from; tests replace it.
var stdin io.Reader = os.Stdin

func runUser(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs, cfg, err := flags("user", "Add an agency user, or set a user's password:\n\n"+
		"  portico user add --email E --name N [--role admin|recruiter]\n"+
		"  portico user password --email E\n\n"+
		"The password is read from standard input (one line), or from --password.", env, stderr)
	if err != nil {
		return err
	}
	email := fs.String("email", "", "the user's email address")
	name := fs.String("name", "", "the user's name (add)")
	role := fs.String("role", "admin", "admin or recruiter (add)")
	password := fs.String("password", "", "the password; prefer standard input, which other users can't see")
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fs.Usage()
			return nil
		}
		fs.Usage()
		return errors.New("user: say add or password")
	}
	action := args[0]
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if *password == "" {
		if f, ok := stdin.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				fmt.Fprint(stderr, "Password (at least 10 characters): ")
			}
		}
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			return errors.New("user: give the password on standard input or with --password")
		}
		*password = strings.TrimRight(line, "\r\n")
	}
	log := newLogger(cfg, stderr)
	db, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := db.Services()
	switch action {
	case "add":
		u, err := svc.Users.CreateUser(ctx, portico.NewUser{Name: *name, Email: *email, Role: portico.Role(*role), Password: *password})
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "Added %s <%s> as %s.\n", u.Name, u.Email, u.Role.Label())
	case "password":
		u, err := svc.Users.FindUserByEmail(ctx, *email)
		if err != nil {
			return describe(err)
		}
		if err := svc.Users.SetPassword(ctx, u.ID, *password); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "Password set for %s; their sessions have ended.\n", u.Email)
	default:
		return fmt.Errorf("user: unknown action %q; say add or password", action)
	}
	return nil
}

// describe turns a validation error into one line naming each field.
func describe(err error) error {
	fields := portico.ErrorFields(err)
	if len(fields) == 0 {
		return errors.New(portico.ErrorMessage(err))
	}
	var parts []string
	for k, v := range fields {
		parts = append(parts, "--"+k+": "+v)
	}
	return errors.New(strings.Join(parts, "; "))
}
