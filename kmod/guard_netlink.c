// SPDX-License-Identifier: GPL-2.0
/*
 * ktls_guard: the generic netlink family (uapi/linux/ktls_guard.h).
 */
#include <linux/module.h>
#include <generated/utsrelease.h>
#include <net/genetlink.h>

#include "guard.h"
#include <linux/ktls_guard.h>

static const struct nla_policy guard_policy[KTLS_GUARD_A_MAX + 1] = {
	[KTLS_GUARD_A_CAPS]		= { .type = NLA_U32 },
	[KTLS_GUARD_A_KERNEL_RELEASE]	= { .type = NLA_NUL_STRING },
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

static const struct genl_small_ops guard_ops[] = {
	{
		.cmd	= KTLS_GUARD_CMD_GET_CAPS,
		.doit	= guard_get_caps_doit,
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
	.resv_start_op	= KTLS_GUARD_CMD_GET_CAPS + 1,
};

int guard_netlink_init(void)
{
	return genl_register_family(&guard_family);
}

void guard_netlink_exit(void)
{
	genl_unregister_family(&guard_family);
}
