#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# NVMe/TCP over TLS through ktlsd with ktls_guard.ko loaded: ktlsd registers
# every queue's socket on both ends (the host's and nvmet's), and the module
# guards them for the kernel. 7.x: with the limits at 16/64 records, 32 MiB
# are written to the namespace and read back with O_DIRECT, identical,
# while kTLS counts key updates in both directions (/proc/net/tls_stat).
# The host reads its queues with read_sock (not recvmsg): the peer's
# KeyUpdate reaches it there, and the module must switch the RX key without
# the host noticing: no queue error, no reconnect, no I/O error in the
# kernel log. 6.12: no key update, so the default limits: the same round
# trip through registered sockets.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/nfs.sh
. selftests/lib/nvme.sh
. selftests/lib/guard.sh

d=$(mktemp -d)
log=$d/agent.log
cleanup()
{
	timeout 30 nvme disconnect -n "$NVME_SUBNQN" >/dev/null 2>&1
	stop_agent
	nvme_target_down "$d"
	guard_down
	rm -rf "$d"
}
trap cleanup EXIT

echo "TAP version 13"
echo "1..9"
check "ktls_guard is loaded" guard_up
if ! nvme_target_up "$d" >/dev/null 2>&1; then
	echo "not ok 2 nvmet target with a TLS PSK port # cannot set it up"
	exit 1
fi
printf '[authenticate]\nkeyrings=.nvme\n' >"$d/agent.conf"
head -c 32M /dev/urandom >"$d/data"
dmesg -C
start_agent ktlsd "$d/agent.conf" "$log"
tx0=$(guard_stat TlsTxRekeyOk) rx0=$(guard_stat TlsRxRekeyOk)
refs0=$(cat /sys/module/ktls_guard/refcnt)
out=$(nvme_connect)
check "nvme connect --tls ($out)" grep -q "connecting to device\|^$" <<<"$out"
dev=$(nvme_namespace)
refs=$(cat /sys/module/ktls_guard/refcnt)
check "ktlsd registered every queue's socket, both ends (module references $refs0 -> $refs)" \
	test "$refs" -ge $((refs0 + 4))
# A stall shows as an I/O timeout (30 s) and a reconnect: what the module
# and kTLS were doing is dumped after 45 s without completion.
stall_dump()
{
	sleep 45
	echo "# stalled: state after 45 s"
	sed 's/^/#   tls_stat: /' /proc/net/tls_stat
	build/bin/tlsctl sessions 2>&1 | grep -A1 'guard id' | sed 's/^/#   /'
	echo w >/proc/sysrq-trigger
	dmesg | tail -60 | sed 's/^/#   dmesg: /'
}
stall_dump &
watchdog=$!
check "32 MiB written to ${dev:-the namespace} and read back, O_DIRECT" \
	eval 'test -n "$dev" &&
	      timeout 300 dd if="$d/data" of="$dev" bs=1M count=32 oflag=direct status=none &&
	      timeout 300 dd if="$dev" of="$d/back" bs=1M count=32 iflag=direct status=none &&
	      cmp "$d/data" "$d/back"'
kill $watchdog 2>/dev/null
wait $watchdog 2>/dev/null
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
# Every key update the module made is an event ktlsd counted: the peer's
# KeyUpdates the host met in read_sock too (7.x), nothing lost, no error.
check "tlsctl status: every key update an event, none an error (TX $tx, RX $rx)" \
	guard_events_ok "$tx" "$rx"
timeout 60 nvme disconnect -n "$NVME_SUBNQN" >/dev/null 2>&1
check "nvme disconnect completes (status $?)" \
	eval '! ls /sys/class/nvme-subsystem/*/nvme*n1 >/dev/null 2>&1'
dmesg | grep -iE 'nvme|tls|ktls_guard' | grep -viE 'new ctrl|creating|connected|disconnect|Removing' |
	head -20 | sed 's/^/# dmesg: /'
# "unhandled": nvmet logs each TLS record it did not expect; the module
# keeps the KeyUpdates from it
check "no queue error, reset, reconnect or unhandled TLS record, no I/O error in the kernel log" \
	eval '! dmesg | grep -iE "nvme.*(error|reset|reconnect|failed|timeout|unhandled)|I/O error|ktls_guard.*(error|fail)"'
check "no oops, BUG or refcount error in the kernel log" \
	eval '! dmesg | grep -E "BUG:|Oops:|general protection fault|refcount_t:|use-after-free"'
stop_agent
sed 's/^/# ktlsd: /' "$log" | grep -E 'guard|error|fail' | head -20
exit $failed
