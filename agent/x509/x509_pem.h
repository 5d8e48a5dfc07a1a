/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * x509_pem.h: the PEM encapsulation of RFC 7468, strictly: a line
 * "-----BEGIN LABEL-----", base64 (RFC 4648 §4, padded, whitespace between
 * characters ignored), "-----END LABEL-----". Text around blocks and
 * blocks with other labels are skipped.
 */
#ifndef KTLSD_X509_PEM_H
#define KTLSD_X509_PEM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Find the next block labelled label in buf[*pos, len) and decode it into
 * out (cap bytes; len bytes always suffice). Returns 1 and advances *pos
 * past the block; 0 when there is none; -1 for a malformed block (bad
 * base64, no END line, too big for out).
 */
int x509_pem_next(const uint8_t *buf, size_t len, size_t *pos,
		  const char *label, uint8_t *out, size_t cap,
		  size_t *out_len);

#endif /* KTLSD_X509_PEM_H */
