// SPDX-License-Identifier: GPL-3.0-or-later
#include <pthread.h>
#include <string.h>

#include "sessions.h"

/* The daemon's one session log: a ring of the last KTLSD_SESSIONS_KEPT. */
static struct {
	pthread_mutex_t lock;
	struct ktlsd_session ring[KTLSD_SESSIONS_KEPT];
	unsigned int next, count;
	unsigned long requests, ok, failed;
} log_ = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void add(const struct ktlsd_request *req, unsigned int status,
		long duration_ms, int done_err, const char *via)
{
	struct ktlsd_session s = {
		.when = time(NULL),
		.msg_type = req->msg_type,
		.auth_mode = req->auth_mode,
		.status = status,
		.duration_ms = duration_ms,
		.done_err = done_err,
	};

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
			long duration_ms, int done_err)
{
	add(req, status, duration_ms, done_err, "kernel");
}

void ktlsd_sessions_add_local(const struct ktlsd_request *req,
			      unsigned int status, long duration_ms,
			      unsigned int uid)
{
	char via[32];

	snprintf(via, sizeof(via), "uid %u", uid);
	add(req, status, duration_ms, 0, via);
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

void ktlsd_sessions_print(FILE *out, int json)
{
	struct ktlsd_session copy[KTLSD_SESSIONS_KEPT];
	unsigned int n, first;

	pthread_mutex_lock(&log_.lock);
	n = log_.count;
	first = (log_.next + KTLSD_SESSIONS_KEPT - n) % KTLSD_SESSIONS_KEPT;
	for (unsigned int i = 0; i < n; i++)
		copy[i] = log_.ring[(first + i) % KTLSD_SESSIONS_KEPT];
	pthread_mutex_unlock(&log_.lock);

	if (!json && !n)
		fputs("no handshakes yet\n", out);
	if (json)
		fputs("{\"sessions\": [", out);
	else if (n)
		fprintf(out, "%-20s %-6s %-16s %-24s %8s  %-10s %s\n",
			"time (UTC)", "role", "auth", "peer", "ms", "via",
			"result");
	for (unsigned int i = 0; i < n; i++) {
		const struct ktlsd_session *s = &copy[i];
		char when[32];
		struct tm tm;
		const char *result = s->done_err ? "DONE refused by the kernel" :
				     s->status ? strerror((int)s->status) : "ok";

		gmtime_r(&s->when, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (!json) {
			fprintf(out, "%-20s %-6s %-16s %-24s %8ld  %-10s %s\n",
				when, ktlsd_msg_type_name(s->msg_type),
				ktlsd_auth_name(s->auth_mode),
				s->peer[0] ? s->peer : "-", s->duration_ms,
				s->via, result);
			continue;
		}
		fprintf(out, "%s\n  {\"time\": \"%s\", \"role\": \"%s\", "
			"\"auth\": \"%s\", \"peer\": ", i ? "," : "", when,
			ktlsd_msg_type_name(s->msg_type),
			ktlsd_auth_name(s->auth_mode));
		json_str(out, s->peer);
		fprintf(out, ", \"status\": %u, \"result\": \"%s\", "
			"\"duration_ms\": %ld, \"via\": \"%s\"}", s->status,
			result, s->duration_ms, s->via);
	}
	if (json)
		fputs(n ? "\n]}\n" : "]}\n", out);
}
