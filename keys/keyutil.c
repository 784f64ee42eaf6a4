/*
 * keyutil.c - see keyutil.h.  PEM files are the ones `openssl genpkey
 * -algorithm X25519` and `openssl pkey -pubout` write and read.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "keyutil.h"
#include "pdmv2/hex.h"

static void
ssl_error(const char *path, const char *what)
{
	unsigned long e = ERR_get_error();

	fprintf(stderr, "pdmv2-keys: %s: %s%s%s\n", path, what, e ? ": " : "",
		e ? ERR_reason_error_string(e) : "");
	ERR_clear_error();
}

/* OpenSSL's passphrase callback: never prompt, remember it was asked. */
static int
no_passphrase(char *buf, int size, int rwflag, void *asked)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	*(bool *)asked = true;
	return -1;
}

static EVP_PKEY *
read_pem(const char *path, bool private_key)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k;
	bool asked = false;

	if (!f) {
		fprintf(stderr, "pdmv2-keys: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	k = private_key ? PEM_read_PrivateKey(f, NULL, no_passphrase, &asked) :
			  PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	if (!k && asked) {
		fprintf(stderr, "pdmv2-keys: %s: the private key is encrypted; write "
			"a decrypted copy (openssl pkey -in %s -out FILE) and use that\n",
			path, path);
		ERR_clear_error();
		return NULL;
	}
	if (!k) {
		ssl_error(path, private_key ? "not a PEM private key" :
			  "not a PEM public key");
		return NULL;
	}
	if (EVP_PKEY_get_id(k) != EVP_PKEY_X25519) {
		fprintf(stderr, "pdmv2-keys: %s: a %s key, X25519 wanted\n", path,
			OBJ_nid2sn(EVP_PKEY_get_id(k)));
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}

int
key_load_private(const char *path, uint8_t sk[32])
{
	EVP_PKEY *k = read_pem(path, true);
	size_t len = 32;
	int rc;

	if (!k)
		return -1;
	rc = EVP_PKEY_get_raw_private_key(k, sk, &len) > 0 && len == 32 ? 0 : -1;
	if (rc)
		ssl_error(path, "cannot read the X25519 private key");
	EVP_PKEY_free(k);
	return rc;
}

int
key_load_public(const char *path, uint8_t pk[32])
{
	EVP_PKEY *k = read_pem(path, false);
	size_t len = 32;
	int rc;

	if (!k)
		return -1;
	rc = EVP_PKEY_get_raw_public_key(k, pk, &len) > 0 && len == 32 ? 0 : -1;
	if (rc)
		ssl_error(path, "cannot read the X25519 public key");
	EVP_PKEY_free(k);
	return rc;
}

int
key_save_pair(const char *priv_path, const char *pub_path, const uint8_t sk[32],
	      const uint8_t pk[32])
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, sk, 32);
	FILE *f;
	int fd, rc = -1;

	(void)pk;
	if (!k)
		return -1;
	/* the private key never exists with looser permissions */
	fd = open(priv_path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		fprintf(stderr, "pdmv2-keys: %s: %s\n", priv_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	if (!PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL)) {
		ssl_error(priv_path, "cannot write");
		fclose(f);
		goto out;
	}
	if (fclose(f) != 0)
		goto out;
	if (!(f = fopen(pub_path, "w"))) {
		fprintf(stderr, "pdmv2-keys: %s: %s\n", pub_path, strerror(errno));
		goto out;
	}
	if (!PEM_write_PUBKEY(f, k)) {
		ssl_error(pub_path, "cannot write");
		fclose(f);
		goto out;
	}
	rc = fclose(f) == 0 ? 0 : -1;
out:
	EVP_PKEY_free(k);
	return rc;
}

int
hex_arg(const char *what, const char *hex, uint8_t *out, size_t want_min,
	size_t want_max, size_t *len)
{
	size_t n = strlen(hex);

	if (n % 2) {
		fprintf(stderr, "pdmv2-keys: %s: odd number of hex digits\n", what);
		return -1;
	}
	if (n / 2 < want_min || n / 2 > want_max) {
		if (want_min == want_max)
			fprintf(stderr, "pdmv2-keys: %s: %zu bytes, want %zu\n", what,
				n / 2, want_min);
		else
			fprintf(stderr, "pdmv2-keys: %s: %zu bytes, want %zu to %zu\n",
				what, n / 2, want_min, want_max);
		return -1;
	}
	if (pdmv2_hex_decode(hex, out, want_max) < 0) {
		fprintf(stderr, "pdmv2-keys: %s: not hex\n", what);
		return -1;
	}
	if (len)
		*len = n / 2;
	return 0;
}

int
addr_arg(const char *what, const char *s, uint8_t a[16])
{
	if (inet_pton(AF_INET6, s, a) != 1) {
		fprintf(stderr, "pdmv2-keys: %s: \"%s\" is not an IPv6 address\n", what, s);
		return -1;
	}
	return 0;
}

int
aead_arg(const char *s, enum pdmv2_aead *aead)
{
	if (pdmv2_aead_from_name(s, aead) != PDMV2_OK) {
		fprintf(stderr, "pdmv2-keys: unknown AEAD \"%s\" (aes128gcm, aes256gcm, "
			"chacha20poly1305)\n", s);
		return -1;
	}
	return 0;
}

int
keylog_append(const char *path, const char *line)
{
	/* O_NOFOLLOW: a link planted where the key log goes would send the
	 * secret elsewhere */
	int fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC,
		      0600);
	size_t n = strlen(line);
	struct stat st;
	char last = '\n';

	if (fd < 0) {
		if (errno == ELOOP)
			fprintf(stderr, "pdmv2-keys: %s: is a symbolic link; not followed "
				"(name the file itself)\n", path);
		else
			fprintf(stderr, "pdmv2-keys: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		fprintf(stderr, "pdmv2-keys: %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "pdmv2-keys: %s: not a regular file\n", path);
		close(fd);
		return -1;
	}
	/* It holds secrets: an existing file readable by others is made
	 * private, and said so */
	if (st.st_mode & 077) {
		if (fchmod(fd, 0600) != 0) {
			fprintf(stderr, "pdmv2-keys: %s: mode %04o, cannot make it 0600: "
				"%s\n", path, (unsigned)(st.st_mode & 07777),
				strerror(errno));
			close(fd);
			return -1;
		}
		fprintf(stderr, "pdmv2-keys: %s: was mode %04o, now 0600 (it holds "
			"secrets)\n", path, (unsigned)(st.st_mode & 07777));
	}
	/* a last line without its newline must not swallow this one */
	if (st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) != 1)
		last = '\n';
	if ((last != '\n' && write(fd, "\n", 1) != 1) ||
	    write(fd, line, n) != (ssize_t)n || write(fd, "\n", 1) != 1) {
		fprintf(stderr, "pdmv2-keys: %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return close(fd) == 0 ? 0 : -1;
}
