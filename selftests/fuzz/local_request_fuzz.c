// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target for the local handshake service's request parser
 * (agent/libktlsd_client/local_proto.c): the bytes any local user can send
 * ktlsd. Invariants: the result is 0 or a negative errno with a reason;
 * an accepted request has a valid role, a server name exactly when the
 * role is client, at most KTLSD_LOCAL_MAX_ALPN protocols, every string
 * terminated, non-empty where present and free of control characters, a
 * timeout in range; and it encodes again into a message that parses to the
 * same request.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ktlsd_client.h"

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

static void clean(const char *s, size_t cap, size_t max)
{
	size_t n;

	CHECK(memchr(s, '\0', cap) != NULL);
	n = strlen(s);
	CHECK(n <= max);
	for (size_t i = 0; i < n; i++)
		CHECK((unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ktlsd_local_request r, again;
	static uint8_t buf[KTLSD_LOCAL_MAX_MSG];
	struct ktlsd_hs_req req = { 0 };
	char why[256];
	int rc, len;

	why[0] = '\0';
	rc = ktlsd_local_parse_request(data, size, &r, why, sizeof(why));
	if (rc) {
		CHECK(rc < 0 && rc > -4096 && why[0]);
		return 0;
	}
	CHECK(r.role == KTLSD_LOCAL_ROLE_CLIENT ||
	      r.role == KTLSD_LOCAL_ROLE_SERVER);
	CHECK((r.role == KTLSD_LOCAL_ROLE_CLIENT) == (r.server_name[0] != 0));
	CHECK(r.n_alpn <= KTLSD_LOCAL_MAX_ALPN);
	CHECK(r.timeout_ms >= 1 && r.timeout_ms <= KTLSD_LOCAL_MAX_TIMEOUT_MS);
	CHECK(r.peer_auth <= KTLSD_LOCAL_PEER_AUTH_REQUIRE);
	clean(r.server_name, sizeof(r.server_name), KTLSD_LOCAL_MAX_NAME);
	clean(r.identity, sizeof(r.identity), KTLSD_LOCAL_MAX_IDENTITY);
	for (unsigned int i = 0; i < r.n_alpn; i++) {
		clean(r.alpn[i], sizeof(r.alpn[i]), KTLSD_LOCAL_MAX_NAME);
		CHECK(r.alpn[i][0]);
		req.alpn[i] = r.alpn[i];
	}
	/* Round trip. */
	req.role = r.role;
	req.server_name = r.server_name[0] ? r.server_name : NULL;
	req.n_alpn = r.n_alpn;
	req.identity = r.identity[0] ? r.identity : NULL;
	req.timeout_ms = r.timeout_ms;
	req.peer_auth = r.peer_auth;
	len = ktlsd_local_encode_request(&req, buf, sizeof(buf));
	CHECK(len > 0);
	CHECK(!ktlsd_local_parse_request(buf, (size_t)len, &again, why,
					 sizeof(why)));
	CHECK(!memcmp(&r, &again, sizeof(r)));
	return 0;
}
