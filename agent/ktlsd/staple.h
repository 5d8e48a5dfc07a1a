/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The OCSP response ktlsd staples to its own certificate as a server
 * (x509.ocsp_staple), read and checked when the configuration is loaded:
 * at start and at each reload.
 */
#ifndef KTLSD_STAPLE_H
#define KTLSD_STAPLE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* What the engine can send in one CertificateEntry extension. */
#define KTLSD_STAPLE_MAX	(0xffff - 4)

struct ktlsd_staple {
	uint8_t *der;			/* the OCSPResponse */
	size_t len;
	uint8_t *leaf;			/* the certificate it is for */
	size_t leaf_len;
	int64_t next_update;		/* 0: the response has none */
	char path[KTLSD_CONFIG_MAX_PATH];
	atomic_bool warned;		/* a stale staple was logged once */
};

/*
 * Reads the DER OCSPResponse at @staple and checks it against the first
 * certificate of the PEM chain at @cert: it parses, its responseStatus is
 * successful, one of its SingleResponses has the certificate's serial and
 * the hash of its issuer's name, and, when the issuer is at hand (later in
 * the chain, or in @trust, a CA file or directory; "" for none), the hash
 * of the issuer's key; its nextUpdate is not past @now. The signature is
 * the client's to check. Returns the staple, or NULL with @why saying what
 * is wrong (the caller names the file). A response that reports the
 * certificate revoked or unknown is kept, with @why saying so.
 */
struct ktlsd_staple *ktlsd_staple_load(const char *staple, const char *cert,
				       const char *trust, int64_t now,
				       char *why, size_t whylen);
void ktlsd_staple_free(struct ktlsd_staple *s);

/*
 * Whether @s may go out with @leaf at @now: the same certificate, not
 * expired. Logs a stale staple once.
 */
bool ktlsd_staple_usable(struct ktlsd_staple *s, const uint8_t *leaf,
			 size_t leaf_len, int64_t now);

/*
 * Loads the staples the configuration names ([authenticate.server] and
 * each identity), logging each one refused with its file and the reason;
 * frees them.
 */
void ktlsd_staples_load(struct ktlsd_config *cfg);
void ktlsd_staples_free(struct ktlsd_config *cfg);

#endif /* KTLSD_STAPLE_H */
