/*
 * keylog.c - the PDMv2 key log (PROFILE.md 8): parsing, diagnostics and
 * the lookup order that decides which keys may open traffic S->D.
 *
 * Every line is untrusted text: a bad line of a known label becomes an
 * error diagnostic naming its line, an unknown label a warning, and the
 * rest of the file still loads (as with TLS SSLKEYLOGFILE).  Secret
 * material lives only in entries and key sources and is wiped on free.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <glib.h>

#include "pdmv2/hex.h"
#include "pdmv2/keylog.h"

#include "keyindex.h"

#define MAX_FIELDS 12

enum keysrc_kind { SRC_SECRET, SRC_SESSION, SRC_EPOCH };

struct pdmv2_keysrc {
	enum keysrc_kind kind;
	const struct pdmv2_keylog_entry *entry;
	enum pdmv2_aead aead;
	uint8_t prk[PDMV2_NH];			/* SRC_SECRET */
	uint8_t key[PDMV2_KEY_MAX];		/* SRC_SESSION, SRC_EPOCH */
	uint8_t nonce[PDMV2_NONCE_BYTES];
};

struct entry {
	struct pdmv2_keylog_entry pub;
	uint8_t secret[PDMV2_SECRET_BYTES];	/* SECRET: shared; PRIMARY: PMS */
	uint8_t salt[PDMV2_SALT_MAX];
	size_t salt_len;
	struct pdmv2_keysrc src;		/* SECRET, SESSION_KEY, EPOCH_KEY */
};

struct diag {
	struct pdmv2_keylog_diag pub;
	char *message;
};

struct pdmv2_keylog {
	GPtrArray *entries;		/* struct entry *, file order */
	struct keyindex *index;		/* entries by what they match */
	GPtrArray *diags;		/* struct diag * */
	GPtrArray *files;		/* file names (char *) */
	GHashTable *secondary;		/* "entry#client" -> struct pdmv2_keysrc * */
	/* Lookups may run on several threads at once (pdmv2-analyze's reader
	 * and analysis); secondary is the one thing they change.  A pthread
	 * mutex, not a GMutex: ThreadSanitizer sees only the former. */
	pthread_mutex_t secondary_lock;
	size_t nerrors;
	size_t unlisted, unlisted_errors;	/* past PDMV2_KEYLOG_DIAG_MAX */
};

static void
keysrc_free(gpointer p)
{
	pdmv2_wipe(p, sizeof(struct pdmv2_keysrc));
	g_free(p);
}

static void
entry_free(gpointer p)
{
	pdmv2_wipe(p, sizeof(struct entry));
	g_free(p);
}

static void
diag_free(gpointer p)
{
	struct diag *d = p;

	g_free(d->message);
	g_free(d);
}

enum pdmv2_err
pdmv2_keylog_new(struct pdmv2_keylog **out)
{
	struct pdmv2_keylog *kl = g_new0(struct pdmv2_keylog, 1);

	kl->entries = g_ptr_array_new_with_free_func(entry_free);
	kl->index = keyindex_new();
	kl->diags = g_ptr_array_new_with_free_func(diag_free);
	kl->files = g_ptr_array_new_with_free_func(g_free);
	kl->secondary = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
					      (GDestroyNotify)g_bytes_unref,
					      keysrc_free);
	pthread_mutex_init(&kl->secondary_lock, NULL);
	*out = kl;
	return PDMV2_OK;
}

void
pdmv2_keylog_free(struct pdmv2_keylog *kl)
{
	if (!kl)
		return;
	g_hash_table_destroy(kl->secondary);
	keyindex_free(kl->index);
	pthread_mutex_destroy(&kl->secondary_lock);
	g_ptr_array_free(kl->entries, TRUE);
	g_ptr_array_free(kl->diags, TRUE);
	g_ptr_array_free(kl->files, TRUE);
	g_free(kl);
}

