/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A tiny DER writer for the x509 unit tests: synthetic certificates and
 * CRLs with exactly the defect a test wants. Test code only.
 */
#ifndef KTLSD_X509_BUILD_H
#define KTLSD_X509_BUILD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	uint8_t b[16384];
	size_t n;
};

static inline void put(struct buf *o, const void *p, size_t n)
{
	if (o->n + n > sizeof(o->b))
		abort();
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

/* Append tag, DER length and contents. */
static inline void tlv(struct buf *o, uint8_t tag, const void *p, size_t n)
{
	uint8_t h[4] = { tag };
	size_t hl = 2;

	if (n < 0x80) {
		h[1] = (uint8_t)n;
	} else if (n < 0x100) {
		h[1] = 0x81;
		h[2] = (uint8_t)n;
		hl = 3;
	} else {
		h[1] = 0x82;
		h[2] = (uint8_t)(n >> 8);
		h[3] = (uint8_t)n;
		hl = 4;
	}
	put(o, h, hl);
	put(o, p, n);
}

/* A byte array literal as (pointer, size) arguments. */
#define B(...) (const uint8_t[]){ __VA_ARGS__ }, \
	sizeof((const uint8_t[]){ __VA_ARGS__ })

/* One Extension TLV appended to o; crit < 0 leaves the BOOLEAN out. */
static inline void ext(struct buf *o, const uint8_t *oid, size_t oid_len,
		       int crit, const uint8_t *val, size_t val_len)
{
	struct buf e = { .n = 0 };

	tlv(&e, 0x06, oid, oid_len);
	if (crit >= 0)
		tlv(&e, 0x01, crit ? "\xff" : "\x00", 1);
	tlv(&e, 0x04, val, val_len);
	tlv(o, 0x30, e.b, e.n);
}

#endif /* KTLSD_X509_BUILD_H */
