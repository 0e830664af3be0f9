package portico

import (
	"errors"
	"fmt"
	"slices"
)

// Error codes. Each layer maps them to its own terms (web: HTTP status) in one
// place, so a store method never needs to know who called it.
const (
	EINVALID      = "invalid"      // the input breaks a rule; Fields says which
	ENOTFOUND     = "not_found"    // no such record, or not one the caller may see
	ECONFLICT     = "conflict"     // the change clashes with stored state (duplicate email…)
	EUNAUTHORIZED = "unauthorized" // not signed in, or the credentials are wrong
	EFORBIDDEN    = "forbidden"    // signed in, but not allowed
	ETOOMANY      = "too_many"     // rate limited; try again later
	EINTERNAL     = "internal"     // our fault; details are logged, not shown
)

// Error is a domain error: a code and a message fit to show a user.
// Fields holds a message per form field for EINVALID.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	Order   []string // Fields' keys in form order, when known
}

func (e *Error) Error() string {
	return fmt.Sprintf("portico error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns a domain error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of a domain error, EINTERNAL for any other
// error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of a domain error. Other
// errors get a generic message so internal details never reach a page.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Please try again."
}

// ErrorOrder returns the fields of a validation error in form order; fields
// without a known place come last, by name.
func ErrorOrder(err error) []string {
	var e *Error
	if !errors.As(err, &e) {
		return nil
	}
	out := append([]string(nil), e.Order...)
	var rest []string
	for k := range e.Fields {
		if !slices.Contains(out, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// ErrorFields returns the per-field messages of a validation error.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Validation collects messages per field while an input is checked, in
// the order the checks ran: the order of the form, so the summary above a
// form lists its problems top to bottom.
type Validation struct {
	fields map[string]string
	order  []string
}

// Check records msg for field when ok is false (keeping the first message).
func (v *Validation) Check(ok bool, field, msg string) {
	if ok {
		return
	}
	if v.fields == nil {
		v.fields = map[string]string{}
	}
	if _, seen := v.fields[field]; !seen {
		v.fields[field] = msg
		v.order = append(v.order, field)
	}
}

// Err returns an EINVALID error carrying the field messages, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "Please correct the highlighted fields.", Fields: v.fields, Order: v.order}
}

// FieldError returns an EINVALID error about one field.
func FieldError(field, msg string) *Error {
	return &Error{Code: EINVALID, Message: "Please correct the highlighted fields.", Fields: map[string]string{field: msg}, Order: []string{field}}
}
