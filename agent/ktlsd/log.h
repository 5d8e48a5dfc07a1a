/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ktlsd's log: one line per event on stderr (journald or a file takes it
 * from there), with the time, the level and what happened and why. Never
 * pass a secret to it.
 */
#ifndef KTLSD_LOG_H
#define KTLSD_LOG_H

enum ktlsd_log_level {
	KTLSD_LOG_ERR,
	KTLSD_LOG_WARN,
	KTLSD_LOG_INFO,
	KTLSD_LOG_DEBUG,
};

void ktlsd_log_set_level(enum ktlsd_log_level level);
void ktlsd_log(enum ktlsd_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)	ktlsd_log(KTLSD_LOG_ERR, __VA_ARGS__)
#define log_warn(...)	ktlsd_log(KTLSD_LOG_WARN, __VA_ARGS__)
#define log_info(...)	ktlsd_log(KTLSD_LOG_INFO, __VA_ARGS__)
#define log_debug(...)	ktlsd_log(KTLSD_LOG_DEBUG, __VA_ARGS__)

#endif /* KTLSD_LOG_H */
