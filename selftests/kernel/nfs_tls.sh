#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# NFSv4.2 over TLS on loopback, with the kernel's own NFS client and server
# asking for the handshakes, served by ktlsd on both ends; then the same
# with Oracle's tlshd (Debian's ktls-utils) as the reference, from the same
# configuration file. xprtsec=tls: a 64 MiB file is written, the caches
# dropped by a remount, and read back identical; kTLS carries it
# (/proc/net/tls_stat). xprtsec=mtls: the client presents its certificate,
# the server verifies it and reports it to knfsd, which admits the mount;
# the same 64 MiB round trip.
# Bad cases with ktlsd: a server certificate from an unknown CA, for another
# name, or expired; an mtls export and a client without a certificate: the
# mount fails, and for the certificates ktlsd's log names the reason.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/nfs.sh

d=$(mktemp -d)
log=$d/agent.log
cleanup()
{
	stop_agent
	nfs_server_down >/dev/null 2>&1
	rm -rf "$d"
}
trap cleanup EXIT

echo "TAP version 13"
echo "1..19"
modprobe tls
make_pki "$d"
head -c $((64 << 20)) /dev/urandom >"$d/data"
if ! nfs_server_up tls >/dev/null 2>&1; then
	echo "not ok 1 knfsd started"
	exit 1
fi

tls_sockets()
{
	awk '$1 == "TlsCurrTxSw" {print $2}' /proc/net/tls_stat
}

round_trip()	# AGENT
{
	local agent=$1 out

	agent_conf "$d/$agent.conf" "$d/ca.pem" "$d/server.pem" "$d/server.key"
	start_agent "$agent" "$d/$agent.conf" "$log"
	out=$(nfs_mount)
	check "$agent: mount with xprtsec=tls succeeds $out" test -z "$out"
	check "$agent: kTLS carries both ends ($(tls_sockets) TX sockets)" \
		test "$(tls_sockets)" -ge 2
	cp "$d/data" /mnt/nfs/data && sync
	umount /mnt/nfs
	nfs_mount >/dev/null
	check "$agent: 64 MiB written, remounted, read back identical" \
		cmp -s "$d/data" /mnt/nfs/data
	rm -f /mnt/nfs/data
	umount /mnt/nfs
	stop_agent
	sed "s/^/# $agent: /" "$log"
}

mtls_round_trip()	# AGENT
{
	local agent=$1 out

	agent_conf "$d/$agent-m.conf" "$d/ca.pem" "$d/server.pem" \
		"$d/server.key" "$d/client.pem" "$d/client.key"
	start_agent "$agent" "$d/$agent-m.conf" "$log"
	out=$(nfs_mount xprtsec=mtls)
	check "$agent: mount with xprtsec=mtls succeeds $out" test -z "$out"
	cp "$d/data" /mnt/nfs/m 2>/dev/null && sync
	umount /mnt/nfs 2>/dev/null
	nfs_mount xprtsec=mtls >/dev/null
	check "$agent: mtls: 64 MiB written, remounted, read back identical" \
		cmp -s "$d/data" /mnt/nfs/m
	rm -f /mnt/nfs/m
	umount /mnt/nfs 2>/dev/null
	stop_agent
	sed "s/^/# $agent mtls: /" "$log"
}

round_trip ktlsd
check "ktlsd: the log names the negotiated suite and group" \
	grep -q 'TLS 1.3 with TLS_AES_.* group ' "$log"
round_trip tlshd

nfs_server_down >/dev/null 2>&1
nfs_server_up mtls >/dev/null 2>&1
mtls_round_trip ktlsd
check "ktlsd: the server end reports the client's certificate to the kernel" \
	grep -q 'client authenticated' "$log"
mtls_round_trip tlshd
agent_conf "$d/nocert.conf" "$d/ca.pem" "$d/server.pem" "$d/server.key"
start_agent ktlsd "$d/nocert.conf" "$log"
out=$(nfs_mount xprtsec=mtls)
check "mtls export, client without a certificate: the mount fails ($out)" \
	test -n "$out"
umount /mnt/nfs 2>/dev/null
stop_agent
nfs_server_down >/dev/null 2>&1
nfs_server_up tls >/dev/null 2>&1

refused()	# WHAT TRUST CERT REASON
{
	local out

	agent_conf "$d/bad.conf" "$2" "$3" "$d/server.key"
	start_agent ktlsd "$d/bad.conf" "$log"
	out=$(nfs_mount)
	check "$1: the mount fails ($out)" test -n "$out"
	check "$1: ktlsd's log says '$4'" grep -q "$4" "$log"
	umount /mnt/nfs 2>/dev/null
	stop_agent
	sed "s/^/# $1: /" "$log" | grep -E 'refused|alert|failed'
}

refused "unknown CA" "$d/other-ca.pem" "$d/server.pem" \
	"peer certificate refused"
refused "another name" "$d/ca.pem" "$d/wrongname.pem" \
	"name does not match the certificate"
refused "expired" "$d/ca.pem" "$d/expired.pem" "certificate expired"
exit $failed
