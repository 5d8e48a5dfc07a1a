// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * ktlsd's serving loop: a worker pool fed by net/handshake upcalls.
 *
 * The main thread owns the notification socket and the signals; it ACCEPTs
 * requests only while fewer than max_inflight are in progress, so a burst
 * (or a slow peer holding a worker) leaves the rest queued in the kernel,
 * which enforces each request's own timeout, rather than piling up here.
 * Workers run one handshake each, report DONE, close their fd and wake the
 * main thread through an eventfd so it can ACCEPT again. ACCEPT is retried
 * on every wake-up, not only on READY: a notification that arrived while
 * all slots were busy, or before ktlsd started, is not lost.
 *
 * SIGHUP re-reads the configuration. A handshake takes a reference to the
 * configuration current when it starts and keeps it to the end, so a reload
 * never changes the rules under a handshake in flight; a file that does not
 * parse is refused and the running configuration stays.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "control.h"
#include "daemon.h"
#include "guard.h"
#include "handshake.h"
#include "local.h"
#include "ktls_providers.h"
#include "log.h"
#include "privs.h"
#include "psk.h"
#include "probe.h"
#include "seccomp.h"
#include "sessions.h"
#include "staple.h"
#include "upcall.h"

/* A configuration shared by the handshakes that started under it. */
struct cfg_ref {
	struct ktlsd_config cfg;
	unsigned int refs;	/* under pool.lock */
};

/* One piece of work: a kernel request, or an application's connection. */
struct job {
	bool local;
	struct ktlsd_request req;	/* !local */
	int conn;			/* local */
};

struct pool {
	struct ktlsd_upcall *up;
	struct cfg_ref *cfg;		/* current; under lock */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct job *queue;		/* ring of max_inflight slots */
	unsigned int head, queued, inflight, cap;
	bool stopping;
	int wake_fd;			/* eventfd: a worker finished */
	/* for the control socket */
	const struct ktlsd_options *opts;
	struct ktlsd_caps caps;
	unsigned int workers;
	time_t started;
};

static struct cfg_ref *cfg_get(struct pool *p)
{
	struct cfg_ref *c;

	pthread_mutex_lock(&p->lock);
	c = p->cfg;
	c->refs++;
	pthread_mutex_unlock(&p->lock);
	return c;
}

static void cfg_put(struct pool *p, struct cfg_ref *c)
{
	bool last;

	pthread_mutex_lock(&p->lock);
	last = --c->refs == 0;
	pthread_mutex_unlock(&p->lock);
	if (last) {
		ktlsd_staples_free(&c->cfg);
		free(c);
	}
}

static void warn_config(const char *msg)
{
	log_warn("configuration: %s", msg);
}

static struct cfg_ref *cfg_load(const char *path)
{
	struct cfg_ref *c = calloc(1, sizeof(*c));
	char err[512];

	if (!c) {
		log_err("configuration: out of memory");
		return NULL;
	}
	if (ktlsd_config_load(&c->cfg, path, warn_config, err, sizeof(err))) {
		log_err("configuration: %s", err);
		free(c);
		return NULL;
	}
	c->refs = 1;
	log_info("configuration: %s", c->cfg.source[0] ? c->cfg.source :
		 "no file (" KTLSD_CONFIG_PATH " or " KTLSD_CONFIG_LEGACY_PATH
		 "), defaults");
	/* a staple refused is logged and not sent: no reason to refuse the
	 * configuration, or the reload */
	ktlsd_staples_load(&c->cfg);
	return c;
}

static bool reload(struct pool *p, const char *path)
{
	struct cfg_ref *c = cfg_load(path), *old;

	if (!c) {
		log_err("reload: keeping the running configuration");
		return false;
	}
	pthread_mutex_lock(&p->lock);
	old = p->cfg;
	p->cfg = c;
	pthread_mutex_unlock(&p->lock);
	ktlsd_log_set_level(p->opts->verbose || c->cfg.loglevel > 0 ?
			    KTLSD_LOG_DEBUG : KTLSD_LOG_INFO);
	if (c->cfg.workers != old->cfg.workers ||
	    c->cfg.max_inflight != old->cfg.max_inflight ||
	    strcmp(c->cfg.local_socket, old->cfg.local_socket))
		log_warn("reload: [ktlsd] workers, max_inflight and "
			 "local_socket take effect at the next start");
	cfg_put(p, old);
	ktlsd_keyrings_link(&c->cfg, false);
	/* a module loaded since: its events */
	ktlsd_guard_listen();
	/* trust stores and CRLs are read again by the next handshakes */
	ktls_trust_flush();
	log_info("reload: configuration reloaded; handshakes in flight keep "
		 "the one they started with");
	return true;
}

