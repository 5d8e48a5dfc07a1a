// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Reading tlshd's configuration file (see config.h).
 *
 * The format is GLib's key file, of which tlshd's files use a small part:
 * "[group]" lines, "key=value" lines, comments from '#' at the start of a
 * line, blank lines. White space around keys and values is ignored. The
 * parser walks the text once with explicit limits (file size, line length,
 * value length, list length) and names the line of anything it rejects; a
 * value that would not fit is an error, never a silent truncation.
 *
 * What each key means is a table, so adding one is one line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

enum value_kind { V_INT, V_PATH, V_KEYRINGS, V_COUNT, V_IDS, V_REVOCATION };

struct key_desc {
	const char *group;
	const char *key;
	enum value_kind kind;
	size_t offset;
	int min, max;		/* V_INT, V_COUNT */
};

#define CFG(f) offsetof(struct ktlsd_config, f)

static const struct key_desc keys[] = {
	{ "debug", "loglevel", V_INT, CFG(loglevel), 0, 1000 },
	{ "debug", "tls", V_INT, CFG(tls_debug), 0, 1000 },
	{ "debug", "nl", V_INT, CFG(nl_debug), 0, 1000 },
	{ "authenticate", "keyrings", V_KEYRINGS, CFG(keyrings), 0, 0 },
	{ "authenticate.client", "x509.truststore", V_PATH, CFG(client.truststore), 0, 0 },
	{ "authenticate.client", "x509.crl", V_PATH, CFG(client.crl), 0, 0 },
	{ "authenticate.client", "x509.revocation", V_REVOCATION, CFG(client.revocation), 0, 0 },
	{ "authenticate.client", "x509.certificate", V_PATH, CFG(client.certificate), 0, 0 },
	{ "authenticate.client", "x509.private_key", V_PATH, CFG(client.private_key), 0, 0 },
	{ "authenticate.server", "x509.truststore", V_PATH, CFG(server.truststore), 0, 0 },
	{ "authenticate.server", "x509.crl", V_PATH, CFG(server.crl), 0, 0 },
	{ "authenticate.server", "x509.revocation", V_REVOCATION, CFG(server.revocation), 0, 0 },
	{ "authenticate.server", "x509.certificate", V_PATH, CFG(server.certificate), 0, 0 },
	{ "authenticate.server", "x509.private_key", V_PATH, CFG(server.private_key), 0, 0 },
	{ "authenticate.server", "x509.ocsp_staple", V_PATH, CFG(server.ocsp_staple), 0, 0 },
	{ "authenticate.server", "x509.ca_names", V_INT, CFG(server.ca_names), 0, 1 },
	{ "ktlsd", "workers", V_COUNT, CFG(workers), 1, 1024 },
	{ "ktlsd", "max_inflight", V_COUNT, CFG(max_inflight), 1, 65536 },
	{ "ktlsd", "local_socket", V_PATH, CFG(local_socket), 0, 0 },
	{ "ktlsd", "seccomp", V_INT, CFG(seccomp), 0, 1 },
};

/* Keys of an [identity.NAME] group: offsets into struct ktlsd_identity. */
#define ID(f) offsetof(struct ktlsd_identity, f)
static const struct key_desc id_keys[] = {
	{ "identity.", "x509.certificate", V_PATH, ID(x509.certificate), 0, 0 },
	{ "identity.", "x509.private_key", V_PATH, ID(x509.private_key), 0, 0 },
	{ "identity.", "x509.truststore", V_PATH, ID(x509.truststore), 0, 0 },
	{ "identity.", "x509.ocsp_staple", V_PATH, ID(x509.ocsp_staple), 0, 0 },
	{ "identity.", "users", V_IDS, ID(users), 0, 0 },
	{ "identity.", "groups", V_IDS, ID(groups), 0, 0 },
};

const struct ktlsd_identity *ktlsd_config_identity(
	const struct ktlsd_config *cfg, const char *name)
{
	for (unsigned int i = 0; i < cfg->n_identities; i++)
		if (!strcmp(cfg->identities[i].name, name))
			return &cfg->identities[i];
	return NULL;
}

