/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * x509_der.h: a bounds-checked, allocation-free DER reader, and the error
 * convention shared by every parser in agent/x509/.
 *
 * A reader is a window [p, end) over caller-owned bytes. Every item read
 * points into that window; nothing is copied and nothing is allocated, so
 * the parsed structures live exactly as long as the caller's buffer.
 *
 * Every fallible function returns enum x509_err: 0 (X509_OK) or a reason.
 * The compiler checks that the result is used.
 */
#ifndef KTLSD_X509_DER_H
#define KTLSD_X509_DER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define X509_MUST_CHECK __attribute__((warn_unused_result))

enum x509_err {
	X509_OK = 0,
	/* DER encoding */
	X509_E_TRUNCATED,	/* an item runs past the end of its container */
	X509_E_TAG,		/* unexpected or unsupported identifier octet */
	X509_E_LENGTH,		/* indefinite, non-minimal or over-long length */
	X509_E_TOO_DEEP,	/* nesting deeper than DER_MAX_DEPTH */
	X509_E_TRAILING,	/* bytes left over where none may be */
	X509_E_INTEGER,		/* empty, non-minimal or out-of-range INTEGER */
	X509_E_BOOLEAN,		/* BOOLEAN other than 0x00 / 0xFF */
	X509_E_BIT_STRING,	/* bad unused-bits count or nonzero padding */
	X509_E_OID,		/* malformed OBJECT IDENTIFIER */
	X509_E_TIME,		/* malformed UTCTime / GeneralizedTime */
	X509_E_NULL,		/* NULL with contents */
	X509_E_STRING,		/* character string with forbidden bytes */
	/* X.509 structure (RFC 5280) */
	X509_E_VERSION,		/* bad version, or a field the version forbids */
	X509_E_SERIAL,		/* serial number longer than 20 octets */
	X509_E_SIG_ALG_MISMATCH, /* TBS signature != signatureAlgorithm */
	X509_E_EXTENSION,	/* a known extension with a bad value */
	X509_E_DUPLICATE_EXT,	/* the same extension twice */
	X509_E_TOO_MANY,	/* a count cap (extensions, SANs, ...) exceeded */
	X509_E_EMPTY,		/* SEQUENCE SIZE (1..MAX) that is empty */
	X509_E_NAME,		/* malformed Name or GeneralName */
	/* Name logic (RFC 6125, RFC 5280 §4.2.1.10) */
	X509_E_REFERENCE,	/* the reference identity is not a valid name */
	X509_E_NAME_MISMATCH,	/* no presented identifier matches */
	X509_E_NC_EXCLUDED,	/* a name falls in an excluded subtree */
	X509_E_NC_NOT_PERMITTED, /* a name is outside every permitted subtree */
	X509_E_NC_UNSUPPORTED,	/* a constrained name form we cannot check */
	/* OCSP (RFC 6960) */
	X509_E_UNSUPPORTED,	/* a value we do not know or do not accept */
	X509_E__COUNT
};

const char *x509_strerror(enum x509_err err);

/*
 * Where a parse failed, for logs and alerts: the reason, and a path naming
 * the field, such as
 *	"certificate: extensions: subjectAltName: iPAddress of length 5".
 * doc is set by the top-level parser ("certificate", "crl").
 */
struct x509_error {
	enum x509_err reason;
	const char *doc;
	char where[192];
};