static void G_GNUC_PRINTF(5, 6)
add_diag(struct pdmv2_keylog *kl, const char *file, unsigned line,
	 bool is_error, const char *fmt, ...)
{
	struct diag *d;
	va_list ap;

	if (is_error)
		kl->nerrors++;
	/* A file of a million bad lines: counted, not a million messages */
	if (kl->diags->len >= PDMV2_KEYLOG_DIAG_MAX) {
		kl->unlisted++;
		kl->unlisted_errors += is_error;
		return;
	}
	d = g_new0(struct diag, 1);
	va_start(ap, fmt);
	d->message = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	/* Messages quote bytes of an untrusted file and end up in JSON
	 * reports and terminals: printable ASCII only. */
	for (char *c = d->message; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7E)
			*c = '?';
	d->pub.file = file;
	d->pub.line = line;
	d->pub.is_error = is_error;
	d->pub.message = d->message;
	g_ptr_array_add(kl->diags, d);
}

/* After a load: how many problems were not listed, as the last one. */
static void
add_unlisted(struct pdmv2_keylog *kl, const char *file)
{
	struct diag *d;

	if (!kl->unlisted)
		return;
	d = g_new0(struct diag, 1);
	d->message = g_strdup_printf("%zu more problems not listed (%zu errors, "
				     "%zu warnings)", kl->unlisted,
				     kl->unlisted_errors,
				     kl->unlisted - kl->unlisted_errors);
	d->pub.file = file;
	d->pub.line = 0;
	d->pub.is_error = kl->unlisted_errors > 0;
	d->pub.message = d->message;
	g_ptr_array_add(kl->diags, d);
	kl->unlisted = kl->unlisted_errors = 0;
}

enum pdmv2_err
pdmv2_parse_prefix(const char *s, uint8_t addr[16], uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash;
	size_t alen;
	unsigned long len = 128;

	if (strcmp(s, "*") == 0) {
		memset(addr, 0, 16);
		*plen = 0;
		return PDMV2_OK;
	}
	slash = strchr(s, '/');
	alen = slash ? (size_t)(slash - s) : strlen(s);
	if (alen == 0 || alen >= sizeof(buf))
		return PDMV2_ERR_MALFORMED;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET6, buf, addr) != 1)
		return PDMV2_ERR_MALFORMED;
	if (slash) {
		char *end;

		if (slash[1] < '0' || slash[1] > '9')
			return PDMV2_ERR_MALFORMED;
		errno = 0;
		len = strtoul(slash + 1, &end, 10);
		if (errno || *end || len > 128)
			return PDMV2_ERR_MALFORMED;
	}
	*plen = (uint8_t)len;
	return PDMV2_OK;
}

bool
pdmv2_prefix_match(const uint8_t prefix[16], uint8_t plen, const uint8_t addr[16])
{
	unsigned full = plen / 8, rest = plen % 8;

	if (plen > 128)
		return false;
	if (memcmp(prefix, addr, full) != 0)
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xFF << (8 - rest));

		return (prefix[full] & mask) == (addr[full] & mask);
	}
	return true;
}

