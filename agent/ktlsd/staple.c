// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Our own OCSP staple (see staple.h).
 *
 * Why it is shaped so. The administrator (or a cron job running
 * `openssl ocsp`) fetches the response; ktlsd only sends it. A response
 * for another certificate, an unparseable one or a stale one would make a
 * client that checks staples (ktlsd's own client with revocation on,
 * Firefox, OpenSSL with -status and a callback) refuse us, which is worse
 * than sending none. So the file is checked when the configuration is
 * loaded, against the certificate it is configured with, and refused with
 * a log line naming the file and the reason: it never reaches a handshake.
 *
 * The CertID (RFC 6960 §4.1.1) is tied to the certificate by its serial and
 * issuerNameHash, which need only the certificate (the hash of its issuer
 * field), and by issuerKeyHash when the issuer's certificate is at hand:
 * later in the chain file, or in the role's trust store. The signature is
 * not checked here: the responder may be a delegate we know nothing of,
 * and the client checks it anyway.
 *
 * A response goes stale while ktlsd runs: each handshake checks nextUpdate
 * again (ktlsd_staple_usable) and sends nothing once it is past, logging
 * that once per loaded staple. A reload picks up a fresh file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ktls.h"
#include "ktls_providers.h"
#include "log.h"
#include "staple.h"
#include "x509_ocsp.h"
#include "x509_path.h"

#define PEM_MAX		(64 * 1024)

_Static_assert(KTLSD_STAPLE_MAX <= X509_OCSP_MAX_LEN,
	       "a staple must fit the OCSP parser");
_Static_assert(KTLSD_STAPLE_MAX == KTLS_OCSP_STAPLE_MAX,
	       "what we load is what the engine sends");

/* The whole file, at most cap bytes: its length, or -errno (-EFBIG). */
static ssize_t slurp(const char *path, uint8_t *buf, size_t cap)
{
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t r = read(fd, buf + n, cap + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			close(fd);
			return r;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > cap) {
			close(fd);
			return -EFBIG;
		}
	}
	close(fd);
	return (ssize_t)n;
}

/* Is H(data) the hash the CertID holds? */
static bool hash_matches(const struct x509_verify_params *p,
			 enum x509_hash h, struct x509_span data,
			 struct x509_span want)
{
	uint8_t out[X509_HASH_MAX];
	int n = p->hash(p->hash_arg, h, data, out);

	return n > 0 && (size_t)n == want.len && !memcmp(out, want.p, n);
}

/* Everything the check needs, off the stack (certificates are large). */
struct work {
	uint8_t pem[PEM_MAX + 1];
	uint8_t der[PEM_MAX];
	const uint8_t *chain[8];
	size_t chain_len[8];
	struct x509_cert leaf, issuer;
	struct x509_ocsp ocsp;
	uint8_t resp[KTLSD_STAPLE_MAX + 1];
	struct x509_store trust;
	bool have_trust;
};

/*
 * The issuer of w->leaf: a later certificate of the chain, else one from
 * the trust store, whose subject is the leaf's issuer and whose key hash
 * is @want under @h (several CAs may share a name). NULL: not at hand.
 * *seen says whether a certificate of that name was found at all.
 */
static const struct x509_cert *find_issuer(struct work *w, unsigned int n,
					   const struct x509_verify_params *p,
					   enum x509_hash h,
					   struct x509_span want, bool *seen)
{
	for (unsigned int i = 1; i < n; i++) {
		if (x509_cert_parse(&w->issuer, w->chain[i], w->chain_len[i],
				    NULL) ||
		    !x509_span_eq(w->issuer.subject, w->leaf.issuer))
			continue;
		*seen = true;
		if (hash_matches(p, h, w->issuer.key, want))
			return &w->issuer;
	}
	for (unsigned int i = 0; w->have_trust && i < w->trust.n_certs; i++) {
		const struct x509_cert *c = &w->trust.certs[i].cert;

		if (!x509_span_eq(c->subject, w->leaf.issuer))
			continue;
		*seen = true;
		if (hash_matches(p, h, c->key, want))
			return c;
	}
	return NULL;
}

