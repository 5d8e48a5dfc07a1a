// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The local handshake service's messages (uapi/ktlsd_local.h): encoders
 * and bounds-checked parsers. The request parser reads bytes from any
 * local user; it checks every length against what remains of the message
 * and against the attribute's own limit before it copies anything, refuses
 * duplicates of single attributes, unknown mandatory attributes, bad
 * padding, and strings with NULs or control characters, and says which
 * attribute and why.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ktlsd_client.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static int fail(char *why, size_t whylen, int err, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -err;
}

/* Encoding: a cursor that refuses to run past cap. */
struct enc {
	uint8_t *buf;
	size_t cap, len;
	bool overflow;
};

static void enc_attr(struct enc *e, uint16_t type, const void *v, size_t len)
{
	size_t padded = KTLSD_LOCAL_ALIGN(len);

	if (e->overflow || len > 0xffff || e->cap - e->len < 4 + padded) {
		e->overflow = true;
		return;
	}
	put16(e->buf + e->len, type);
	put16(e->buf + e->len + 2, (uint16_t)len);
	if (len)
		memcpy(e->buf + e->len + 4, v, len);
	memset(e->buf + e->len + 4 + len, 0, padded - len);
	e->len += 4 + padded;
}

static void enc_u8(struct enc *e, uint16_t type, uint8_t v)
{
	enc_attr(e, type, &v, 1);
}

static void enc_u16(struct enc *e, uint16_t type, uint16_t v)
{
	uint8_t b[2];

	put16(b, v);
	enc_attr(e, type, b, 2);
}

static void enc_u32(struct enc *e, uint16_t type, uint32_t v)
{
	uint8_t b[4];

	put32(b, v);
	enc_attr(e, type, b, 4);
}

static void enc_str(struct enc *e, uint16_t type, const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);

	if (n > max)
		e->overflow = true;
	else
		enc_attr(e, type, s, n);
}

static int enc_begin(struct enc *e, uint8_t *buf, size_t cap, uint16_t type)
{
	if (cap > KTLSD_LOCAL_MAX_MSG)
		cap = KTLSD_LOCAL_MAX_MSG;
	if (cap < sizeof(struct ktlsd_local_hdr))
		return -EMSGSIZE;
	*e = (struct enc){ .buf = buf, .cap = cap,
			   .len = sizeof(struct ktlsd_local_hdr) };
	put32(buf, KTLSD_LOCAL_MAGIC);
	put16(buf + 4, KTLSD_LOCAL_VERSION);
	put16(buf + 6, type);
	return 0;
}

static int enc_end(struct enc *e)
{
	if (e->overflow)
		return -EMSGSIZE;
	put32(e->buf + 8, (uint32_t)(e->len - sizeof(struct ktlsd_local_hdr)));
	return (int)e->len;
}

int ktlsd_local_encode_request(const struct ktlsd_hs_req *req, uint8_t *buf,
			       size_t cap)
{
	struct enc e;

	if (req->n_alpn > KTLSD_LOCAL_MAX_ALPN)
		return -EINVAL;
	if (enc_begin(&e, buf, cap, KTLSD_LOCAL_MSG_REQUEST))
		return -EMSGSIZE;
	enc_u8(&e, KTLSD_LOCAL_REQ_ROLE, (uint8_t)req->role);
	if (req->server_name)
		enc_str(&e, KTLSD_LOCAL_REQ_SERVER_NAME, req->server_name,
			KTLSD_LOCAL_MAX_NAME);
	for (unsigned int i = 0; i < req->n_alpn; i++)
		enc_str(&e, KTLSD_LOCAL_REQ_ALPN, req->alpn[i] ? req->alpn[i] :
			"", KTLSD_LOCAL_MAX_NAME);
	if (req->identity)
		enc_str(&e, KTLSD_LOCAL_REQ_IDENTITY, req->identity,
			KTLSD_LOCAL_MAX_IDENTITY);
	if (req->timeout_ms)
		enc_u32(&e, KTLSD_LOCAL_REQ_TIMEOUT_MS, req->timeout_ms);
	if (req->peer_auth)
		enc_u8(&e, KTLSD_LOCAL_REQ_PEER_AUTH, (uint8_t)req->peer_auth);
	return enc_end(&e);
}

