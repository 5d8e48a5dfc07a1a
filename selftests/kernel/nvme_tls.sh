#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# NVMe/TCP over TLS on loopback: an nvmet target with a TLS 1.3 PSK port
# and the kernel's NVMe host, each queue's handshake (admin and I/O, both
# ends) served by ktlsd with the retained PSK from the .nvme keyring, kTLS
# installed on every queue, and 8 MiB written to the namespace and read back
# with O_DIRECT through it. The same round with Oracle's tlshd is the
# reference.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/nfs.sh
. selftests/lib/nvme.sh

d=$(mktemp -d)
log=$d/agent.log
cleanup()
{
	stop_agent
	nvme_target_down "$d"
	rm -rf "$d"
}
trap cleanup EXIT

echo "TAP version 13"
echo "1..11"
modprobe tls
if ! nvme_target_up "$d" >/dev/null 2>&1; then
	echo "not ok 1 nvmet target with a TLS PSK port # cannot set it up"
	exit 1
fi
# As Debian ships /etc/tlshd.conf: keyrings= commented out. tlshd links
# .nvme, .nfs and .nfsd regardless, and so must ktlsd, for a drop-in swap.
printf '[authenticate]\n#keyrings= <keyring>;<keyring>;<keyring>\n' \
	>"$d/agent.conf"

tls_sockets()
{
	awk '$1 == "TlsCurrTxSw" {print $2}' /proc/net/tls_stat
}

round_trip()	# AGENT
{
	local agent=$1 out dev

	start_agent "$agent" "$d/agent.conf" "$log"
	out=$(nvme_connect)
	check "$agent: nvme connect --tls ($out)" \
		grep -q "connecting to device\|^$" <<<"$out"
	sleep 2
	check "$agent: kTLS on every queue, both ends ($(tls_sockets) TX sockets)" \
		test "$(tls_sockets)" -ge 4
	dev=$(nvme_namespace)
	check "$agent: 8 MiB written to ${dev:-the namespace} and read back, O_DIRECT" \
		eval 'test -n "$dev" &&
		      dd if="$d/data" of="$dev" bs=1M count=8 oflag=direct status=none &&
		      dd if="$dev" of="$d/back" bs=1M count=8 iflag=direct status=none &&
		      cmp "$d/data" "$d/back"'
	timeout 30 nvme disconnect -n "$NVME_SUBNQN" >/dev/null 2>&1
	check "$agent: nvme disconnect completes (status $?)" \
		eval '! ls /sys/class/nvme-subsystem/*/nvme*n1 >/dev/null 2>&1'
	stop_agent
	sed "s/^/# $agent: /" "$log" | grep -vE 'requested|probe'
	rm -f "$d/back"
}

head -c 8M /dev/urandom >"$d/data"
round_trip ktlsd
check "ktlsd: .nvme linked without a keyrings= line" \
	grep -q "keyring .nvme ([0-9]*) linked" "$log"
check "ktlsd: the PSK came from the keyring, named by its identity" \
	grep -q "PSK 'NVMe0R01 $NVME_HOSTNQN $NVME_SUBNQN'" "$log"
check "ktlsd: every handshake succeeded" \
	eval '! grep -q "DONE sent to the kernel: status [1-9]" "$log"'
round_trip tlshd
exit $failed