static bool
parse_u32(const char *s, unsigned long max, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* SECRET and PRIMARY_SECRET: <a> <b> <suite> <secret-hex-64> <salt|-> */
static bool
parse_secret_line(struct pdmv2_keylog *kl, struct entry *e, char **f,
		  unsigned nf, const char *file, unsigned line)
{
	const char *what = e->pub.label == PDMV2_KL_SECRET ? "PDMV2_SECRET" :
			   "PDMV2_PRIMARY_SECRET";
	long n;

	if (nf != 6) {
		add_diag(kl, file, line, true,
			 "%s needs 5 fields (endpoint endpoint suite secret salt), got %u",
			 what, nf - 1);
		return false;
	}
	if (pdmv2_parse_prefix(f[1], e->pub.addr_a, &e->pub.plen_a) != PDMV2_OK ||
	    pdmv2_parse_prefix(f[2], e->pub.addr_b, &e->pub.plen_b) != PDMV2_OK) {
		add_diag(kl, file, line, true,
			 "bad address or prefix \"%s\" (want addr, addr/len or *)",
			 pdmv2_parse_prefix(f[1], e->pub.addr_a, &e->pub.plen_a) ?
			 f[1] : f[2]);
		return false;
	}
	if (pdmv2_aead_from_name(f[3], &e->pub.aead) != PDMV2_OK) {
		add_diag(kl, file, line, true,
			 "unknown suite \"%s\" (want aes128gcm, aes256gcm or chacha20poly1305)",
			 f[3]);
		return false;
	}
	n = pdmv2_hex_decode(f[4], e->secret, sizeof(e->secret));
	if (n != PDMV2_SECRET_BYTES) {
		add_diag(kl, file, line, true,
			 n < 0 && strlen(f[4]) <= 2 * sizeof(e->secret) ?
			 "bad hex in secret" :
			 "secret must be 32 bytes (64 hex digits)");
		return false;
	}
	if (strcmp(f[5], "-") == 0) {
		e->salt_len = 0;
	} else {
		n = pdmv2_hex_decode(f[5], e->salt, sizeof(e->salt));
		if (n < 0) {
			add_diag(kl, file, line, true,
				 strlen(f[5]) > 2 * PDMV2_SALT_MAX ?
				 "salt longer than 64 bytes" : "bad hex in salt");
			return false;
		}
		e->salt_len = (size_t)n;
	}
	return true;
}

/* <saddr> <sport> <daddr> <dport> <proto> <kri|epoch> <suite> <key> <nonce>
 * (SESSION_KEY: a kri of the Kri layout; EPOCH_KEY: an Epoch, 8) */
static bool
parse_session_line(struct pdmv2_keylog *kl, struct entry *e, char **f,
		   unsigned nf, const char *file, unsigned line)
{
	bool epoch = e->pub.label == PDMV2_KL_EPOCH_KEY;
	uint8_t s[16], d[16];
	uint32_t sport, dport, proto;
	long n;
	size_t nk;

	if (nf != 10) {
		add_diag(kl, file, line, true,
			 "%s needs 9 fields (saddr sport daddr dport proto %s suite key nonce), got %u",
			 epoch ? "PDMV2_EPOCH_KEY" : "PDMV2_SESSION_KEY",
			 epoch ? "epoch" : "kri", nf - 1);
		return false;
	}
	if (inet_pton(AF_INET6, f[1], s) != 1 || inet_pton(AF_INET6, f[3], d) != 1) {
		add_diag(kl, file, line, true, "bad IPv6 address \"%s\"",
			 inet_pton(AF_INET6, f[1], s) != 1 ? f[1] : f[3]);
		return false;
	}
	if (!parse_u32(f[2], 65535, &sport) || !parse_u32(f[4], 65535, &dport)) {
		add_diag(kl, file, line, true, "bad port");
		return false;
	}
	if (!parse_u32(f[5], 255, &proto)) {
		add_diag(kl, file, line, true, "bad protocol number \"%s\"", f[5]);
		return false;
	}
	if (epoch) {
		/* 2.5: the Epoch is 12 bits on the wire */
		if (!parse_u32(f[6], PDMV2_EPOCH_MAX, &e->pub.epoch)) {
			add_diag(kl, file, line, true,
				 "bad epoch \"%s\" (0 to 4095: 12 bits on the wire)",
				 f[6]);
			return false;
		}
	} else if (!parse_u32(f[6], UINT32_MAX, &e->pub.kri)) {
		add_diag(kl, file, line, true, "bad kri \"%s\"", f[6]);
		return false;
	}
	if (pdmv2_aead_from_name(f[7], &e->pub.aead) != PDMV2_OK) {
		add_diag(kl, file, line, true,
			 "unknown suite \"%s\" (want aes128gcm, aes256gcm or chacha20poly1305)",
			 f[7]);
		return false;
	}
	nk = pdmv2_aead_key_len(e->pub.aead);
	n = pdmv2_hex_decode(f[8], e->src.key, sizeof(e->src.key));
	if (n < 0 || (size_t)n != nk) {
		add_diag(kl, file, line, true,
			 n < 0 && strlen(f[8]) <= 2 * sizeof(e->src.key) ?
			 "bad hex in key" : "key must be %zu bytes for %s", nk, f[7]);
		return false;
	}
	n = pdmv2_hex_decode(f[9], e->src.nonce, sizeof(e->src.nonce));
	if (n != PDMV2_NONCE_BYTES) {
		add_diag(kl, file, line, true,
			 n < 0 && strlen(f[9]) <= 2 * PDMV2_NONCE_BYTES ?
			 "bad hex in base nonce" : "base nonce must be 12 bytes");
		return false;
	}
	pdmv2_five_tuple(s, d, (uint16_t)sport, (uint16_t)dport, (uint8_t)proto,
			 e->pub.five_tuple);
	e->src.kind = epoch ? SRC_EPOCH : SRC_SESSION;
	e->src.aead = e->pub.aead;
	return true;
}

static void
parse_line(struct pdmv2_keylog *kl, char *text, const char *file, unsigned line)
{
	char *f[MAX_FIELDS + 1], *save = NULL, *tok;
	unsigned nf = 0;
	struct entry *e;
	bool ok;

	/* every field is counted, so messages give the true count */
	for (tok = strtok_r(text, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (nf <= MAX_FIELDS)
			f[nf] = tok;
		if (nf < UINT_MAX)
			nf++;
	}
	if (nf == 0 || f[0][0] == '#')
		return;

	e = g_new0(struct entry, 1);
	e->pub.file = file;
	e->pub.line = line;
	if (strcmp(f[0], "PDMV2_SECRET") == 0) {
		e->pub.label = PDMV2_KL_SECRET;
		ok = parse_secret_line(kl, e, f, nf, file, line);
		if (ok) {
			e->src.kind = SRC_SECRET;
			e->src.aead = e->pub.aead;
			/* prk does not depend on the flow: once per secret (5.2). */
			if (pdmv2_derive_prk(e->pub.aead, e->secret, e->salt,
					     e->salt_len, e->src.prk) != PDMV2_OK) {
				add_diag(kl, file, line, true, "key derivation failed");
				ok = false;
			}
		}
	} else if (strcmp(f[0], "PDMV2_PRIMARY_SECRET") == 0) {
		e->pub.label = PDMV2_KL_PRIMARY_SECRET;
		ok = parse_secret_line(kl, e, f, nf, file, line);
	} else if (strcmp(f[0], "PDMV2_SESSION_KEY") == 0) {
		e->pub.label = PDMV2_KL_SESSION_KEY;
		ok = parse_session_line(kl, e, f, nf, file, line);
	} else if (strcmp(f[0], "PDMV2_EPOCH_KEY") == 0) {
		e->pub.label = PDMV2_KL_EPOCH_KEY;
		ok = parse_session_line(kl, e, f, nf, file, line);
	} else {
		char label[33];

		g_strlcpy(label, f[0], sizeof(label));
		add_diag(kl, file, line, false, "unknown label \"%s\" skipped", label);
		ok = false;
	}
	if (!ok) {
		entry_free(e);
		return;
	}
	e->src.entry = &e->pub;
	keyindex_add(kl->index, &e->pub, kl->entries->len);
	g_ptr_array_add(kl->entries, e);
}

static const char *
intern_file(struct pdmv2_keylog *kl, const char *name)
{
	char *copy = g_strdup(name ? name : "(key log)");

	g_ptr_array_add(kl->files, copy);
	return copy;
}

enum pdmv2_err
pdmv2_keylog_load_buffer(struct pdmv2_keylog *kl, const char *name,
			 const char *buf, size_t len)
{
	const char *file = intern_file(kl, name);
	char *line = g_malloc(PDMV2_KEYLOG_LINE_MAX + 1);
	size_t pos = 0;
	unsigned lineno = 0;

	/* A byte order mark some editors write: not part of the first label */
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len, n = end - pos;

		lineno++;
		if (n > 0 && buf[end - 1] == '\r')
			n--;
		if (n > PDMV2_KEYLOG_LINE_MAX) {
			add_diag(kl, file, lineno, true,
				 "line longer than %d bytes", PDMV2_KEYLOG_LINE_MAX);
		} else if (memchr(buf + pos, '\0', n)) {
			add_diag(kl, file, lineno, true, "NUL byte in line");
		} else {
			memcpy(line, buf + pos, n);
			line[n] = '\0';
			parse_line(kl, line, file, lineno);
		}
		pos = end + 1;
	}
	pdmv2_wipe(line, PDMV2_KEYLOG_LINE_MAX + 1);
	g_free(line);
	add_unlisted(kl, file);
	return PDMV2_OK;
}

/* The whole file, at most PDMV2_KEYLOG_SIZE_MAX bytes, into data. */
static int
read_all(int fd, GByteArray *data)
{
	uint8_t chunk[65536];
	ssize_t n;
	int rc = 0;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = errno ? errno : EIO;
			break;
		}
		if (n == 0)
			break;
		if ((size_t)n > PDMV2_KEYLOG_SIZE_MAX - data->len) {
			rc = EFBIG;
			break;
		}
		g_byte_array_append(data, chunk, (guint)n);
	}
	pdmv2_wipe(chunk, sizeof(chunk));
	return rc;
}

