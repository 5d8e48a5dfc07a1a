// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Registering finished sockets with ktls_guard.ko, and listening to its
 * events (guard.h). A kernel without the module is normal: nothing is
 * logged above debug level.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include <linux/ktls_guard.h>

#include "guard.h"
#include "ktls_guard_client.h"
#include "log.h"
#include "sessions.h"

/* Set by the workers, taken by the main thread. */
static atomic_bool registered;

uint64_t ktlsd_guard_register(int fd, uint16_t suite, const uint8_t *tx_secret,
			  const uint8_t *rx_secret, size_t secret_len)
{
	uint64_t id = 0;
	int err;

	if (!secret_len)
		return 0;
	err = ktls_guard_register(fd, suite, tx_secret, rx_secret, secret_len,
				  &id);
	if (!err) {
		log_info("fd %d: registered with ktls_guard (id %llu)", fd,
			 (unsigned long long)id);
		atomic_store(&registered, true);
	} else if (err == -ENOENT) {
		log_debug("fd %d: ktls_guard not loaded", fd);
	} else {
		log_warn("fd %d: ktls_guard registration failed: %s", fd,
			 strerror(-err));
	}
	return err ? 0 : id;
}

bool ktlsd_guard_registered(void)
{
	return atomic_exchange(&registered, false);
}

/* The listener: the main thread's alone, so no lock. */
static struct {
	int fd;			/* -1: not listening */
	int err;		/* why not, as a negative errno */
	/* events by type; [0]: types this ktlsd does not know */
	unsigned long count[KTLS_GUARD_EV_ERROR + 1];
	unsigned long overruns, malformed, foreign;
} ev_ = { .fd = -1 };

static const char *const ev_names[] = {
	[KTLS_GUARD_EV_UNSPEC]		= "other",
	[KTLS_GUARD_EV_SOFT_LIMIT]	= "soft_limit",
	[KTLS_GUARD_EV_TX_REKEYED]	= "tx_rekeyed",
	[KTLS_GUARD_EV_RX_REKEYED]	= "rx_rekeyed",
	[KTLS_GUARD_EV_PEER_KEY_UPDATE]	= "peer_key_update",
	[KTLS_GUARD_EV_HARD_LIMIT]	= "hard_limit",
	[KTLS_GUARD_EV_ERROR]		= "error",
};

const char *ktlsd_guard_event_name(uint32_t event)
{
	return event <= KTLS_GUARD_EV_ERROR ? ev_names[event] : "other";
}

void ktlsd_guard_listen_close(void)
{
	if (ev_.fd >= 0)
		close(ev_.fd);
	ev_.fd = -1;
}

void ktlsd_guard_listen(void)
{
	int fd;

	if (ev_.fd >= 0) {
		if (ktls_guard_events_joined(ev_.fd) != 0)
			return;
		/* what was pending came from the module that went away */
		ktlsd_guard_events(true);
		ktlsd_guard_listen_close();
		log_info("guard events: ktls_guard was unloaded; listening "
			 "again");
	}
	fd = ktls_guard_events_open();
	if (fd < 0) {
		/* a warning once per reason; without the module, debug */
		ktlsd_log(fd == -ENOENT || fd == ev_.err ? KTLSD_LOG_DEBUG :
			  KTLSD_LOG_WARN, "guard events: cannot listen: %s; "
			  "trying again at the next registration and at "
			  "reload", fd == -ENOENT ? "ktls_guard not loaded" :
			  strerror(-fd));
		ev_.err = fd;
		return;
	}
	ev_.fd = fd;
	ev_.err = 0;
	log_info("guard events: listening to ktls_guard's key updates, "
		 "limits and errors");
}

int ktlsd_guard_listen_fd(void)
{
	return ev_.fd;
}

