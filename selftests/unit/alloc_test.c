// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Zero-allocation proof for the engine (agent/engine).
 *
 * This program defines malloc, calloc, realloc and free itself (forwarding
 * to glibc's __libc_* entry points), so every heap allocation in the
 * process goes through the counters below.  The crypto provider is the
 * wolfCrypt one wrapped so that a depth counter is raised for the duration
 * of every provider call: an allocation made while it is raised belongs to
 * wolfCrypt (which may allocate internally), any other one made while a
 * connection is driven belongs to the engine.
 *
 * What is measured: from just before ktls_conn_init() of both sides to
 * after ktls_conn_wipe(), a complete client<->server handshake (X25519 and
 * X25519MLKEM768, one with HelloRetryRequest and mutual TLS, one issuing
 * a ticket then resuming with it in a second connection), an
 * application-data echo, a KeyUpdate and close_notify.  Asserted: zero
 * allocations outside provider calls.  The provider's own count is
 * printed, not asserted.
 *
 * Built without sanitizers (their allocator would replace these
 * definitions): see the alloc_test rule in the Makefile.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "engine_harness.h"
#include "tap.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static int counting, provider_depth;
static long engine_allocs, provider_allocs;

static void count(void)
{
	if (!counting)
		return;
	if (provider_depth)
		provider_allocs++;
	else
		engine_allocs++;
}

void *malloc(size_t n)
{
	count();
	return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
	count();
	return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
	count();
	return __libc_realloc(p, n);
}

void free(void *p)
{
	__libc_free(p);
}

/* ---- the wolfCrypt provider with every call bracketed ---- */

static const struct ktls_crypto_provider *wc = &ktls_provider_wolfcrypt;

#define WRAP(name, params, args)					\
	static int w_##name params					\
	{								\
		int r;							\
		provider_depth++;					\
		r = wc->name args;					\
		provider_depth--;					\
		return r;						\
	}
#define WRAP_VOID(name, params, args)					\
	static void w_##name params					\
	{								\
		provider_depth++;					\
		wc->name args;						\
		provider_depth--;					\
	}

WRAP(hash_init, (struct ktls_hash_ctx *c, enum ktls_hash_alg a), (c, a))
WRAP(hash_update, (struct ktls_hash_ctx *c, const uint8_t *d, size_t n),
     (c, d, n))
WRAP(hash_copy, (struct ktls_hash_ctx *d, const struct ktls_hash_ctx *s),
     (d, s))
WRAP(hash_final, (struct ktls_hash_ctx *c, uint8_t *o), (c, o))
WRAP_VOID(hash_free, (struct ktls_hash_ctx *c), (c))
WRAP(hmac, (enum ktls_hash_alg a, const uint8_t *k, size_t kl,
	    const uint8_t *d, size_t n, uint8_t *o), (a, k, kl, d, n, o))
WRAP(hkdf_extract, (enum ktls_hash_alg a, const uint8_t *s, size_t sl,
		    const uint8_t *i, size_t il, uint8_t *p),
     (a, s, sl, i, il, p))
WRAP(hkdf_expand, (enum ktls_hash_alg a, const uint8_t *p, size_t pl,
		   const uint8_t *i, size_t il, uint8_t *o, size_t ol),
     (a, p, pl, i, il, o, ol))
WRAP(aead_init, (struct ktls_aead_ctx *c, enum ktls_aead_alg a,
		 const uint8_t *k, size_t kl), (c, a, k, kl))
WRAP(aead_seal, (struct ktls_aead_ctx *c, const uint8_t *n,
		 const uint8_t *a, size_t al, const uint8_t *i, size_t l,
		 uint8_t *o), (c, n, a, al, i, l, o))
WRAP(aead_open, (struct ktls_aead_ctx *c, const uint8_t *n,
		 const uint8_t *a, size_t al, const uint8_t *i, size_t l,
		 uint8_t *o), (c, n, a, al, i, l, o))
WRAP_VOID(aead_free, (struct ktls_aead_ctx *c), (c))
WRAP(kx_keygen, (uint16_t g, struct ktls_kx_state *s, uint8_t *sh,
		 size_t cap, size_t *sl), (g, s, sh, cap, sl))
WRAP(kx_encap, (uint16_t g, const uint8_t *p, size_t pl, uint8_t *sh,
		size_t cap, size_t *shl, uint8_t *sec, size_t *secl),
     (g, p, pl, sh, cap, shl, sec, secl))
WRAP(kx_finish, (struct ktls_kx_state *s, const uint8_t *p, size_t pl,
		 uint8_t *sec, size_t *secl), (s, p, pl, sec, secl))
WRAP(sig_verify, (uint16_t sc, const uint8_t *k, size_t kl,
		  const uint8_t *m, size_t ml, const uint8_t *s, size_t sl),
     (sc, k, kl, m, ml, s, sl))
WRAP(sig_sign, (uint16_t sc, const uint8_t *k, size_t kl, const uint8_t *m,
		size_t ml, uint8_t *s, size_t cap, size_t *sl),
     (sc, k, kl, m, ml, s, cap, sl))
WRAP(sig_keygen, (uint16_t sc, uint8_t *p, size_t pc, size_t *pl,
		  uint8_t *s, size_t sc2, size_t *sl),
     (sc, p, pc, pl, s, sc2, sl))
WRAP(random, (uint8_t *o, size_t n), (o, n))

static const struct ktls_crypto_provider counted = {
	.name = "wolfcrypt-counted",
	.hash_init = w_hash_init, .hash_update = w_hash_update,
	.hash_copy = w_hash_copy, .hash_final = w_hash_final,
	.hash_free = w_hash_free, .hmac = w_hmac,
	.hkdf_extract = w_hkdf_extract, .hkdf_expand = w_hkdf_expand,
	.aead_init = w_aead_init, .aead_seal = w_aead_seal,
	.aead_open = w_aead_open, .aead_free = w_aead_free,
	.kx_keygen = w_kx_keygen, .kx_encap = w_kx_encap,
	.kx_finish = w_kx_finish, .sig_verify = w_sig_verify,
	.sig_sign = w_sig_sign, .sig_keygen = w_sig_keygen,
	.random = w_random,
};

static _Alignas(16) uint8_t cmem[KTLS_CONN_SIZE], smem[KTLS_CONN_SIZE];

static const struct ktls_ticket_key tkey = { .id = { 1 }, .key = { 2 } };

/* mtls runs also staple both ways and send certificate_authorities */
static const uint8_t staple[] = { 0x30, 0x03, 0x0a, 0x01, 0x00 };
static const uint8_t dn[] = { 0x30, 0x00 };
static const struct ktls_dn dns[1] = { { dn, sizeof(dn) } };

static int run_one(uint16_t group, bool hrr, bool mtls, bool resume,
		   bool rsa)
{
	static const uint16_t pss[] = { KTLS_SIG_RSA_PSS_PSS_SHA256,
					KTLS_SIG_RSA_PSS_PSS_SHA384,
					KTLS_SIG_RSA_PSS_PSS_SHA512 };
	static struct ktls_config ccfg, scfg;
	static struct ident sid, cid;
	const size_t sl = sizeof(staple);
	struct side_keys ck, sk;
	struct ktls_conn *c, *s;
	uint8_t buf[64];
	int ok;

	memset(&ck, 0, sizeof(ck));
	memset(&sk, 0, sizeof(sk));
	ktls_config_init(&ccfg, KTLS_ROLE_CLIENT, &counted);
	ktls_config_init(&scfg, KTLS_ROLE_SERVER, &counted);
	/* rsa: an RSA-PSS server key and an RSA client key, each picking
	 * its scheme from the peer's list */
	if (ident_make(&counted, &sid, rsa ? KTLS_SIG_RSA_PSS_PSS_SHA256 :
			KTLS_SIG_ECDSA_SECP256R1_SHA256) ||
	    ident_make(&counted, &cid, rsa ? KTLS_SIG_RSA_PSS_RSAE_SHA256 :
			KTLS_SIG_ED25519))
		return 0;
	cfg_ident(&scfg, &sid);
	if (rsa) {
		memcpy(scfg.key_schemes, pss, sizeof(pss));
		scfg.n_key_schemes = 3;
		ccfg.sig_schemes[0] = KTLS_SIG_RSA_PSS_PSS_SHA512;
		ccfg.n_sig_schemes = 1;
		scfg.sig_schemes[0] = KTLS_SIG_RSA_PSS_RSAE_SHA384;
		scfg.n_sig_schemes = 1;
	}
	ccfg.verifier.verify = accept_verify;
	scfg.verifier.verify = accept_verify;
	ccfg.groups[0] = group;
	ccfg.n_groups = 1;
	if (hrr) {
		ccfg.groups[0] = KTLS_GROUP_X25519;
		ccfg.groups[1] = group;
		ccfg.n_groups = 2;
		scfg.groups[0] = group;
		scfg.n_groups = 1;
	}
	if (mtls) {
		cfg_ident(&ccfg, &cid);
		scfg.request_client_cert = scfg.require_client_cert = true;
		ccfg.request_ocsp = scfg.request_ocsp = true;
		ccfg.ocsp_staple = scfg.ocsp_staple = staple;
		ccfg.ocsp_staple_len = scfg.ocsp_staple_len = sizeof(staple);
		ccfg.ca_names = scfg.ca_names = dns;
		ccfg.n_ca_names = scfg.n_ca_names = 1;
	}
	if (resume) {
		scfg.ticket_keys = &tkey;
		scfg.n_ticket_keys = 1;
	}

	counting = 1;
	c = ktls_conn_init(cmem, sizeof(cmem), &ccfg);
	s = ktls_conn_init(smem, sizeof(smem), &scfg);
	ok = c && s;
	if (ok) {
		pump(c, s, &ck, &sk);
		ok = ck.done == 1 && sk.done == 1 &&
		     ktls_conn_send(c, (const uint8_t *)"ping", 4) == 4;
		ok = ok && (!rsa ||
			    (ck.done_ev.u.done.sig_scheme ==
			     KTLS_SIG_RSA_PSS_PSS_SHA512 &&
			     sk.done_ev.u.done.sig_scheme ==
			     KTLS_SIG_RSA_PSS_RSAE_SHA384));
		/* the new paths ran: staples and CA names arrived both ways */
		ok = ok && (!mtls ||
			    (ck.done_ev.u.done.peer_ocsp_len == sl &&
			     sk.done_ev.u.done.peer_ocsp_len == sl &&
			     ck.done_ev.u.done.n_peer_ca_names == 1 &&
			     sk.done_ev.u.done.n_peer_ca_names == 1));
		xfer(c, s);
		ok = ok && ktls_conn_recv(s, buf, sizeof(buf)) == 4 &&
		     ktls_conn_key_update(s, true) == 0;
		pump(c, s, &ck, &sk);
		ok = ok && ktls_conn_close(c) == 0;
		xfer(c, s);
		ok = ok && ktls_conn_closed(s);
	}
	if (c)
		ktls_conn_wipe(c);
	if (s)
		ktls_conn_wipe(s);
	if (ok && resume) {
		/* a second connection resuming with the ticket received */
		struct side_keys rk, rs;

		memset(&rk, 0, sizeof(rk));
		memset(&rs, 0, sizeof(rs));
		ok = ck.n_tickets > 0;
		c = ktls_conn_init_resume(cmem, sizeof(cmem), &ccfg,
					  &ck.ticket);
		s = ktls_conn_init(smem, sizeof(smem), &scfg);
		ok = ok && c && s;
		if (ok) {
			pump(c, s, &rk, &rs);
			ok = rk.done == 1 && rk.done_ev.u.done.resumed;
		}
		if (c)
			ktls_conn_wipe(c);
		if (s)
			ktls_conn_wipe(s);
	}
	counting = 0;
	return ok;
}

TAP_TEST(engine_allocates_nothing)
{
	static const struct {
		uint16_t group;
		bool hrr, mtls, resume, rsa;
	} runs[] = {
		{ KTLS_GROUP_X25519, false, false, false, false },
		{ KTLS_GROUP_X25519MLKEM768, false, false, false, false },
		{ KTLS_GROUP_SECP256R1, true, true, false, false },
		{ KTLS_GROUP_X25519, false, false, true, false },
		{ KTLS_GROUP_X25519, false, true, false, true },
	};

	for (unsigned int i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		engine_allocs = provider_allocs = 0;
		TAP_CHECK(run_one(runs[i].group, runs[i].hrr, runs[i].mtls,
				  runs[i].resume, runs[i].rsa));
		printf("# group %s hrr %d mtls %d ticket+resume %d rsa-pss %d: "
		       "engine allocations %ld, inside provider calls %ld\n",
		       ktls_group_name(runs[i].group), runs[i].hrr,
		       runs[i].mtls, runs[i].resume, runs[i].rsa,
		       engine_allocs, provider_allocs);
		TAP_CHECK_EQ(engine_allocs, 0);
	}
}

/* The counter itself works: an allocation outside the provider counts. */
TAP_TEST(counter_sees_allocations)
{
	void *p;

	engine_allocs = 0;
	counting = 1;
	p = malloc(16);
	counting = 0;
	free(p);
	TAP_CHECK_EQ(engine_allocs, 1);
}

int main(void)
{
	return tap_run();
}
