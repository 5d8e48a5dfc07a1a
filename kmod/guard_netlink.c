// SPDX-License-Identifier: GPL-2.0
/*
 * ktls_guard: the generic netlink family (uapi/linux/ktls_guard.h).
 */
#include <linux/module.h>
#include <generated/utsrelease.h>
#include <net/genetlink.h>

#include "guard.h"
#include <linux/ktls_guard.h>

static const struct nla_policy guard_limit_policy[KTLS_GUARD_LIMIT_A_MAX + 1] = {
	[KTLS_GUARD_LIMIT_A_SUITE]	= { .type = NLA_U16 },
	[KTLS_GUARD_LIMIT_A_SOFT]	= { .type = NLA_U64 },
	[KTLS_GUARD_LIMIT_A_HARD]	= { .type = NLA_U64 },
	[KTLS_GUARD_LIMIT_A_DEFAULT]	= { .type = NLA_U64 },
};

static const struct nla_policy guard_policy[KTLS_GUARD_A_MAX + 1] = {
	[KTLS_GUARD_A_CAPS]		= { .type = NLA_U32 },
	[KTLS_GUARD_A_KERNEL_RELEASE]	= { .type = NLA_NUL_STRING },
	[KTLS_GUARD_A_FD]		= { .type = NLA_U32 },
	[KTLS_GUARD_A_SUITE]		= { .type = NLA_U16 },
	[KTLS_GUARD_A_TX_SECRET]	= { .type = NLA_BINARY,
					    .len = GUARD_MAX_SECRET },
	[KTLS_GUARD_A_RX_SECRET]	= { .type = NLA_BINARY,
					    .len = GUARD_MAX_SECRET },
	[KTLS_GUARD_A_SOFT_RECORDS]	= { .type = NLA_U64 },
	[KTLS_GUARD_A_HARD_RECORDS]	= { .type = NLA_U64 },
	[KTLS_GUARD_A_SOFT_PERMILLE]	= NLA_POLICY_RANGE(NLA_U32, 1, 1000),
	[KTLS_GUARD_A_ID]		= { .type = NLA_U64 },
	[KTLS_GUARD_A_LIMIT]		= NLA_POLICY_NESTED(guard_limit_policy),
	[KTLS_GUARD_A_SOCK_COOKIE]	= { .type = NLA_U64 },
	[KTLS_GUARD_A_SOCK_INODE]	= { .type = NLA_U64 },
	[KTLS_GUARD_A_SOCK_PID]		= { .type = NLA_U32 },
	[KTLS_GUARD_A_SOCK_COMM]	= { .type = NLA_NUL_STRING },
	[KTLS_GUARD_A_SOCK_KERNEL]	= { .type = NLA_FLAG },
	[KTLS_GUARD_A_SOCK_TX_RECORDS]	= { .type = NLA_U64 },
	[KTLS_GUARD_A_SOCK_RX_RECORDS]	= { .type = NLA_U64 },
	[KTLS_GUARD_A_SOCK_TX_GEN]	= { .type = NLA_U32 },
	[KTLS_GUARD_A_SOCK_RX_GEN]	= { .type = NLA_U32 },
	[KTLS_GUARD_A_SOCK_TX_HEADROOM]	= { .type = NLA_U64 },
	[KTLS_GUARD_A_SOCK_FLAGS]	= { .type = NLA_U32 },
	[KTLS_GUARD_A_EVENT]		= { .type = NLA_U32 },
	[KTLS_GUARD_A_ERROR]		= { .type = NLA_S32 },
	[KTLS_GUARD_A_SOCK_UID]		= { .type = NLA_U32 },
};

static const struct genl_multicast_group guard_mcgrps[] = {
	{ .name = KTLS_GUARD_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family guard_family;

static int guard_get_caps_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &guard_family, 0,
				KTLS_GUARD_CMD_GET_CAPS);
	if (!hdr)
		goto err_free;
	if (nla_put_u32(msg, KTLS_GUARD_A_CAPS, guard_caps()) ||
	    nla_put_string(msg, KTLS_GUARD_A_KERNEL_RELEASE, UTS_RELEASE))
		goto err_cancel;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_cancel:
	genlmsg_cancel(msg, hdr);
err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static u64 guard_attr_u64(struct genl_info *info, int attr)
{
	return info->attrs[attr] ? nla_get_u64(info->attrs[attr]) : 0;
}

/* The request's copies of the secrets are wiped once taken. */
static void guard_wipe_attr(struct nlattr *a)
{
	if (a)
		memzero_explicit(nla_data(a), nla_len(a));
}

static int guard_register_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tx = info->attrs[KTLS_GUARD_A_TX_SECRET];
	struct nlattr *rx = info->attrs[KTLS_GUARD_A_RX_SECRET];
	struct sk_buff *msg;
	void *hdr;
	u64 id;
	int err;

	err = -EINVAL;
	if (!info->attrs[KTLS_GUARD_A_FD] || !info->attrs[KTLS_GUARD_A_SUITE] ||
	    !tx || !rx || nla_len(tx) != nla_len(rx))
		goto out;
	err = guard_register(nla_get_u32(info->attrs[KTLS_GUARD_A_FD]),
			     nla_get_u16(info->attrs[KTLS_GUARD_A_SUITE]),
			     nla_data(tx), nla_data(rx), nla_len(tx),
			     guard_attr_u64(info, KTLS_GUARD_A_SOFT_RECORDS),
			     guard_attr_u64(info, KTLS_GUARD_A_HARD_RECORDS),
			     &id);
	if (err)
		goto out;
	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &guard_family, 0,
				KTLS_GUARD_CMD_REGISTER);
	if (!hdr || nla_put_u64_64bit(msg, KTLS_GUARD_A_ID, id,
				      KTLS_GUARD_A_UNSPEC)) {
		nlmsg_free(msg);
		err = -EMSGSIZE;
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	guard_wipe_attr(tx);
	guard_wipe_attr(rx);
	return err;
}

