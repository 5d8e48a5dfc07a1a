// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * x509_der.c: the DER reader under the certificate and CRL parsers.
 *
 * Why it is shaped so. Certificates arrive from the network before anything
 * about them is trusted, so the reader is the one place where untrusted
 * lengths meet pointers, and it is kept small enough to check by eye:
 *
 *  - A reader is a window [p, end). A TLV is accepted only if its whole
 *    encoding lies inside the window; a constructed item yields a new window
 *    over exactly its contents, one level deeper. Nothing can read past the
 *    window it was given, so the parsers above never do pointer arithmetic.
 *  - DER, not BER (X.690 §10): definite lengths only, in the fewest octets
 *    (§10.1), BOOLEAN TRUE is 0xFF (§11.1), BIT STRING padding bits are zero
 *    (§11.2.1), INTEGERs are minimal (§8.3.2). A certificate has exactly one
 *    encoding, so a signature over the TBS bytes means what we parse.
 *  - Only the low-tag-number form (tag numbers 0..30) exists in X.509; the
 *    high form is rejected rather than half-supported.
 *  - Nesting is capped (DER_MAX_DEPTH) and lengths are capped (DER_MAX_LEN)
 *    so no input can make the parsers above do unbounded work.
 *  - No allocation and no mutable state outside the caller's structures:
 *    items point into the caller's buffer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "x509_der.h"

static const char *const x509_err_names[X509_E__COUNT] = {
	[X509_OK] = "success",
	[X509_E_TRUNCATED] = "truncated",
	[X509_E_TAG] = "unexpected tag",
	[X509_E_LENGTH] = "bad length encoding",
	[X509_E_TOO_DEEP] = "nested too deeply",
	[X509_E_TRAILING] = "trailing data",
	[X509_E_INTEGER] = "bad INTEGER",
	[X509_E_BOOLEAN] = "bad BOOLEAN",
	[X509_E_BIT_STRING] = "bad BIT STRING",
	[X509_E_OID] = "bad OBJECT IDENTIFIER",
	[X509_E_TIME] = "bad time",
	[X509_E_NULL] = "bad NULL",
	[X509_E_STRING] = "bad character string",
	[X509_E_VERSION] = "bad version",
	[X509_E_SERIAL] = "bad serial number",
	[X509_E_SIG_ALG_MISMATCH] = "signature algorithms differ",
	[X509_E_EXTENSION] = "bad extension value",
	[X509_E_DUPLICATE_EXT] = "duplicate extension",
	[X509_E_TOO_MANY] = "too many entries",
	[X509_E_EMPTY] = "empty where one or more is required",
	[X509_E_NAME] = "bad name",
	[X509_E_REFERENCE] = "bad reference identity",
	[X509_E_NAME_MISMATCH] = "name mismatch",
	[X509_E_NC_EXCLUDED] = "name in an excluded subtree",
	[X509_E_NC_NOT_PERMITTED] = "name outside the permitted subtrees",
	[X509_E_NC_UNSUPPORTED] = "name constraint form not supported",
	[X509_E_UNSUPPORTED] = "unsupported value",
};

const char *x509_strerror(enum x509_err err)
{
	if ((unsigned int)err >= X509_E__COUNT || !x509_err_names[err])
		return "unknown error";
	return x509_err_names[err];
}

enum x509_err x509_fail(struct x509_error *e, enum x509_err reason,
			const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (!e)
		return reason;
	e->reason = reason;
	if (e->doc)
		n = snprintf(e->where, sizeof(e->where), "%s: ", e->doc);
	if (n < 0 || (size_t)n >= sizeof(e->where))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(e->where + n, sizeof(e->where) - n, fmt, ap);
	va_end(ap);
	return reason;
}

void der_init(struct der *d, const uint8_t *buf, size_t len)
{
	d->p = buf;
	d->end = buf + len;
	d->depth = 0;
}

enum x509_err der_done(const struct der *d)
{
	return der_empty(d) ? X509_OK : X509_E_TRAILING;
}

/*
 * X.690 §8.1.3 and §10.1: the definite form only, in the minimum number of
 * octets. Long-form lengths below 128, or with a leading zero octet, are BER.
 */
enum x509_err der_next(struct der *d, struct der_tlv *t)
{
	const uint8_t *start = d->p;
	size_t avail = (size_t)(d->end - d->p);
	size_t len, hdr = 2;
	uint8_t tag;

