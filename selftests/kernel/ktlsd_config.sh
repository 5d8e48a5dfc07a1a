#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# ktlsd reads tlshd's configuration (Debian's own /etc/tlshd.conf when no
# file is named), honours its [ktlsd] group, refuses a broken file at start
# naming the line, and on SIGHUP reloads a good file or keeps the running
# configuration when the new one is broken.
set -u
cd "$(dirname "$0")/../.."
ktlsd=$PWD/build/bin/ktlsd
. selftests/lib/tap.sh
dir=$(mktemp -d)
conf=$dir/ktlsd.conf
log=$dir/log

logged()
{
	grep -Eq "$1" "$log"
}

wait_logged()
{
	for _ in $(seq 300); do	# ktlsd's start-up probe is slow under TCG
		logged "$1" && return 0
		sleep 0.1
	done
	return 1
}

echo "TAP version 13"
echo "1..9"

# Debian's ktls-utils ships /etc/tlshd.conf; with no --config ktlsd uses it.
$ktlsd >"$log" 2>&1 &
pid=$!
check "no --config: tlshd's /etc/tlshd.conf is read" \
	wait_logged 'configuration: /etc/tlshd.conf$'
check "Debian's tlshd.conf gives no warning" \
	test "$(grep -c 'warning: configuration' "$log")" -eq 0
kill "$pid"
wait "$pid"

printf '[ktlsd]\nworkers=2\nmax_inflight=3\nturbo=1\n' >"$conf"
$ktlsd --config "$conf" >"$log" 2>&1 &
pid=$!
check "[ktlsd] workers and max_inflight are honoured" \
	wait_logged 'serving handshake upcalls: 2 workers, at most 3 in flight'
check "an unknown key is a warning naming its line" \
	logged "warning: configuration: line 4: unknown key 'turbo' in \[ktlsd\] ignored"

printf '[ktlsd]\nworkers=many\n' >"$conf"
kill -HUP "$pid"
check "SIGHUP with a broken file: the error names the line" \
	wait_logged 'error: configuration: .*line 2: \[ktlsd\] workers wants a whole number'
check "... and the running configuration stays" \
	wait_logged 'reload: keeping the running configuration'

printf '[ktlsd]\nworkers=2\n' >"$conf"
kill -HUP "$pid"
check "SIGHUP with a good file reloads it" \
	wait_logged 'reload: configuration reloaded'
kill "$pid"
wait "$pid"
check "ktlsd stops cleanly after reloads" test $? -eq 0

printf '[debug\n' >"$conf"
$ktlsd --config "$conf" >"$log" 2>&1
rc=$?
check "a broken file at start: exit 1 and the line named" \
	eval 'test $rc -eq 1 && logged "line 1: a group header must look like \[name\]"'
sed 's/^/# /' "$log"
rm -rf "$dir"
exit $failed