static int guard_unregister_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (info->attrs[KTLS_GUARD_A_FD])
		return guard_unregister_fd(nla_get_u32(info->attrs[KTLS_GUARD_A_FD]));
	if (info->attrs[KTLS_GUARD_A_ID])
		return guard_unregister_id(genl_info_net(info),
					   nla_get_u64(info->attrs[KTLS_GUARD_A_ID]));
	return -EINVAL;
}

static int guard_set_limits_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct guard_limits l;

	if (info->attrs[KTLS_GUARD_A_ID])
		return guard_set_sock_limits(genl_info_net(info),
					     nla_get_u64(info->attrs[KTLS_GUARD_A_ID]),
					     guard_attr_u64(info, KTLS_GUARD_A_SOFT_RECORDS),
					     guard_attr_u64(info, KTLS_GUARD_A_HARD_RECORDS));
	if (!netlink_capable(skb, CAP_NET_ADMIN))
		return -EPERM;
	guard_get_global(&l);
	if (info->attrs[KTLS_GUARD_A_SOFT_PERMILLE])
		l.soft_permille = nla_get_u32(info->attrs[KTLS_GUARD_A_SOFT_PERMILLE]);
	if (info->attrs[KTLS_GUARD_A_SOFT_RECORDS])
		l.soft = nla_get_u64(info->attrs[KTLS_GUARD_A_SOFT_RECORDS]);
	if (info->attrs[KTLS_GUARD_A_HARD_RECORDS])
		l.hard = nla_get_u64(info->attrs[KTLS_GUARD_A_HARD_RECORDS]);
	return guard_set_global(&l);
}