int ktlsd_local_encode_reply(const struct ktlsd_hs_result *res, uint8_t *buf,
			     size_t cap)
{
	struct enc e;

	if (enc_begin(&e, buf, cap, KTLSD_LOCAL_MSG_REPLY))
		return -EMSGSIZE;
	enc_u32(&e, KTLSD_LOCAL_REP_STATUS, (uint32_t)res->status);
	if (res->alert >= 0 && res->alert <= 255) {
		enc_u8(&e, KTLSD_LOCAL_REP_ALERT, (uint8_t)res->alert);
		enc_u8(&e, KTLSD_LOCAL_REP_ALERT_SENT, res->alert_sent);
	}
	if (res->reason[0])
		enc_str(&e, KTLSD_LOCAL_REP_REASON, res->reason,
			KTLSD_LOCAL_MAX_REASON);
	if (res->version)
		enc_u16(&e, KTLSD_LOCAL_REP_VERSION, res->version);
	if (res->cipher)
		enc_u16(&e, KTLSD_LOCAL_REP_CIPHER, res->cipher);
	if (res->cipher_name[0])
		enc_str(&e, KTLSD_LOCAL_REP_CIPHER_NAME, res->cipher_name,
			KTLSD_LOCAL_MAX_NAME);
	if (res->group)
		enc_u16(&e, KTLSD_LOCAL_REP_GROUP, res->group);
	if (res->group_name[0])
		enc_str(&e, KTLSD_LOCAL_REP_GROUP_NAME, res->group_name,
			KTLSD_LOCAL_MAX_NAME);
	if (res->alpn[0])
		enc_str(&e, KTLSD_LOCAL_REP_ALPN, res->alpn,
			KTLSD_LOCAL_MAX_NAME);
	if (res->peer_subject[0])
		enc_str(&e, KTLSD_LOCAL_REP_PEER_SUBJECT, res->peer_subject,
			KTLSD_LOCAL_MAX_NAME);
	for (unsigned int i = 0; i < res->n_peer_san &&
	     i < KTLSD_LOCAL_MAX_SAN; i++)
		enc_str(&e, KTLSD_LOCAL_REP_PEER_SAN, res->peer_san[i],
			KTLSD_LOCAL_MAX_NAME);
	return enc_end(&e);
}

/* Parsing. */
struct attr {
	uint16_t type, len;
	const uint8_t *v;
};

struct dec {
	const uint8_t *p, *end;
};

static int dec_begin(struct dec *d, const uint8_t *buf, size_t len,
		     uint16_t type, char *why, size_t whylen)
{
	const size_t hl = sizeof(struct ktlsd_local_hdr);
	uint32_t body;

	if (len < hl)
		return fail(why, whylen, EBADMSG, "message of %zu bytes, "
			    "shorter than the %zu-byte header", len, hl);
	if (len > KTLSD_LOCAL_MAX_MSG)
		return fail(why, whylen, EMSGSIZE, "message of %zu bytes, over "
			    "the limit of %d", len, KTLSD_LOCAL_MAX_MSG);
	if (get32(buf) != KTLSD_LOCAL_MAGIC)
		return fail(why, whylen, EBADMSG, "bad magic 0x%08x",
			    get32(buf));
	if (get16(buf + 4) != KTLSD_LOCAL_VERSION)
		return fail(why, whylen, EPROTONOSUPPORT, "version %u; this "
			    "ktlsd speaks version %d", get16(buf + 4),
			    KTLSD_LOCAL_VERSION);
	if (get16(buf + 6) != type)
		return fail(why, whylen, EBADMSG, "message type %u, expected "
			    "%u", get16(buf + 6), type);
	body = get32(buf + 8);
	if (body != len - hl)
		return fail(why, whylen, EBADMSG, "header says %u bytes of "
			    "attributes, the message has %zu", body, len - hl);
	d->p = buf + hl;
	d->end = buf + len;
	return 0;
}

/* 1: *a filled; 0: end; -errno: malformed. */
static int dec_next(struct dec *d, struct attr *a, char *why, size_t whylen)
{
	size_t left = (size_t)(d->end - d->p), padded;

	if (!left)
		return 0;
	if (left < 4)
		return fail(why, whylen, EBADMSG, "%zu stray bytes after the "
			    "last attribute", left);
	a->type = get16(d->p);
	a->len = get16(d->p + 2);
	padded = KTLSD_LOCAL_ALIGN((size_t)a->len);
	if (padded > left - 4)
		return fail(why, whylen, EBADMSG, "attribute %u: length %u "
			    "runs past the end of the message", a->type,
			    a->len);
	a->v = d->p + 4;
	for (size_t i = a->len; i < padded; i++)
		if (a->v[i])
			return fail(why, whylen, EBADMSG, "attribute %u: "
				    "nonzero padding", a->type);
	d->p += 4 + padded;
	return 1;
}

static int want_len(const struct attr *a, const char *name, size_t n,
		    char *why, size_t whylen)
{
	if (a->len != n)
		return fail(why, whylen, EINVAL, "%s: %u bytes, expected %zu",
			    name, a->len, n);
	return 0;
}

