#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# ktlsd's local handshake service (uapi/ktlsd_local.h, libktlsd_client),
# driven by selftests/lib/local_app.c, which uses only plain read() and
# write() once ktlsd has handed its socket back with kTLS:
#  - client role against openssl s_server -rev (a real peer): the reply
#    names TLS 1.3, the cipher, the group, the ALPN agreed and the server's
#    subject and SANs; a line written comes back reversed; a name the
#    certificate lacks is refused with the verifier's reason;
#  - server role against openssl s_client, with ALPN, then with a required
#    client certificate whose subject the reply names;
#  - identities: an unprivileged uid listed in an identity's users may use
#    it (client certificate to an s_server that requires one); another uid
#    may not (EPERM, saying so);
#  - bad requests are refused with a precise errno and reason;
#  - 200 loopback TCP pairs, both ends handed to ktlsd at once: 400
#    handshakes in flight, all succeed, data crosses every pair both ways,
#    and ktlsd holds no descriptor afterwards;
#  - tlsctl sessions lists local handshakes with the caller's uid;
#  - all of it under ktlsd's seccomp filter.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/nfs.sh
. selftests/lib/local.sh

d=$(mktemp -d)
chmod 755 "$d"
log=$d/agent.log
app=$d/local_app	# a copy other uids can run
pids=()
cleanup()
{
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	stop_agent
	rm -rf "$d"
}
trap cleanup EXIT

