// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * PSKs from keyrings (see psk.h).
 *
 * The kernel's .nvme keyring and the "psk" keys in it are readable only by
 * a process that possesses them, so the configured keyrings are linked into
 * ktlsd's session keyring at start (tlshd does the same). A PSK key's
 * description is its TLS identity (for NVMe/TCP "NVMe0R01 <hostnqn>
 * <subnqn>"); its payload is the PSK, 32 bytes for SHA-256 and 48 for
 * SHA-384, which picks the cipher suite (RFC 8446 §4.2.11: a PSK is bound
 * to one hash).
 *
 * The target end must know the key before the handshake starts, but only
 * the ClientHello names it: the first record is peeked (MSG_PEEK, so the
 * engine still reads it), parsed with the engine's codec, and the first
 * offered identity looked up.
 */
#include <errno.h>
#include <keyutils.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "crypto.h"
#include "log.h"
#include "messages.h"
#include "psk.h"

/*
 * tlshd links these three whatever its configuration says, and an admin
 * swapping daemons keeps tlshd's file, whose keyrings= line Debian ships
 * commented out: so ktlsd links them too, then the configured ones.
 */
static const char *const default_keyrings[] = { ".nvme", ".nfs", ".nfsd" };

#define N_DEFAULT (sizeof(default_keyrings) / sizeof(default_keyrings[0]))
#define LINKED_MAX (N_DEFAULT + KTLSD_CONFIG_MAX_KEYRINGS)
static pthread_mutex_t linked_lock = PTHREAD_MUTEX_INITIALIZER;
static char linked[LINKED_MAX][KTLSD_CONFIG_MAX_KEYRING_NAME];
static unsigned int n_linked;

/*
 * Link keyring @name unless it is linked already (by name: no lookup,
 * which scans /proc/keys, on the PSK handshake path); lock held.
 */
static void link_one(const char *name, bool configured, bool quiet)
{
	key_serial_t k;

	for (unsigned int i = 0; i < n_linked; i++)
		if (!strcmp(linked[i], name))
			return;
	k = find_key_by_type_and_desc("keyring", name, 0);
	if (k < 0) {
		/* .nvme exists once nvme-keyring is loaded, .nfs and .nfsd
		 * once NFS's are: a later handshake tries again */
		if (configured && !quiet)
			log_warn("keyring %s: not found: %s", name,
				 strerror(errno));
		else
			log_debug("keyring %s: not present yet", name);
		return;
	}
	if (keyctl_link(k, KEY_SPEC_SESSION_KEYRING) < 0) {
		log_warn("keyring %s (%d): cannot link it: %s", name, k,
			 strerror(errno));
		return;
	}
	if (n_linked < LINKED_MAX)
		snprintf(linked[n_linked++], sizeof(linked[0]), "%s", name);
	log_info("keyring %s (%d) linked", name, k);
}

/*
 * Linking into KEY_SPEC_SESSION_KEYRING gives ktlsd a new, empty session
 * keyring when it has none (started outside a login session, without
 * systemd's KeyringMode=shared), and that one does not reach root's user
 * keyring, where an admin puts cert_serial= keys and PSKs: link the user
 * keyring into it first. At start, before the workers exist, so they all
 * share the one session keyring.
 */
static void link_user_keyring(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	if (keyctl_link(KEY_SPEC_USER_KEYRING, KEY_SPEC_SESSION_KEYRING) < 0)
		log_warn("cannot link root's user keyring into the session "
			 "keyring: %s", strerror(errno));
}

void ktlsd_keyrings_link(const struct ktlsd_config *cfg, bool quiet)
{
	pthread_mutex_lock(&linked_lock);
	link_user_keyring();
	for (unsigned int i = 0; i < N_DEFAULT; i++)
		link_one(default_keyrings[i], false, quiet);
	for (unsigned int i = 0; i < cfg->n_keyrings; i++)
		link_one(cfg->keyrings[i], true, quiet);
	pthread_mutex_unlock(&linked_lock);
}

unsigned int ktlsd_psk_from_key(uint32_t serial, struct ktlsd_psk *psk,
				int sockfd)
{
	char *desc = NULL, *semi;
	void *data = NULL;
	long n;

	memset(psk, 0, sizeof(*psk));
	if (keyctl_describe_alloc((key_serial_t)serial, &desc) < 0) {
		log_err("fd %d: PSK key %u: %s", sockfd, serial,
			strerror(errno));
		return EACCES;
	}
	/* "type;uid;gid;perm;description" */
	semi = desc;
	for (int i = 0; i < 4 && semi; i++) {
		semi = strchr(semi, ';');
		semi = semi ? semi + 1 : NULL;
	}
	if (!semi || strncmp(desc, "psk;", 4) ||
	    strlen(semi) >= sizeof(psk->identity)) {
		log_err("fd %d: key %u is not a usable PSK key (%s)", sockfd,
			serial, desc);
		free(desc);
		return EACCES;
	}
	psk->identity_len = strlen(semi);
	memcpy(psk->identity, semi, psk->identity_len);
	free(desc);
	n = keyctl_read_alloc((key_serial_t)serial, &data);
	if (n < 0) {
		log_err("fd %d: PSK key %u unreadable: %s", sockfd, serial,
			strerror(errno));
		return EACCES;
	}
	if (n != 32 && n != 48) {
		log_err("fd %d: PSK key %u holds %ld bytes, not 32 or 48",
			sockfd, serial, n);
		explicit_bzero(data, (size_t)n);
		free(data);
		return EACCES;
	}
	memcpy(psk->key, data, (size_t)n);
	psk->key_len = (size_t)n;
	explicit_bzero(data, (size_t)n);
	free(data);
	psk->serial = serial;
	psk->suite = n == 32 ? KTLS_TLS_AES_128_GCM_SHA256 :
			       KTLS_TLS_AES_256_GCM_SHA384;
	return 0;
}

/* The first record on @fd without consuming it. */
static long peek_record(int fd, uint8_t *buf, size_t cap, long timeout_ms)
{
	struct timespec t0, t;
	size_t want = 5;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n = recv(fd, buf, want, MSG_PEEK | MSG_DONTWAIT);
		long left;

		if (n >= 5 && want == 5) {
			want = 5 + ((size_t)buf[3] << 8 | buf[4]);
			if (want > cap)
				return -EMSGSIZE;
			continue;
		}
		if (n >= (ssize_t)want && want > 5)
			return (long)want;
		if (n == 0)
			return -ECONNRESET;
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = timeout_ms - ((t.tv_sec - t0.tv_sec) * 1000 +
				     (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			return -ETIMEDOUT;
		/* POLLIN stays set while a partial record waits: nap. */
		if (n > 0)
			poll(NULL, 0, 5);
		else
			poll(&p, 1, (int)left);
	}
}

unsigned int ktlsd_psk_from_client_hello(int fd, uint32_t keyring,
					 long timeout_ms,
					 struct ktlsd_psk *psk)
{
	static _Thread_local uint8_t rec[5 + 16384];
	static _Thread_local struct tls_client_hello ch;
	char identity[sizeof(psk->identity)];
	struct tls_err err = { 0 };
	size_t body_len;
	uint8_t type;
	key_serial_t k;
	long n;

	n = peek_record(fd, rec, sizeof(rec), timeout_ms);
	if (n < 0) {
		log_warn("fd %d: no ClientHello: %s", fd, strerror((int)-n));
		return n == -ETIMEDOUT ? ETIMEDOUT : EIO;
	}
	if (rec[0] != 22 ||
	    tls_hs_header(rec + 5, (size_t)n - 5, &type, &body_len, &err) ||
	    type != 1 || body_len + 4 != (size_t)n - 5 ||
	    tls_client_hello_parse(rec + 9, body_len, &ch, &err)) {
		log_warn("fd %d: the first record is not a whole ClientHello "
			 "(%s)", fd, err.reason ? err.reason : "framing");
		return EACCES;
	}
	if (!ch.x.n_psks || ch.x.psks[0].identity.len >= sizeof(identity)) {
		log_warn("fd %d: the ClientHello offers no PSK identity", fd);
		return EACCES;
	}
	memcpy(identity, ch.x.psks[0].identity.p, ch.x.psks[0].identity.len);
	identity[ch.x.psks[0].identity.len] = '\0';
	k = keyctl_search(keyring ? (key_serial_t)keyring :
			  KEY_SPEC_SESSION_KEYRING, "psk", identity, 0);
	if (k < 0) {
		log_warn("fd %d: no PSK key for identity '%s': %s", fd,
			 identity, strerror(errno));
		return EACCES;
	}
	return ktlsd_psk_from_key((uint32_t)k, psk, fd);
}
