/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ktlsd's configuration: tlshd's file, read as tlshd reads it, so an admin
 * can stop tlshd and start ktlsd with no edit, plus a [ktlsd] group for what
 * ktlsd does beyond tlshd.
 *
 *   [debug]                 loglevel, tls, nl (integers)
 *   [authenticate]          keyrings = name;name;...
 *   [authenticate.client]   x509.truststore, x509.crl, x509.certificate,
 *   [authenticate.server]   x509.private_key (path names); ktlsd only:
 *                           x509.revocation, x509.ocsp_staple (the DER
 *                           OCSP response to staple, path) and, in
 *                           [authenticate.server], x509.ca_names (1: send
 *                           certificate_authorities when asking for a
 *                           client certificate, the default; 0: never)
 *   [ktlsd]                 workers, max_inflight (integers),
 *                           local_socket (path; "": no service),
 *                           seccomp (0 or 1)
 *   [identity.NAME]         identities applications may use through the
 *                           local handshake service: x509.certificate,
 *                           x509.private_key, x509.truststore,
 *                           x509.ocsp_staple, users and
 *                           groups (;-separated numeric ids allowed to use
 *                           it; root always may)
 */
#ifndef KTLSD_CONFIG_H
#define KTLSD_CONFIG_H

#include <stddef.h>

#define KTLSD_CONFIG_MAX_FILE		(64 * 1024)
#define KTLSD_CONFIG_MAX_LINE		1024
#define KTLSD_CONFIG_MAX_PATH		512
#define KTLSD_CONFIG_MAX_KEYRINGS	8
#define KTLSD_CONFIG_MAX_KEYRING_NAME	64
#define KTLSD_CONFIG_MAX_IDENTITIES	16
#define KTLSD_CONFIG_MAX_IDENTITY_NAME	63
#define KTLSD_CONFIG_MAX_IDS		16	/* users, groups per identity */
#define KTLSD_LOCAL_SOCKET_PATH		"/run/ktlsd/local.sock"

/* Where ktlsd looks when no --config is given, in order (tlshd's places). */
#define KTLSD_CONFIG_PATH		"/etc/tlshd/config"
#define KTLSD_CONFIG_LEGACY_PATH	"/etc/tlshd.conf"

#define KTLSD_REVOCATION_UNSET	(-1)
#define KTLSD_REVOCATION_OFF	0
#define KTLSD_REVOCATION_SOFT	1
#define KTLSD_REVOCATION_HARD	2

struct ktlsd_staple;

struct ktlsd_x509_config {
	char truststore[KTLSD_CONFIG_MAX_PATH];	/* "": the platform's */
	char crl[KTLSD_CONFIG_MAX_PATH];
	/* x509.revocation: KTLSD_REVOCATION_* ("off", "soft", "hard"); unset:
	 * soft-fail with x509.crl, off without */
	int revocation;
	char certificate[KTLSD_CONFIG_MAX_PATH];
	char private_key[KTLSD_CONFIG_MAX_PATH];
	/* x509.ocsp_staple: a DER OCSPResponse for certificate ("": none) */
	char ocsp_staple[KTLSD_CONFIG_MAX_PATH];
	/* x509.ca_names ([authenticate.server]): 1 (default) or 0 */
	int ca_names;
	/* the staple as loaded and checked (staple.c), NULL when none or
	 * refused; owned by whoever called ktlsd_staples_load() */
	struct ktlsd_staple *staple;
};

/* An identity for the local handshake service ([identity.NAME]). */
struct ktlsd_identity {
	char name[KTLSD_CONFIG_MAX_IDENTITY_NAME + 1];
	struct ktlsd_x509_config x509;
	struct ktlsd_id_list {
		unsigned int id[KTLSD_CONFIG_MAX_IDS];
		unsigned int n;
	} users, groups;
};

struct ktlsd_config {
	char source[KTLSD_CONFIG_MAX_PATH];	/* file read, "" for defaults */
	int loglevel, tls_debug, nl_debug;
	char keyrings[KTLSD_CONFIG_MAX_KEYRINGS][KTLSD_CONFIG_MAX_KEYRING_NAME];
	unsigned int n_keyrings;
	struct ktlsd_x509_config client, server;
	unsigned int workers;
	unsigned int max_inflight;
	char local_socket[KTLSD_CONFIG_MAX_PATH];	/* "": no service */
	int seccomp;			/* 1: the filter (default), 0: none */
	struct ktlsd_identity identities[KTLSD_CONFIG_MAX_IDENTITIES];
	unsigned int n_identities;
	unsigned int n_warnings;	/* unknown groups or keys, logged */
};

void ktlsd_config_defaults(struct ktlsd_config *cfg);

/* The identity called name, or NULL. */
const struct ktlsd_identity *ktlsd_config_identity(
	const struct ktlsd_config *cfg, const char *name);

/*
 * Parses the text of a configuration file over the defaults already in
 * *cfg. Unknown groups and keys are warnings (tlshd ignores them too) and
 * are reported through warn() when it is not NULL. Returns 0, or -1 with
 * err holding "line N: what is wrong" for a malformed line, a bad value or
 * a file over the size limits; *cfg is then unspecified.
 */
int ktlsd_config_parse(struct ktlsd_config *cfg, const char *text, size_t len,
		       void (*warn)(const char *msg), char *err, size_t errlen);

/*
 * Loads PATH, or when PATH is NULL the first of KTLSD_CONFIG_PATH and
 * KTLSD_CONFIG_LEGACY_PATH that exists (defaults when neither does).
 * Returns 0 or -1 with err set.
 */
int ktlsd_config_load(struct ktlsd_config *cfg, const char *path,
		      void (*warn)(const char *msg), char *err, size_t errlen);

#endif /* KTLSD_CONFIG_H */
