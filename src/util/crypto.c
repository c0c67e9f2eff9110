/* crypto — see crypto.h. */
#include "util/crypto.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util/kerr.h"

int crypto_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

static const char base32[] = "0123456789abcdefghjkmnpqrstvwxyz";
static const char urlsafe[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void crypto_new_id(const char *prefix, char out[CRYPTO_ID_LEN])
{
	unsigned char rnd[20];
	randombytes_buf(rnd, sizeof(rnd));
	size_t n = (size_t)snprintf(out, CRYPTO_ID_LEN, "%s_", prefix);
	for (size_t i = 0; i < sizeof(rnd) && n + 1 < CRYPTO_ID_LEN; i++)
		out[n++] = base32[rnd[i] & 31];
	out[n] = '\0';
}

void crypto_random_text(char *out, size_t n)
{
	/* 64 symbols: each byte's low 6 bits keep the draw uniform. */
	unsigned char rnd[64];
	for (size_t i = 0; i < n; i++) {
		if (i % sizeof(rnd) == 0)
			randombytes_buf(rnd, sizeof(rnd));
		out[i] = urlsafe[rnd[i % sizeof(rnd)] & 63];
	}
	out[n] = '\0';
}

void crypto_new_token(char out[CRYPTO_TOKEN_LEN])
{
	unsigned char rnd[32];
	randombytes_buf(rnd, sizeof(rnd));
	memcpy(out, "kodo_", 5);
	sodium_bin2base64(out + 5, CRYPTO_TOKEN_LEN - 5, rnd, sizeof(rnd),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(rnd, sizeof(rnd));
}

void crypto_sha256_hex(const char *s, size_t len, char out[CRYPTO_HASH_HEX_LEN])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, len);
	sodium_bin2hex(out, CRYPTO_HASH_HEX_LEN, h, sizeof(h));
}

int crypto_password_hash(const char *pw, char out[CRYPTO_PWHASH_LEN])
{
	_Static_assert(CRYPTO_PWHASH_LEN >= crypto_pwhash_STRBYTES,
		       "password hash buffer too small");
	if (crypto_pwhash_str_alg(out, pw, strlen(pw),
				  crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return KODO_EIO;
	return 0;
}

bool crypto_password_verify(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

bool crypto_str_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}