echo "TAP version 13"
echo "1..53"
modprobe tls
make_pki "$d"
chmod 644 "$d"/*.pem
cp build/selftests-lib/local_app "$app"
cat >"$d/ktlsd.conf" <<CONF
[authenticate.client]
x509.truststore=$d/ca.pem
[ktlsd]
workers=8
max_inflight=512
[identity.svc]
x509.certificate=$d/server.pem
x509.private_key=$d/server.key
x509.truststore=$d/ca.pem
[identity.app]
x509.certificate=$d/client.pem
x509.private_key=$d/client.key
users=4242
CONF
start_agent ktlsd "$d/ktlsd.conf" "$log"
sock=/run/ktlsd/local.sock
check "the service listens on $sock, mode 0666" \
	test "$(stat -c %a "$sock" 2>/dev/null)" = 666
check "ktlsd serves under its seccomp filter (Seccomp: 2, one filter)" \
	test "$(grep -E '^Seccomp(_filters)?:' /proc/$agent_pid/status |
		tr -s '\t\n' '  ')" = "Seccomp: 2 Seccomp_filters: 1 "

tls_tx_total()
{
	awk '$1 == "TlsTxSw" {print $2}' /proc/net/tls_stat
}

# 1. Client role against openssl s_server.
# (-num_tickets 0: a NewSessionTicket would reach the application as a
# record of another type, which read() refuses with EIO; see ktlsd.md)
openssl s_server -quiet -rev -naccept 1 -accept 4433 -cert "$d/server.pem" \
	-key "$d/server.key" -alpn h2 -num_tickets 0 >"$d/s_server.out" 2>&1 &
pids+=($!)
listening 4433
tx0=$(tls_tx_total)
"$app" -a x-none,h2 -m "hello over kTLS" connect 4433 localhost >"$d/c.out" 2>&1
rc=$?
sed 's/^/# client: /' "$d/c.out"
check "client: ktlsd_handshake succeeds against openssl s_server" \
	test $rc -eq 0 -a "$(field "$d/c.out" rc)" = 0
check "client: kTLS was installed on the application's socket" \
	test "$(tls_tx_total)" -gt "$tx0"
check "client: a line written with write() comes back reversed via read()" \
	test "$(field "$d/c.out" echo)" = "SLTk revo olleh"
check "client: the reply says TLS 1.3" \
	test "$(field "$d/c.out" version)" = 0x0304
check "client: the reply names the cipher" \
	grep -q '^cipher=TLS_AES_.* (0x130[0-9])' "$d/c.out"
check "client: the reply names the group" \
	test -n "$(field "$d/c.out" group)"
check "client: the ALPN agreed is h2" test "$(field "$d/c.out" alpn)" = h2
check "client: the server's subject is CN=localhost" \
	test "$(field "$d/c.out" subject)" = CN=localhost
check "client: the server's SANs are listed" \
	sh -c "grep -qx 'san=DNS:localhost' '$d/c.out' &&
	       grep -qx 'san=IP:127.0.0.1' '$d/c.out'"

openssl s_server -quiet -naccept 1 -accept 4439 -cert "$d/server.pem" \
	-key "$d/server.key" >/dev/null 2>&1 &
pids+=($!)
listening 4439
"$app" connect 4439 wrong.example >"$d/w.out" 2>&1
rc=$?
sed 's/^/# wrong name: /' "$d/w.out"
check "client: a name the certificate lacks fails with EACCES" \
	test $rc -ne 0 -a "$(field "$d/w.out" rc)" = -13
check "client: ... and the reason says why" \
	grep -q '^reason=ktlsd sent bad_certificate: name does not match' \
	"$d/w.out"

# 2. Server role against openssl s_client.
"$app" -i svc -a h2 serve 4434 >"$d/s.out" 2>&1 &
spid=$!
pids+=($spid)
listening 4434
echo ping | timeout 60 openssl s_client -quiet -ign_eof -connect 127.0.0.1:4434 \
	-servername localhost -CAfile "$d/ca.pem" -verify_return_error \
	-alpn h2 >"$d/sc.out" 2>"$d/sc.err"
wait $spid
rc=$?
sed 's/^/# server: /' "$d/s.out"
check "server: ktlsd_handshake succeeds against openssl s_client" \
	test $rc -eq 0 -a "$(field "$d/s.out" rc)" = 0
check "server: the line s_client sent was read with read()" \
	test "$(field "$d/s.out" got)" = ping
check "server: s_client got the answer written with write()" \
	grep -qx 'pong ping' "$d/sc.out"
check "server: the ALPN agreed is h2" test "$(field "$d/s.out" alpn)" = h2
check "server: no client certificate was asked for: no peer subject" \
	test -z "$(field "$d/s.out" subject)"

"$app" -i svc -p 2 serve 4435 >"$d/m.out" 2>&1 &
spid=$!
pids+=($spid)
listening 4435
echo mutual | timeout 60 openssl s_client -quiet -ign_eof \
	-connect 127.0.0.1:4435 -servername localhost -CAfile "$d/ca.pem" \
	-cert "$d/client.pem" -key "$d/client.key" >"$d/mc.out" 2>/dev/null
wait $spid
rc=$?
sed 's/^/# server, client certificate required: /' "$d/m.out"
check "server, client certificate required: succeeds, data crosses" \
	sh -c "test $rc -eq 0 && grep -qx 'pong mutual' '$d/mc.out'"
check "server: the reply names the client's subject" \
	test "$(field "$d/m.out" subject)" = CN=nfs-client

"$app" -i svc -p 2 serve 4436 >"$d/n.out" 2>&1 &
spid=$!
pids+=($spid)
listening 4436
echo x | timeout 60 openssl s_client -quiet -connect 127.0.0.1:4436 \
	-CAfile "$d/ca.pem" >/dev/null 2>&1
wait $spid
sed 's/^/# server, no client certificate: /' "$d/n.out"
check "server, client certificate required, none given: refused, alert sent" \
	sh -c "test '$(field "$d/n.out" rc)' = -13 &&
	       grep -q '^alert=116 sent' '$d/n.out'"

# 2b. The client's record_size_limit (RFC 8449) binds every record ktlsd's
# socket sends: gnutls-cli --recordsize=512 (GnuTLS's floor) offers 513
# (512 bytes of content and the content type) and refuses larger records
# with record_overflow. Where the kernel has TLS_TX_MAX_PAYLOAD_LEN (7.x),
# ktlsd sets it to 512 and 6000 bytes written at once arrive; where
# it has not (6.12), the handshake must fail saying so, never send records
# the peer refuses.
rsl=$(build/bin/tlsctl status | sed -n 's/^record size limit: *//p')
"$app" -i svc -x 6000 serve 4440 >"$d/r.out" 2>&1 &
spid=$!
pids+=($spid)
listening 4440
out=$( (echo rsl; sleep 2) | timeout 30 gnutls-cli --x509cafile "$d/ca.pem" \
	--port 4440 localhost --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' \
	--recordsize=512 2>"$d/r.err")
wait $spid
rc=$?
sed 's/^/# record_size_limit: /' "$d/r.out"
longest=$(tr -d '\n' <<<"$out" | grep -o 'xx*' | awk '{ if (length > m) m = length } END { print m + 0 }')
if [ "$rsl" = yes ]; then
	check "record_size_limit 513 from gnutls-cli: the handshake succeeds" \
		test "$rc" -eq 0 -a "$(field "$d/r.out" rc)" = 0
	check "... 6000 bytes from one write() reach gnutls-cli ($longest)" \
		test "$longest" -eq 6000
	check "... ktlsd set TLS_TX_MAX_PAYLOAD_LEN to 512" \
		grep -q "TLS_TX_MAX_PAYLOAD_LEN 512 (the peer.s record_size_limit 513)" "$log"
else
	check "record_size_limit 513 without TLS_TX_MAX_PAYLOAD_LEN: refused" \
		test "$(field "$d/r.out" rc)" != 0
	check "... the reply's reason names it" \
		grep -q 'needs TLS_TX_MAX_PAYLOAD_LEN' "$d/r.out"
	check "... and ktlsd's log names it" \
		grep -q 'needs TLS_TX_MAX_PAYLOAD_LEN' "$log"
fi

# 3. Identities and the caller's uid.
openssl s_server -quiet -rev -accept 4437 -cert "$d/server.pem" \
	-key "$d/server.key" -Verify 1 -CAfile "$d/ca.pem" -num_tickets 0 \
	>/dev/null 2>&1 &
vpid=$!
pids+=($vpid)
listening 4437
setpriv --reuid 4242 --regid 4242 --clear-groups \
	"$app" -i app -m uid4242 connect 4437 localhost >"$d/u.out" 2>&1
sed 's/^/# uid 4242, identity app: /' "$d/u.out"
check "uid 4242 may use identity 'app' (listed in its users): mTLS works" \
	test "$(field "$d/u.out" echo)" = 2424diu
setpriv --reuid 4243 --regid 4243 --clear-groups \
	"$app" -i svc connect 4437 localhost >"$d/v.out" 2>&1
sed 's/^/# uid 4243, identity svc: /' "$d/v.out"
check "uid 4243 may not use identity 'svc': EPERM" \
	test "$(field "$d/v.out" rc)" = -1
check "... and the reason says so" \
	grep -q "^reason=uid 4243 may not use identity 'svc'" "$d/v.out"
kill $vpid 2>/dev/null
sessions=$(build/bin/tlsctl sessions)
echo "$sessions" | tail -n 3 | sed 's/^/# /'
check "tlsctl sessions lists uid 4242's handshake and uid 4243's refusal" \
	eval 'grep -Eq "client +x509 +localhost .* uid 4242 +ok" <<<"$sessions" &&
	      grep -Eq " uid 4243 +Operation not permitted" <<<"$sessions"'

# 4. Bad requests.
openssl s_server -quiet -accept 4438 -cert "$d/server.pem" \
	-key "$d/server.key" >/dev/null 2>&1 &
pids+=($!)
listening 4438
bad()	# KIND ERRNO REASON
{
	"$app" bad "$1" 4438 >"$d/bad.out" 2>&1
	sed "s/^/# bad $1: /" "$d/bad.out"
	check "bad request '$1': refused with errno $2" \
		test "$(field "$d/bad.out" rc)" = "-$2"
	check "bad request '$1': the reason says '$3'" \
		grep -q "^reason=.*$3" "$d/bad.out"
}
bad nofd 9 "no socket attached"
bad twofds 9 "more than one descriptor"
bad udp 91 "not a TCP socket"
bad unconnected 107 "not connected"
bad server-noid 22 "server role needs an IDENTITY"
bad unknown-id 2 "no identity 'no-such-identity'"
bad garbage 74 "bad request: bad magic"
bad truncated 74 "runs past the end of the message"
bad badversion 93 "version 9; this ktlsd speaks version 1"
bad longname 22 "SERVER_NAME: 300 bytes, the limit is 255"

# 5. 200 pairs, 400 handshakes at once.
pid=$agent_pid
fds0=$(ls /proc/$pid/fd | wc -l)
start=$(date +%s)
timeout 500 "$app" stress 200 >"$d/stress.out" 2>&1
rc=$?
echo "# stress: $(($(date +%s) - start)) s"
sed 's/^/# stress: /' "$d/stress.out" | head -20
check "200 pairs: all 400 handshakes succeed" \
	test "$(field "$d/stress.out" handshakes)" = 400/400
check "200 pairs: data crosses every pair both ways" \
	test $rc -eq 0 -a "$(field "$d/stress.out" exchanges)" = 200/200
sleep 1
check "ktlsd holds no more descriptors than before ($fds0)" \
	test "$(ls /proc/$pid/fd | wc -l)" -le "$fds0"

# 6. tlsctl.
sessions=$(build/bin/tlsctl sessions)
echo "$sessions" | tail -n 5 | sed 's/^/# /'
check "tlsctl sessions lists local handshakes with the caller's uid" \
	eval 'grep -Eq "server +x509 .* uid 0 +ok" <<<"$sessions"'
stop_agent
check "ktlsd removes its socket when it stops" test ! -e "$sock"
grep -E 'local' "$log" | grep -v 'pair\|handshake requested' | head -40 |
	sed 's/^/# ktlsd: /'
exit $failed