/* The SingleResponse for w->leaf, or -1 with why set. */
static int match(struct work *w, unsigned int n,
		 const struct x509_verify_params *p, char *why, size_t whylen)
{
	const struct x509_ocsp *o = &w->ocsp;
	char serial[128], other[128] = "", iss[256];
	bool serial_seen = false;

	x509_serial_text(w->leaf.serial, serial, sizeof(serial));
	x509_name_text(w->leaf.issuer, iss, sizeof(iss));
	for (unsigned int i = 0; i < o->n_responses; i++) {
		const struct x509_ocsp_single *r = &o->resp[i];
		enum x509_hash h = x509_ocsp_certid_hash(r->hash);
		bool seen = false;

		if (!x509_span_eq(r->serial, w->leaf.serial)) {
			if (!other[0])
				x509_serial_text(r->serial, other,
						 sizeof(other));
			continue;
		}
		serial_seen = true;
		if (h == X509_HASH_NONE) {
			snprintf(why, whylen, "its CertID uses a hash "
				 "algorithm ktlsd does not know");
			continue;
		}
		if (!hash_matches(p, h, w->leaf.issuer, r->name_hash)) {
			snprintf(why, whylen, "it is for serial %s of another "
				 "issuer (issuerNameHash is not that of '%s')",
				 serial, iss);
			continue;
		}
		if (!find_issuer(w, n, p, h, r->key_hash, &seen) && seen) {
			snprintf(why, whylen, "it is for serial %s of another "
				 "'%s' (issuerKeyHash is not that of the "
				 "issuer's key)", serial, iss);
			continue;
		}
		return (int)i;
	}
	if (!serial_seen)
		snprintf(why, whylen, "it is for another certificate (serial "
			 "%s), not for serial %s of the certificate",
			 other[0] ? other : "none", serial);
	return -1;
}

static int check(struct work *w, const char *cert, const char *trust,
		 size_t len, int64_t now, int64_t *next_update, char *why,
		 size_t whylen)
{
	struct x509_verify_params p = { 0 };
	struct x509_error xe = { 0 };
	const struct x509_ocsp_single *r;
	unsigned int n = 0;
	char t[64];
	ssize_t cl;
	int i;

	ktls_wolf_x509_params(&p);
	if (x509_ocsp_parse(&w->ocsp, w->resp, len, &xe)) {
		snprintf(why, whylen, "not a DER OCSPResponse: %s (%s)",
			 x509_strerror(xe.reason),
			 xe.where[0] ? xe.where : "-");
		return -1;
	}
	if (w->ocsp.status != X509_OCSP_SUCCESSFUL) {
		snprintf(why, whylen, "its responseStatus is %s, not "
			 "successful", x509_ocsp_status_name(w->ocsp.status));
		return -1;
	}
	cl = slurp(cert, w->pem, PEM_MAX);
	if (cl <= 0) {
		snprintf(why, whylen, "the certificate %s is unreadable: %s",
			 cert, cl ? strerror((int)-cl) : "empty");
		return -1;
	}
	w->pem[cl] = 0;
	if (ktls_wolf_pem_certs(w->pem, (size_t)cl, w->der, sizeof(w->der),
				w->chain, w->chain_len, 8, &n) || !n ||
	    x509_cert_parse(&w->leaf, w->chain[0], w->chain_len[0], &xe)) {
		snprintf(why, whylen, "the certificate %s holds no usable "
			 "certificate", cert);
		return -1;
	}
	if (trust && trust[0]) {
		x509_store_init(&w->trust);
		w->have_trust = true;
		if (x509_store_load_certs(&w->trust, trust) < 0)
			log_debug("staple: trust store %s unreadable, issuer "
				  "key hash unchecked", trust);
	}
	i = match(w, n, &p, why, whylen);
	if (i < 0)
		return -1;
	r = &w->ocsp.resp[i];
	if (r->has_next_update && r->next_update < now) {
		x509_time_text(r->next_update, t, sizeof(t));
		snprintf(why, whylen, "it has expired: its nextUpdate %s is "
			 "past", t);
		return -1;
	}
	if (r->this_update > now + X509_OCSP_SKEW) {
		x509_time_text(r->this_update, t, sizeof(t));
		snprintf(why, whylen, "it is not yet valid: its thisUpdate "
			 "is %s", t);
		return -1;
	}
	*next_update = r->has_next_update ? r->next_update : 0;
	why[0] = '\0';
	if (r->status != X509_OCSP_GOOD)
		snprintf(why, whylen, "it reports the certificate %s",
			 x509_ocsp_cert_status_name(r->status));
	return 0;
}