/* A string value into dst (cap bytes with its NUL). */
static int get_str(const struct attr *a, const char *name, char *dst,
		   size_t max, char *why, size_t whylen)
{
	if (!a->len)
		return fail(why, whylen, EINVAL, "%s: empty", name);
	if (a->len > max)
		return fail(why, whylen, EINVAL, "%s: %u bytes, the limit is "
			    "%zu", name, a->len, max);
	for (size_t i = 0; i < a->len; i++)
		if (a->v[i] < 0x20 || a->v[i] == 0x7f)
			return fail(why, whylen, EINVAL, "%s: a NUL or control "
				    "character at byte %zu", name, i);
	memcpy(dst, a->v, a->len);
	dst[a->len] = '\0';
	return 0;
}

static int once(uint32_t *seen, uint16_t type, const char *name, char *why,
		size_t whylen)
{
	if (*seen & 1u << type)
		return fail(why, whylen, EINVAL, "%s given twice", name);
	*seen |= 1u << type;
	return 0;
}

int ktlsd_local_parse_request(const uint8_t *buf, size_t len,
			      struct ktlsd_local_request *out, char *why,
			      size_t whylen)
{
	struct dec d;
	struct attr a;
	uint32_t seen = 0;
	int r;

	memset(out, 0, sizeof(*out));
	out->timeout_ms = 30000;
	r = dec_begin(&d, buf, len, KTLSD_LOCAL_MSG_REQUEST, why, whylen);
	if (r)
		return r;
	while ((r = dec_next(&d, &a, why, whylen)) == 1) {
		switch (a.type) {
		case KTLSD_LOCAL_REQ_ROLE:
			if ((r = once(&seen, a.type, "ROLE", why, whylen)) ||
			    (r = want_len(&a, "ROLE", 1, why, whylen)))
				return r;
			out->role = a.v[0];
			if (out->role != KTLSD_LOCAL_ROLE_CLIENT &&
			    out->role != KTLSD_LOCAL_ROLE_SERVER)
				return fail(why, whylen, EINVAL, "ROLE %u: "
					    "neither client (1) nor server (2)",
					    out->role);
			break;
		case KTLSD_LOCAL_REQ_SERVER_NAME:
			if ((r = once(&seen, a.type, "SERVER_NAME", why,
				      whylen)) ||
			    (r = get_str(&a, "SERVER_NAME", out->server_name,
					 KTLSD_LOCAL_MAX_NAME, why, whylen)))
				return r;
			break;
		case KTLSD_LOCAL_REQ_ALPN:
			if (out->n_alpn == KTLSD_LOCAL_MAX_ALPN)
				return fail(why, whylen, EINVAL, "more than %d "
					    "ALPN protocols",
					    KTLSD_LOCAL_MAX_ALPN);
			r = get_str(&a, "ALPN", out->alpn[out->n_alpn],
				    KTLSD_LOCAL_MAX_NAME, why, whylen);
			if (r)
				return r;
			out->n_alpn++;
			break;
		case KTLSD_LOCAL_REQ_IDENTITY:
			if ((r = once(&seen, a.type, "IDENTITY", why, whylen)) ||
			    (r = get_str(&a, "IDENTITY", out->identity,
					 KTLSD_LOCAL_MAX_IDENTITY, why,
					 whylen)))
				return r;
			break;
		case KTLSD_LOCAL_REQ_TIMEOUT_MS:
			if ((r = once(&seen, a.type, "TIMEOUT_MS", why,
				      whylen)) ||
			    (r = want_len(&a, "TIMEOUT_MS", 4, why, whylen)))
				return r;
			out->timeout_ms = get32(a.v);
			if (!out->timeout_ms ||
			    out->timeout_ms > KTLSD_LOCAL_MAX_TIMEOUT_MS)
				return fail(why, whylen, EINVAL, "TIMEOUT_MS %u: "
					    "not in 1..%d", out->timeout_ms,
					    KTLSD_LOCAL_MAX_TIMEOUT_MS);
			break;
		case KTLSD_LOCAL_REQ_PEER_AUTH:
			if ((r = once(&seen, a.type, "PEER_AUTH", why,
				      whylen)) ||
			    (r = want_len(&a, "PEER_AUTH", 1, why, whylen)))
				return r;
			out->peer_auth = a.v[0];
			if (out->peer_auth > KTLSD_LOCAL_PEER_AUTH_REQUIRE)
				return fail(why, whylen, EINVAL, "PEER_AUTH %u: "
					    "not 0, 1 or 2", out->peer_auth);
			break;
		default:
			if (!(a.type & KTLSD_LOCAL_ATTR_OPTIONAL))
				return fail(why, whylen, EOPNOTSUPP,
					    "unknown attribute %u", a.type);
			break;
		}
	}
	if (r < 0)
		return r;
	if (!out->role)
		return fail(why, whylen, EINVAL, "no ROLE");
	if (out->role == KTLSD_LOCAL_ROLE_CLIENT && !out->server_name[0])
		return fail(why, whylen, EINVAL, "the client role needs a "
			    "SERVER_NAME to verify the server against");
	if (out->role == KTLSD_LOCAL_ROLE_SERVER && out->server_name[0])
		return fail(why, whylen, EINVAL, "SERVER_NAME is for the "
			    "client role");
	if (out->role == KTLSD_LOCAL_ROLE_CLIENT && out->peer_auth)
		return fail(why, whylen, EINVAL, "PEER_AUTH is for the server "
			    "role (a client always verifies the server)");
	return 0;
}

