#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `make install DESTDIR=...` as a packager runs it, TAP: every file in its
# place with its mode; the systemd unit passes `systemd-analyze verify`
# (with ExecStart pointed into DESTDIR; a unit with a misspelt key fails
# the same check, so the check can fail); the installed ktlsd and tlsctl
# run; an application builds against the installed header and library,
# static and shared, and gets a clear error when no ktlsd is listening.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/tap.sh
T=$(mktemp -d /tmp/ktls-install.XXXXXX)
trap 'rm -rf "$T"' EXIT
D=$T/dest

echo "TAP version 13"
echo "1..9"
check "make install DESTDIR=... succeeds" \
	eval 'make --no-print-directory install DESTDIR="$D" >"$T/log" 2>&1 ||
	      { sed "s/^/#   /" "$T/log"; false; }'

want=(
	"755 usr/sbin/ktlsd" "755 usr/sbin/tlsctl"
	"644 usr/share/man/man8/ktlsd.8" "644 usr/share/man/man8/tlsctl.8"
	"644 usr/share/man/man5/ktlsd.conf.5"
	"644 usr/lib/systemd/system/ktlsd.service"
	"644 usr/lib/libktlsd_client.a" "755 usr/lib/libktlsd_client.so.0"
	"644 usr/include/ktlsd/ktlsd_client.h"
	"644 usr/include/ktlsd/ktlsd_local.h"
)
files_ok()
{
	local w mode path rc=0

	for w in "${want[@]}"; do
		mode=${w%% *} path=${w#* }
		if [ "$(stat -c %a "$D/$path" 2>/dev/null)" != "$mode" ]; then
			echo "#   $path: want mode $mode, have" \
			     "$(stat -c %a "$D/$path" 2>&1)"
			rc=1
		fi
	done
	[ "$(readlink "$D/usr/lib/libktlsd_client.so")" = libktlsd_client.so.0 ] ||
		{ echo "#   libktlsd_client.so is not a link to .so.0"; rc=1; }
	return $rc
}
check "binaries, man pages, unit, library and headers installed, modes right" \
	files_ok

unit=$D/usr/lib/systemd/system/ktlsd.service
sed "s|^ExecStart=/usr/sbin/ktlsd|ExecStart=$D/usr/sbin/ktlsd|" "$unit" \
	>"$T/ktlsd.service"
verify()
{
	systemd-analyze verify --man=no "$1" >"$T/verify" 2>&1
	local rc=$?
	sed "s/^/#   /" "$T/verify"
	# verify warns on stderr and still exits 0 for some problems
	[ $rc -eq 0 ] && [ ! -s "$T/verify" ]
}
check "ktlsd.service passes systemd-analyze verify, without a warning" \
	verify "$T/ktlsd.service"
sed 's/^ExecStart=/ExecStrat=/' "$T/ktlsd.service" >"$T/broken.service"
check "a unit with a misspelt ExecStart= fails the same check" \
	eval '! verify "$T/broken.service" >/dev/null'
check "the unit runs ktlsd from \$sbindir, conflicts with tlshd, reloads with HUP" \
	eval 'grep -qx "ExecStart=/usr/sbin/ktlsd" "$unit" &&
	      grep -qx "Conflicts=tlshd.service" "$unit" &&
	      grep -q "^ExecReload=.*kill -HUP \$MAINPID" "$unit"'

check "the installed ktlsd and tlsctl run (--help)" \
	eval '"$D/usr/sbin/ktlsd" --help >/dev/null &&
	      "$D/usr/sbin/tlsctl" --help >/dev/null'

cat >"$T/app.c" <<'APP'
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <ktlsd/ktlsd_client.h>

int main(int argc, char **argv)
{
	struct ktlsd_hs_req req = {
		.role = KTLSD_LOCAL_ROLE_CLIENT,
		.server_name = "example.org",
		.socket_path = argv[1],
	};
	struct ktlsd_hs_result res;
	int fd = socket(AF_INET, SOCK_STREAM, 0), ret;

	(void)argc;
	ret = ktlsd_handshake(fd, &req, &res);
	printf("%d %d %s\n", ret, res.status, res.reason);
	close(fd);
	return ret == -ENOENT && res.status == ENOENT && res.reason[0] ? 0 : 1;
}
APP
app()	# static|shared
{
	local link=-lktlsd_client

	[ "$1" = static ] && link=$D/usr/lib/libktlsd_client.a
	cc -std=gnu17 -Wall -Wextra -Werror -I"$D/usr/include" -o "$T/app-$1" \
		"$T/app.c" -L"$D/usr/lib" $link >"$T/cc" 2>&1 ||
		{ sed "s/^/#   /" "$T/cc"; return 1; }
	LD_LIBRARY_PATH=$D/usr/lib "$T/app-$1" "$T/no-such.sock" >"$T/out" 2>&1
	local rc=$?
	echo "#   $1: $(cat "$T/out")"
	return $rc
}
check "an application builds against the installed header and static library, and gets ENOENT with a reason when ktlsd is not there" \
	app static
check "the same with the shared library" app shared
check "the shared library resolves through its soname" \
	eval 'objdump -p "$T/app-shared" | grep -q "NEEDED *libktlsd_client.so.0"'
exit $failed
