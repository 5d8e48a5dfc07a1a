// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * ktlsd's own OCSP staple (agent/ktlsd/staple.c), the CA names it sends
 * in certificate_authorities (ktlsd_ca_names, agent/ktlsd/handshake.c)
 * and the configuration keys around them: x509.ocsp_staple,
 * x509.ca_names.
 *
 * The certificates and responses are real ones, made offline by openssl
 * (selftests/lib/nfs.sh make_pki, selftests/lib/ocsp.sh) in a temporary
 * directory: a good and a revoked response for the server certificate,
 * one for another certificate (the client's), one whose CertID names an
 * issuer of the same name but another key, and garbage. Expiry is tested
 * by loading with a clock two days ahead. For the CA names: two CAs and
 * a namesake of one (in two orders), and a bundle of 200 CAs whose names
 * pass 16 KiB; the list is built once per shared trust store
 * (ktls_trust_get) and freed with it, a reload building a new one.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "handshake.h"
#include "ktls.h"
#include "ktls_providers.h"
#include "staple.h"
#include "tap.h"
#include "x509_path.h"

static char dir[64];
static bool have_pki;
static char why[384];

static const char *f(const char *name)
{
	static char paths[8][160];
	static unsigned int i;

	i = (i + 1) % 8;
	snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, name);
	return paths[i];
}

__attribute__((constructor)) static void make_files(void)
{
	char cmd[2048];
	FILE *g;

	snprintf(dir, sizeof(dir), "/tmp/staple_test.XXXXXX");
	if (!mkdtemp(dir))
		return;
	snprintf(cmd, sizeof(cmd),
		 "bash -c '. selftests/lib/nfs.sh && . selftests/lib/ocsp.sh"
		 " && d=%s && make_pki $d && cd $d &&"
		 " openssl req -x509 -newkey ec -pkeyopt"
		 " ec_paramgen_curve:P-256 -nodes -keyout twin.key -out"
		 " twin.pem -days 2 -subj /CN=ktlsd-test-ca &&"
		 " ocsp_response server.pem ca.pem ca.key good.der &&"
		 " ocsp_response server.pem ca.pem ca.key revoked.der revoked &&"
		 " ocsp_response client.pem ca.pem ca.key other.der &&"
		 " ocsp_response server.pem ca.pem ca.key twin.der good"
		 " twin.pem && cat server.pem ca.pem >chain.pem &&"
		 " cat ca.pem other-ca.pem twin.pem >three.pem &&"
		 " cat other-ca.pem twin.pem ca.pem >order.pem &&"
		 " for i in $(seq 200); do openssl req -x509 -key ca.key"
		 " -days 2 -subj /CN=bundle-ca-$i/O=a-rather-long-"
		 "organisation-name-to-make-the-list-long-enough ||"
		 " exit 1; done >bundle.pem"
		 "' >/dev/null 2>&1", dir);
	have_pki = !system(cmd);
	g = fopen(f("garbage.der"), "w");
	if (g) {
		fputs("this is not DER", g);
		fclose(g);
	}
	g = fopen(f("huge.der"), "w");
	if (g) {
		for (int i = 0; i < 70000; i++)
			fputc(0x30, g);
		fclose(g);
	}
}

__attribute__((destructor)) static void remove_files(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (dir[0] && system(cmd))
		fprintf(stderr, "# could not remove %s\n", dir);
}

static struct ktlsd_staple *load(const char *resp, const char *cert,
				 const char *trust, int64_t ahead)
{
	return ktlsd_staple_load(f(resp), f(cert), trust ? f(trust) : "",
				 (int64_t)time(NULL) + ahead, why, sizeof(why));
}

#define NEED_PKI()							\
	do {								\
		if (!have_pki) {					\
			printf("# openssl could not make the PKI\n");	\
			*tap_failed = 1;				\
			return;						\
		}							\
	} while (0)

TAP_TEST(good_response_is_loaded)
{
	struct ktlsd_staple *s;

	NEED_PKI();
	s = load("good.der", "server.pem", "ca.pem", 0);
	TAP_CHECK(s != NULL);
	if (!s)
		return;
	TAP_CHECK(why[0] == '\0');
	TAP_CHECK(s->len > 100 && s->der[0] == 0x30);
	TAP_CHECK(s->next_update > (int64_t)time(NULL));
	TAP_CHECK(ktlsd_staple_usable(s, s->leaf, s->leaf_len,
				      (int64_t)time(NULL)));
	ktlsd_staple_free(s);
}

TAP_TEST(issuer_in_the_chain_file)
{
	struct ktlsd_staple *s;

	NEED_PKI();
	s = load("good.der", "chain.pem", NULL, 0);
	TAP_CHECK(s != NULL);
	ktlsd_staple_free(s);
	/* the same name, another key: the issuerKeyHash differs */
	s = load("twin.der", "chain.pem", NULL, 0);
	TAP_CHECK(s == NULL);
	TAP_CHECK(strstr(why, "issuerKeyHash") != NULL);
	ktlsd_staple_free(s);
}

