#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# NFSv4.2 over TLS through ktlsd with ktls_guard.ko loaded: ktlsd registers
# both kernel sockets it finishes (client and knfsd's), and the module
# guards them for NFS. 7.x: with the limits at 16/64 records, a 64 MiB file
# is written, the caches dropped by a remount, and read back identical,
# while kTLS counts key updates in both directions on both ends
# (/proc/net/tls_stat), and `tlsctl sessions` shows the module's key
# generations for both handshakes. 6.12: no key update, so the default
# limits: the same round trip, and the registrations are there (one module
# reference each, generation 0 in `tlsctl sessions`). On both lanes ktlsd
# listens to the module's events: `tlsctl status` (text and --json) counts
# exactly the key updates kTLS counted (TX and RX each at least 100 on
# 7.x, all 0 on 6.12), nothing lost, each mapped to one of its sessions.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/nfs.sh
. selftests/lib/guard.sh

d=$(mktemp -d)
log=$d/agent.log
cleanup()
{
	umount /mnt/nfs 2>/dev/null
	stop_agent
	nfs_server_down >/dev/null 2>&1
	guard_down
	rm -rf "$d"
}
trap cleanup EXIT

echo "TAP version 13"
echo "1..11"
check "ktls_guard is loaded" guard_up
make_pki "$d"
head -c $((64 << 20)) /dev/urandom >"$d/data"
if ! nfs_server_up tls >/dev/null 2>&1; then
	echo "not ok 2 knfsd started"
	exit 1
fi
agent_conf "$d/ktlsd.conf" "$d/ca.pem" "$d/server.pem" "$d/server.key"
start_agent ktlsd "$d/ktlsd.conf" "$log"
tx0=$(guard_stat TlsTxRekeyOk) rx0=$(guard_stat TlsRxRekeyOk)
refs0=$(cat /sys/module/ktls_guard/refcnt)
out=$(nfs_mount)
check "mount with xprtsec=tls succeeds $out" test -z "$out"
refs=$(cat /sys/module/ktls_guard/refcnt)
check "ktlsd registered both ends (module references $refs0 -> $refs)" \
	test "$refs" -ge $((refs0 + 2))
check "ktlsd logged the registrations" \
	test "$(grep -c 'registered with ktls_guard' "$log")" -ge 2
cp "$d/data" /mnt/nfs/data && sync
umount /mnt/nfs
nfs_mount >/dev/null
check "64 MiB written, remounted, read back identical" \
	cmp -s "$d/data" /mnt/nfs/data
# while mounted: both kernel sockets are still registered
sessions=$(build/bin/tlsctl sessions)
echo "$sessions" | sed 's/^/# /'
if [ "$rekey" = 1 ]; then
	re='^    guard id [0-9]+: TX key [1-9][0-9]* \([0-9]+ records, [0-9]+ to the hard limit 64\), RX key [1-9][0-9]* \([0-9]+ records\), ok$'
else
	re='^    guard id [0-9]+: TX key 0 \([0-9]+ records, [0-9]+ to the hard limit [0-9]+\), RX key 0 \([0-9]+ records\), ok$'
fi
check "tlsctl sessions shows both kernel sockets' key generations and headroom" \
	test "$(grep -Ec "$re" <<<"$sessions")" -ge 2
json=$(build/bin/tlsctl --json sessions)
check "tlsctl --json sessions has the same guard data" \
	test "$(grep -Eo '"guard": \{"id": [0-9]+, "registered": true, [^}]*"tx_gen": [0-9]+, "rx_gen": [0-9]+, [^}]*"tx_headroom": [0-9]+' <<<"$json" | wc -l)" -ge 2
rm -f /mnt/nfs/data
umount /mnt/nfs
tx=$(( $(guard_stat TlsTxRekeyOk || echo 0) - ${tx0:-0} ))
rx=$(( $(guard_stat TlsRxRekeyOk || echo 0) - ${rx0:-0} ))
echo "# kTLS key updates during the round trip: TX $tx, RX $rx"
if [ "$rekey" = 1 ]; then
	check "key updates both ways (TX $tx, RX $rx)" \
		test "$tx" -ge 100 -a "$rx" -ge 100
else
	check "no key update on this kernel (TX ${tx}, RX ${rx})" \
		test "$tx" -eq 0 -a "$rx" -eq 0
fi
# ktlsd's listener: every key update the module made on the two ends is an
# event ktlsd counted (the module makes all of them: kTLS's counters and
# the events must agree exactly), none lost or malformed, all mapped to
# ktlsd's own sessions; on 6.12 with the default limits, not one event.
check "tlsctl status: the listener is active and counted every event (TX $tx, RX $rx)" \
	guard_events_ok "$tx" "$rx"
check "tlsctl --json status has the same counts" \
	guard_events_json_ok "$tx" "$rx"
check "no oops, BUG or refcount error in the kernel log" \
	eval '! dmesg | grep -E "BUG:|Oops:|general protection fault|refcount_t:|use-after-free"'
stop_agent
sed 's/^/# ktlsd: /' "$log" | grep -E 'guard|kTLS|error|fail' | head -20
exit $failed
