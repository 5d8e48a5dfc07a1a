// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The DER reader accepts exactly DER: definite minimal lengths, minimal
 * INTEGERs, BOOLEAN 0x00/0xFF, clean BIT STRINGs and OIDs, RFC 5280 times,
 * bounded nesting; and never reads outside its window.
 */
#include <stdint.h>
#include <stdlib.h>

#include "x509_der.h"
#include "tap.h"

/* Parse one TLV from a heap copy of exactly n bytes (so ASan sees overreads). */
static enum x509_err one(const uint8_t *b, size_t n, struct der_tlv *t)
{
	uint8_t *copy = malloc(n ? n : 1);
	struct der d;
	enum x509_err r;

	memcpy(copy, b, n);
	der_init(&d, copy, n);
	r = der_next(&d, t);
	if (!r)
		r = der_done(&d);
	free(copy);
	return r;
}

#define ONE(r, ...) do {						\
	static const uint8_t in_[] = { __VA_ARGS__ };			\
	struct der_tlv t_;						\
	TAP_CHECK_EQ(one(in_, sizeof(in_), &t_), (r));			\
} while (0)

TAP_TEST(lengths)
{
	ONE(X509_OK, 0x04, 0x00);
	ONE(X509_OK, 0x04, 0x01, 0xaa);
	ONE(X509_E_TRUNCATED, 0x04);
	ONE(X509_E_TRUNCATED, 0x04, 0x02, 0xaa);
	ONE(X509_E_LENGTH, 0x04, 0x80);			/* indefinite */
	ONE(X509_E_LENGTH, 0x04, 0x81, 0x01, 0xaa);	/* long form < 128 */
	ONE(X509_E_LENGTH, 0x04, 0x82, 0x00, 0x81);	/* leading zero */
	ONE(X509_E_LENGTH, 0x04, 0x84, 0x01, 0x00, 0x00, 0x00);	/* > 2^24 */
	ONE(X509_E_LENGTH, 0x04, 0xff);
	ONE(X509_E_TRUNCATED, 0x04, 0x82, 0x01);
	ONE(X509_E_TRUNCATED, 0x04, 0x81, 0x80, 0x00);
	ONE(X509_E_TAG, 0x1f, 0x01, 0x00);		/* high tag number form */
	ONE(X509_E_TAG, 0x00, 0x00);			/* end-of-contents */
	ONE(X509_E_TRAILING, 0x05, 0x00, 0x00);
}

TAP_TEST(long_form_length)
{
	static uint8_t b[4 + 300];
	struct der_tlv t;

	b[0] = 0x04;
	b[1] = 0x82;
	b[2] = 0x01;
	b[3] = 0x2c;		/* 300 - 1 bytes follow: one short */
	TAP_CHECK_EQ(one(b, 4 + 299, &t), X509_E_TRUNCATED);
	TAP_CHECK_EQ(one(b, 4 + 300, &t), X509_OK);
	TAP_CHECK_EQ(t.val.len, 300);
	TAP_CHECK_EQ(t.raw.len, 304);
}

TAP_TEST(depth_limit)
{
	uint8_t b[2 * (DER_MAX_DEPTH + 2)];
	struct der d[DER_MAX_DEPTH + 3];
	unsigned int i, n = DER_MAX_DEPTH + 1;

	/* n nested empty SEQUENCEs: 30 2(n-1) 30 2(n-2) ... 30 00 */
	for (i = 0; i < n; i++) {
		b[2 * i] = 0x30;
		b[2 * i + 1] = (uint8_t)(2 * (n - 1 - i));
	}
	der_init(&d[0], b, 2 * n);
	for (i = 0; i < DER_MAX_DEPTH; i++)
		TAP_CHECK_EQ(der_enter(&d[i], DER_SEQUENCE, &d[i + 1]), X509_OK);
	TAP_CHECK_EQ(der_enter(&d[i], DER_SEQUENCE, &d[i + 1]),
		     X509_E_TOO_DEEP);
}