	if (avail < 2)
		return X509_E_TRUNCATED;
	tag = d->p[0];
	/* Tag number 0 is reserved (end-of-contents); 31 is the high form. */
	if ((tag & 0x1f) == 0x1f || tag == 0)
		return X509_E_TAG;
	len = d->p[1];
	if (len & 0x80) {
		size_t n = len & 0x7f, i;

		/* 0x80: indefinite (BER only); > 3 octets: over DER_MAX_LEN. */
		if (n == 0 || n > 3)
			return X509_E_LENGTH;
		if (avail < 2 + n)
			return X509_E_TRUNCATED;
		if (d->p[2] == 0)
			return X509_E_LENGTH;
		len = 0;
		for (i = 0; i < n; i++)
			len = (len << 8) | d->p[2 + i];
		if (len < 0x80)
			return X509_E_LENGTH;
		hdr += n;
	}
	if (len > DER_MAX_LEN)
		return X509_E_LENGTH;
	if (len > avail - hdr)
		return X509_E_TRUNCATED;
	t->tag = tag;
	t->val.p = start + hdr;
	t->val.len = len;
	t->raw.p = start;
	t->raw.len = hdr + len;
	d->p = start + hdr + len;
	return X509_OK;
}

enum x509_err der_expect(struct der *d, uint8_t tag, struct der_tlv *t)
{
	if (der_empty(d))
		return X509_E_TRUNCATED;
	if (der_peek(d) != tag)
		return X509_E_TAG;
	return der_next(d, t);
}

enum x509_err der_optional(struct der *d, uint8_t tag, struct der_tlv *t,
			   bool *present)
{
	*present = !der_empty(d) && der_peek(d) == tag;
	if (!*present)
		return X509_OK;
	return der_next(d, t);
}

static enum x509_err der_sub(const struct der *d, struct x509_span v,
			     struct der *sub)
{
	if (d->depth + 1 > DER_MAX_DEPTH)
		return X509_E_TOO_DEEP;
	sub->p = v.p;
	sub->end = v.p + v.len;
	sub->depth = d->depth + 1;
	return X509_OK;
}

enum x509_err der_enter(struct der *d, uint8_t tag, struct der *sub)
{
	struct der_tlv t;
	enum x509_err r;

	if (!(tag & DER_CONSTRUCTED))
		return X509_E_TAG;
	r = der_expect(d, tag, &t);
	if (r)
		return r;
	return der_sub(d, t.val, sub);
}

enum x509_err der_enter_octets(struct der *d, struct der *sub)
{
	struct der_tlv t;
	enum x509_err r;

	r = der_expect(d, DER_OCTET_STRING, &t);
	if (r)
		return r;
	return der_sub(d, t.val, sub);
}

/*
 * X.690 §8.3.2: "If the contents octets of an integer value encoding
 * consist of more than one octet, then the bits of the first octet and bit 8
 * of the second octet shall not all be ones; and shall not all be zero."
 */
enum x509_err der_integer_check(struct x509_span v)
{
	if (v.len == 0)
		return X509_E_INTEGER;
	if (v.len > 1 &&
	    ((v.p[0] == 0x00 && !(v.p[1] & 0x80)) ||
	     (v.p[0] == 0xff && (v.p[1] & 0x80))))
		return X509_E_INTEGER;
	return X509_OK;
}

enum x509_err der_small_uint(struct x509_span v, uint32_t max, uint32_t *out)
{
	uint64_t n = 0;
	size_t i;

	if (der_integer_check(v) || (v.p[0] & 0x80))
		return X509_E_INTEGER;
	if (v.len > 5)		/* a leading 0x00 and four octets at most */
		return X509_E_INTEGER;
	for (i = 0; i < v.len; i++)
		n = (n << 8) | v.p[i];
	if (n > max)
		return X509_E_INTEGER;
	*out = (uint32_t)n;
	return X509_OK;
}

/* X.690 §11.1: "If the encoding represents the boolean value TRUE, its
 * single contents octet shall have all eight bits set to one." */
enum x509_err der_boolean(struct x509_span v, bool *out)
{
	if (v.len != 1 || (v.p[0] != 0x00 && v.p[0] != 0xff))
		return X509_E_BOOLEAN;
	*out = v.p[0] == 0xff;
	return X509_OK;
}

enum x509_err der_null(struct x509_span v)
{
	return v.len ? X509_E_NULL : X509_OK;
}

/*
 * X.690 §8.19.2: each subidentifier is base-128, high bit set on all but
 * its last octet, and "shall be encoded in the fewest possible octets", so
 * no subidentifier starts with 0x80.
 */
enum x509_err der_oid_check(struct x509_span v)
{
	size_t i;

