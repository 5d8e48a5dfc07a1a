// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Kernel capability probing (see probe.h).
 *
 * The agent must never send the kernel an attribute it rejects and never
 * assume a kTLS feature from a version number: distributions backport, and
 * modules may be missing. So each capability is tried the way the agent
 * will use it: the handshake family and group are resolved through the
 * generic netlink controller, DONE's accepted attributes come from the
 * controller's policy dump (CTRL_CMD_GETPOLICY), and kTLS features are
 * exercised on a throwaway loopback connection.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "ktls_cipher.h"
#include "ktlsd_handshake.h"
#include "ktlsd_tls_compat.h"
#include "probe.h"

struct policy_walk {
	int op_policy;		/* policy index of DONE's "do", or -1 */
	uint32_t attrs[8];	/* attributes seen, per policy index < 8 */
};

static int on_policy(struct nl_msg *msg, void *arg)
{
	struct policy_walk *w = arg;
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *a, *b;
	int r1, r2;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL))
		return NL_SKIP;
	if (tb[CTRL_ATTR_OP_POLICY]) {
		nla_for_each_nested(a, tb[CTRL_ATTR_OP_POLICY], r1) {
			struct nlattr *p[CTRL_ATTR_POLICY_DUMP_MAX + 1];

			if (nla_type(a) != KTLSD_HS_CMD_DONE ||
			    nla_parse_nested(p, CTRL_ATTR_POLICY_DUMP_MAX, a,
					     NULL) ||
			    !p[CTRL_ATTR_POLICY_DO] ||
			    nla_len(p[CTRL_ATTR_POLICY_DO]) != 4)
				continue;
			w->op_policy = (int)nla_get_u32(p[CTRL_ATTR_POLICY_DO]);
		}
	}
	if (tb[CTRL_ATTR_POLICY]) {
		nla_for_each_nested(a, tb[CTRL_ATTR_POLICY], r1) {
			unsigned int idx = nla_type(a);

			if (idx >= 8)
				continue;
			nla_for_each_nested(b, a, r2)
				if (nla_type(b) < 32)
					w->attrs[idx] |= 1U << nla_type(b);
		}
	}
	return NL_OK;
}

static void probe_netlink(struct ktlsd_caps *caps)
{
	struct policy_walk w = { .op_policy = -1 };
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_msg *msg = NULL;

	caps->hs_family = -ENOMEM;
	caps->hs_group = -ENOMEM;
	if (!sk)
		return;
	if (genl_connect(sk)) {
		caps->hs_family = caps->hs_group = -ECONNREFUSED;
		goto out;
	}
	caps->hs_family = genl_ctrl_resolve(sk, KTLSD_HS_FAMILY_NAME);
	if (caps->hs_family < 0) {
		caps->hs_family = caps->hs_group = -ENOENT;
		goto out;
	}
	caps->hs_group = genl_ctrl_resolve_grp(sk, KTLSD_HS_FAMILY_NAME,
					       KTLSD_HS_MCGRP_TLSHD);
	if (caps->hs_group < 0)
		caps->hs_group = -ENOENT;

	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL,
				 0, NLM_F_DUMP, CTRL_CMD_GETPOLICY, 1) ||
	    nla_put_u16(msg, CTRL_ATTR_FAMILY_ID, (uint16_t)caps->hs_family) ||
	    nla_put_u32(msg, CTRL_ATTR_OP, KTLSD_HS_CMD_DONE))
		goto out;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_policy, &w);
	if (nl_send_auto(sk, msg) < 0 || nl_recvmsgs_default(sk) < 0)
		goto out;
	if (w.op_policy >= 0 && w.op_policy < 8)
		caps->done_attrs = w.attrs[w.op_policy];
out:
	nlmsg_free(msg);
	nl_socket_free(sk);
}

static int tcp_pair(int *cfd, int *sfd)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int err = 0;

	*cfd = *sfd = -1;
	if (lfd < 0)
		return errno;
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *)&a, &alen))
		goto fail;
	*cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*cfd < 0 || connect(*cfd, (struct sockaddr *)&a, sizeof(a)))
		goto fail;
	*sfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (*sfd < 0)
		goto fail;
	close(lfd);
	return 0;
fail:
	err = errno;
	if (*cfd >= 0)
		close(*cfd);
	close(lfd);
	*cfd = -1;
	return err;
}

/*
 * One throwaway connection per cipher: the key material is zero and no
 * record is ever sent, so nothing secret is at stake.
 */