TAP_TEST(enter_and_expect)
{
	static const uint8_t b[] = { 0x30, 0x03, 0x02, 0x01, 0x05, 0x01 };
	struct der d, s;
	struct der_tlv t;
	bool present;

	der_init(&d, b, sizeof(b));
	TAP_CHECK_EQ(der_enter(&d, DER_SET, &s), X509_E_TAG);
	TAP_CHECK_EQ(der_enter(&d, DER_INTEGER, &s), X509_E_TAG);
	TAP_CHECK_EQ(der_enter(&d, DER_SEQUENCE, &s), X509_OK);
	TAP_CHECK_EQ(der_optional(&s, DER_BOOLEAN, &t, &present), X509_OK);
	TAP_CHECK(!present);
	TAP_CHECK_EQ(der_expect(&s, DER_INTEGER, &t), X509_OK);
	TAP_CHECK_EQ(t.val.p[0], 5);
	TAP_CHECK_EQ(der_done(&s), X509_OK);
	TAP_CHECK_EQ(der_done(&d), X509_E_TRAILING);
	TAP_CHECK_EQ(der_expect(&s, DER_INTEGER, &t), X509_E_TRUNCATED);
	/* the stray byte is no TLV */
	TAP_CHECK_EQ(der_next(&d, &t), X509_E_TRUNCATED);
}

/* extnValue: an OCTET STRING whose contents are DER again */
TAP_TEST(octets_holding_der)
{
	static const uint8_t b[] = { 0x04, 0x03, 0x02, 0x01, 0x07 };
	struct der d, s;
	struct der_tlv t;

	der_init(&d, b, sizeof(b));
	TAP_CHECK_EQ(der_enter_octets(&d, &s), X509_OK);
	TAP_CHECK_EQ(s.depth, 1);
	TAP_CHECK_EQ(der_expect(&s, DER_INTEGER, &t), X509_OK);
	TAP_CHECK_EQ(t.val.p[0], 7);
	TAP_CHECK_EQ(der_done(&s), X509_OK);
	TAP_CHECK_EQ(der_done(&d), X509_OK);
	der_init(&d, b + 2, 3);
	TAP_CHECK_EQ(der_enter_octets(&d, &s), X509_E_TAG);
}

static struct x509_span S(const uint8_t *p, size_t n)
{
	return (struct x509_span){ p, n };
}

#define SPAN(...) S((const uint8_t[]){ __VA_ARGS__ }, \
		    sizeof((const uint8_t[]){ __VA_ARGS__ }))

TAP_TEST(integers)
{
	uint32_t v;

	TAP_CHECK_EQ(der_integer_check(S(NULL, 0)), X509_E_INTEGER);
	TAP_CHECK_EQ(der_integer_check(SPAN(0x00)), X509_OK);
	TAP_CHECK_EQ(der_integer_check(SPAN(0x00, 0x80)), X509_OK);
	TAP_CHECK_EQ(der_integer_check(SPAN(0x00, 0x7f)), X509_E_INTEGER);
	TAP_CHECK_EQ(der_integer_check(SPAN(0xff, 0x7f)), X509_OK);
	TAP_CHECK_EQ(der_integer_check(SPAN(0xff, 0x80)), X509_E_INTEGER);
	TAP_CHECK_EQ(der_integer_check(SPAN(0x80)), X509_OK);	/* -128 */
	TAP_CHECK_EQ(der_small_uint(SPAN(0x05), 10, &v), X509_OK);
	TAP_CHECK_EQ(v, 5);
	TAP_CHECK_EQ(der_small_uint(SPAN(0x00, 0xff), 255, &v), X509_OK);
	TAP_CHECK_EQ(v, 255);
	TAP_CHECK_EQ(der_small_uint(SPAN(0x00, 0xff), 254, &v), X509_E_INTEGER);
	TAP_CHECK_EQ(der_small_uint(SPAN(0xff), 10, &v), X509_E_INTEGER);
	TAP_CHECK_EQ(der_small_uint(SPAN(0x00, 0x05), 10, &v), X509_E_INTEGER);
	TAP_CHECK_EQ(der_small_uint(SPAN(0x00, 0xff, 0xff, 0xff, 0xff),
				    UINT32_MAX, &v), X509_OK);
	TAP_CHECK_EQ(v, UINT32_MAX);
	TAP_CHECK_EQ(der_small_uint(SPAN(0x01, 0x00, 0x00, 0x00, 0x00),
				    UINT32_MAX, &v), X509_E_INTEGER);
}

