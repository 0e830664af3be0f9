// Package portico holds Portico's domain: the types an agency and its clients
// work with, the rules for changing them, the service interfaces that the
// store implements, and the error codes every layer speaks.
//
// It does no I/O. sqlstore implements the services on SQLite and PostgreSQL;
// web and the mail package use them; cmd/portico wires them together.
package portico