static void probe_cipher(struct ktlsd_caps *caps, unsigned int i)
{
	const struct ktls_cipher *c = &ktls_ciphers[i];
	uint8_t info[KTLS_MAX_INFO_LEN], key[KTLS_MAX_KEY_LEN] = { 0 };
	uint8_t iv[KTLS_IV_LEN] = { 0 };
	uint16_t max_payload = 4096;
	unsigned int len;
	int cfd, sfd, err;

	err = tcp_pair(&cfd, &sfd);
	if (err) {
		caps->ktls_err = err;
		return;
	}
	if (setsockopt(cfd, IPPROTO_TCP, TCP_ULP, "tls", sizeof("tls"))) {
		caps->ktls_err = errno;
		goto out;
	}
	len = ktls_cipher_fill(c, info, key, iv, 0);
	if (setsockopt(cfd, SOL_TLS, TLS_TX, info, len) ||
	    setsockopt(cfd, SOL_TLS, TLS_RX, info, len))
		goto out;
	caps->ciphers |= 1U << i;
	if (!setsockopt(cfd, SOL_TLS, TLS_TX, info, len))
		caps->rekey = true;
	if (!setsockopt(cfd, SOL_TLS, TLS_TX_MAX_PAYLOAD_LEN, &max_payload,
			sizeof(max_payload)))
		caps->tx_max_payload = true;
out:
	close(cfd);
	close(sfd);
}

void ktlsd_probe(struct ktlsd_caps *caps)
{
	struct utsname u;

	memset(caps, 0, sizeof(*caps));
	if (!uname(&u))
		snprintf(caps->release, sizeof(caps->release), "%s", u.release);
	probe_netlink(caps);
	for (unsigned int i = 0; i < KTLS_N_CIPHERS; i++)
		probe_cipher(caps, i);
}

static const char *const done_attr_names[] = {
	[KTLSD_HS_A_DONE_STATUS] = "status",
	[KTLSD_HS_A_DONE_SOCKFD] = "sockfd",
	[KTLSD_HS_A_DONE_REMOTE_AUTH] = "remote_auth",
};

static void print_list(FILE *out, bool json, const char *const *names,
		       unsigned int n, uint32_t bits)
{
	const char *sep = "";

	fputs(json ? "[" : "", out);
	for (unsigned int i = 0; i < n; i++) {
		if (!names[i] || !(bits & (1U << i)))
			continue;
		fprintf(out, json ? "%s\"%s\"" : "%s%s", sep, names[i]);
		sep = json ? ", " : " ";
	}
	fputs(json ? "]" : "", out);
}

void ktlsd_caps_print(FILE *out, const struct ktlsd_caps *caps, bool json)
{
	const char *suites[KTLS_N_CIPHERS];
	const char *t = json ? "true" : "yes", *f = json ? "false" : "no";

	for (unsigned int i = 0; i < KTLS_N_CIPHERS; i++)
		suites[i] = ktls_ciphers[i].name;

	if (json) {
		fprintf(out, "{\n  \"kernel\": \"%s\",\n", caps->release);
		fprintf(out, "  \"handshake_family\": %d,\n", caps->hs_family);
		fprintf(out, "  \"tlshd_group\": %d,\n", caps->hs_group);
		fputs("  \"done_attributes\": ", out);
		print_list(out, true, done_attr_names, 4, caps->done_attrs);
		fprintf(out, ",\n  \"ktls\": %s,\n", caps->ktls_err ? f : t);
		fputs("  \"ciphers\": ", out);
		print_list(out, true, suites, KTLS_N_CIPHERS, caps->ciphers);
		fprintf(out, ",\n  \"rekey\": %s,\n", caps->rekey ? t : f);
		fprintf(out, "  \"tx_max_payload_len\": %s\n}\n",
			caps->tx_max_payload ? t : f);
		return;
	}
	fprintf(out, "kernel:              %s\n", caps->release);
	if (caps->hs_family > 0)
		fprintf(out, "handshake family:    id %d, tlshd group %d\n",
			caps->hs_family, caps->hs_group);
	else
		fprintf(out, "handshake family:    absent (%s)\n",
			strerror(-caps->hs_family));
	fputs("DONE attributes:     ", out);
	print_list(out, false, done_attr_names, 4, caps->done_attrs);
	if (caps->ktls_err)
		fprintf(out, "\nkTLS:                unavailable (%s)\n",
			strerror(caps->ktls_err));
	else
		fputs("\nkTLS:                yes\n", out);
	fputs("kTLS ciphers:        ", out);
	print_list(out, false, suites, KTLS_N_CIPHERS, caps->ciphers);
	fprintf(out, "\nkTLS key update:     %s\n", caps->rekey ? t : f);
	fprintf(out, "record size limit:   %s\n", caps->tx_max_payload ? t : f);
}