TAP_TEST(booleans_and_null)
{
	bool b = false;

	TAP_CHECK_EQ(der_boolean(SPAN(0xff), &b), X509_OK);
	TAP_CHECK(b);
	TAP_CHECK_EQ(der_boolean(SPAN(0x00), &b), X509_OK);
	TAP_CHECK(!b);
	TAP_CHECK_EQ(der_boolean(SPAN(0x01), &b), X509_E_BOOLEAN);
	TAP_CHECK_EQ(der_boolean(SPAN(0xfe), &b), X509_E_BOOLEAN);
	TAP_CHECK_EQ(der_boolean(SPAN(0xff, 0xff), &b), X509_E_BOOLEAN);
	TAP_CHECK_EQ(der_boolean(S(NULL, 0), &b), X509_E_BOOLEAN);
	TAP_CHECK_EQ(der_null(S(NULL, 0)), X509_OK);
	TAP_CHECK_EQ(der_null(SPAN(0x00)), X509_E_NULL);
}

TAP_TEST(bit_strings)
{
	struct x509_span bits;
	unsigned int unused;

	TAP_CHECK_EQ(der_bit_string(SPAN(0x00), &bits, &unused), X509_OK);
	TAP_CHECK_EQ(bits.len, 0);
	TAP_CHECK_EQ(der_bit_string(SPAN(0x01), &bits, &unused),
		     X509_E_BIT_STRING);
	TAP_CHECK_EQ(der_bit_string(S(NULL, 0), &bits, &unused),
		     X509_E_BIT_STRING);
	TAP_CHECK_EQ(der_bit_string(SPAN(0x08, 0x00), &bits, &unused),
		     X509_E_BIT_STRING);
	TAP_CHECK_EQ(der_bit_string(SPAN(0x05, 0xa0), &bits, &unused), X509_OK);
	TAP_CHECK_EQ(unused, 5);
	TAP_CHECK_EQ(bits.len, 1);
	TAP_CHECK_EQ(der_bit_string(SPAN(0x05, 0xa1), &bits, &unused),
		     X509_E_BIT_STRING);	/* padding bit set */
	TAP_CHECK_EQ(der_bit_string(SPAN(0x07, 0x80), &bits, &unused), X509_OK);
}

TAP_TEST(oids)
{
	TAP_CHECK_EQ(der_oid_check(SPAN(0x55, 0x1d, 0x11)), X509_OK);
	TAP_CHECK_EQ(der_oid_check(SPAN(0x2a, 0x86, 0x48)), X509_OK);
	TAP_CHECK_EQ(der_oid_check(S(NULL, 0)), X509_E_OID);
	TAP_CHECK_EQ(der_oid_check(SPAN(0x2a, 0x86)), X509_E_OID);
	TAP_CHECK_EQ(der_oid_check(SPAN(0x2a, 0x80, 0x01)), X509_E_OID);
	TAP_CHECK_EQ(der_oid_check(SPAN(0x80, 0x01)), X509_E_OID);
	TAP_CHECK_EQ(der_ia5_check(SPAN('a', 'b')), X509_OK);
	TAP_CHECK_EQ(der_ia5_check(SPAN('a', 0xc3, 0xa9)), X509_E_STRING);
}