enum pdmv2_err
pdmv2_keylog_load_file(struct pdmv2_keylog *kl, const char *path)
{
	GByteArray *data;
	int fd, flags, saved;
	enum pdmv2_err rc;

	/* Non-blocking open: a FIFO with no writer does not wait for one.
	 * Reads then block as usual: a pipe's writer is waited for, and a
	 * FIFO that has none reads as empty. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || (flags = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		saved = errno;
		if (fd >= 0)
			close(fd);
		add_diag(kl, intern_file(kl, path), 0, true, "cannot open: %s",
			 strerror(saved));
		errno = saved;
		return PDMV2_ERR_IO;
	}
	data = g_byte_array_new();
	saved = read_all(fd, data);
	if (saved == EFBIG) {
		add_diag(kl, intern_file(kl, path), 0, true,
			 "larger than the key log limit of %u MiB: not loaded",
			 PDMV2_KEYLOG_SIZE_MAX >> 20);
		rc = PDMV2_ERR_IO;
	} else if (saved) {
		add_diag(kl, intern_file(kl, path), 0, true, "cannot read: %s",
			 strerror(saved));
		rc = PDMV2_ERR_IO;
	} else {
		rc = pdmv2_keylog_load_buffer(kl, path, (const char *)data->data,
					      data->len);
	}
	close(fd);
	pdmv2_wipe(data->data, data->len);
	g_byte_array_free(data, TRUE);
	if (rc != PDMV2_OK)
		errno = saved;
	return rc;
}

size_t
pdmv2_keylog_count(const struct pdmv2_keylog *kl)
{
	return kl->entries->len;
}

const struct pdmv2_keylog_entry *
pdmv2_keylog_entry(const struct pdmv2_keylog *kl, size_t i)
{
	if (i >= kl->entries->len)
		return NULL;
	return &((struct entry *)g_ptr_array_index(kl->entries, i))->pub;
}

size_t
pdmv2_keylog_ndiag(const struct pdmv2_keylog *kl)
{
	return kl->diags->len;
}

const struct pdmv2_keylog_diag *
pdmv2_keylog_diag(const struct pdmv2_keylog *kl, size_t i)
{
	if (i >= kl->diags->len)
		return NULL;
	return &((struct diag *)g_ptr_array_index(kl->diags, i))->pub;
}

size_t
pdmv2_keylog_nerrors(const struct pdmv2_keylog *kl)
{
	return kl->nerrors;
}

/* secondary_src's cache lookup or derivation, under its lock; takes key. */
static const struct pdmv2_keysrc *
secondary_make(struct pdmv2_keylog *kl, GBytes *key, const struct entry *e,
	       const uint8_t client[16])
{
	uint8_t secret[PDMV2_SECRET_BYTES];
	struct pdmv2_keysrc *src = g_hash_table_lookup(kl->secondary, key);

	if (src) {
		g_bytes_unref(key);
		return src;
	}
	src = g_new0(struct pdmv2_keysrc, 1);
	src->kind = SRC_SECRET;
	src->entry = &e->pub;
	src->aead = e->pub.aead;
	if (pdmv2_secondary_secret(e->pub.aead, e->secret, client, secret) != PDMV2_OK ||
	    pdmv2_derive_prk(e->pub.aead, secret, e->salt, e->salt_len,
			     src->prk) != PDMV2_OK) {
		pdmv2_wipe(secret, sizeof(secret));
		keysrc_free(src);
		g_bytes_unref(key);
		return NULL;
	}
	pdmv2_wipe(secret, sizeof(secret));
	g_hash_table_insert(kl->secondary, key, src);
	return src;
}

/* The Primary/Secondary source for one client: derived once, cached. */
static const struct pdmv2_keysrc *
secondary_src(struct pdmv2_keylog *kl, guint idx, const struct entry *e,
	      const uint8_t client[16])
{
	uint8_t id[sizeof(guint) + 16];
	const struct pdmv2_keysrc *src;
	GBytes *key;

	memcpy(id, &idx, sizeof(idx));
	memcpy(id + sizeof(idx), client, 16);
	key = g_bytes_new(id, sizeof(id));
	pthread_mutex_lock(&kl->secondary_lock);
	src = secondary_make(kl, key, e, client);
	pthread_mutex_unlock(&kl->secondary_lock);
	return src;
}

struct ranked {
	const struct pdmv2_keysrc *src;
	unsigned specificity;
	guint order;
};

/* 8: most specific first; among equals the newest line first, since a
 * re-registration appends and leaves the stale line above it. */
static int
by_specificity(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->specificity != y->specificity)
		return x->specificity > y->specificity ? -1 : 1;
	return (x->order < y->order) - (x->order > y->order);
}

