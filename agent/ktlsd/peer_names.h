/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef KTLSD_PEER_NAMES_H
#define KTLSD_PEER_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "ktlsd_client.h"

/* Fills res->peer_subject and res->peer_san from a DER certificate. */
void ktlsd_peer_names(const uint8_t *der, size_t len,
		      struct ktlsd_hs_result *res);

#endif /* KTLSD_PEER_NAMES_H */
