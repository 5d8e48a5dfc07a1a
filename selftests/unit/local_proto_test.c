// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The local handshake service's messages (uapi/ktlsd_local.h): requests
 * and replies encode and parse back; every malformed request is refused
 * with the errno and reason ktlsd sends back; identities in the
 * configuration and who may use them.
 */
#include <errno.h>
#include <string.h>

#include "config.h"
#include "ktlsd_client.h"
#include "local.h"
#include "tap.h"

static uint8_t buf[KTLSD_LOCAL_MAX_MSG + 512];

TAP_TEST(request_round_trip)
{
	struct ktlsd_hs_req req = {
		.role = KTLSD_LOCAL_ROLE_CLIENT, .server_name = "example.org",
		.alpn = { "h2", "http/1.1" }, .n_alpn = 2, .identity = "app",
		.timeout_ms = 1234,
	};
	struct ktlsd_local_request r;
	char why[256];
	int len = ktlsd_local_encode_request(&req, buf, sizeof(buf));

	TAP_CHECK(len > 12);
	TAP_CHECK_EQ(len % 4, 0);
	TAP_CHECK_EQ(ktlsd_local_parse_request(buf, (size_t)len, &r, why,
					       sizeof(why)), 0);
	TAP_CHECK_EQ(r.role, KTLSD_LOCAL_ROLE_CLIENT);
	TAP_CHECK(!strcmp(r.server_name, "example.org"));
	TAP_CHECK_EQ(r.n_alpn, 2);
	TAP_CHECK(!strcmp(r.alpn[1], "http/1.1"));
	TAP_CHECK(!strcmp(r.identity, "app"));
	TAP_CHECK_EQ(r.timeout_ms, 1234);
	/* every truncation is refused, none read past the end */
	for (int n = 0; n < len; n++)
		TAP_CHECK(ktlsd_local_parse_request(buf, (size_t)n, &r, why,
						    sizeof(why)) < 0);
}

TAP_TEST(request_defaults_and_optional)
{
	struct ktlsd_hs_req req = { .role = KTLSD_LOCAL_ROLE_SERVER,
				    .identity = "svc", .peer_auth = 2 };
	struct ktlsd_local_request r;
	char why[256];
	int len = ktlsd_local_encode_request(&req, buf, sizeof(buf));

	/* an unknown optional attribute is skipped */
	buf[len] = 0x80;
	buf[len + 1] = 0x07;
	buf[len + 2] = 0;
	buf[len + 3] = 1;
	memcpy(buf + len + 4, "x\0\0\0", 4);
	len += 8;
	buf[11] += 8;
	TAP_CHECK_EQ(ktlsd_local_parse_request(buf, (size_t)len, &r, why,
					       sizeof(why)), 0);
	TAP_CHECK_EQ(r.timeout_ms, 30000);
	TAP_CHECK_EQ(r.peer_auth, 2);
}

/* One malformed request: its bytes after the header, errno, reason. */
static void refused(int *tap_failed, const uint8_t *attrs, size_t n,
		    int err, const char *reason)
{
	struct ktlsd_local_request r;
	char why[256] = "";
	int rc;

	memcpy(buf, "ktls\0\1\0\1", 8);
	buf[8] = 0;
	buf[9] = 0;
	buf[10] = (uint8_t)(n >> 8);
	buf[11] = (uint8_t)n;
	memcpy(buf + 12, attrs, n);
	rc = ktlsd_local_parse_request(buf, 12 + n, &r, why, sizeof(why));
	TAP_CHECK_EQ(rc, -err);
	if (!strstr(why, reason)) {
		printf("#   reason '%s' lacks '%s'\n", why, reason);
		*tap_failed = 1;
	}
}

#define REFUSED(a, err, reason) refused(tap_failed, (const uint8_t *)a, \
					sizeof(a) - 1, err, reason)

