#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# NFSv4.2 over TLS with ktlsd on both ends, two situations an installation
# meets:
#  - ktlsd dies in the middle of a handshake: its trust store is a named
#    pipe nobody writes, so the workers that accepted the mount's upcalls
#    (the kernel has handed them the sockets and waits for DONE) block
#    opening it, deterministically; ktlsd is then stopped (SIGSTOP) and
#    killed (SIGKILL), and started again with a usable trust store: the
#    mount in progress ends (the kernel's handshake timeout, then a retry)
#    and the next mount works, with kTLS;
#  - a mount by DNS name: /etc/hosts (the guest's /etc is a writable
#    overlay) maps nfs.ktlsd.test to 127.0.0.1, the server certificate
#    carries that name, and the kernel's PEERNAME is the name, which ktlsd
#    verifies; a second name for the same address, absent from the
#    certificate, is refused with the reason in the log; then, the export
#    switched to xprtsec=mtls, the same name with the client's certificate.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/nfs.sh

d=$(mktemp -d)
log=$d/agent.log
cleanup()
{
	kill -CONT "$agent_pid" 2>/dev/null
	stop_agent
	nfs_server_down >/dev/null 2>&1
	[ -f "$d/hosts" ] && cp "$d/hosts" /etc/hosts
	rm -rf "$d"
}
agent_pid=
trap cleanup EXIT

echo "TAP version 13"
echo "1..14"
modprobe tls
make_pki "$d"
if ! nfs_server_up tls >/dev/null 2>&1; then
	echo "not ok 1 knfsd started"
	exit 1
fi
agent_conf "$d/ktlsd.conf" "$d/ca.pem" "$d/server.pem" "$d/server.key"

tls_sockets()
{
	awk '$1 == "TlsCurrTxSw" {print $2}' /proc/net/tls_stat
}

# 1. Killed mid-handshake.
mkfifo "$d/stall"
agent_conf "$d/stall.conf" "$d/stall" "$d/server.pem" "$d/server.key"
start_agent ktlsd "$d/stall.conf" "$log"
nfs_mount >"$d/mount1.out" 2>&1 &
mount_pid=$!
for _ in $(seq 600); do
	grep -q 'handshake requested' "$log" && break
	sleep 0.05
done
sleep 1
kill -STOP "$agent_pid"
check "ktlsd stopped holding an accepted upcall, no DONE sent" \
	sh -c "grep -q 'handshake requested' '$log' &&
	       ! grep -q 'DONE sent' '$log'"
kill -KILL "$agent_pid"
wait "$agent_pid" 2>/dev/null
sed "s/^/# killed ktlsd: /" "$log"
check "ktlsd is gone (SIGKILL)" sh -c "! kill -0 $agent_pid 2>/dev/null"
start_agent ktlsd "$d/ktlsd.conf" "$log"
check "ktlsd starts again over the stale sockets of the killed one" \
	grep -q 'serving handshake upcalls' "$log"
wait "$mount_pid"
echo "# the mount in progress ended with status $? ($(cat "$d/mount1.out"))"
umount /mnt/nfs 2>/dev/null
before=$(tls_sockets)
out=$(nfs_mount)
check "after the restart, the next mount works $out" test -z "$out"
check "kTLS carries it ($before -> $(tls_sockets) TX sockets)" \
	test "$(tls_sockets)" -ge $((before + 2))
echo restarted >/mnt/nfs/r 2>/dev/null && sync
umount /mnt/nfs 2>/dev/null
stop_agent
sed "s/^/# restarted ktlsd: /" "$log"

# 2. By DNS name.
cp /etc/hosts "$d/hosts"
printf '127.0.0.1 nfs.ktlsd.test\n127.0.0.1 alias.ktlsd.test\n' >>/etc/hosts
start_agent ktlsd "$d/ktlsd.conf" "$log"
out=$(nfs_mount "" nfs.ktlsd.test)
check "mount nfs.ktlsd.test:/ with xprtsec=tls works $out" test -z "$out"
check "the file written before the restart reads back by name" \
	grep -qx restarted /mnt/nfs/r
check "ktlsd verified the server against the name the kernel sent" \
	grep -q "peer 'nfs.ktlsd.test'" "$log"
umount /mnt/nfs 2>/dev/null
out=$(nfs_mount "" alias.ktlsd.test)
check "alias.ktlsd.test (not in the certificate): the mount fails ($out)" \
	test -n "$out"
check "alias.ktlsd.test: ktlsd's log says the name does not match" \
	grep -q 'name does not match' "$log"
umount /mnt/nfs 2>/dev/null
stop_agent
sed "s/^/# by name: /" "$log" | grep -E 'requested|refused|DONE'

# 3. By DNS name, mutual: an mtls export, the client presents its certificate.
sed -i 's/xprtsec=tls)/xprtsec=mtls)/' /etc/exports
exportfs -ra
check "the export now admits mtls clients only" \
	eval 'exportfs -v | grep -q "xprtsec=mtls"'
agent_conf "$d/mtls.conf" "$d/ca.pem" "$d/server.pem" "$d/server.key" \
	"$d/client.pem" "$d/client.key"
: >"$log"
start_agent ktlsd "$d/mtls.conf" "$log"
out=$(nfs_mount xprtsec=mtls nfs.ktlsd.test)
check "mount nfs.ktlsd.test:/ with xprtsec=mtls works $out" test -z "$out"
check "mtls by name: the file reads back" grep -qx restarted /mnt/nfs/r
check "mtls by name: ktlsd verified the name and the server the client" \
	eval 'grep -q "peer '"'"'nfs.ktlsd.test'"'"'" "$log" &&
	      grep -q "client authenticated" "$log"'
umount /mnt/nfs 2>/dev/null
stop_agent
sed "s/^/# mtls by name: /" "$log" | grep -E 'requested|authenticated|DONE'
exit $failed