	if (v.len == 0 || v.len > DER_MAX_OID_LEN)
		return X509_E_OID;
	if (v.p[v.len - 1] & 0x80)
		return X509_E_OID;
	for (i = 0; i < v.len; i++) {
		bool starts = i == 0 || !(v.p[i - 1] & 0x80);

		if (starts && v.p[i] == 0x80)
			return X509_E_OID;
	}
	return X509_OK;
}

/*
 * X.690 §8.6.2: the first contents octet counts the unused bits (0..7) in
 * the last octet; an empty string has 0. §11.2.1: in DER those bits are 0.
 */
enum x509_err der_bit_string(struct x509_span v, struct x509_span *bits,
			     unsigned int *unused)
{
	unsigned int u;

	if (v.len == 0)
		return X509_E_BIT_STRING;
	u = v.p[0];
	if (u > 7 || (v.len == 1 && u != 0))
		return X509_E_BIT_STRING;
	if (u && (v.p[v.len - 1] & ((1u << u) - 1)))
		return X509_E_BIT_STRING;
	bits->p = v.p + 1;
	bits->len = v.len - 1;
	*unused = u;
	return X509_OK;
}

enum x509_err der_ia5_check(struct x509_span v)
{
	size_t i;

	for (i = 0; i < v.len; i++)
		if (v.p[i] & 0x80)
			return X509_E_STRING;
	return X509_OK;
}

static bool two_digits(const uint8_t *s, unsigned int *out)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return false;
	*out = (s[0] - '0') * 10u + (s[1] - '0');
	return true;
}

static bool is_leap(unsigned int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Leap years in [1, y]: the proleptic Gregorian calendar. */
static int64_t leaps_through(int64_t y)
{
	return y / 4 - y / 100 + y / 400;
}

static int64_t days_since_epoch(unsigned int y, unsigned int mon,
				unsigned int day)
{
	static const uint16_t before_month[12] = {
		0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
	};
	int64_t days = 365 * ((int64_t)y - 1970) +
		       (leaps_through(y - 1) - leaps_through(1969));

	days += before_month[mon - 1] + (day - 1);
	if (mon > 2 && is_leap(y))
		days++;
	return days;
}

/*
 * RFC 5280 §4.1.2.5: "CAs conforming to this profile MUST always encode
 * certificate validity dates through the year 2049 as UTCTime; certificate
 * validity dates in 2050 or later MUST be encoded as GeneralizedTime."
 *
 * §4.1.2.5.1 UTCTime: "MUST be expressed in Greenwich Mean Time (Zulu) and
 * MUST include seconds (i.e., times are YYMMDDHHMMSSZ) ... Where YY is
 * greater than or equal to 50, the year SHALL be interpreted as 19YY; and
 * Where YY is less than 50, the year SHALL be interpreted as 20YY."
 *
 * §4.1.2.5.2 GeneralizedTime: "MUST be expressed in Greenwich Mean Time
 * (Zulu) and MUST include seconds (i.e., times are YYYYMMDDHHMMSSZ) ...
 * MUST NOT include fractional seconds."
 *
 * We accept either form for any year (the MUST is on CAs, and what matters
 * to the verifier is the instant), but nothing else: no offsets, no
 * fractions, no missing seconds, no second 60.
 */
enum x509_err der_time(const struct der_tlv *t, int64_t *out)
{
	static const uint8_t mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	const uint8_t *s = t->val.p;
	unsigned int y, c, mon, day, h, min, sec, dim;

	if (t->tag == DER_UTC_TIME) {
		if (t->val.len != 13 || !two_digits(s, &y))
			return X509_E_TIME;
		y += y >= 50 ? 1900 : 2000;
		s += 2;
	} else if (t->tag == DER_GENERALIZED_TIME) {
		if (t->val.len != 15 || !two_digits(s, &c) ||
		    !two_digits(s + 2, &y))
			return X509_E_TIME;
		y += c * 100;
		if (y == 0)
			return X509_E_TIME;
		s += 4;
	} else {
		return X509_E_TAG;
	}
	if (!two_digits(s, &mon) || !two_digits(s + 2, &day) ||
	    !two_digits(s + 4, &h) || !two_digits(s + 6, &min) ||
	    !two_digits(s + 8, &sec) || s[10] != 'Z')
		return X509_E_TIME;
	if (mon < 1 || mon > 12 || h > 23 || min > 59 || sec > 59)
		return X509_E_TIME;
	dim = mdays[mon - 1] + (mon == 2 && is_leap(y));
	if (day < 1 || day > dim)
		return X509_E_TIME;
	*out = days_since_epoch(y, mon, day) * 86400 + h * 3600 + min * 60 +
	       sec;
	return X509_OK;
}
