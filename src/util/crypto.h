/*
 * crypto — random identifiers, API tokens, hashes and password hashing.
 *
 * Secrets are stored only as hashes: API tokens as SHA-256 (they carry 256
 * bits of entropy, so a fast hash is enough), passwords with argon2id.
 * crypto_init() must run once before any other call; then any thread.
 */
#ifndef KODO_UTIL_CRYPTO_H
#define KODO_UTIL_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#define CRYPTO_ID_LEN 32      /* "inc_" + 20 chars + NUL fits */
#define CRYPTO_TOKEN_LEN 64   /* "kodo_" + 43 chars + NUL fits */
#define CRYPTO_HASH_HEX_LEN 65
#define CRYPTO_PWHASH_LEN 128

/* 0, or -1 when libsodium cannot start. */
int crypto_init(void);
/* prefix + "_" + 20 random base32 chars (100 bits). */
void crypto_new_id(const char *prefix, char out[CRYPTO_ID_LEN]);
/* "kodo_" + 32 random bytes in unpadded URL-safe base64 (43 chars). */
void crypto_new_token(char out[CRYPTO_TOKEN_LEN]);
/* n random URL-safe characters (n < size of out). */
void crypto_random_text(char *out, size_t n);
/* Lower-case hex SHA-256 of s. */
void crypto_sha256_hex(const char *s, size_t len, char out[CRYPTO_HASH_HEX_LEN]);
/* argon2id; 0 or KODO_EIO. */
int crypto_password_hash(const char *pw, char out[CRYPTO_PWHASH_LEN]);
bool crypto_password_verify(const char *hash, const char *pw);
/* Constant-time equality of two NUL-terminated strings of the same length. */
bool crypto_str_equal(const char *a, const char *b);

#endif
