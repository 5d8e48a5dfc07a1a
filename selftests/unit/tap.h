/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A small TAP (version 13) harness for the project's userspace unit tests,
 * which link GPL-3.0 code and so cannot use the kernel's GPL-2.0-only
 * kselftest harness.
 *
 *	TAP_TEST(name) { TAP_CHECK(cond); TAP_CHECK_EQ(a, b); ... }
 *	int main(void) { return tap_run(); }
 *
 * Each test is one "ok"/"not ok" line; failed checks print a diagnostic with
 * file and line and the test goes on, so one run shows every failure.
 */
#ifndef KTLSD_TAP_H
#define KTLSD_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tap_test {
	const char *name;
	void (*fn)(int *failed);
	const char *skip;	/* set by TAP_SKIP() */
};

#define TAP_MAX_TESTS 256
static struct tap_test tap_tests[TAP_MAX_TESTS];
static unsigned int tap_n_tests;

#define TAP_TEST(tname)							\
	static void tap_fn_##tname(int *tap_failed);			\
	__attribute__((constructor)) static void tap_reg_##tname(void)	\
	{								\
		if (tap_n_tests == TAP_MAX_TESTS)			\
			abort();					\
		tap_tests[tap_n_tests++] = (struct tap_test){		\
			.name = #tname, .fn = tap_fn_##tname };		\
	}								\
	static void tap_fn_##tname(int *tap_failed)

#define TAP_CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("#   %s:%d: check failed: %s\n",		\
			       __FILE__, __LINE__, #cond);		\
			*tap_failed = 1;				\
		}							\
	} while (0)

#define TAP_CHECK_EQ(a, b)						\
	do {								\
		long long tap_a = (long long)(a), tap_b = (long long)(b); \
		if (tap_a != tap_b) {					\
			printf("#   %s:%d: %s == %s: %lld != %lld\n",	\
			       __FILE__, __LINE__, #a, #b, tap_a, tap_b); \
			*tap_failed = 1;				\
		}							\
	} while (0)

#define TAP_CHECK_MEM(a, b, n)						\
	do {								\
		if (memcmp((a), (b), (n))) {				\
			printf("#   %s:%d: %s and %s differ\n",		\
			       __FILE__, __LINE__, #a, #b);		\
			*tap_failed = 1;				\
		}							\
	} while (0)

static inline int tap_run(void)
{
	unsigned int i, failures = 0;

	printf("TAP version 13\n1..%u\n", tap_n_tests);
	for (i = 0; i < tap_n_tests; i++) {
		int failed = 0;

		tap_tests[i].fn(&failed);
		failures += failed;
		printf("%sok %u %s\n", failed ? "not " : "", i + 1,
		       tap_tests[i].name);
		fflush(stdout);
	}
	return failures ? 1 : 0;
}

#endif /* KTLSD_TAP_H */