int ktlsd_local_parse_reply(const uint8_t *buf, size_t len,
			    struct ktlsd_hs_result *res, char *why,
			    size_t whylen)
{
	struct dec d;
	struct attr a;
	bool status = false;
	int r;

	memset(res, 0, sizeof(*res));
	res->alert = -1;
	r = dec_begin(&d, buf, len, KTLSD_LOCAL_MSG_REPLY, why, whylen);
	if (r)
		return r;
	while ((r = dec_next(&d, &a, why, whylen)) == 1) {
		switch (a.type) {
		case KTLSD_LOCAL_REP_STATUS:
			if ((r = want_len(&a, "STATUS", 4, why, whylen)))
				return r;
			if (get32(a.v) > 4095)
				return fail(why, whylen, EBADMSG, "STATUS %u: "
					    "not an errno", get32(a.v));
			res->status = (int)get32(a.v);
			status = true;
			break;
		case KTLSD_LOCAL_REP_ALERT:
			if ((r = want_len(&a, "ALERT", 1, why, whylen)))
				return r;
			res->alert = a.v[0];
			break;
		case KTLSD_LOCAL_REP_ALERT_SENT:
			if ((r = want_len(&a, "ALERT_SENT", 1, why, whylen)))
				return r;
			res->alert_sent = a.v[0] != 0;
			break;
		case KTLSD_LOCAL_REP_REASON:
			r = get_str(&a, "REASON", res->reason,
				    KTLSD_LOCAL_MAX_REASON, why, whylen);
			break;
		case KTLSD_LOCAL_REP_VERSION:
		case KTLSD_LOCAL_REP_CIPHER:
		case KTLSD_LOCAL_REP_GROUP:
			if ((r = want_len(&a, "a 16-bit attribute", 2, why,
					  whylen)))
				return r;
			*(a.type == KTLSD_LOCAL_REP_VERSION ? &res->version :
			  a.type == KTLSD_LOCAL_REP_CIPHER ? &res->cipher :
			  &res->group) = get16(a.v);
			break;
		case KTLSD_LOCAL_REP_CIPHER_NAME:
			r = get_str(&a, "CIPHER_NAME", res->cipher_name,
				    KTLSD_LOCAL_MAX_NAME, why, whylen);
			break;
		case KTLSD_LOCAL_REP_GROUP_NAME:
			r = get_str(&a, "GROUP_NAME", res->group_name,
				    KTLSD_LOCAL_MAX_NAME, why, whylen);
			break;
		case KTLSD_LOCAL_REP_ALPN:
			r = get_str(&a, "ALPN", res->alpn,
				    KTLSD_LOCAL_MAX_NAME, why, whylen);
			break;
		case KTLSD_LOCAL_REP_PEER_SUBJECT:
			r = get_str(&a, "PEER_SUBJECT", res->peer_subject,
				    KTLSD_LOCAL_MAX_NAME, why, whylen);
			break;
		case KTLSD_LOCAL_REP_PEER_SAN:
			if (res->n_peer_san == KTLSD_LOCAL_MAX_SAN)
				return fail(why, whylen, EBADMSG, "more than "
					    "%d PEER_SAN", KTLSD_LOCAL_MAX_SAN);
			r = get_str(&a, "PEER_SAN",
				    res->peer_san[res->n_peer_san],
				    KTLSD_LOCAL_MAX_NAME, why, whylen);
			if (!r)
				res->n_peer_san++;
			break;
		default:
			if (!(a.type & KTLSD_LOCAL_ATTR_OPTIONAL))
				return fail(why, whylen, EOPNOTSUPP,
					    "unknown attribute %u", a.type);
			break;
		}
		if (r)
			return r < 0 ? r : -EBADMSG;
	}
	if (r < 0)
		return r;
	if (!status)
		return fail(why, whylen, EBADMSG, "no STATUS");
	return 0;
}
