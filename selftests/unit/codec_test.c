// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The engine's byte codec: every read is bounded and names its field,
 * vectors enforce their <min..max>, trailing bytes are caught, and the
 * writer back-patches lengths, refuses out-of-range vectors and keeps its
 * first error.
 */
#include <stdint.h>
#include <string.h>

#include "codec.h"
#include "tap.h"

TAP_TEST(reader_integers)
{
	static const uint8_t in[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	struct tls_reader r;
	struct tls_err err;
	uint8_t a;
	uint16_t b;
	uint32_t c, d;

	tls_r_init(&r, in, sizeof(in));
	TAP_CHECK_EQ(tls_r_u8(&r, &a, &err, "a"), 0);
	TAP_CHECK_EQ(tls_r_u16(&r, &b, &err, "b"), 0);
	TAP_CHECK_EQ(tls_r_u24(&r, &c, &err, "c"), 0);
	TAP_CHECK_EQ(tls_r_u32(&r, &d, &err, "d"), 0);
	TAP_CHECK_EQ(a, 1);
	TAP_CHECK_EQ(b, 0x0203);
	TAP_CHECK_EQ(c, 0x040506);
	TAP_CHECK_EQ(d, 0x0708090a);
	TAP_CHECK_EQ(tls_r_left(&r), 0);
	TAP_CHECK_EQ(tls_r_done(&r, &err, "all"), 0);
	/* reading past the end fails, names the field, and moves nothing */
	TAP_CHECK_EQ(tls_r_u8(&r, &a, &err, "past"), TLS_ALERT_DECODE_ERROR);
	TAP_CHECK(!strcmp(err.field, "past"));
	TAP_CHECK(!strcmp(err.reason, "truncated"));
	TAP_CHECK_EQ(r.off, sizeof(in));
}

TAP_TEST(reader_truncated_integers)
{
	static const uint8_t in[] = { 1, 2, 3 };
	struct tls_reader r;
	struct tls_err err;
	uint32_t v;
	uint16_t s;

	tls_r_init(&r, in, sizeof(in));
	TAP_CHECK_EQ(tls_r_u32(&r, &v, &err, "u32"), TLS_ALERT_DECODE_ERROR);
	TAP_CHECK_EQ(r.off, 0);
	TAP_CHECK_EQ(tls_r_u24(&r, &v, &err, "u24"), 0);
	TAP_CHECK_EQ(tls_r_u16(&r, &s, &err, "u16"), TLS_ALERT_DECODE_ERROR);
	tls_r_init(&r, NULL, 5);	/* a NULL window is empty */
	TAP_CHECK_EQ(tls_r_left(&r), 0);
}

TAP_TEST(reader_vectors_each_prefix)
{
	static const uint8_t in[] = {
		2, 0xaa, 0xbb,			/* <..> 1-byte prefix */
		0, 3, 1, 2, 3,			/* 2-byte prefix */
		0, 0, 1, 9,			/* 3-byte prefix */
	};
	struct tls_reader r, s;
	struct tls_err err;
	const uint8_t *p;

	tls_r_init(&r, in, sizeof(in));
	TAP_CHECK_EQ(tls_r_vec(&r, 1, 0, 255, &s, &err, "v1"), 0);
	TAP_CHECK_EQ(s.len, 2);
	TAP_CHECK_EQ(s.p[0], 0xaa);
	TAP_CHECK_EQ(tls_r_vec(&r, 2, 0, 0xffff, &s, &err, "v2"), 0);
	TAP_CHECK_EQ(s.len, 3);
	/* a sub-reader cannot read past its vector */
	TAP_CHECK_EQ(tls_r_bytes(&s, 4, &p, &err, "in"), TLS_ALERT_DECODE_ERROR);
	TAP_CHECK_EQ(tls_r_bytes(&s, 3, &p, &err, "in"), 0);
	TAP_CHECK(p == in + 5);
	TAP_CHECK_EQ(tls_r_vec(&r, 3, 1, 1, &s, &err, "v3"), 0);
	TAP_CHECK_EQ(s.p[0], 9);
	TAP_CHECK_EQ(tls_r_done(&r, &err, "end"), 0);
}

TAP_TEST(reader_vector_ranges)
{
	static const uint8_t in[] = { 0, 4, 1, 2, 3, 4 };
	struct tls_reader r, s;
	struct tls_err err;

	tls_r_init(&r, in, sizeof(in));
	TAP_CHECK_EQ(tls_r_vec(&r, 2, 5, 10, &s, &err, "min"),
		     TLS_ALERT_DECODE_ERROR);
	TAP_CHECK(!strcmp(err.reason, "shorter than its minimum length"));
	tls_r_init(&r, in, sizeof(in));
	TAP_CHECK_EQ(tls_r_vec(&r, 2, 0, 3, &s, &err, "max"),
		     TLS_ALERT_DECODE_ERROR);
	TAP_CHECK(!strcmp(err.reason, "longer than its maximum length"));
	/* a length running past the window */
	tls_r_init(&r, in, 5);
	TAP_CHECK_EQ(tls_r_vec(&r, 2, 0, 100, &s, &err, "over"),
		     TLS_ALERT_DECODE_ERROR);
	TAP_CHECK(!strcmp(err.field, "over"));
	/* a bad prefix width is our bug, not the peer's */
	tls_r_init(&r, in, sizeof(in));
	TAP_CHECK_EQ(tls_r_vec(&r, 4, 0, 100, &s, &err, "w"),
		     TLS_ALERT_INTERNAL_ERROR);
}

TAP_TEST(reader_trailing_bytes)
{
	static const uint8_t in[] = { 1, 2 };
	struct tls_reader r;
	struct tls_err err;
	uint8_t v;

	tls_r_init(&r, in, sizeof(in));
	TAP_CHECK_EQ(tls_r_u8(&r, &v, &err, "x"), 0);
	TAP_CHECK_EQ(tls_r_done(&r, &err, "msg"), TLS_ALERT_DECODE_ERROR);
	TAP_CHECK(!strcmp(err.reason, "trailing bytes"));
	TAP_CHECK(!strcmp(err.field, "msg"));
}

TAP_TEST(writer_backpatch)
{
	static const uint8_t want[] = {
		0x01, 0x00, 0x00, 0x0b,		/* u8, u24 length = 11 */
		0x12, 0x34,			/* u16 */
		0x00, 0x03, 0xaa, 0xbb, 0xcc,	/* 2-byte vector */
		0x00,				/* empty 1-byte vector */
		0xde, 0xad, 0xbe,		/* bytes */
	};
	uint8_t buf[64];
	struct tls_writer w;
	struct tls_err err;
	size_t n = 0;

	tls_w_init(&w, buf, sizeof(buf));
	tls_w_u8(&w, 1);
	tls_w_open(&w, 3, 0, 0xffffff);
	tls_w_u16(&w, 0x1234);
	tls_w_vec(&w, 2, 1, 0xffff, "\xaa\xbb\xcc", 3);
	tls_w_open(&w, 1, 0, 255);
	tls_w_close(&w);
	tls_w_bytes(&w, "\xde\xad\xbe", 3);
	tls_w_close(&w);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), 0);
	TAP_CHECK_EQ(n, sizeof(want));
	TAP_CHECK_MEM(buf, want, sizeof(want));
}