void ktlsd_config_defaults(struct ktlsd_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->client.revocation = KTLSD_REVOCATION_UNSET;
	cfg->server.revocation = KTLSD_REVOCATION_UNSET;
	cfg->server.ca_names = 1;
	cfg->workers = 4;
	cfg->max_inflight = 64;
	strcpy(cfg->local_socket, KTLSD_LOCAL_SOCKET_PATH);
	cfg->seccomp = 1;
}

static const char *trim(const char *s, const char *end, const char **out_end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\r'))
		end--;
	*out_end = end;
	return s;
}

static bool eq(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - s) == n && !memcmp(s, word, n);
}

static int parse_int(const char *s, const char *end, int min, int max,
		     int *out)
{
	long v = 0;

	if (s == end || end - s > 10)
		return -1;
	for (const char *p = s; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

/* "a;b;c", empty items skipped (GLib lists may end with ';'). */
static int parse_keyrings(struct ktlsd_config *cfg, const char *s,
			  const char *end, char *why, size_t whylen)
{
	cfg->n_keyrings = 0;
	while (s < end) {
		const char *semi = memchr(s, ';', (size_t)(end - s));
		const char *iend, *item;

		if (!semi)
			semi = end;
		item = trim(s, semi, &iend);
		if (item < iend) {
			if (cfg->n_keyrings == KTLSD_CONFIG_MAX_KEYRINGS) {
				snprintf(why, whylen, "more than %d keyrings",
					 KTLSD_CONFIG_MAX_KEYRINGS);
				return -1;
			}
			for (const char *c = item; c < iend; c++) {
				if ((unsigned char)*c < 0x20) {
					snprintf(why, whylen, "a keyring name "
						 "with a control character");
					return -1;
				}
			}
			if (iend - item >= KTLSD_CONFIG_MAX_KEYRING_NAME) {
				snprintf(why, whylen, "a keyring name longer "
					 "than %d bytes",
					 KTLSD_CONFIG_MAX_KEYRING_NAME - 1);
				return -1;
			}
			memcpy(cfg->keyrings[cfg->n_keyrings], item,
			       (size_t)(iend - item));
			cfg->keyrings[cfg->n_keyrings][iend - item] = '\0';
			cfg->n_keyrings++;
		}
		s = semi + 1;
	}
	return 0;
}

/* "0;1000;1001": numeric ids, at most KTLSD_CONFIG_MAX_IDS. */
static int parse_ids(struct ktlsd_id_list *l, const char *s, const char *end,
		     const char *key, char *why, size_t whylen)
{
	unsigned int *count = &l->n;

	*count = 0;
	while (s < end) {
		const char *semi = memchr(s, ';', (size_t)(end - s));
		const char *iend, *item;
		int id;

		if (!semi)
			semi = end;
		item = trim(s, semi, &iend);
		if (item < iend) {
			if (*count == KTLSD_CONFIG_MAX_IDS) {
				snprintf(why, whylen, "%s: more than %d ids",
					 key, KTLSD_CONFIG_MAX_IDS);
				return -1;
			}
			if (parse_int(item, iend, 0, 2147483647, &id)) {
				snprintf(why, whylen, "%s wants numeric ids "
					 "separated by ';'", key);
				return -1;
			}
			l->id[(*count)++] = (unsigned int)id;
		}
		s = semi + 1;
	}
	return 0;
}

static int set_value(void *base, const struct key_desc *k,
		     const char *v, const char *vend, char *why, size_t whylen)
{
	char *field = (char *)base + k->offset;
	int n;

	switch (k->kind) {
	case V_INT:
	case V_COUNT:
		if (parse_int(v, vend, k->min, k->max, &n)) {
			snprintf(why, whylen, "%s wants a whole number from "
				 "%d to %d", k->key, k->min, k->max);
			return -1;
		}
		if (k->kind == V_INT)
			*(int *)field = n;
		else
			*(unsigned int *)field = (unsigned int)n;
		return 0;
	case V_PATH:
		if (vend - v >= KTLSD_CONFIG_MAX_PATH) {
			snprintf(why, whylen, "%s is longer than %d bytes",
				 k->key, KTLSD_CONFIG_MAX_PATH - 1);
			return -1;
		}
		if (memchr(v, '\0', (size_t)(vend - v))) {
			snprintf(why, whylen, "%s contains a NUL byte", k->key);
			return -1;
		}
		memcpy(field, v, (size_t)(vend - v));
		field[vend - v] = '\0';
		return 0;
	case V_KEYRINGS:
		return parse_keyrings(base, v, vend, why, whylen);
	case V_IDS:
		return parse_ids((struct ktlsd_id_list *)field, v, vend,
				 k->key, why, whylen);
	case V_REVOCATION:
		if (eq(v, vend, "off"))
			*(int *)field = KTLSD_REVOCATION_OFF;
		else if (eq(v, vend, "soft"))
			*(int *)field = KTLSD_REVOCATION_SOFT;
		else if (eq(v, vend, "hard"))
			*(int *)field = KTLSD_REVOCATION_HARD;
		else {
			snprintf(why, whylen, "%s wants off, soft or hard",
				 k->key);
			return -1;
		}
		return 0;
	}
	return -1;
}

/*
 * [identity.NAME]: a new identity. Names are letters, digits, '-', '_' and
 * '.'; defining one twice is an error (a typo would otherwise merge two).
 */
static int start_identity(struct ktlsd_config *cfg, const char *name,
			  const char *end, struct ktlsd_identity **out,
			  char *why, size_t whylen)
{
	size_t n = (size_t)(end - name);
	struct ktlsd_identity *id;

	if (n > KTLSD_CONFIG_MAX_IDENTITY_NAME) {
		snprintf(why, whylen, "an identity name longer than %d bytes",
			 KTLSD_CONFIG_MAX_IDENTITY_NAME);
		return -1;
	}
	for (const char *c = name; c < end; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
		    *c == '.')
			continue;
		snprintf(why, whylen, "an identity name may hold letters, "
			 "digits, '-', '_' and '.' only");
		return -1;
	}
	for (unsigned int i = 0; i < cfg->n_identities; i++) {
		if (strlen(cfg->identities[i].name) == n &&
		    !memcmp(cfg->identities[i].name, name, n)) {
			snprintf(why, whylen, "[identity.%.*s] defined twice",
				 (int)n, name);
			return -1;
		}
	}
	if (cfg->n_identities == KTLSD_CONFIG_MAX_IDENTITIES) {
		snprintf(why, whylen, "more than %d identities",
			 KTLSD_CONFIG_MAX_IDENTITIES);
		return -1;
	}
	id = &cfg->identities[cfg->n_identities++];
	memset(id, 0, sizeof(*id));
	memcpy(id->name, name, n);
	*out = id;
	return 0;
}

int ktlsd_config_parse(struct ktlsd_config *cfg, const char *text, size_t len,
		       void (*warn)(const char *msg), char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	const char *group = NULL, *gend = NULL;
	struct ktlsd_identity *id = NULL;	/* in an [identity.NAME] */
	bool group_known = false;
	char why[160], msg[256];
	unsigned int line = 0;

	if (len > KTLSD_CONFIG_MAX_FILE) {
		snprintf(err, errlen, "the file is larger than %d bytes",
			 KTLSD_CONFIG_MAX_FILE);
		return -1;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *l, *lend, *eqs, *k, *kend, *v, *vend;
		const struct key_desc *d = NULL;

		if (!nl)
			nl = end;
		line++;
		if (nl - p > KTLSD_CONFIG_MAX_LINE) {
			snprintf(err, errlen, "line %u: longer than %d bytes",
				 line, KTLSD_CONFIG_MAX_LINE);
			return -1;
		}
		l = trim(p, nl, &lend);
		p = nl + 1;
		if (l == lend || *l == '#')
			continue;
		if (*l == '[') {
			if (lend[-1] != ']' || lend - l < 3) {
				snprintf(err, errlen, "line %u: a group header "
					 "must look like [name]", line);
				return -1;
			}
			group = l + 1;
			gend = lend - 1;
			group_known = false;
			id = NULL;
			if (gend - group > 9 && !memcmp(group, "identity.", 9)) {
				if (start_identity(cfg, group + 9, gend, &id,
						   why, sizeof(why))) {
					snprintf(err, errlen, "line %u: %s",
						 line, why);
					return -1;
				}
				group_known = true;
				continue;
			}
			for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
				group_known |= eq(group, gend, keys[i].group);
			if (!group_known) {
				snprintf(msg, sizeof(msg), "line %u: unknown "
					 "group [%.*s] ignored", line,
					 (int)(gend - group), group);
				cfg->n_warnings++;
				if (warn)
					warn(msg);
			}
			continue;
		}
		eqs = memchr(l, '=', (size_t)(lend - l));
		if (!eqs) {
			snprintf(err, errlen, "line %u: expected key=value, a "
				 "[group] or a # comment", line);
			return -1;
		}
		if (!group) {
			snprintf(err, errlen, "line %u: key outside any [group]",
				 line);
			return -1;
		}
		if (!group_known)	/* already reported with its group */
			continue;
		k = trim(l, eqs, &kend);
		v = trim(eqs + 1, lend, &vend);
		if (id) {
			for (size_t i = 0; i < sizeof(id_keys) /
			     sizeof(id_keys[0]); i++)
				if (eq(k, kend, id_keys[i].key))
					d = &id_keys[i];
			if (!d) {
				snprintf(err, errlen, "line %u: unknown key "
					 "'%.*s' in [identity.%s]", line,
					 (int)(kend - k), k, id->name);
				return -1;
			}
			if (set_value(id, d, v, vend, why, sizeof(why))) {
				snprintf(err, errlen, "line %u: [identity.%s] "
					 "%s", line, id->name, why);
				return -1;
			}
			continue;
		}
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (eq(group, gend, keys[i].group) &&
			    eq(k, kend, keys[i].key))
				d = &keys[i];
		if (!d) {
			snprintf(msg, sizeof(msg), "line %u: unknown key "
				 "'%.*s' in [%.*s] ignored", line,
				 (int)(kend - k), k, (int)(gend - group), group);
			cfg->n_warnings++;
			if (warn)
				warn(msg);
			continue;
		}
		if (set_value(cfg, d, v, vend, why, sizeof(why))) {
			snprintf(err, errlen, "line %u: [%s] %s", line,
				 d->group, why);
			return -1;
		}
	}
	return 0;
}

int ktlsd_config_load(struct ktlsd_config *cfg, const char *path,
		      void (*warn)(const char *msg), char *err, size_t errlen)
{
	static const char *const places[] = { KTLSD_CONFIG_PATH,
					      KTLSD_CONFIG_LEGACY_PATH };
	char *buf = NULL;
	ssize_t n;
	int fd = -1, rc = -1;

	ktlsd_config_defaults(cfg);
	if (!path) {
		for (size_t i = 0; i < 2 && !path; i++)
			if (!access(places[i], F_OK))
				path = places[i];
		if (!path)
			return 0;
	}
	if (strlen(path) >= sizeof(cfg->source)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	buf = malloc(KTLSD_CONFIG_MAX_FILE + 1);
	if (fd < 0 || !buf) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	/* Up to one byte past the limit, so that the parser sees it. */
	for (n = 0; n <= KTLSD_CONFIG_MAX_FILE;) {
		ssize_t r = read(fd, buf + n, KTLSD_CONFIG_MAX_FILE + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += r;
	}
	snprintf(cfg->source, sizeof(cfg->source), "%s", path);
	rc = ktlsd_config_parse(cfg, buf, (size_t)n, warn, err, errlen);
	if (rc) {
		char tmp[256];

		snprintf(tmp, sizeof(tmp), "%s: %s", path, err);
		snprintf(err, errlen, "%s", tmp);
	}
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}
