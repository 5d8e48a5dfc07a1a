// SPDX-License-Identifier: GPL-3.0-or-later
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ktls_guard.h>

#include "ktls.h"
#include "guard.h"
#include "ktls_guard_client.h"
#include "sessions.h"

/* The daemon's one session log: a ring of the last KTLSD_SESSIONS_KEPT. */
static struct {
	pthread_mutex_t lock;
	struct ktlsd_session ring[KTLSD_SESSIONS_KEPT];
	unsigned int next, count;
	unsigned long requests, ok, failed;
} log_ = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void add(const struct ktlsd_request *req, unsigned int status,
		long duration_ms, int done_err, const char *via,
		const struct ktlsd_hs_outcome *out)
{
	struct ktlsd_session s = {
		.when = time(NULL),
		.msg_type = req->msg_type,
		.auth_mode = req->auth_mode,
		.status = status,
		.duration_ms = duration_ms,
		.done_err = done_err,
		.fd = req->sockfd,
	};

	if (out && !status && !done_err)
		s.out = *out;
	snprintf(s.peer, sizeof(s.peer), "%s", req->peername);
	snprintf(s.via, sizeof(s.via), "%s", via);
	pthread_mutex_lock(&log_.lock);
	log_.ring[log_.next] = s;
	log_.next = (log_.next + 1) % KTLSD_SESSIONS_KEPT;
	if (log_.count < KTLSD_SESSIONS_KEPT)
		log_.count++;
	log_.requests++;
	if (!status && !done_err)
		log_.ok++;
	else
		log_.failed++;
	pthread_mutex_unlock(&log_.lock);
}

void ktlsd_sessions_add(const struct ktlsd_request *req, unsigned int status,
			long duration_ms, int done_err,
			const struct ktlsd_hs_outcome *out)
{
	add(req, status, duration_ms, done_err, "kernel", out);
}

void ktlsd_sessions_done_refused(int fd, int done_err)
{
	pthread_mutex_lock(&log_.lock);
	for (unsigned int i = 1; i <= log_.count; i++) {
		struct ktlsd_session *s = &log_.ring[(log_.next +
			KTLSD_SESSIONS_KEPT - i) % KTLSD_SESSIONS_KEPT];

		if (s->fd != fd || strcmp(s->via, "kernel") || s->done_err)
			continue;
		if (!s->status) {
			log_.ok--;
			log_.failed++;
		}
		s->done_err = done_err;
		memset(&s->out, 0, sizeof(s->out));
		break;
	}
	pthread_mutex_unlock(&log_.lock);
}

void ktlsd_sessions_add_local(const struct ktlsd_request *req,
			      unsigned int status, long duration_ms,
			      unsigned int uid,
			      const struct ktlsd_hs_outcome *out)
{
	char via[32];

	snprintf(via, sizeof(via), "uid %u", uid);
	add(req, status, duration_ms, 0, via, out);
}

bool ktlsd_sessions_guard_event(uint64_t id, uint64_t cookie, uint32_t event,
				char *who, size_t len)
{
	bool found = false;

	if (!id)
		return false;
	pthread_mutex_lock(&log_.lock);
	for (unsigned int i = 0; i < log_.count; i++) {
		struct ktlsd_session *s = &log_.ring[i];

		if (s->out.guard_id != id || s->out.cookie != cookie)
			continue;
		s->guard_events++;
		s->guard_last = event;
		s->guard_last_when = time(NULL);
		/* the peer name comes from the kernel: quoted, unescaped,
		 * like the handshake's own log lines */
		snprintf(who, len, "%s session fd %d with peer '%s' via %s",
			 ktlsd_msg_type_name(s->msg_type), s->fd,
			 s->peer[0] ? s->peer : "-", s->via);
		found = true;
		break;
	}
	pthread_mutex_unlock(&log_.lock);
	return found;
}

void ktlsd_sessions_counters(unsigned long *requests, unsigned long *ok,
			     unsigned long *failed)
{
	pthread_mutex_lock(&log_.lock);
	*requests = log_.requests;
	*ok = log_.ok;
	*failed = log_.failed;
	pthread_mutex_unlock(&log_.lock);
}

/* JSON string: the peer name comes from the kernel; escape what must be. */
static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* The sockets registered by others that `sessions` lists at most. */
#define OTHERS_SHOWN	32

