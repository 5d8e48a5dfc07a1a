// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * net/handshake upcalls over libnl-genl (see upcall.h).
 *
 * Two sockets: one joined to the multicast group, only ever read by the
 * main loop; one for the ACCEPT and DONE requests, shared by the workers
 * under a mutex (libnl sockets are not thread-safe, and requests are short).
 * Attributes are parsed defensively: the kernel is trusted, but a future
 * kernel may send more than we know, and we take only what we understand.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "ktlsd_handshake.h"
#include "upcall.h"

struct ktlsd_upcall {
	struct nl_sock *notify;
	struct nl_sock *ctl;
	pthread_mutex_t ctl_lock;
	int family;
	uint32_t done_attrs;
	int ready;			/* READYs seen by the current read */
};

static int on_notify(struct nl_msg *msg, void *arg)
{
	struct ktlsd_upcall *u = arg;
	struct genlmsghdr *g = genlmsg_hdr(nlmsg_hdr(msg));

	if (g->cmd == KTLSD_HS_CMD_READY)
		u->ready++;
	return NL_OK;
}

struct ktlsd_upcall *ktlsd_upcall_open(const struct ktlsd_caps *caps)
{
	struct ktlsd_upcall *u;

	if (caps->hs_family <= 0 || caps->hs_group <= 0) {
		errno = ENOENT;
		return NULL;
	}
	u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->family = caps->hs_family;
	u->done_attrs = caps->done_attrs;
	pthread_mutex_init(&u->ctl_lock, NULL);
	u->notify = nl_socket_alloc();
	u->ctl = nl_socket_alloc();
	if (!u->notify || !u->ctl || genl_connect(u->notify) ||
	    genl_connect(u->ctl))
		goto fail;
	/* ACCEPT answers with its reply or an error; DONE asks for an ack. */
	nl_socket_disable_auto_ack(u->ctl);
	nl_socket_disable_seq_check(u->notify);
	nl_socket_modify_cb(u->notify, NL_CB_VALID, NL_CB_CUSTOM, on_notify, u);
	if (nl_socket_add_membership(u->notify, caps->hs_group) ||
	    nl_socket_set_nonblocking(u->notify))
		goto fail;
	return u;
fail:
	ktlsd_upcall_close(u);
	errno = EIO;
	return NULL;
}

void ktlsd_upcall_close(struct ktlsd_upcall *u)
{
	if (!u)
		return;
	nl_socket_free(u->notify);
	nl_socket_free(u->ctl);
	pthread_mutex_destroy(&u->ctl_lock);
	free(u);
}

int ktlsd_upcall_fd(const struct ktlsd_upcall *u)
{
	return nl_socket_get_fd(u->notify);
}

int ktlsd_upcall_read(struct ktlsd_upcall *u)
{
	int err;

	u->ready = 0;
	err = nl_recvmsgs_default(u->notify);
	if (err < 0 && err != -NLE_AGAIN)
		return -EIO;
	return u->ready;
}

static void copy_u32s(struct nlattr *a, uint32_t *out, unsigned int *n,
		      unsigned int max)
{
	if (nla_len(a) == sizeof(uint32_t) && *n < max)
		out[(*n)++] = nla_get_u32(a);
}

static int on_accept(struct nl_msg *msg, void *arg)
{
	struct ktlsd_request *req = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *a;
	int rem;

	req->sockfd = -1;
	nlmsg_for_each_attr(a, nlh, GENL_HDRLEN, rem) {
		uint32_t v = nla_len(a) == 4 ? nla_get_u32(a) : 0;

		switch (nla_type(a)) {
		case KTLSD_HS_A_ACCEPT_SOCKFD:
			req->sockfd = (int)v;
			break;
		case KTLSD_HS_A_ACCEPT_MESSAGE_TYPE:
			req->msg_type = v;
			break;
		case KTLSD_HS_A_ACCEPT_TIMEOUT:
			req->timeout_ms = v;
			break;
		case KTLSD_HS_A_ACCEPT_AUTH_MODE:
			req->auth_mode = v;
			break;
		case KTLSD_HS_A_ACCEPT_PEER_IDENTITY:
			copy_u32s(a, req->peer_ids, &req->n_peer_ids,
				  KTLSD_MAX_PEER_IDS);
			break;
		case KTLSD_HS_A_ACCEPT_CERTIFICATE: {
			struct nlattr *x[KTLSD_HS_A_X509_PRIVKEY + 1];

			if (req->n_certs == KTLSD_MAX_CERTS ||
			    nla_parse_nested(x, KTLSD_HS_A_X509_PRIVKEY, a,
					     NULL))
				break;
			if (x[KTLSD_HS_A_X509_CERT] &&
			    nla_len(x[KTLSD_HS_A_X509_CERT]) == 4)
				req->certs[req->n_certs].cert =
					nla_get_u32(x[KTLSD_HS_A_X509_CERT]);
			if (x[KTLSD_HS_A_X509_PRIVKEY] &&
			    nla_len(x[KTLSD_HS_A_X509_PRIVKEY]) == 4)
				req->certs[req->n_certs].privkey =
					nla_get_u32(x[KTLSD_HS_A_X509_PRIVKEY]);
			req->n_certs++;
			break;
		}
		case KTLSD_HS_A_ACCEPT_PEERNAME:
			nla_strlcpy(req->peername, a, sizeof(req->peername));
			break;
		case KTLSD_HS_A_ACCEPT_KEYRING:
			req->keyring = v;
			break;
		default:	/* newer than us: ignored */
			break;
		}
	}
	return NL_OK;
}