TAP_TEST(issuer_key_hash_checked_against_the_trust_store)
{
	struct ktlsd_staple *s;

	NEED_PKI();
	s = load("twin.der", "server.pem", "ca.pem", 0);
	TAP_CHECK(s == NULL);
	TAP_CHECK(strstr(why, "issuerKeyHash is not that of the issuer's key"));
	ktlsd_staple_free(s);
	/* no issuer at hand: serial and name hash are all we can check */
	s = load("twin.der", "server.pem", NULL, 0);
	TAP_CHECK(s != NULL);
	ktlsd_staple_free(s);
}

TAP_TEST(revoked_is_kept_with_a_warning)
{
	struct ktlsd_staple *s;

	NEED_PKI();
	s = load("revoked.der", "server.pem", "ca.pem", 0);
	TAP_CHECK(s != NULL);
	TAP_CHECK(!strcmp(why, "it reports the certificate revoked"));
	ktlsd_staple_free(s);
}

TAP_TEST(another_certificate_is_refused)
{
	struct ktlsd_staple *s;

	NEED_PKI();
	s = load("other.der", "server.pem", "ca.pem", 0);
	TAP_CHECK(s == NULL);
	printf("# %s\n", why);
	TAP_CHECK(strstr(why, "it is for another certificate (serial "));
	TAP_CHECK(strstr(why, "not for serial "));
}

TAP_TEST(expired_is_refused)
{
	struct ktlsd_staple *s;

	NEED_PKI();
	s = load("good.der", "server.pem", "ca.pem", 2 * 86400);
	TAP_CHECK(s == NULL);
	printf("# %s\n", why);
	TAP_CHECK(strstr(why, "it has expired: its nextUpdate ") != NULL);
}

TAP_TEST(goes_stale_after_loading)
{
	struct ktlsd_staple *s;
	int64_t now = (int64_t)time(NULL);

	NEED_PKI();
	s = load("good.der", "server.pem", "ca.pem", 0);
	TAP_CHECK(s != NULL);
	if (!s)
		return;
	TAP_CHECK(!ktlsd_staple_usable(s, s->leaf, s->leaf_len,
				       now + 2 * 86400));
	/* another leaf than the one it was loaded for */
	TAP_CHECK(!ktlsd_staple_usable(s, s->leaf, s->leaf_len - 1, now));
	TAP_CHECK(!ktlsd_staple_usable(NULL, s->leaf, s->leaf_len, now));
	ktlsd_staple_free(s);
}

TAP_TEST(unparseable_and_unreadable)
{
	struct ktlsd_staple *s;

	NEED_PKI();
	s = load("garbage.der", "server.pem", NULL, 0);
	TAP_CHECK(s == NULL);
	TAP_CHECK(!strncmp(why, "not a DER OCSPResponse: ", 24));
	s = load("huge.der", "server.pem", NULL, 0);
	TAP_CHECK(s == NULL);
	TAP_CHECK(!strcmp(why, "larger than 65531 bytes"));
	s = load("absent.der", "server.pem", NULL, 0);
	TAP_CHECK(s == NULL);
	TAP_CHECK(!strcmp(why, "No such file or directory"));
	s = ktlsd_staple_load(f("good.der"), "", "", 0, why, sizeof(why));
	TAP_CHECK(s == NULL);
	TAP_CHECK(!strcmp(why, "no x509.certificate to staple it to"));
	s = load("good.der", "absent.pem", NULL, 0);
	TAP_CHECK(s == NULL);
	TAP_CHECK(strstr(why, "is unreadable") != NULL);
}

TAP_TEST(staples_of_a_configuration)
{
	struct ktlsd_config *cfg = malloc(sizeof(*cfg));
	char text[2048], err[256];

	NEED_PKI();
	if (!cfg)
		abort();
	snprintf(text, sizeof(text),
		 "[authenticate.server]\n"
		 "x509.certificate=%s\nx509.private_key=%s\n"
		 "x509.truststore=%s\nx509.ocsp_staple=%s\n"
		 "[identity.a]\nx509.certificate=%s\nx509.ocsp_staple=%s\n"
		 "[identity.b]\nx509.certificate=%s\n",
		 f("server.pem"), f("server.key"), f("ca.pem"), f("good.der"),
		 f("server.pem"), f("other.der"), f("server.pem"));
	ktlsd_config_defaults(cfg);
	TAP_CHECK_EQ(ktlsd_config_parse(cfg, text, strlen(text), NULL, err,
					sizeof(err)), 0);
	ktlsd_staples_load(cfg);
	TAP_CHECK(cfg->server.staple != NULL);
	TAP_CHECK(cfg->identities[0].x509.staple == NULL);	/* refused */
	TAP_CHECK(cfg->identities[1].x509.staple == NULL);	/* none */
	ktlsd_staples_free(cfg);
	TAP_CHECK(cfg->server.staple == NULL);
	free(cfg);
}