TAP_TEST(bad_requests)
{
	REFUSED("", EINVAL, "no ROLE");
	REFUSED("\0\1\0\1\3\0\0\0", EINVAL, "ROLE 3");
	REFUSED("\0\1\0\2\1\0\0\0", EINVAL, "ROLE: 2 bytes, expected 1");
	REFUSED("\0\1\0\1\1\0\0\0", EINVAL, "needs a SERVER_NAME");
	REFUSED("\0\1\0\1\1\0\0\0\0\1\0\1\1\0\0\0", EINVAL, "ROLE given twice");
	REFUSED("\0\1\0\1\1\0\0\0\0\2\0\3a\0b\0", EINVAL, "SERVER_NAME: a NUL");
	REFUSED("\0\1\0\1\1\0\0\0\0\2\0\0", EINVAL, "SERVER_NAME: empty");
	REFUSED("\0\1\0\1\1\0\0\0\0\2\0\10ab", EBADMSG, "runs past the end");
	REFUSED("\0\1\0\1\1\1\0\0", EBADMSG, "nonzero padding");
	REFUSED("\0\1\0\1\1\0\0\0\0", EBADMSG, "1 stray bytes");
	REFUSED("\0\11\0\0", EOPNOTSUPP, "unknown attribute 9");
	REFUSED("\0\1\0\1\2\0\0\0\0\2\0\1a\0\0\0", EINVAL,
		"SERVER_NAME is for the client role");
	REFUSED("\0\1\0\1\1\0\0\0\0\2\0\1a\0\0\0\0\6\0\1\1\0\0\0", EINVAL,
		"PEER_AUTH is for the server role");
	REFUSED("\0\5\0\4\0\0\0\0", EINVAL, "TIMEOUT_MS 0");
	REFUSED("\0\5\0\4\0\20\0\0", EINVAL, "TIMEOUT_MS 1048576");
	REFUSED("\0\6\0\1\3\0\0\0", EINVAL, "PEER_AUTH 3");
	REFUSED("\0\4\0\100" "0123456789012345678901234567890123456789"
		"012345678901234567890123", EINVAL, "IDENTITY: 64 bytes");
}

TAP_TEST(bad_headers)
{
	struct ktlsd_local_request r;
	struct ktlsd_hs_req req = { .role = KTLSD_LOCAL_ROLE_CLIENT,
				    .server_name = "x" };
	char why[256];
	int len = ktlsd_local_encode_request(&req, buf, sizeof(buf));

	buf[0] = 'X';
	TAP_CHECK_EQ(ktlsd_local_parse_request(buf, (size_t)len, &r, why,
					       sizeof(why)), -EBADMSG);
	buf[0] = 'k';
	buf[5] = 2;
	TAP_CHECK_EQ(ktlsd_local_parse_request(buf, (size_t)len, &r, why,
					       sizeof(why)), -EPROTONOSUPPORT);
	TAP_CHECK(strstr(why, "version 2") != NULL);
	buf[5] = 1;
	buf[7] = 2;	/* a reply where a request belongs */
	TAP_CHECK_EQ(ktlsd_local_parse_request(buf, (size_t)len, &r, why,
					       sizeof(why)), -EBADMSG);
	buf[7] = 1;
	buf[11]++;	/* length disagrees with the message */
	TAP_CHECK_EQ(ktlsd_local_parse_request(buf, (size_t)len, &r, why,
					       sizeof(why)), -EBADMSG);
	TAP_CHECK_EQ(ktlsd_local_parse_request(buf, KTLSD_LOCAL_MAX_MSG + 1,
					       &r, why, sizeof(why)),
		     -EMSGSIZE);
}

