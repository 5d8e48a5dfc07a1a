/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The leaf certificate's SubjectPublicKeyInfo, see cert_spki.c. */
#ifndef KTLS_ENGINE_CERT_SPKI_H
#define KTLS_ENGINE_CERT_SPKI_H

#include <stddef.h>
#include <stdint.h>

/* 0 and a view of the SPKI TLV inside @der, or -1 if malformed. */
int ktls_cert_spki(const uint8_t *der, size_t len, const uint8_t **spki,
		   size_t *spki_len) __attribute__((warn_unused_result));

#endif /* KTLS_ENGINE_CERT_SPKI_H */
