// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * ktlsd's side of ktls_guard's events (agent/ktlsd/guard.c): each event is
 * counted by type and mapped to the session holding its registration id
 * and cookie (an id with another cookie, or unknown, counts as not ktlsd's);
 * reader notices count as overruns or malformed messages; `tlsctl status`
 * shows the counts as text and JSON, with the listener inactive without the
 * module; `tlsctl sessions --json` shows a session's last event; a
 * session added before DONE and then refused by the kernel counts as
 * failed and keeps no registration.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ktls_guard.h>

#include "ktlsd_handshake.h"

#include "guard.h"
#include "ktls_guard_client.h"
#include "log.h"
#include "sessions.h"
#include "tap.h"

/* The output of fn(out, json) as a string (free()). */
static char *capture(void (*fn)(FILE *, bool), bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, json);
	fclose(f);
	return buf;
}

static void sessions_print(FILE *out, bool json)
{
	ktlsd_sessions_print(out, json);
}

static void event(uint32_t type, uint64_t id, uint64_t cookie, int32_t err)
{
	struct ktls_guard_ev ev = { .type = type, .id = id, .cookie = cookie,
				    .tx_gen = 2, .rx_gen = 1, .error = err };

	ktlsd_guard_on_event(&ev);
}

TAP_TEST(events_are_counted_mapped_and_shown)
{
	struct ktlsd_request req = {
		.sockfd = 9, .msg_type = KTLSD_HS_MSG_TYPE_SERVERHELLO,
	};
	struct ktlsd_hs_outcome out = { .suite = 0x1301, .group = 0x1d,
					.cookie = 77, .guard_id = 5 };
	char who[300], *text, *json;

	ktlsd_log_set_level(KTLSD_LOG_DEBUG);
	snprintf(req.peername, sizeof(req.peername), "nfs.example");
	ktlsd_sessions_add(&req, 0, 12, 0, &out);

	TAP_CHECK(ktlsd_sessions_guard_event(5, 77, KTLS_GUARD_EV_SOFT_LIMIT,
					     who, sizeof(who)));
	TAP_CHECK(!strcmp(who, "server session fd 9 with peer 'nfs.example' "
			  "via kernel"));
	TAP_CHECK(!ktlsd_sessions_guard_event(5, 78, 1, who, sizeof(who)));
	TAP_CHECK(!ktlsd_sessions_guard_event(6, 77, 1, who, sizeof(who)));
	TAP_CHECK(!ktlsd_sessions_guard_event(0, 0, 1, who, sizeof(who)));

	for (int i = 0; i < 3; i++)
		event(KTLS_GUARD_EV_TX_REKEYED, 5, 77, 0);
	event(KTLS_GUARD_EV_PEER_KEY_UPDATE, 5, 77, 0);
	event(KTLS_GUARD_EV_RX_REKEYED, 5, 77, 0);
	event(KTLS_GUARD_EV_HARD_LIMIT, 5, 77, 0);
	event(KTLS_GUARD_EV_ERROR, 5, 77, -EIO);
	event(KTLS_GUARD_EV_TX_REKEYED, 5, 78, 0);	/* another socket */
	event(KTLS_GUARD_EV_SOFT_LIMIT, 1000, 1, 0);	/* not ktlsd's */
	event(42, 5, 77, 0);				/* appended type */
	event(KTLS_GUARD_EV_UNSPEC, 0, 0, -ENOBUFS);
	event(KTLS_GUARD_EV_UNSPEC, 0, 0, -EBADMSG);
	event(KTLS_GUARD_EV_UNSPEC, 0, 0, -EBADMSG);

	text = capture(ktlsd_guard_status, false);
	TAP_CHECK(strstr(text, "guard listener:      inactive") != NULL);
	TAP_CHECK(strstr(text, "guard events:        soft_limit 1, "
			 "tx_rekeyed 4, rx_rekeyed 1, peer_key_update 1, "
			 "hard_limit 1, error 1, other 1\n") != NULL);
	TAP_CHECK(strstr(text, "guard event issues:  2 for sockets not among "
			 "the sessions, 1 buffer overruns, 2 malformed\n")
		  != NULL);
	free(text);
	json = capture(ktlsd_guard_status, true);
	TAP_CHECK(!strncmp(json, "{\"listener\": false, \"listener_error\": "
			   "\"not opened yet\", ", 56));
	TAP_CHECK(strstr(json, "\"counts\": {\"soft_limit\": 1, "
			 "\"tx_rekeyed\": 4, \"rx_rekeyed\": 1, "
			 "\"peer_key_update\": 1, \"hard_limit\": 1, "
			 "\"error\": 1, \"other\": 1}, "
			 "\"not_ktlsd_sessions\": 2, \"overruns\": 1, "
			 "\"malformed\": 2}") != NULL);
	free(json);

	/* the session: 1 + 3 + 1 + 1 + 1 + 1 + 1 events, the last "other" */
	json = capture(sessions_print, true);
	TAP_CHECK(strstr(json, "\"guard_events\": 9, \"guard_last_event\": "
			 "{\"type\": \"other\", \"time\": \"") != NULL);
	free(json);
	event(KTLS_GUARD_EV_RX_REKEYED, 5, 77, 0);
	json = capture(sessions_print, true);
	TAP_CHECK(strstr(json, "\"guard_events\": 10, \"guard_last_event\": "
			 "{\"type\": \"rx_rekeyed\"") != NULL);
	free(json);
	/* added before DONE; the kernel refused DONE: failed, no guard */
	{
		unsigned long requests, ok, failed;

		req.sockfd = 10;
		out.guard_id = 6;
		ktlsd_sessions_add(&req, 0, 5, 0, &out);
		ktlsd_sessions_counters(&requests, &ok, &failed);
		TAP_CHECK(requests == 2 && ok == 2 && failed == 0);
		TAP_CHECK(ktlsd_sessions_guard_event(6, 77, 2, who,
						     sizeof(who)));
		ktlsd_sessions_done_refused(10, -EINVAL);
		ktlsd_sessions_counters(&requests, &ok, &failed);
		TAP_CHECK(requests == 2 && ok == 1 && failed == 1);
		TAP_CHECK(!ktlsd_sessions_guard_event(6, 77, 2, who,
						      sizeof(who)));
		json = capture(sessions_print, true);
		TAP_CHECK(strstr(json, "\"result\": \"DONE refused by the "
				 "kernel\"") != NULL);
		free(json);
	}
	TAP_CHECK(!strcmp(ktlsd_guard_event_name(KTLS_GUARD_EV_TX_REKEYED),
			  "tx_rekeyed"));
	TAP_CHECK(!strcmp(ktlsd_guard_event_name(1000), "other"));
}

TAP_TEST(no_listener_without_the_module)
{
	char *text;

	ktlsd_guard_listen();
	TAP_CHECK_EQ(ktlsd_guard_listen_fd(), -1);
	/* nothing to read, nothing waits */
	ktlsd_guard_events(true);
	text = capture(ktlsd_guard_status, false);
	TAP_CHECK(!strcmp(text, "guard listener:      inactive (ktls_guard "
			  "not loaded; tried again at the next registration "
			  "and at reload)\n"
			  "guard events:        soft_limit 1, tx_rekeyed 4, "
			  "rx_rekeyed 2, peer_key_update 1, hard_limit 1, "
			  "error 1, other 1\n"
			  "guard event issues:  2 for sockets not among the "
			  "sessions, 1 buffer overruns, 2 malformed\n"));
	free(text);
	TAP_CHECK(!ktlsd_guard_registered());
}

int main(void)
{
	return tap_run();
}