TAP_TEST(writer_u32_u24)
{
	uint8_t buf[7];
	struct tls_writer w;
	struct tls_err err;
	size_t n;

	tls_w_init(&w, buf, sizeof(buf));
	tls_w_u32(&w, 0x01020304);
	tls_w_u24(&w, 0x050607);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), 0);
	TAP_CHECK_MEM(buf, "\x01\x02\x03\x04\x05\x06\x07", 7);
	tls_w_init(&w, buf, sizeof(buf));
	tls_w_u24(&w, 0x1000000);
	TAP_CHECK_EQ(tls_w_status(&w), TLS_ALERT_INTERNAL_ERROR);
}

TAP_TEST(writer_overflow_is_sticky)
{
	uint8_t buf[8];
	struct tls_writer w;
	struct tls_err err;
	size_t n = 99;

	memset(buf, 0x55, sizeof(buf));
	tls_w_init(&w, buf, 4);
	tls_w_u16(&w, 0x0102);
	tls_w_u32(&w, 0x03040506);	/* does not fit */
	TAP_CHECK_EQ(tls_w_status(&w), TLS_ALERT_INTERNAL_ERROR);
	tls_w_u8(&w, 7);		/* would fit, but the error sticks */
	TAP_CHECK_EQ(w.len, 2);
	TAP_CHECK_EQ(buf[2], 0x55);	/* nothing written past the failure */
	TAP_CHECK_EQ(buf[4], 0x55);	/* nor past the capacity */
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), TLS_ALERT_INTERNAL_ERROR);
	TAP_CHECK_EQ(n, 99);
	TAP_CHECK(!strcmp(err.reason, "output buffer too small"));
}