struct ktlsd_staple *ktlsd_staple_load(const char *staple, const char *cert,
				       const char *trust, int64_t now,
				       char *why, size_t whylen)
{
	struct ktlsd_staple *s = NULL;
	int64_t next = 0;
	struct work *w;
	ssize_t len;

	why[0] = '\0';
	if (!cert || !cert[0]) {
		snprintf(why, whylen, "no x509.certificate to staple it to");
		return NULL;
	}
	if (strlen(staple) >= sizeof(s->path)) {
		snprintf(why, whylen, "path too long");
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	len = slurp(staple, w->resp, KTLSD_STAPLE_MAX);
	if (len <= 0) {
		snprintf(why, whylen, "%s", len == -EFBIG ?
			 "larger than 65531 bytes" : len == 0 ?
			 "empty" : strerror((int)-len));
		goto out;
	}
	if (check(w, cert, trust, (size_t)len, now, &next, why, whylen))
		goto out;
	s = calloc(1, sizeof(*s));
	if (!s)
		goto nomem;
	s->der = malloc((size_t)len);
	s->leaf = malloc(w->chain_len[0]);
	if (!s->der || !s->leaf)
		goto nomem;
	memcpy(s->der, w->resp, (size_t)len);
	s->len = (size_t)len;
	memcpy(s->leaf, w->chain[0], w->chain_len[0]);
	s->leaf_len = w->chain_len[0];
	s->next_update = next;
	snprintf(s->path, sizeof(s->path), "%s", staple);
	atomic_init(&s->warned, false);
	goto out;
nomem:
	snprintf(why, whylen, "out of memory");
	ktlsd_staple_free(s);
	s = NULL;
out:
	if (w->have_trust)
		x509_store_free(&w->trust);
	free(w);
	return s;
}

void ktlsd_staple_free(struct ktlsd_staple *s)
{
	if (!s)
		return;
	free(s->der);
	free(s->leaf);
	free(s);
}

bool ktlsd_staple_usable(struct ktlsd_staple *s, const uint8_t *leaf,
			 size_t leaf_len, int64_t now)
{
	char t[64];

	if (!s)
		return false;
	if (leaf_len != s->leaf_len || memcmp(leaf, s->leaf, leaf_len)) {
		if (!atomic_exchange(&s->warned, true))
			log_warn("x509.ocsp_staple %s: not stapled: the "
				 "certificate file changed since it was "
				 "loaded (reload ktlsd)", s->path);
		return false;
	}
	if (s->next_update && s->next_update < now) {
		if (!atomic_exchange(&s->warned, true)) {
			x509_time_text(s->next_update, t, sizeof(t));
			log_warn("x509.ocsp_staple %s: not stapled: it has "
				 "expired (nextUpdate %s); put a fresh "
				 "response there and reload", s->path, t);
		}
		return false;
	}
	return true;
}

static void load_one(struct ktlsd_x509_config *x, const char *where,
		     const char *trust, int64_t now)
{
	char why[384];

	x->staple = NULL;
	if (!x->ocsp_staple[0])
		return;
	x->staple = ktlsd_staple_load(x->ocsp_staple, x->certificate, trust,
				      now, why, sizeof(why));
	if (!x->staple)
		log_err("%s x509.ocsp_staple %s: not stapled: %s", where,
			x->ocsp_staple, why);
	else if (why[0])
		log_warn("%s x509.ocsp_staple %s: stapled, but %s", where,
			 x->ocsp_staple, why);
	else
		log_info("%s x509.ocsp_staple %s: %zu bytes, stapled for %s",
			 where, x->ocsp_staple, x->staple->len,
			 x->certificate);
}

void ktlsd_staples_load(struct ktlsd_config *cfg)
{
	int64_t now = (int64_t)time(NULL);
	char where[96];

	load_one(&cfg->server, "[authenticate.server]",
		 cfg->server.truststore, now);
	for (unsigned int i = 0; i < cfg->n_identities; i++) {
		struct ktlsd_identity *id = &cfg->identities[i];

		snprintf(where, sizeof(where), "[identity.%s]", id->name);
		load_one(&id->x509, where, id->x509.truststore[0] ?
			 id->x509.truststore : cfg->server.truststore, now);
	}
}

void ktlsd_staples_free(struct ktlsd_config *cfg)
{
	ktlsd_staple_free(cfg->server.staple);
	cfg->server.staple = NULL;
	for (unsigned int i = 0; i < cfg->n_identities; i++) {
		ktlsd_staple_free(cfg->identities[i].x509.staple);
		cfg->identities[i].x509.staple = NULL;
	}
}