static void print_status(struct pool *p, bool json, FILE *out)
{
	const struct ktlsd_caps *k = &p->caps;
	unsigned long requests, ok, failed;
	unsigned int inflight;
	char source[KTLSD_CONFIG_MAX_PATH];

	/* the counts include every event the kernel has queued so far */
	ktlsd_guard_events(true);
	ktlsd_sessions_counters(&requests, &ok, &failed);
	pthread_mutex_lock(&p->lock);
	inflight = p->inflight;
	snprintf(source, sizeof(source), "%s", p->cfg->cfg.source);
	pthread_mutex_unlock(&p->lock);
	if (json) {
		fprintf(out, "{\"version\": \"%s\", \"pid\": %d, "
			"\"uptime_s\": %ld, \"config\": \"%s\", "
			"\"workers\": %u, \"max_inflight\": %u, "
			"\"inflight\": %u, \"requests\": %lu, "
			"\"succeeded\": %lu, \"failed\": %lu, "
			"\"guard_events\": ",
			KTLSD_VERSION, (int)getpid(),
			(long)(time(NULL) - p->started), source, p->workers,
			p->cap, inflight, requests, ok, failed);
		ktlsd_guard_status(out, true);
		fputs(", \"kernel\": ", out);
		ktlsd_caps_print(out, k, true);
		fputs("}\n", out);
		return;
	}
	fprintf(out, "ktlsd %s, pid %d, up %ld s\n", KTLSD_VERSION,
		(int)getpid(), (long)(time(NULL) - p->started));
	fprintf(out, "configuration:       %s\n", source[0] ? source :
		"defaults (no file)");
	fprintf(out, "workers:             %u, at most %u in flight, %u now\n",
		p->workers, p->cap, inflight);
	fprintf(out, "handshakes:          %lu requested, %lu succeeded, "
		"%lu failed\n", requests, ok, failed);
	ktlsd_guard_status(out, false);
	ktlsd_caps_print(out, k, false);
}

static bool control(const char *cmd, bool json, FILE *out, void *arg)
{
	struct pool *p = arg;

	if (!strcmp(cmd, "status")) {
		print_status(p, json, out);
	} else if (!strcmp(cmd, "sessions")) {
		ktlsd_sessions_print(out, json);
	} else if (!strcmp(cmd, "reload")) {
		log_info("reload requested through the control socket");
		if (reload(p, p->opts->config_path))
			fputs(json ? "{\"reloaded\": true}\n" :
			      "configuration reloaded\n", out);
		else
			fputs("error: the configuration does not load; "
			      "ktlsd's log says why; the running one stays\n",
			      out);
	} else {
		return false;
	}
	return true;
}

static void handle(struct pool *p, const struct ktlsd_request *req)
{
	struct cfg_ref *cfg = cfg_get(p);
	struct ktlsd_hs_outcome out;
	uint32_t remote_auth = 0;
	struct timespec t0, t1;
	unsigned int status;
	long ms;
	int err;

	log_info("fd %d: %s handshake requested: peer '%s', auth %s, "
		 "timeout %u ms, %u peer identities, %u certificates%s",
		 req->sockfd, ktlsd_msg_type_name(req->msg_type),
		 req->peername, ktlsd_auth_name(req->auth_mode),
		 req->timeout_ms, req->n_peer_ids, req->n_certs,
		 req->keyring ? ", keyring given" : "");
	for (unsigned int i = 0; i < req->n_peer_ids; i++)
		log_debug("fd %d: peer identity %u: key %u", req->sockfd, i,
			  req->peer_ids[i]);
	if (req->keyring)
		log_debug("fd %d: keyring %u", req->sockfd, req->keyring);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	status = ktlsd_handshake_run(req, &cfg->cfg, &remote_auth, &out);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	/* before DONE: the kernel consumer's traffic, and so ktls_guard's
	 * events for the socket, may start as soon as DONE is in */
	ktlsd_sessions_add(req, status, ms, 0, &out);
	err = ktlsd_upcall_done(p->up, req, status, &remote_auth,
				remote_auth ? 1 : 0);
	if (err)
		ktlsd_sessions_done_refused(req->sockfd, err);
	if (err)
		log_err("fd %d: the kernel refused DONE: %s", req->sockfd,
			strerror(-err));
	else
		log_info("fd %d: DONE sent to the kernel: status %u (%s) "
			 "after %ld ms", req->sockfd, status,
			 status ? strerror((int)status) : "success", ms);
	close(req->sockfd);
	cfg_put(p, cfg);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct job job;
	uint64_t one = 1;

	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (!p->queued && !p->stopping)
			pthread_cond_wait(&p->cond, &p->lock);
		if (!p->queued) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		job = p->queue[p->head];
		p->head = (p->head + 1) % p->cap;
		p->queued--;
		pthread_mutex_unlock(&p->lock);

		if (job.local) {
			struct cfg_ref *cfg = cfg_get(p);

			ktlsd_local_serve(job.conn, &cfg->cfg);
			cfg_put(p, cfg);
		} else {
			handle(p, &job.req);
		}

		pthread_mutex_lock(&p->lock);
		p->inflight--;
		pthread_mutex_unlock(&p->lock);
		if (write(p->wake_fd, &one, sizeof(one)) < 0)
			log_warn("cannot wake the main loop: %s",
				 strerror(errno));
	}
}