/* ktls_guard's view, matched to the kept sessions by id and cookie. */
struct guard_view {
	const struct ktlsd_session *sess;
	unsigned int n;
	struct ktls_guard_sock live[KTLSD_SESSIONS_KEPT];
	bool found[KTLSD_SESSIONS_KEPT];
	struct ktls_guard_sock others[OTHERS_SHOWN];
	unsigned int n_others, more_others;
	int err;			/* of the dump: -ENOENT: not loaded */
};

static void guard_match(const struct ktls_guard_sock *g, void *arg)
{
	struct guard_view *v = arg;

	for (unsigned int i = 0; i < v->n; i++) {
		const struct ktlsd_hs_outcome *o = &v->sess[i].out;

		if (o->guard_id == g->id && o->cookie == g->cookie) {
			v->live[i] = *g;
			v->found[i] = true;
			return;
		}
	}
	if (v->n_others < OTHERS_SHOWN)
		v->others[v->n_others++] = *g;
	else
		v->more_others++;
}

static const char *guard_state(const struct ktls_guard_sock *g)
{
	if (g->flags & KTLS_GUARD_SOCK_FAILED)
		return "failed";
	if (g->flags & KTLS_GUARD_SOCK_TX_REFUSED)
		return "TX refused at the hard limit";
	if (g->flags & KTLS_GUARD_SOCK_SOFT_REACHED)
		return "soft limit reached";
	return "ok";
}

static void guard_text(FILE *out, const struct ktls_guard_sock *g)
{
	fprintf(out, "TX key %" PRIu32 " (%" PRIu64 " records, %" PRIu64
		" to the hard limit %" PRIu64 "), RX key %" PRIu32 " (%"
		PRIu64 " records), %s", g->tx_gen, g->tx_records,
		g->tx_headroom, g->hard, g->rx_gen, g->rx_records,
		guard_state(g));
}

static void guard_json(FILE *out, const struct ktls_guard_sock *g)
{
	fprintf(out, "{\"id\": %" PRIu64 ", \"registered\": true, "
		"\"cookie\": %" PRIu64 ", \"suite\": \"%s\", \"kernel\": %s, "
		"\"pid\": %" PRIu32 ", \"uid\": %" PRIu32 ", \"tx_gen\": %"
		PRIu32 ", \"rx_gen\": %" PRIu32 ", \"tx_records\": %" PRIu64
		", \"rx_records\": %" PRIu64 ", \"soft\": %" PRIu64
		", \"hard\": %" PRIu64 ", \"tx_headroom\": %" PRIu64
		", \"state\": \"%s\"}", g->id, g->cookie,
		ktls_suite_name(g->suite), g->kernel ? "true" : "false",
		g->pid, g->uid, g->tx_gen, g->rx_gen, g->tx_records,
		g->rx_records, g->soft, g->hard, g->tx_headroom,
		guard_state(g));
}

static void print_text(FILE *out, struct guard_view *v)
{
	if (!v->n)
		fputs("no handshakes yet\n", out);
	else
		fprintf(out, "%-20s %-6s %-16s %-24s %-28s %-14s %8s  %-10s "
			"%s\n", "time (UTC)", "role", "auth", "peer", "suite",
			"group", "ms", "via", "result");
	for (unsigned int i = 0; i < v->n; i++) {
		const struct ktlsd_session *s = &v->sess[i];
		const char *result = s->done_err ? "DONE refused by the kernel" :
				     s->status ? strerror((int)s->status) : "ok";
		char when[32];
		struct tm tm;

		gmtime_r(&s->when, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(out, "%-20s %-6s %-16s %-24s %-28s %-14s %8ld  %-10s "
			"%s\n", when, ktlsd_msg_type_name(s->msg_type),
			ktlsd_auth_name(s->auth_mode),
			s->peer[0] ? s->peer : "-",
			s->out.suite ? ktls_suite_name(s->out.suite) : "-",
			s->out.group ? ktls_group_name(s->out.group) : "-",
			s->duration_ms, s->via, result);
		if (!s->out.guard_id || v->err == -ENOENT)
			continue;
		fprintf(out, "    guard id %" PRIu64 ": ", s->out.guard_id);
		if (v->found[i])
			guard_text(out, &v->live[i]);
		else if (v->err)
			fprintf(out, "unknown (%s)", strerror(-v->err));
		else
			fputs("no longer registered (socket closed)", out);
		fputc('\n', out);
		if (s->guard_last) {
			gmtime_r(&s->guard_last_when, &tm);
			strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ",
				 &tm);
			fprintf(out, "    guard events: %lu, the last %s "
				"at %s\n", s->guard_events,
				ktlsd_guard_event_name(s->guard_last), when);
		}
	}
	if (v->err == -ENOENT) {
		fputs("ktls_guard: not loaded\n", out);
		return;
	}
	if (v->err) {
		fprintf(out, "ktls_guard: cannot list its sockets: %s\n",
			strerror(-v->err));
		return;
	}
	fprintf(out, "ktls_guard: %u other registered socket%s\n",
		v->n_others + v->more_others,
		v->n_others + v->more_others == 1 ? "" : "s");
	for (unsigned int i = 0; i < v->n_others; i++) {
		const struct ktls_guard_sock *g = &v->others[i];

		fprintf(out, "    guard id %" PRIu64 ", %s %s (pid %" PRIu32
			", uid %" PRIu32 "), %s: ", g->id,
			g->kernel ? "kernel socket from" : "socket of",
			g->comm, g->pid, g->uid, ktls_suite_name(g->suite));
		guard_text(out, g);
		fputc('\n', out);
	}
	if (v->more_others)
		fprintf(out, "    and %u more\n", v->more_others);
}