/* Newest line first; the same line with the sender's source as the
 * client before its destination. */
static int
by_entry(const void *a, const void *b)
{
	const struct keyindex_primary *x = a, *y = b;

	if (x->idx != y->idx)
		return x->idx > y->idx ? -1 : 1;
	return (x->client_is_dst > y->client_is_dst) -
	       (x->client_is_dst < y->client_is_dst);
}

static void
emit(const struct pdmv2_keysrc *src, const struct pdmv2_keysrc **out,
     size_t max, size_t *n)
{
	if (src && *n < max)
		out[*n] = src;
	if (src)
		(*n)++;
}

size_t
pdmv2_keylog_lookup(struct pdmv2_keylog *kl, const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES],
		    const struct pdmv2_keysrc **out, size_t max)
{
	return pdmv2_keylog_lookup_layout(kl, ft, PDMV2_LAYOUT_KRI, out, max);
}

size_t
pdmv2_keylog_lookup_layout(struct pdmv2_keylog *kl,
			   const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES],
			   enum pdmv2_layout layout,
			   const struct pdmv2_keysrc **out, size_t max)
{
	enum keysrc_kind exact = layout == PDMV2_LAYOUT_EPOCH ? SRC_EPOCH :
				 SRC_SESSION;
	const uint8_t *s = ft, *d = ft + 16;
	GArray *idx = g_array_new(FALSE, FALSE, sizeof(guint));
	GArray *secrets = g_array_new(FALSE, FALSE, sizeof(struct ranked));
	GArray *primary = g_array_new(FALSE, FALSE, sizeof(struct keyindex_primary));
	size_t n = 0;
	guint i;

	/* 1. exact SESSION_KEY (Kri layout) or EPOCH_KEY (Epoch layout)
	 * entries (8), newest first */
	keyindex_session(kl->index, ft, idx);
	for (i = idx->len; i-- > 0;) {
		struct entry *e = g_ptr_array_index(kl->entries,
						    g_array_index(idx, guint, i));

		if (e->src.kind == exact)
			emit(&e->src, out, max, &n);
	}
	/* 2. SECRET entries for {S, D}, most specific first */
	g_array_set_size(idx, 0);
	keyindex_secret(kl->index, s, d, idx, NULL);
	for (i = 0; i < idx->len; i++) {
		guint k = g_array_index(idx, guint, i);
		struct entry *e = g_ptr_array_index(kl->entries, k);
		struct ranked r = {&e->src, (unsigned)e->pub.plen_a + e->pub.plen_b, k};

		g_array_append_val(secrets, r);
	}
	if (secrets->len > 1)
		qsort(secrets->data, secrets->len, sizeof(struct ranked),
		      by_specificity);
	for (i = 0; i < secrets->len; i++)
		emit(g_array_index(secrets, struct ranked, i).src, out, max, &n);

	/* 3. PRIMARY_SECRET, newest first: the client is whichever endpoint
	 * is in the client prefix (both orientations when both fit: the tag
	 * decides). */
	keyindex_primary(kl->index, s, d, primary, NULL);
	if (primary->len > 1)
		qsort(primary->data, primary->len, sizeof(struct keyindex_primary),
		      by_entry);
	for (i = 0; i < primary->len; i++) {
		const struct keyindex_primary *m =
			&g_array_index(primary, struct keyindex_primary, i);
		struct entry *e = g_ptr_array_index(kl->entries, m->idx);

		emit(secondary_src(kl, m->idx, e, m->client_is_dst ? d : s),
		     out, max, &n);
	}
	g_array_free(idx, TRUE);
	g_array_free(secrets, TRUE);
	g_array_free(primary, TRUE);
	return n;
}