TAP_TEST(config_keys)
{
	struct ktlsd_config *cfg = malloc(sizeof(*cfg));
	static const char good[] =
		"[authenticate.server]\nx509.ocsp_staple = /etc/x/ocsp.der\n"
		"x509.ca_names=0\n[identity.web]\nx509.ocsp_staple=/w.der\n";
	static const char bad[] = "[authenticate.server]\nx509.ca_names=2\n";
	static const char client[] =
		"[authenticate.client]\nx509.ca_names=0\n";
	char err[256];

	if (!cfg)
		abort();
	ktlsd_config_defaults(cfg);
	TAP_CHECK_EQ(cfg->server.ca_names, 1);
	TAP_CHECK(cfg->server.ocsp_staple[0] == '\0');
	TAP_CHECK_EQ(ktlsd_config_parse(cfg, good, sizeof(good) - 1, NULL,
					err, sizeof(err)), 0);
	TAP_CHECK(!strcmp(cfg->server.ocsp_staple, "/etc/x/ocsp.der"));
	TAP_CHECK_EQ(cfg->server.ca_names, 0);
	TAP_CHECK(!strcmp(cfg->identities[0].x509.ocsp_staple, "/w.der"));
	TAP_CHECK_EQ(cfg->n_warnings, 0u);
	ktlsd_config_defaults(cfg);
	TAP_CHECK_EQ(ktlsd_config_parse(cfg, bad, sizeof(bad) - 1, NULL, err,
					sizeof(err)), -1);
	TAP_CHECK(!strcmp(err, "line 2: [authenticate.server] x509.ca_names "
			  "wants a whole number from 0 to 1"));
	/* the server's key only: a warning on the client's side */
	ktlsd_config_defaults(cfg);
	TAP_CHECK_EQ(ktlsd_config_parse(cfg, client, sizeof(client) - 1, NULL,
					err, sizeof(err)), 0);
	TAP_CHECK_EQ(cfg->n_warnings, 1u);
	free(cfg);
}

TAP_TEST(ca_names_from_a_trust_store)
{
	static const char want[] = "ktlsd-test-ca";
	struct x509_store st;
	struct ktls_dn *dn;
	size_t total;
	long n;

	NEED_PKI();
	x509_store_init(&st);
	TAP_CHECK_EQ(ktlsd_ca_names(&st, &dn, &total), 0);
	TAP_CHECK(dn == NULL && total == 0);
	TAP_CHECK_EQ(x509_store_load_certs(&st, f("three.pem")), 3);
	n = ktlsd_ca_names(&st, &dn, &total);
	TAP_CHECK_EQ(n, 2);	/* the namesake is named once */
	if (n == 2) {
		TAP_CHECK_EQ(total, 4 + dn[0].len + dn[1].len);
		TAP_CHECK(dn[0].der[0] == 0x30);
		TAP_CHECK(memmem(dn[0].der, dn[0].len, want,
				 sizeof(want) - 1) != NULL);
		TAP_CHECK(memmem(dn[1].der, dn[1].len, "some-other-ca",
				 13) != NULL);
	}
	free(dn);
	x509_store_free(&st);

	x509_store_init(&st);
	TAP_CHECK_EQ(x509_store_load_certs(&st, f("bundle.pem")), 200);
	n = ktlsd_ca_names(&st, &dn, &total);
	TAP_CHECK_EQ(n, 200);
	printf("# 200 CAs: %zu bytes\n", total);
	TAP_CHECK(total > KTLS_CA_NAMES_MAX);	/* left out, logged */
	free(dn);
	x509_store_free(&st);
}

/* The store's order, each name where it first appears. */
TAP_TEST(ca_names_keep_the_store_order)
{
	struct x509_store st;
	struct ktls_dn *dn;
	size_t total;
	long n;

	NEED_PKI();
	x509_store_init(&st);
	TAP_CHECK_EQ(x509_store_load_certs(&st, f("order.pem")), 3);
	n = ktlsd_ca_names(&st, &dn, &total);
	TAP_CHECK_EQ(n, 2);
	if (n == 2) {
		/* other-ca, then the twin (not ca.pem, the third) */
		TAP_CHECK(dn[0].der == st.certs[0].cert.subject.p);
		TAP_CHECK(dn[1].der == st.certs[1].cert.subject.p);
		TAP_CHECK(memmem(dn[0].der, dn[0].len, "some-other-ca",
				 13) != NULL);
		TAP_CHECK_EQ(total, 4 + dn[0].len + dn[1].len);
	}
	free(dn);
	x509_store_free(&st);
}