static void enqueue(struct pool *p, const struct job *j)
{
	pthread_mutex_lock(&p->lock);
	p->queue[(p->head + p->queued) % p->cap] = *j;
	p->queued++;
	p->inflight++;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

/* ACCEPT while there is room; each accepted request goes to a worker. */
static void accept_all(struct pool *p)
{
	struct ktlsd_request req;
	int err;

	for (;;) {
		pthread_mutex_lock(&p->lock);
		if (p->inflight == p->cap) {
			pthread_mutex_unlock(&p->lock);
			return;
		}
		pthread_mutex_unlock(&p->lock);

		err = ktlsd_upcall_accept(p->up, &req);
		if (err == -EAGAIN)
			return;
		if (err) {
			log_err("ACCEPT failed: %s", strerror(-err));
			return;
		}
		enqueue(p, &(struct job){ .req = req });
	}
}

/* Applications' connections, while there is room (the rest wait in the
 * listen backlog). */
static void accept_local(struct pool *p, int lfd)
{
	for (;;) {
		int conn;

		pthread_mutex_lock(&p->lock);
		if (p->inflight == p->cap) {
			pthread_mutex_unlock(&p->lock);
			return;
		}
		pthread_mutex_unlock(&p->lock);
		conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("local socket: accept: %s",
					 strerror(errno));
			return;
		}
		enqueue(p, &(struct job){ .local = true, .conn = conn });
	}
}

/* Whether a new request would fit. */
static bool room(struct pool *p)
{
	bool r;

	pthread_mutex_lock(&p->lock);
	r = p->inflight < p->cap;
	pthread_mutex_unlock(&p->lock);
	return r;
}

