/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The byte codec under every TLS message parser and encoder.
 *
 * Why it is shaped so: TLS's presentation language (RFC 8446 §3) is made of
 * fixed-width big-endian integers and vectors with a 1-, 2- or 3-byte length
 * prefix and a declared <floor..ceiling> range. A reader that only offers
 * exactly those operations, each bounds-checked and each naming the field
 * it reads, lets a message parser be written line for line against the
 * RFC's struct and makes an out-of-bounds read unrepresentable: the only way
 * to look at bytes is through a cursor that knows where its window ends.
 *
 * Reader: a window [p, p + len) and a cursor. A length-prefixed vector is
 * read as a sub-reader over exactly its bytes, so a parser for an inner
 * struct cannot run past the vector that holds it; tls_r_done() checks that
 * a window was consumed to the last byte (trailing bytes are decode_error,
 * RFC 8446 §6). Nothing is copied: "bytes" hands out pointers into the
 * caller's buffer, valid as long as that buffer is.
 *
 * Writer: a caller-provided buffer and a fill level. tls_w_open() reserves a
 * length prefix and remembers where; tls_w_close() back-patches it and
 * checks the vector against its declared range. The first failure (buffer
 * full, a vector out of range, unbalanced open/close) is sticky: later
 * calls do nothing, and tls_w_status() or tls_w_finish() report it once. So
 * an encoder can be written straight through and checked at the end.
 *
 * No allocation, no global state; both structs live wherever the caller puts
 * them.
 */
#ifndef KTLS_ENGINE_CODEC_H
#define KTLS_ENGINE_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alert.h"

#define TLS_WUR __attribute__((warn_unused_result))

struct tls_reader {
	const uint8_t *p;
	size_t len;
	size_t off;
};

/*
 * A NULL window becomes an empty one over a real (static, const) byte, so
 * that no pointer arithmetic is ever done on NULL.
 */
static inline void tls_r_init(struct tls_reader *r, const uint8_t *p,
			      size_t len)
{
	static const uint8_t empty[1];

	r->p = p ? p : empty;
	r->len = p ? len : 0;
	r->off = 0;
}

static inline size_t tls_r_left(const struct tls_reader *r)
{
	return r->len - r->off;
}

/* Where the cursor is, as a pointer into the input. */
static inline const uint8_t *tls_r_pos(const struct tls_reader *r)
{
	return r->p + r->off;
}

/* Truncation of any read is decode_error naming @field. */
int tls_r_u8(struct tls_reader *r, uint8_t *v, struct tls_err *err,
	     const char *field) TLS_WUR;
int tls_r_u16(struct tls_reader *r, uint16_t *v, struct tls_err *err,
	      const char *field) TLS_WUR;
int tls_r_u24(struct tls_reader *r, uint32_t *v, struct tls_err *err,
	      const char *field) TLS_WUR;
int tls_r_u32(struct tls_reader *r, uint32_t *v, struct tls_err *err,
	      const char *field) TLS_WUR;
/* n bytes, returned as a pointer into the input (zero copy). */
int tls_r_bytes(struct tls_reader *r, size_t n, const uint8_t **out,
		struct tls_err *err, const char *field) TLS_WUR;

/*
 * A vector: a @prefix-byte (1, 2 or 3) big-endian length, then that many
 * bytes, which must lie within [min, max] (RFC 8446 §3.4's <floor..ceiling>)
 * or it is decode_error. @sub becomes a reader over exactly those bytes.
 */
int tls_r_vec(struct tls_reader *r, unsigned int prefix, size_t min,
	      size_t max, struct tls_reader *sub, struct tls_err *err,
	      const char *field) TLS_WUR;

/* The window must be fully consumed: trailing bytes are decode_error. */
int tls_r_done(const struct tls_reader *r, struct tls_err *err,
	       const char *field) TLS_WUR;

#define TLS_W_MAX_DEPTH 8

struct tls_writer {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int error;			/* sticky: 0 or an alert */
	const char *reason;		/* why, for the first failure */
	unsigned int depth;
	struct {
		size_t at;		/* offset of the length prefix */
		size_t min, max;
		uint8_t prefix;
	} open[TLS_W_MAX_DEPTH];
};

void tls_w_init(struct tls_writer *w, uint8_t *buf, size_t cap);
void tls_w_u8(struct tls_writer *w, uint8_t v);
void tls_w_u16(struct tls_writer *w, uint16_t v);
void tls_w_u24(struct tls_writer *w, uint32_t v);
void tls_w_u32(struct tls_writer *w, uint32_t v);
void tls_w_bytes(struct tls_writer *w, const void *p, size_t n);
/* Open a vector with a @prefix-byte length; its size must end in [min,max]. */
void tls_w_open(struct tls_writer *w, unsigned int prefix, size_t min,
		size_t max);
void tls_w_close(struct tls_writer *w);
/* A vector in one call: prefix, then the n bytes at p. */
void tls_w_vec(struct tls_writer *w, unsigned int prefix, size_t min,
	       size_t max, const void *p, size_t n);
/* Mark the writer failed (an encoder refusing its input). */
void tls_w_fail(struct tls_writer *w, const char *reason);

/* 0, or the sticky error (internal_error: it is our own output). */
static inline int tls_w_status(const struct tls_writer *w)
{
	return w->error;
}

/*
 * End of encoding: fails if anything failed or a vector is still open;
 * otherwise *len is the number of bytes written.
 */
int tls_w_finish(struct tls_writer *w, size_t *len,
		 struct tls_err *err) TLS_WUR;

/* Big-endian helpers for zero-copy lists. */
static inline uint16_t tls_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

#endif /* KTLS_ENGINE_CODEC_H */