const struct pdmv2_keysrc **
pdmv2_keylog_candidates(struct pdmv2_keylog *kl,
			const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES],
			enum pdmv2_layout layout, size_t *n)
{
	const struct pdmv2_keysrc **all;

	*n = pdmv2_keylog_lookup_layout(kl, ft, layout, NULL, 0);
	if (*n == 0)
		return NULL;
	all = g_new(const struct pdmv2_keysrc *, *n);
	/* loading is over: the second lookup finds the same ones */
	*n = pdmv2_keylog_lookup_layout(kl, ft, layout, all, *n);
	return all;
}

enum pdmv2_err
pdmv2_keysrc_derive(const struct pdmv2_keysrc *ks,
		    const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES], uint32_t kri,
		    enum pdmv2_aead *aead, uint8_t key[PDMV2_KEY_MAX],
		    uint8_t base_nonce[PDMV2_NONCE_BYTES])
{
	*aead = ks->aead;
	if (ks->kind == SRC_EPOCH)
		return PDMV2_ERR_NO_KEY;	/* the other layout's key (8) */
	if (ks->kind == SRC_SESSION) {
		/* One direction, one kri, nothing else (8). */
		if (kri != ks->entry->kri ||
		    memcmp(ft, ks->entry->five_tuple, PDMV2_FIVE_TUPLE_BYTES) != 0)
			return PDMV2_ERR_NO_KEY;
		memcpy(key, ks->key, pdmv2_aead_key_len(ks->aead));
		memcpy(base_nonce, ks->nonce, PDMV2_NONCE_BYTES);
		return PDMV2_OK;
	}
	return pdmv2_derive_session(ks->aead, ks->prk, ft, kri, key, base_nonce);
}