static int guard_get_limits_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct guard_limits l;
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &guard_family, 0,
				KTLS_GUARD_CMD_GET_LIMITS);
	if (!hdr)
		goto err_free;
	guard_get_global(&l);
	if (nla_put_u32(msg, KTLS_GUARD_A_SOFT_PERMILLE, l.soft_permille) ||
	    nla_put_u64_64bit(msg, KTLS_GUARD_A_SOFT_RECORDS, l.soft,
			      KTLS_GUARD_A_UNSPEC) ||
	    nla_put_u64_64bit(msg, KTLS_GUARD_A_HARD_RECORDS, l.hard,
			      KTLS_GUARD_A_UNSPEC))
		goto err_free;
	for (i = 0; i < KTLS_N_CIPHERS; i++) {
		const struct ktls_cipher *c = &ktls_ciphers[i];
		struct nlattr *nest;
		u64 soft, hard;

		guard_effective(NULL, c, &soft, &hard);
		nest = nla_nest_start(msg, KTLS_GUARD_A_LIMIT);
		if (!nest ||
		    nla_put_u16(msg, KTLS_GUARD_LIMIT_A_SUITE, c->suite) ||
		    nla_put_u64_64bit(msg, KTLS_GUARD_LIMIT_A_SOFT, soft,
				      KTLS_GUARD_LIMIT_A_UNSPEC) ||
		    nla_put_u64_64bit(msg, KTLS_GUARD_LIMIT_A_HARD, hard,
				      KTLS_GUARD_LIMIT_A_UNSPEC) ||
		    nla_put_u64_64bit(msg, KTLS_GUARD_LIMIT_A_DEFAULT,
				      guard_default_hard(c),
				      KTLS_GUARD_LIMIT_A_UNSPEC))
			goto err_free;
		nla_nest_end(msg, nest);
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* The per-socket attributes shared by dumps and events. */
static int guard_put_sock(struct sk_buff *msg, struct guard_sock *gs)
{
	struct sock *sk = gs->sk;
	u64 soft, hard, tx = guard_records(gs, true);

	guard_effective(gs, gs->cipher, &soft, &hard);
	if (nla_put_u64_64bit(msg, KTLS_GUARD_A_ID, gs->id, KTLS_GUARD_A_UNSPEC) ||
	    nla_put_u64_64bit(msg, KTLS_GUARD_A_SOCK_COOKIE,
			      atomic64_read(&sk->sk_cookie), KTLS_GUARD_A_UNSPEC) ||
	    nla_put_u64_64bit(msg, KTLS_GUARD_A_SOCK_INODE, gs->ino,
			      KTLS_GUARD_A_UNSPEC) ||
	    nla_put_u16(msg, KTLS_GUARD_A_SUITE, gs->cipher->suite) ||
	    nla_put_u64_64bit(msg, KTLS_GUARD_A_SOCK_TX_RECORDS, tx,
			      KTLS_GUARD_A_UNSPEC) ||
	    nla_put_u64_64bit(msg, KTLS_GUARD_A_SOCK_RX_RECORDS,
			      guard_records(gs, false), KTLS_GUARD_A_UNSPEC) ||
	    nla_put_u32(msg, KTLS_GUARD_A_SOCK_TX_GEN, READ_ONCE(gs->tx_gen)) ||
	    nla_put_u32(msg, KTLS_GUARD_A_SOCK_RX_GEN, READ_ONCE(gs->rx_gen)))
		return -EMSGSIZE;
	return 0;
}

static int guard_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
			  struct guard_sock *gs)
{
	u64 soft, hard, tx;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &guard_family, NLM_F_MULTI, KTLS_GUARD_CMD_DUMP);
	if (!hdr)
		return -EMSGSIZE;
	guard_effective(gs, gs->cipher, &soft, &hard);
	tx = guard_records(gs, true);
	if (guard_put_sock(skb, gs) ||
	    nla_put_u32(skb, KTLS_GUARD_A_SOCK_PID, gs->pid) ||
	    nla_put_string(skb, KTLS_GUARD_A_SOCK_COMM, gs->comm) ||
	    nla_put_u32(skb, KTLS_GUARD_A_SOCK_UID,
			from_kuid_munged(current_user_ns(), gs->uid)) ||
	    (gs->kernel && nla_put_flag(skb, KTLS_GUARD_A_SOCK_KERNEL)) ||
	    nla_put_u64_64bit(skb, KTLS_GUARD_A_SOFT_RECORDS, soft,
			      KTLS_GUARD_A_UNSPEC) ||
	    nla_put_u64_64bit(skb, KTLS_GUARD_A_HARD_RECORDS, hard,
			      KTLS_GUARD_A_UNSPEC) ||
	    nla_put_u64_64bit(skb, KTLS_GUARD_A_SOCK_TX_HEADROOM,
			      tx < hard ? hard - tx : 0, KTLS_GUARD_A_UNSPEC) ||
	    nla_put_u32(skb, KTLS_GUARD_A_SOCK_FLAGS, READ_ONCE(gs->flags))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* cb->args[0]: the last id dumped */
static int guard_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct guard_sock *gs;

	while ((gs = guard_next(net, cb->args[0]))) {
		int err = guard_dump_one(skb, cb, gs);
		u64 id = gs->id;

		guard_put(gs);
		if (err)
			break;
		cb->args[0] = id;
	}
	return skb->len;
}

void guard_event(struct guard_sock *gs, u32 event, int err)
{
	struct net *net = sock_net(gs->sk);
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&guard_family, net, 0))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &guard_family, 0, KTLS_GUARD_CMD_EVENT);
	if (!hdr || nla_put_u32(msg, KTLS_GUARD_A_EVENT, event) ||
	    guard_put_sock(msg, gs) ||
	    (err && nla_put_s32(msg, KTLS_GUARD_A_ERROR, err))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&guard_family, net, msg, 0, 0, GFP_KERNEL);
}

static const struct genl_small_ops guard_ops[] = {
	{
		.cmd	= KTLS_GUARD_CMD_GET_CAPS,
		.doit	= guard_get_caps_doit,
	},
	{
		/* permission: CAP_NET_ADMIN or the socket's owner, checked
		 * against the socket itself */
		.cmd	= KTLS_GUARD_CMD_REGISTER,
		.doit	= guard_register_doit,
	},
	{
		.cmd	= KTLS_GUARD_CMD_UNREGISTER,
		.doit	= guard_unregister_doit,
	},
	{
		.cmd	= KTLS_GUARD_CMD_SET_LIMITS,
		.doit	= guard_set_limits_doit,
	},
	{
		.cmd	= KTLS_GUARD_CMD_GET_LIMITS,
		.doit	= guard_get_limits_doit,
	},
	{
		.cmd	= KTLS_GUARD_CMD_DUMP,
		.dumpit	= guard_dump,
	},
};

static struct genl_family guard_family = {
	.name		= KTLS_GUARD_FAMILY_NAME,
	.version	= KTLS_GUARD_FAMILY_VERSION,
	.maxattr	= KTLS_GUARD_A_MAX,
	.policy		= guard_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.small_ops	= guard_ops,
	.n_small_ops	= ARRAY_SIZE(guard_ops),
	.resv_start_op	= KTLS_GUARD_CMD_EVENT + 1,
	.mcgrps		= guard_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(guard_mcgrps),
};

int guard_netlink_init(void)
{
	return genl_register_family(&guard_family);
}

void guard_netlink_exit(void)
{
	genl_unregister_family(&guard_family);
}
