#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# ktlsd serves the kernel's handshake upcalls end to end with a real kernel
# consumer: an NFSv4.2 mount with xprtsec=tls against the local knfsd makes
# the kernel ask for a client handshake (the mount) and a server handshake
# (knfsd accepting it). ktlsd must receive both with the attributes the
# kernel sent and report DONE for each, which the kernel must accept.
#
# Here ktlsd runs with Debian's /etc/tlshd.conf, which names no server
# certificate: ktlsd refuses the server handshake saying so, the client's
# fails with it, and the mount must fail promptly rather than hang. tlsctl
# then shows what happened through ktlsd's control socket. (nfs_tls.sh has
# the mounts that succeed.)
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/nfs.sh
log=$(mktemp)

logged()
{
	grep -Eq "$1" "$log"
}

echo "TAP version 13"
echo "1..16"
modprobe tls
if ! nfs_server_up >/dev/null 2>&1; then
	echo "not ok 1 knfsd started # cannot start knfsd"
	exit 1
fi
trap nfs_server_down EXIT

# With no agent listening, the kernel refuses the request at once (ESRCH:
# nobody on the tlshd group) rather than waiting for one.
start=$SECONDS
out=$(timeout 60 mount -t nfs4 -o vers=4.2,xprtsec=tls,retry=0 127.0.0.1:/ \
	/mnt/nfs 2>&1)
rc=$?
check "no agent: the mount fails at once (status $rc, $((SECONDS - start)) s): $out" \
	eval 'test $rc -ne 0 -a $rc -ne 124 && grep -q "No such process" <<<"$out"'

build/bin/ktlsd >"$log" 2>&1 &
pid=$!
for _ in $(seq 300); do	# the start-up probe is slow under TCG
	logged 'serving handshake upcalls' && break
	sleep 0.1
done
check "ktlsd is serving upcalls" logged 'serving handshake upcalls'
# Only CAP_NET_ADMIN (bit 12) is left, in every set, and no new privileges.
caps=$(grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs)' /proc/$pid/status |
	tr -s '\t ' ' ' | paste -sd' ')
echo "# $caps"
check "ktlsd runs with CAP_NET_ADMIN only and no_new_privs" test "$caps" = \
	"CapInh: 0000000000000000 CapPrm: 0000000000001000 CapEff: 0000000000001000 CapBnd: 0000000000001000 CapAmb: 0000000000000000 NoNewPrivs: 1"

# A soft mount: on 6.12 a hard mount whose handshake failed sometimes waits
# in the kernel's RPC client until killed, whichever agent answered. In one
# 6.12 boot, 6 attempts each: with tlshd 5 hard mounts hung past 40 s,
# with ktlsd 1; every soft mount (timeo=30,retrans=1) failed within 12 s
# with both. The agent's part, a prompt DONE with an error, is checked below.
start=$SECONDS
timeout 60 mount -t nfs4 -o vers=4.2,xprtsec=tls,retry=0,soft,timeo=30,retrans=1 \
	127.0.0.1:/ /mnt/nfs >/dev/null 2>&1
rc=$?
took=$((SECONDS - start))
check "the mount fails (status $rc) without hanging (${took} s)" \
	test "$rc" -ne 0 -a "$rc" -ne 124
check "client request: peer 127.0.0.1, unauthenticated" \
	logged "client handshake requested: peer '127.0.0.1', auth unauthenticated"
check "server request: x509" logged "server handshake requested: .* auth x509"
check "the kernel accepted DONE for both requests" \
	test "$(grep -c 'DONE sent to the kernel: status [1-9]' "$log")" -ge 2
check "the log says why: no server certificate configured" \
	grep -q 'no server certificate: set x509.certificate' "$log"
check "no netlink errors" \
	test "$(grep -cE 'refused DONE|ACCEPT failed|notifications failed' "$log")" -eq 0

tlsctl=build/bin/tlsctl
status=$($tlsctl status)
echo "$status" | sed 's/^/# /'
check "tlsctl status counts the two refused handshakes" \
	grep -q 'handshakes: *2 requested, 0 succeeded, 2 failed' <<<"$status"
sessions=$($tlsctl sessions)
echo "$sessions" | sed 's/^/# /'
check "tlsctl sessions lists both handshakes and their failures" \
	eval 'grep -Eq "client +unauthenticated +127\.0\.0\.1 " <<<"$sessions" &&
	      grep -Eq "server +x509 .*Permission denied" <<<"$sessions"'
check "tlsctl --json sessions gives both, with peer and status" \
	test "$($tlsctl --json sessions | grep -c '"status": [1-9]')" -eq 2
check "tlsctl reload reloads" grep -q 'configuration reloaded' <<<"$($tlsctl reload)"
kill -TERM "$pid"
wait "$pid"
check "ktlsd stops cleanly on SIGTERM" test $? -eq 0
out=$($tlsctl status 2>&1)
rc=$?
check "tlsctl without ktlsd: exit 1, and says so" \
	eval 'test $rc -eq 1 && grep -q "is ktlsd running" <<<"$out"'
check "tlsctl with an unknown command: exit 2" \
	eval '$tlsctl frobnicate >/dev/null 2>&1; test $? -eq 2' 
sed 's/^/# /' "$log"
rm -f "$log"
exit $failed