/* One event: counted, and logged at a level that fits what it means. */
void ktlsd_guard_on_event(const struct ktls_guard_ev *ev)
{
	char who[400];
	uint32_t t = ev->type;

	if (t == KTLS_GUARD_EV_UNSPEC) {
		if (ev->error == -ENOBUFS) {
			ev_.overruns++;
			log_warn("guard events: the kernel dropped events "
				 "(ktlsd read too slowly); the counts in "
				 "tlsctl status are low from here");
		} else {
			ev_.malformed++;
			log_warn("guard events: a malformed message was "
				 "skipped (%s)", strerror(-ev->error));
		}
		return;
	}
	ev_.count[t <= KTLS_GUARD_EV_ERROR ? t : 0]++;
	if (!ktlsd_sessions_guard_event(ev->id, ev->cookie, t, who,
					sizeof(who) - 64)) {
		/* another program's registration, or an old session */
		ev_.foreign++;
		snprintf(who, sizeof(who), "a socket not among ktlsd's recent "
			 "sessions");
	}
	snprintf(who + strlen(who), sizeof(who) - strlen(who),
		 " (guard id %" PRIu64 ", cookie %" PRIu64 ")", ev->id,
		 ev->cookie);
	switch (t) {
	case KTLS_GUARD_EV_TX_REKEYED:
		log_debug("guard: %s: TX key %" PRIu32 " in use, KeyUpdate "
			  "sent", who, ev->tx_gen);
		break;
	case KTLS_GUARD_EV_RX_REKEYED:
		log_debug("guard: %s: RX key %" PRIu32 " in use", who,
			  ev->rx_gen);
		break;
	case KTLS_GUARD_EV_PEER_KEY_UPDATE:
		log_debug("guard: %s: KeyUpdate from the peer", who);
		break;
	case KTLS_GUARD_EV_SOFT_LIMIT:
		log_info("guard: %s: TX key %" PRIu32 " reached its soft limit "
			 "(%" PRIu64 " records) and this kernel cannot update "
			 "it: sending stops at the hard limit, so the "
			 "connection needs to be re-established before then",
			 who, ev->tx_gen, ev->tx_records);
		break;
	case KTLS_GUARD_EV_HARD_LIMIT:
		log_warn("guard: %s: TX refused at the hard limit (TX key %"
			 PRIu32 ", %" PRIu64 " records): this connection can "
			 "no longer send (EKEYEXPIRED); its user must "
			 "reconnect (e.g. remount)", who, ev->tx_gen,
			 ev->tx_records);
		break;
	case KTLS_GUARD_EV_ERROR:
		log_warn("guard: %s: key update failed (%s): the module "
			 "failed the connection, its user sees errors and "
			 "must reconnect", who, strerror(-ev->error));
		break;
	default:
		log_info("guard: %s: event %" PRIu32 ", unknown to this "
			 "ktlsd", who, t);
		break;
	}
}

static void on_event(const struct ktls_guard_ev *ev, void *arg)
{
	(void)arg;
	ktlsd_guard_on_event(ev);
}

void ktlsd_guard_events(bool all)
{
	/* bounded: a status request drains at most this many batches */
	for (unsigned int i = 0; ev_.fd >= 0 && i < (all ? 64 : 1); i++) {
		int n = ktls_guard_events_read(ev_.fd, on_event, NULL);

		if (n < 0) {
			log_warn("guard events: reading failed: %s; "
				 "listening again at the next registration",
				 strerror(-n));
			ktlsd_guard_listen_close();
			ev_.err = n;
			return;
		}
		if (n == 0)
			return;
	}
}

void ktlsd_guard_status(FILE *out, bool json)
{
	const char *why = ev_.err == -ENOENT ? "ktls_guard not loaded" :
			  !ev_.err ? "not opened yet" : strerror(-ev_.err);

	if (json) {
		fprintf(out, "{\"listener\": %s, \"listener_error\": ",
			ev_.fd >= 0 ? "true" : "false");
		if (ev_.fd >= 0)
			fputs("null", out);
		else
			fprintf(out, "\"%s\"", why);
		fputs(", \"counts\": {", out);
		for (unsigned int t = 1; t <= KTLS_GUARD_EV_ERROR; t++)
			fprintf(out, "\"%s\": %lu, ", ev_names[t],
				ev_.count[t]);
		fprintf(out, "\"other\": %lu}, \"not_ktlsd_sessions\": %lu, "
			"\"overruns\": %lu, \"malformed\": %lu}",
			ev_.count[0], ev_.foreign, ev_.overruns,
			ev_.malformed);
		return;
	}
	if (ev_.fd >= 0)
		fputs("guard listener:      active\n", out);
	else
		fprintf(out, "guard listener:      inactive (%s; tried again "
			"at the next registration and at reload)\n", why);
	fputs("guard events:        ", out);
	for (unsigned int t = 1; t <= KTLS_GUARD_EV_ERROR; t++)
		fprintf(out, "%s %lu, ", ev_names[t], ev_.count[t]);
	fprintf(out, "other %lu\n", ev_.count[0]);
	fprintf(out, "guard event issues:  %lu for sockets not among the "
		"sessions, %lu buffer overruns, %lu malformed\n", ev_.foreign,
		ev_.overruns, ev_.malformed);
}