static void *list_of(void *trust)
{
	return (void *)ktlsd_ca_list(trust);
}

/*
 * Once per trust store: handshakes verifying against the same (shared)
 * store get the same array, built once even when they ask together; it
 * is freed with the store; a reload that changes the CA file builds the
 * new store's list while a handshake in flight keeps the old one.
 */
TAP_TEST(ca_names_built_once_per_trust_store)
{
	struct ktls_config c1 = { 0 }, c2 = { 0 }, c3 = { 0 };
	const struct ktlsd_ca_list *l1, *l2;
	struct ktls_trust *t1, *t2, *t3;
	unsigned int built, freed;
	pthread_t th[4];
	void *got[4];
	struct ktlsd_config *kc;
	char err[256], cmd[512];

	NEED_PKI();
	kc = malloc(sizeof(*kc));
	if (!kc)
		abort();
	ktlsd_config_defaults(kc);
	snprintf(cmd, sizeof(cmd), "cp %s %s", f("three.pem"),
		 f("reload.pem"));
	TAP_CHECK_EQ(system(cmd), 0);
	built = atomic_load(&ktlsd_ca_lists_built);
	freed = atomic_load(&ktlsd_ca_lists_freed);

	t1 = ktls_trust_get(f("reload.pem"), NULL, err, sizeof(err));
	t2 = ktls_trust_get(f("reload.pem"), NULL, err, sizeof(err));
	TAP_CHECK(t1 != NULL && t1 == t2);
	if (!t1 || t1 != t2)
		goto out;
	for (int i = 0; i < 4; i++)
		TAP_CHECK_EQ(pthread_create(&th[i], NULL, list_of, t1), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], &got[i]);
	l1 = ktlsd_ca_list(t1);
	TAP_CHECK(l1 != NULL);
	if (!l1)
		goto out;
	for (int i = 0; i < 4; i++)
		TAP_CHECK(got[i] == l1);
	TAP_CHECK_EQ(atomic_load(&ktlsd_ca_lists_built), built + 1);
	TAP_CHECK_EQ(l1->n, 2u);
	TAP_CHECK(!l1->too_big && l1->dn != NULL);

	/* two handshakes' configurations: the same array */
	ktlsd_set_ca_names(&c1, t1, kc);
	ktlsd_set_ca_names(&c2, t2, kc);
	TAP_CHECK(c1.ca_names == l1->dn && c2.ca_names == l1->dn);
	TAP_CHECK_EQ(c1.n_ca_names, 2u);
	TAP_CHECK_EQ(c2.n_ca_names, 2u);
	TAP_CHECK_EQ(atomic_load(&ktlsd_ca_lists_built), built + 1);
	kc->server.ca_names = 0;
	ktlsd_set_ca_names(&c3, t1, kc);
	TAP_CHECK(c3.ca_names == NULL && c3.n_ca_names == 0);
	kc->server.ca_names = 1;

	/* a reload with another CA file: a new store, a new list */
	ktls_trust_flush();
	snprintf(cmd, sizeof(cmd), "cp %s %s", f("bundle.pem"),
		 f("reload.pem"));
	TAP_CHECK_EQ(system(cmd), 0);
	t3 = ktls_trust_get(f("reload.pem"), NULL, err, sizeof(err));
	TAP_CHECK(t3 != NULL && t3 != t1);
	if (t3) {
		l2 = ktlsd_ca_list(t3);
		TAP_CHECK(l2 != NULL && l2 != l1);
		TAP_CHECK(l2 && l2->n == 200 && l2->too_big && !l2->dn);
		memset(&c3, 0, sizeof(c3));
		ktlsd_set_ca_names(&c3, t3, kc);
		TAP_CHECK(c3.ca_names == NULL && c3.n_ca_names == 0);
		TAP_CHECK_EQ(atomic_load(&ktlsd_ca_lists_built), built + 2);
		ktls_trust_flush();
		ktls_trust_put(t3);	/* its last reference */
		TAP_CHECK_EQ(atomic_load(&ktlsd_ca_lists_freed), freed + 1);
	}
	/* the old store's list lives while a handshake holds it */
	TAP_CHECK(memmem(l1->dn[0].der, l1->dn[0].len, "ktlsd-test-ca",
			 13) != NULL);
	ktls_trust_put(t2);
	TAP_CHECK_EQ(atomic_load(&ktlsd_ca_lists_freed), freed + 1);
	ktls_trust_put(t1);
	TAP_CHECK_EQ(atomic_load(&ktlsd_ca_lists_freed), freed + 2);
	free(kc);
	return;
out:
	ktls_trust_put(t1);
	ktls_trust_put(t2);
	free(kc);
}

int main(void)
{
	return tap_run();
}