static const struct {
	uint8_t tag;
	const char *s;
	enum x509_err r;
	int64_t t;
} times[] = {
	{ DER_UTC_TIME, "250101000000Z", X509_OK, 1735689600 },
	{ DER_UTC_TIME, "250102030405Z", X509_OK, 1735787045 },
	{ DER_UTC_TIME, "500101000000Z", X509_OK, -631152000 },	/* 1950 */
	{ DER_UTC_TIME, "491231235959Z", X509_OK, 2524607999 },	/* 2049 */
	{ DER_UTC_TIME, "000229120000Z", X509_OK, 951825600 },	/* leap */
	{ DER_GENERALIZED_TIME, "20510101000000Z", X509_OK, 2556144000 },
	{ DER_GENERALIZED_TIME, "99991231235959Z", X509_OK, 253402300799 },
	{ DER_GENERALIZED_TIME, "00010101000000Z", X509_OK, -62135596800 },
	{ DER_GENERALIZED_TIME, "20000229120000Z", X509_OK, 951825600 },
	{ DER_UTC_TIME, "2501010000Z", X509_E_TIME, 0 },	/* no seconds */
	{ DER_UTC_TIME, "250101000000", X509_E_TIME, 0 },	/* no Z */
	{ DER_UTC_TIME, "250101000000+0100", X509_E_TIME, 0 },
	{ DER_UTC_TIME, "250101000000z", X509_E_TIME, 0 },
	{ DER_UTC_TIME, "251301000000Z", X509_E_TIME, 0 },	/* month 13 */
	{ DER_UTC_TIME, "250001000000Z", X509_E_TIME, 0 },	/* month 0 */
	{ DER_UTC_TIME, "250100000000Z", X509_E_TIME, 0 },	/* day 0 */
	{ DER_UTC_TIME, "250431000000Z", X509_E_TIME, 0 },	/* Apr 31 */
	{ DER_UTC_TIME, "250229000000Z", X509_E_TIME, 0 },	/* not leap */
	{ DER_UTC_TIME, "250101240000Z", X509_E_TIME, 0 },
	{ DER_UTC_TIME, "250101006000Z", X509_E_TIME, 0 },
	{ DER_UTC_TIME, "250101000060Z", X509_E_TIME, 0 },	/* leap second */
	{ DER_UTC_TIME, "2501010000-0Z", X509_E_TIME, 0 },
	{ DER_UTC_TIME, " 50101000000Z", X509_E_TIME, 0 },
	{ DER_GENERALIZED_TIME, "21000229000000Z", X509_E_TIME, 0 },
	{ DER_GENERALIZED_TIME, "20250101000000.5Z", X509_E_TIME, 0 },
	{ DER_GENERALIZED_TIME, "250101000000Z", X509_E_TIME, 0 },
	{ DER_GENERALIZED_TIME, "00000101000000Z", X509_E_TIME, 0 },
	{ DER_OCTET_STRING, "250101000000Z", X509_E_TAG, 0 },
};

TAP_TEST(times_rfc5280)
{
	unsigned int i;

	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		struct der_tlv t = { .tag = times[i].tag };
		int64_t v = -1;
		enum x509_err r;

		t.val.len = strlen(times[i].s);
		t.val.p = malloc(t.val.len);
		memcpy((void *)t.val.p, times[i].s, t.val.len);
		r = der_time(&t, &v);
		if (r != times[i].r || (r == X509_OK && v != times[i].t))
			printf("#   time %s: got %d, %lld\n", times[i].s, r,
			       (long long)v);
		TAP_CHECK_EQ(r, times[i].r);
		if (r == X509_OK)
			TAP_CHECK_EQ(v, times[i].t);
		free((void *)t.val.p);
	}
}

TAP_TEST(error_strings)
{
	struct x509_error e = { .doc = "certificate" };
	unsigned int i;

	for (i = 0; i < X509_E__COUNT; i++)
		TAP_CHECK(strcmp(x509_strerror(i), "unknown error"));
	TAP_CHECK(!strcmp(x509_strerror(X509_E__COUNT), "unknown error"));
	TAP_CHECK_EQ(x509_fail(&e, X509_E_NAME, "extensions: %s of length %d",
			       "iPAddress", 5), X509_E_NAME);
	TAP_CHECK(!strcmp(e.where,
			  "certificate: extensions: iPAddress of length 5"));
	TAP_CHECK_EQ(e.reason, X509_E_NAME);
}

int main(void)
{
	return tap_run();
}