/* Records reason and the formatted field path; returns reason. */
enum x509_err x509_fail(struct x509_error *e, enum x509_err reason,
			const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A span of bytes inside the caller's buffer. */
struct x509_span {
	const uint8_t *p;
	size_t len;
};

static inline bool x509_span_eq(struct x509_span a, struct x509_span b)
{
	return a.len == b.len && (a.len == 0 || !__builtin_memcmp(a.p, b.p, a.len));
}

/* Identifier octets we meet (X.690 §8.1.2); only the low-tag-number form. */
enum {
	DER_BOOLEAN = 0x01,
	DER_INTEGER = 0x02,
	DER_BIT_STRING = 0x03,
	DER_OCTET_STRING = 0x04,
	DER_NULL = 0x05,
	DER_OID = 0x06,
	DER_ENUMERATED = 0x0a,
	DER_UTF8_STRING = 0x0c,
	DER_PRINTABLE_STRING = 0x13,
	DER_IA5_STRING = 0x16,
	DER_UTC_TIME = 0x17,
	DER_GENERALIZED_TIME = 0x18,
	DER_SEQUENCE = 0x30,
	DER_SET = 0x31,
};
#define DER_CONSTRUCTED 0x20
#define DER_CTX(n) (0x80 | (n))			/* [n] IMPLICIT, primitive */
#define DER_CTX_CONS(n) (0xa0 | (n))		/* [n] EXPLICIT or constructed */

/* Limits: a certificate chain is at most 2^24 bytes in TLS 1.3. */
#define DER_MAX_LEN ((size_t)1 << 24)
#define DER_MAX_DEPTH 16
#define DER_MAX_OID_LEN 64

struct der {
	const uint8_t *p;	/* next unread byte */
	const uint8_t *end;	/* one past the last byte */
	unsigned int depth;	/* constructed levels entered to get here */
};

/* One TLV: tag, the contents, and the whole encoding (tag and length too). */
struct der_tlv {
	uint8_t tag;
	struct x509_span val;
	struct x509_span raw;
};

void der_init(struct der *d, const uint8_t *buf, size_t len);

static inline bool der_empty(const struct der *d)
{
	return d->p == d->end;
}

/* The next tag, or 0 (never a valid tag here) if the reader is empty. */
static inline uint8_t der_peek(const struct der *d)
{
	return d->p < d->end ? d->p[0] : 0;
}

/* X509_E_TRAILING unless every byte was consumed. */
enum x509_err der_done(const struct der *d) X509_MUST_CHECK;

/* Any TLV. */
enum x509_err der_next(struct der *d, struct der_tlv *t) X509_MUST_CHECK;
/* A TLV whose identifier octet is exactly tag. */
enum x509_err der_expect(struct der *d, uint8_t tag, struct der_tlv *t)
	X509_MUST_CHECK;
/* An OPTIONAL item: *present says whether the next tag was tag. */
enum x509_err der_optional(struct der *d, uint8_t tag, struct der_tlv *t,
			   bool *present) X509_MUST_CHECK;
/* A constructed item (SEQUENCE, SET, [n] EXPLICIT): sub reads its contents. */
enum x509_err der_enter(struct der *d, uint8_t tag, struct der *sub)
	X509_MUST_CHECK;
/* Contents of an OCTET STRING that themselves hold DER (extnValue). */
enum x509_err der_enter_octets(struct der *d, struct der *sub) X509_MUST_CHECK;

/* Primitive decoders: each checks the DER rules for the contents of t. */
enum x509_err der_integer_check(struct x509_span v) X509_MUST_CHECK;
/* A non-negative INTEGER that fits in 0..max. */
enum x509_err der_small_uint(struct x509_span v, uint32_t max, uint32_t *out)
	X509_MUST_CHECK;
enum x509_err der_boolean(struct x509_span v, bool *out) X509_MUST_CHECK;
enum x509_err der_null(struct x509_span v) X509_MUST_CHECK;
enum x509_err der_oid_check(struct x509_span v) X509_MUST_CHECK;
/* BIT STRING: bits gets the bytes after the unused-bits octet. */
enum x509_err der_bit_string(struct x509_span v, struct x509_span *bits,
			     unsigned int *unused) X509_MUST_CHECK;
/* Time ::= CHOICE { utcTime, generalTime }: seconds since the epoch. */
enum x509_err der_time(const struct der_tlv *t, int64_t *out) X509_MUST_CHECK;
/* IA5String contents: 7-bit ASCII. */
enum x509_err der_ia5_check(struct x509_span v) X509_MUST_CHECK;

/* Compare an OID's contents with a constant written as bytes. */
static inline bool der_oid_is(struct x509_span oid, const uint8_t *c,
			      size_t n)
{
	return oid.len == n && !__builtin_memcmp(oid.p, c, n);
}

#endif /* KTLSD_X509_DER_H */
