package sqlstore

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"portico"
)

// argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane); about
// 60 ms a hash on a small server.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// hashPassword returns a PHC-format argon2id hash with a random salt.
func hashPassword(password string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// checkPassword reports whether password matches a hash from hashPassword,
// reading the parameters from the hash so they can be raised later.
func checkPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when an email is unknown, so a sign-in takes
// as long whether or not the account exists.
var dummyHash = hashPassword("portico-timing-equaliser")

// newToken returns a random token for a link or cookie and the hash that is
// stored in its place.
func newToken() (token, hash string) {
	token = rand.Text()
	return token, hashToken(token)
}

// randomHex returns n bytes from crypto/rand as lowercase hex: for keys
// that name something in an address without being secrets to hash, and
// that SQL must be able to make in the same shape (lower(hex(randomblob(n)))).
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// newImageKey returns a logo's or header's key (portico.PortalImageKeyLen
// hex digits): 128 bits, so an image's address can't be guessed.
func newImageKey() string { return randomHex(portico.PortalImageKeyLen / 2) }

// hashToken is the stored form of a token. Lookups by hash are by equality
// in an index; the token's 130 random bits make timing leaks useless.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