int ktlsd_serve(const struct ktlsd_options *opts)
{
	struct pool p = { .wake_fd = -1, .opts = opts };
	unsigned int workers;
	pthread_t *threads = NULL;
	struct ktlsd_caps caps;
	struct pollfd pfd[6];
	unsigned int n = 0;
	struct rlimit rl;
	sigset_t sigs;
	int sfd = -1, cfd = -1, lfd = -1, rc = 1;
	char local_path[KTLSD_CONFIG_MAX_PATH];

	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	p.cfg = cfg_load(opts->config_path);
	if (!p.cfg)
		return 1;
	ktlsd_log_set_level(opts->verbose || p.cfg->cfg.loglevel > 0 ?
			    KTLSD_LOG_DEBUG : KTLSD_LOG_INFO);
	workers = opts->workers ? opts->workers : p.cfg->cfg.workers;
	p.cap = opts->max_inflight ? opts->max_inflight :
		p.cfg->cfg.max_inflight;

	/* Each handshake in flight holds a socket, a local one two. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	p.started = time(NULL);
	p.workers = workers;
	ktlsd_probe(&caps);
	p.caps = caps;
	log_info("kernel %s: handshake family %d, kTLS %s, key update %s",
		 caps.release, caps.hs_family, caps.ktls_err ? "no" : "yes",
		 caps.rekey ? "yes" : "no");
	p.up = ktlsd_upcall_open(&caps);
	if (!p.up) {
		log_err("cannot serve handshakes: the kernel's handshake "
			"netlink family is %s",
			caps.hs_family > 0 ? "unusable" : "absent");
		cfg_put(&p, p.cfg);
		return 1;
	}

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);	/* workers inherit */
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	p.wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	p.queue = calloc(p.cap, sizeof(*p.queue));
	threads = calloc(workers, sizeof(*threads));
	if (sfd < 0 || p.wake_fd < 0 || !p.queue || !threads) {
		log_err("cannot set up: %s", strerror(errno));
		goto out;
	}
	cfd = ktlsd_control_open(opts->control_path ? opts->control_path :
				 KTLSD_CONTROL_PATH);
	if (p.cfg->cfg.local_socket[0]) {
		snprintf(local_path, sizeof(local_path), "%s",
			 p.cfg->cfg.local_socket);
		lfd = ktlsd_local_open(local_path);
		if (lfd < 0)
			goto out;
	}
	ktlsd_keyrings_link(&p.cfg->cfg, false);
	/* ktls_guard's events: if the module is not in yet, a successful
	 * registration or a reload tries again */
	ktlsd_guard_listen();
	if (cfd < 0 || ktlsd_drop_privileges())
		goto out;
	if (p.cfg->cfg.seccomp ? ktlsd_seccomp_install() :
	    (log_warn("seccomp: no filter ([ktlsd] seccomp=0)"), 0))
		goto out;
	for (n = 0; n < workers; n++)
		if (pthread_create(&threads[n], NULL, worker, &p)) {
			log_err("cannot start worker %u", n);
			goto out;
		}
	log_info("serving handshake upcalls: %u workers, at most %u in "
		 "flight", workers, p.cap);

	pfd[0] = (struct pollfd){ .fd = ktlsd_upcall_fd(p.up), .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = p.wake_fd, .events = POLLIN };
	pfd[2] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	pfd[3] = (struct pollfd){ .fd = cfd, .events = POLLIN };
	pfd[4] = (struct pollfd){ .fd = lfd, .events = POLLIN };
	pfd[5] = (struct pollfd){ .events = POLLIN };
	accept_all(&p);
	for (;;) {
		struct signalfd_siginfo si;
		uint64_t v;

		/* a full pool leaves applications in the backlog */
		pfd[4].events = room(&p) ? POLLIN : 0;
		/* -1 (not listening) is ignored by poll */
		pfd[5].fd = ktlsd_guard_listen_fd();
		if (poll(pfd, 6, 1000) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			goto out;
		}
		if (pfd[2].revents & POLLIN &&
		    read(sfd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo != SIGHUP) {
				log_info("signal %u: stopping after the "
					 "handshakes in flight", si.ssi_signo);
				rc = 0;
				goto out;
			}
			log_info("SIGHUP: reloading the configuration");
			reload(&p, opts->config_path);
		}
		if (pfd[1].revents & POLLIN &&
		    read(p.wake_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
			log_warn("eventfd: %s", strerror(errno));
		if (pfd[0].revents & POLLIN && ktlsd_upcall_read(p.up) < 0)
			log_warn("reading notifications failed");
		/* POLLERR: the kernel dropped events (ENOBUFS), read says */
		if (pfd[5].fd >= 0 && pfd[5].revents & (POLLIN | POLLERR))
			ktlsd_guard_events(false);
		/* a worker registered a socket: the module is there now */
		if (ktlsd_guard_registered())
			ktlsd_guard_listen();
		if (pfd[3].revents & POLLIN)
			ktlsd_control_serve(cfd, control, &p);
		accept_all(&p);
		if (pfd[4].revents & POLLIN)
			accept_local(&p, lfd);
	}
out:
	pthread_mutex_lock(&p.lock);
	p.stopping = true;
	pthread_cond_broadcast(&p.cond);
	pthread_mutex_unlock(&p.lock);
	while (n)
		pthread_join(threads[--n], NULL);
	free(threads);
	while (p.queue && p.queued) {	/* no worker ever started */
		struct job *j = &p.queue[p.head];

		if (j->local)
			close(j->conn);
		p.head = (p.head + 1) % p.cap;
		p.queued--;
	}
	free(p.queue);
	if (p.wake_fd >= 0)
		close(p.wake_fd);
	if (sfd >= 0)
		close(sfd);
	if (lfd >= 0) {
		close(lfd);
		unlink(local_path);
	}
	if (cfd >= 0) {
		close(cfd);
		unlink(opts->control_path ? opts->control_path :
		       KTLSD_CONTROL_PATH);
	}
	ktlsd_upcall_close(p.up);
	ktlsd_guard_listen_close();
	cfg_put(&p, p.cfg);
	return rc;
}