TAP_TEST(reply_round_trip)
{
	struct ktlsd_hs_result in = {
		.status = 0, .alert = -1, .version = 0x0304, .cipher = 0x1301,
		.group = 0x001d, .cipher_name = "TLS_AES_128_GCM_SHA256",
		.group_name = "x25519", .alpn = "h2",
		.peer_subject = "CN=localhost",
		.peer_san = { "DNS:localhost", "IP:127.0.0.1" }, .n_peer_san = 2,
	}, out;
	char why[256];
	int len = ktlsd_local_encode_reply(&in, buf, sizeof(buf));

	TAP_CHECK(len > 0);
	TAP_CHECK_EQ(ktlsd_local_parse_reply(buf, (size_t)len, &out, why,
					     sizeof(why)), 0);
	TAP_CHECK_EQ(out.alert, -1);
	TAP_CHECK_EQ(out.cipher, 0x1301);
	TAP_CHECK(!strcmp(out.alpn, "h2"));
	TAP_CHECK(!strcmp(out.peer_san[1], "IP:127.0.0.1"));
	in.status = EACCES;
	in.alert = 42;
	in.alert_sent = true;
	strcpy(in.reason, "ktlsd sent bad_certificate: expired");
	len = ktlsd_local_encode_reply(&in, buf, sizeof(buf));
	TAP_CHECK_EQ(ktlsd_local_parse_reply(buf, (size_t)len, &out, why,
					     sizeof(why)), 0);
	TAP_CHECK_EQ(out.status, EACCES);
	TAP_CHECK_EQ(out.alert, 42);
	TAP_CHECK(out.alert_sent);
	TAP_CHECK(!strcmp(out.reason, in.reason));
	for (int n = 0; n < len; n++)
		TAP_CHECK(ktlsd_local_parse_reply(buf, (size_t)n, &out, why,
						  sizeof(why)) < 0);
}

TAP_TEST(identities)
{
	static struct ktlsd_config cfg;
	const struct ktlsd_identity *id;
	char err[256] = "";
	static const char text[] =
		"[ktlsd]\nlocal_socket=/run/x.sock\nseccomp=0\n"
		"[identity.web-1]\nx509.certificate=/c.pem\n"
		"x509.private_key=/k.pem\nusers=1000; 1001\ngroups=50\n";
	gid_t g50[] = { 7, 50 }, g7[] = { 7 };

	ktlsd_config_defaults(&cfg);
	TAP_CHECK(!strcmp(cfg.local_socket, "/run/ktlsd/local.sock"));
	TAP_CHECK_EQ(cfg.seccomp, 1);
	TAP_CHECK_EQ(ktlsd_config_parse(&cfg, text, strlen(text), NULL, err,
					sizeof(err)), 0);
	TAP_CHECK(!strcmp(cfg.local_socket, "/run/x.sock"));
	TAP_CHECK_EQ(cfg.seccomp, 0);
	id = ktlsd_config_identity(&cfg, "web-1");
	TAP_CHECK(id != NULL);
	if (!id)
		return;
	TAP_CHECK(!strcmp(id->x509.private_key, "/k.pem"));
	TAP_CHECK_EQ(id->users.n, 2);
	TAP_CHECK_EQ(id->users.id[1], 1001);
	TAP_CHECK(ktlsd_config_identity(&cfg, "web") == NULL);
	TAP_CHECK(ktlsd_local_may_use(id, 0, g7, 1));
	TAP_CHECK(ktlsd_local_may_use(id, 1001, g7, 1));
	TAP_CHECK(ktlsd_local_may_use(id, 2000, g50, 2));
	TAP_CHECK(!ktlsd_local_may_use(id, 2000, g7, 1));
}

TAP_TEST(bad_identities)
{
	static const struct { const char *text, *err; } bad[] = {
		{ "[identity.a b]\n", "line 1: an identity name may hold" },
		{ "[identity.a]\n[identity.a]\n", "line 2: [identity.a] defined "
		  "twice" },
		{ "[identity.a]\nusers=root\n", "line 2: [identity.a] users "
		  "wants numeric ids" },
		{ "[identity.a]\nx509.crt=/x\n", "line 2: unknown key 'x509.crt'" },
		{ "[identity.a]\ngroups=1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;"
		  "17\n", "groups: more than 16 ids" },
	};
	static struct ktlsd_config cfg;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ktlsd_config_defaults(&cfg);
		err[0] = '\0';
		TAP_CHECK_EQ(ktlsd_config_parse(&cfg, bad[i].text,
						strlen(bad[i].text), NULL, err,
						sizeof(err)), -1);
		if (!strstr(err, bad[i].err)) {
			printf("#   '%s' lacks '%s'\n", err, bad[i].err);
			*tap_failed = 1;
		}
	}
}

int main(void)
{
	return tap_run();
}