TAP_TEST(writer_vector_ranges)
{
	uint8_t buf[600];
	struct tls_writer w;
	struct tls_err err;
	size_t n;
	uint8_t big[300] = { 0 };

	/* a 1-byte prefix cannot carry 300 bytes */
	tls_w_init(&w, buf, sizeof(buf));
	tls_w_vec(&w, 1, 0, 0xffff, big, sizeof(big));
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), TLS_ALERT_INTERNAL_ERROR);
	/* declared range: below min */
	tls_w_init(&w, buf, sizeof(buf));
	tls_w_vec(&w, 2, 2, 10, big, 1);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), TLS_ALERT_INTERNAL_ERROR);
	TAP_CHECK(!strcmp(err.reason, "vector shorter than its minimum length"));
	/* declared range: above max */
	tls_w_init(&w, buf, sizeof(buf));
	tls_w_vec(&w, 2, 2, 10, big, 11);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), TLS_ALERT_INTERNAL_ERROR);
}

TAP_TEST(writer_unbalanced)
{
	uint8_t buf[16];
	struct tls_writer w;
	struct tls_err err;
	size_t n;

	tls_w_init(&w, buf, sizeof(buf));
	tls_w_open(&w, 2, 0, 0xffff);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), TLS_ALERT_INTERNAL_ERROR);
	TAP_CHECK(!strcmp(err.reason, "vector left open"));
	tls_w_init(&w, buf, sizeof(buf));
	tls_w_close(&w);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), TLS_ALERT_INTERNAL_ERROR);
	/* nesting deeper than TLS_W_MAX_DEPTH */
	tls_w_init(&w, buf, sizeof(buf));
	for (int i = 0; i <= TLS_W_MAX_DEPTH; i++)
		tls_w_open(&w, 1, 0, 255);
	TAP_CHECK_EQ(tls_w_status(&w), TLS_ALERT_INTERNAL_ERROR);
}

TAP_TEST(writer_null_buffer)
{
	struct tls_writer w;
	struct tls_err err;
	size_t n;

	tls_w_init(&w, NULL, 100);
	tls_w_u8(&w, 1);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), TLS_ALERT_INTERNAL_ERROR);
}

TAP_TEST(alert_names_and_format)
{
	struct tls_err err;
	char buf[128];

	TAP_CHECK(!strcmp(tls_alert_name(TLS_ALERT_DECODE_ERROR), "decode_error"));
	TAP_CHECK(!strcmp(tls_alert_name(TLS_ALERT_ILLEGAL_PARAMETER),
			  "illegal_parameter"));
	TAP_CHECK(!strcmp(tls_alert_name(TLS_ALERT_UNSUPPORTED_EXTENSION),
			  "unsupported_extension"));
	TAP_CHECK(!strcmp(tls_alert_name(3), "unknown_alert"));
	TAP_CHECK(!strcmp(tls_alert_name(-1), "unknown_alert"));
	TAP_CHECK_EQ(tls_fail(&err, TLS_ALERT_DECODE_ERROR,
			      "ClientHello.cipher_suites", "odd length"),
		     TLS_ALERT_DECODE_ERROR);
	tls_err_format(&err, buf, sizeof(buf));
	TAP_CHECK(!strcmp(buf, "decode_error: ClientHello.cipher_suites: odd length"));
	tls_err_format(&err, buf, 8);
	TAP_CHECK_EQ(strlen(buf), 7);
}

int main(void)
{
	return tap_run();
}