enum pdmv2_err
pdmv2_keysrc_derive_epoch(const struct pdmv2_keysrc *ks,
			  const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES],
			  uint32_t epoch, enum pdmv2_aead *aead,
			  uint8_t key[PDMV2_KEY_MAX],
			  uint8_t base_nonce[PDMV2_NONCE_BYTES])
{
	*aead = ks->aead;
	if (ks->kind == SRC_SESSION)
		return PDMV2_ERR_NO_KEY;	/* the other layout's key (8) */
	if (ks->kind == SRC_EPOCH) {
		/* One direction, one Epoch, nothing else (8). */
		if (epoch != ks->entry->epoch ||
		    memcmp(ft, ks->entry->five_tuple, PDMV2_FIVE_TUPLE_BYTES) != 0)
			return PDMV2_ERR_NO_KEY;
		memcpy(key, ks->key, pdmv2_aead_key_len(ks->aead));
		memcpy(base_nonce, ks->nonce, PDMV2_NONCE_BYTES);
		return PDMV2_OK;
	}
	return pdmv2_derive_epoch(ks->aead, ks->prk, ft, epoch, key, base_nonce);
}

const struct pdmv2_keylog_entry *
pdmv2_keysrc_entry(const struct pdmv2_keysrc *ks)
{
	return ks->entry;
}
