package sqlstore

import (
	"context"
	"database/sql"
	"strings"
)

// maxPrefixWords bounds the whole words a search word may stand for on
// PostgreSQL. A prefix starting more words than this ("a", "s") is matched
// as a prefix: joining that many words' lists saves nothing.
const maxPrefixWords = 32

// PostgreSQL's GIN index answers a prefix ('wil':*) by gathering every
// candidate of every word it starts into a bitmap before intersecting, but
// intersects whole words as it reads them: "engineer sheffield" took 12 ms
// as two prefixes and 3 as two words. So each search word becomes the
// whole words it starts, looked up in the vocabulary of indexed words
// (search_words, kept by a trigger on candidates, migration 0016):
// 'wil' becomes ('william' | 'williams' | 'wilson'). The vocabulary only
// grows, so a word may stand for one no candidate has any more: it
// matches no one, and the search stays exact.
func (postgresDialect) candidateMatch(ctx context.Context, c conn, words []string) (string, string, error) {
	// The words go through the parser that made the index, so they are
	// split and lower-cased the way the indexed words were.
	// In byte order ("C") the words starting with a lexeme come first of
	// those from it on: the query reads that far and keeps them here, as
	// an upper bound written in SQL would need a character some database
	// encodings don't have.
	rows, err := c.query(ctx, `SELECT t.lexeme, w.word FROM unnest(to_tsvector('simple', ?)) t
		LEFT JOIN LATERAL (SELECT word FROM search_words WHERE word >= t.lexeme ORDER BY word LIMIT ?) w ON true
		ORDER BY t.lexeme, w.word`, strings.Join(words, " "), maxPrefixWords+1)
	if err != nil {
		return "", "", err
	}
	defer rows.Close()
	var (
		terms  []string
		prefix string
		whole  []string
	)
	flush := func() {
		if prefix == "" {
			return
		}
		if len(whole) == 0 || len(whole) > maxPrefixWords {
			terms = append(terms, tsLexeme(prefix)+":*")
		} else {
			for i, w := range whole {
				whole[i] = tsLexeme(w)
			}
			terms = append(terms, "("+strings.Join(whole, " | ")+")")
		}
		prefix, whole = "", whole[:0]
	}
	for rows.Next() {
		var lexeme string
		var word sql.NullString
		if err := rows.Scan(&lexeme, &word); err != nil {
			return "", "", err
		}
		if lexeme != prefix {
			flush()
			prefix = lexeme
		}
		if word.Valid && strings.HasPrefix(word.String, lexeme) {
			whole = append(whole, word.String)
		}
	}
	if err := rows.Err(); err != nil {
		return "", "", err
	}
	flush()
	if len(terms) == 0 { // the parser kept none of the words: search them as typed
		for _, w := range words {
			terms = append(terms, tsLexeme(w)+":*")
		}
	}
	// to_tsquery parses the words again, finding them as they are, and it
	// keeps the statement's plan on the index: once PostgreSQL plans a
	// prepared statement for any argument, a plain cast of the argument
	// looks cheap enough to test on every candidate, newest first, and
	// the filter then walks the whole table for a rare word.
	return `SELECT id FROM candidates WHERE search @@ to_tsquery('simple', ?)`, strings.Join(terms, " & "), nil
}

// tsLexeme quotes a word for a tsquery.
func tsLexeme(w string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(w, `\`, `\\`), "'", "''") + "'"
}