int ktlsd_upcall_accept(struct ktlsd_upcall *u, struct ktlsd_request *req)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nl_cb *cb;
	int err;

	memset(req, 0, sizeof(*req));
	req->sockfd = -1;
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, u->family, 0, 0,
			 KTLSD_HS_CMD_ACCEPT, KTLSD_HS_FAMILY_VERSION) ||
	    nla_put_u32(msg, KTLSD_HS_A_ACCEPT_HANDLER_CLASS,
			KTLSD_HS_HANDLER_CLASS_TLSHD)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	/*
	 * A callback set of this call's own: the socket's set is shared with
	 * DONE, which must never call back into this stack frame.
	 */
	cb = nl_cb_clone(nl_socket_get_cb(u->ctl));
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_accept, req);
	pthread_mutex_lock(&u->ctl_lock);
	err = nl_send_auto(u->ctl, msg);
	if (err >= 0)
		err = nl_recvmsgs(u->ctl, cb);
	pthread_mutex_unlock(&u->ctl_lock);
	nl_cb_put(cb);
	nlmsg_free(msg);
	if (err < 0)
		return err == -NLE_AGAIN || err == -NLE_OBJ_NOTFOUND ?
			-EAGAIN : -EIO;
	return req->sockfd >= 0 ? 0 : -EAGAIN;
}

int ktlsd_upcall_done(struct ktlsd_upcall *u, const struct ktlsd_request *req,
		      unsigned int status, const uint32_t *remote_auth,
		      unsigned int n_remote_auth)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err = -EMSGSIZE;

	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, u->family, 0,
			 NLM_F_ACK, KTLSD_HS_CMD_DONE,
			 KTLSD_HS_FAMILY_VERSION) ||
	    nla_put_u32(msg, KTLSD_HS_A_DONE_STATUS, status) ||
	    nla_put_u32(msg, KTLSD_HS_A_DONE_SOCKFD, (uint32_t)req->sockfd))
		goto out;
	/* Never send an attribute this kernel's DONE policy does not know. */
	if (!status && (u->done_attrs & (1U << KTLSD_HS_A_DONE_REMOTE_AUTH)))
		for (unsigned int i = 0; i < n_remote_auth; i++)
			if (nla_put_u32(msg, KTLSD_HS_A_DONE_REMOTE_AUTH,
					remote_auth[i]))
				goto out;
	pthread_mutex_lock(&u->ctl_lock);
	err = nl_send_auto(u->ctl, msg);
	if (err >= 0)
		err = nl_wait_for_ack(u->ctl);
	pthread_mutex_unlock(&u->ctl_lock);
	err = err < 0 ? -EIO : 0;
out:
	nlmsg_free(msg);
	return err;
}

const char *ktlsd_msg_type_name(uint32_t t)
{
	switch (t) {
	case KTLSD_HS_MSG_TYPE_CLIENTHELLO:
		return "client";
	case KTLSD_HS_MSG_TYPE_SERVERHELLO:
		return "server";
	default:
		return "unknown-role";
	}
}

const char *ktlsd_auth_name(uint32_t a)
{
	switch (a) {
	case KTLSD_HS_AUTH_UNAUTH:
		return "unauthenticated";
	case KTLSD_HS_AUTH_PSK:
		return "psk";
	case KTLSD_HS_AUTH_X509:
		return "x509";
	default:
		return "unspecified";
	}
}