static void print_json(FILE *out, struct guard_view *v)
{
	fputs("{\"sessions\": [", out);
	for (unsigned int i = 0; i < v->n; i++) {
		const struct ktlsd_session *s = &v->sess[i];
		const char *result = s->done_err ? "DONE refused by the kernel" :
				     s->status ? strerror((int)s->status) : "ok";
		char when[32];
		struct tm tm;

		gmtime_r(&s->when, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(out, "%s\n  {\"time\": \"%s\", \"role\": \"%s\", "
			"\"auth\": \"%s\", \"peer\": ", i ? "," : "", when,
			ktlsd_msg_type_name(s->msg_type),
			ktlsd_auth_name(s->auth_mode));
		json_str(out, s->peer);
		fprintf(out, ", \"status\": %u, \"result\": \"%s\", "
			"\"duration_ms\": %ld, \"via\": \"%s\", ", s->status,
			result, s->duration_ms, s->via);
		if (s->out.suite)
			fprintf(out, "\"suite\": \"%s\", \"group\": \"%s\", "
				"\"cookie\": %" PRIu64 ", ",
				ktls_suite_name(s->out.suite),
				s->out.group ? ktls_group_name(s->out.group) :
				"", s->out.cookie);
		fputs("\"guard\": ", out);
		if (!s->out.guard_id)
			fputs("null", out);
		else if (v->found[i])
			guard_json(out, &v->live[i]);
		else
			fprintf(out, "{\"id\": %" PRIu64 ", \"registered\": "
				"%s}", s->out.guard_id,
				v->err ? "null" : "false");
		if (s->guard_last) {
			gmtime_r(&s->guard_last_when, &tm);
			strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ",
				 &tm);
			fprintf(out, ", \"guard_events\": %lu, "
				"\"guard_last_event\": {\"type\": \"%s\", "
				"\"time\": \"%s\"}", s->guard_events,
				ktlsd_guard_event_name(s->guard_last), when);
		}
		fputc('}', out);
	}
	fprintf(out, "%s], \"guard\": {\"loaded\": %s, \"others\": [",
		v->n ? "\n" : "", v->err == -ENOENT ? "false" : "true");
	for (unsigned int i = 0; i < v->n_others; i++) {
		fputs(i ? ", " : "", out);
		guard_json(out, &v->others[i]);
	}
	fprintf(out, "], \"others_not_shown\": %u}}\n", v->more_others);
}

void ktlsd_sessions_print(FILE *out, int json)
{
	struct ktlsd_session copy[KTLSD_SESSIONS_KEPT];
	struct guard_view *v;
	unsigned int n, first;

	pthread_mutex_lock(&log_.lock);
	n = log_.count;
	first = (log_.next + KTLSD_SESSIONS_KEPT - n) % KTLSD_SESSIONS_KEPT;
	for (unsigned int i = 0; i < n; i++)
		copy[i] = log_.ring[(first + i) % KTLSD_SESSIONS_KEPT];
	pthread_mutex_unlock(&log_.lock);

	v = calloc(1, sizeof(*v));
	if (!v) {
		fputs(json ? "{\"error\": \"out of memory\"}\n" :
		      "out of memory\n", out);
		return;
	}
	v->sess = copy;
	v->n = n;
	v->err = ktls_guard_dump(guard_match, v);
	if (json)
		print_json(out, v);
	else
		print_text(out, v);
	free(v);
}
