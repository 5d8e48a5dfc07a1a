// SPDX-License-Identifier: GPL-3.0-or-later
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

static atomic_int log_level = KTLSD_LOG_INFO;

void ktlsd_log_set_level(enum ktlsd_log_level level)
{
	atomic_store(&log_level, level);
}

void ktlsd_log(enum ktlsd_log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "info",
					     "debug" };
	char line[1024];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	if ((int)level > atomic_load(&log_level))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One fprintf per line: lines from workers never interleave. */
	fprintf(stderr, "%02d:%02d:%02d.%03ld ktlsd %s: %s\n", tm.tm_hour,
		tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, names[level], line);
}
