#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# ktlsd's use of OCSP staples and CA names (issue 5), through the local
# handshake service (selftests/lib/local_app.c) against OpenSSL:
#  - server role: an identity with x509.ocsp_staple staples it for
#    openssl s_client -status (the response it prints is the file's, for
#    the server's serial), data goes through; without one s_client says
#    "no response sent"; a response for another certificate is refused at
#    start with a log line naming the file and the reason, and not sent;
#  - server role asking for a client certificate: the CertificateRequest
#    carries certificate_authorities with the trust store's CA (s_client
#    -trace, and its "Acceptable client certificate CA names");
#  - a reload (tlsctl reload) picks up a staple added to the file and
#    x509.ca_names=0, which leaves certificate_authorities out;
#  - client role with x509.revocation=soft against openssl s_server
#    -status_file: a good staple passes, a revoked one fails with
#    certificate_revoked, in the reply and in ktlsd's log;
#  - the kernel's upcalls: an NFS mount over TLS, ktlsd serving both ends,
#    knfsd's end stapling [authenticate.server] x509.ocsp_staple and the
#    NFS client's end (revocation soft) checking it: good mounts, revoked
#    does not.
# The responses are made offline by openssl ocsp (selftests/lib/ocsp.sh).
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/nfs.sh
. selftests/lib/ocsp.sh
. selftests/lib/local.sh

d=$(mktemp -d)
chmod 755 "$d"
log=$d/agent.log
app=build/selftests-lib/local_app
pids=()
cleanup()
{
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	stop_agent
	[ "${nfs:-0}" = 1 ] && nfs_server_down >/dev/null 2>&1
	rm -rf "$d"
}
trap cleanup EXIT

echo "TAP version 13"
echo "1..28"
modprobe tls
make_pki "$d"
ocsp_response "$d/server.pem" "$d/ca.pem" "$d/ca.key" "$d/good.der"
ocsp_response "$d/server.pem" "$d/ca.pem" "$d/ca.key" "$d/revoked.der" revoked
ocsp_response "$d/client.pem" "$d/ca.pem" "$d/ca.key" "$d/other.der"
serial=$(openssl x509 -in "$d/server.pem" -noout -serial | cut -d= -f2)

# conf [CA_NAMES [BARE_STAPLE]]
conf()
{
	cat >"$d/ktlsd.conf" <<CONF
[authenticate.client]
x509.truststore=$d/ca.pem
x509.revocation=soft
[authenticate.server]
x509.truststore=$d/ca.pem
x509.ca_names=${1:-1}
[identity.svc]
x509.certificate=$d/server.pem
x509.private_key=$d/server.key
x509.truststore=$d/ca.pem
x509.ocsp_staple=$d/good.der
[identity.bare]
x509.certificate=$d/server.pem
x509.private_key=$d/server.key
${2:+x509.ocsp_staple=$2}
[identity.wrong]
x509.certificate=$d/server.pem
x509.private_key=$d/server.key
x509.ocsp_staple=$d/other.der
CONF
}
conf
start_agent ktlsd "$d/ktlsd.conf" "$log"

# serve_status ID PORT OUT [s_client options]: local_app serves PORT with
# identity ID; openssl s_client -status sends a line; both outputs kept.
serve_status()
{
	local id=$1 port=$2 out=$3
	shift 3
	"$app" -i "$id" "$@" serve "$port" >"$out.app" 2>&1 &
	local spid=$!
	pids+=($spid)
	listening "$port"
	(echo ping; sleep 2) | timeout 60 openssl s_client -status -ign_eof \
		-connect 127.0.0.1:"$port" -servername localhost \
		-CAfile "$d/ca.pem" ${SC_OPTS:-} >"$out" 2>&1
	wait $spid
	sed "s/^/# $id app: /" "$out.app"
	grep -E 'OCSP|Serial Number|Cert Status|pong' "$out" | sed "s/^/# $id s_client: /"
}

# 1. What the load said.
grep 'x509.ocsp_staple' "$log" | sed 's/^/# ktlsd: /'
check "start: the identity's staple is loaded for its certificate" \
	grep -q "\[identity.svc\] x509.ocsp_staple $d/good.der: [0-9]* bytes, stapled for $d/server.pem" "$log"
check "start: a response for another certificate is refused, naming the file" \
	grep -q "\[identity.wrong\] x509.ocsp_staple $d/other.der: not stapled: it is for another certificate" "$log"
check "... and the serial it wanted" \
	grep -q "not for serial $(sed 's/../&:/g; s/:$//' <<<"$serial") of the certificate" "$log"

# 2. Server role, s_client -status.
serve_status svc 4450 "$d/svc"
check "staple: the handshake succeeds and data goes through" \
	sh -c "test '$(field "$d/svc.app" rc)' = 0 && grep -qx 'pong ping' '$d/svc'"
check "staple: s_client -status reads OCSP Response Status: successful" \
	grep -q 'OCSP Response Status: successful' "$d/svc"
check "staple: ... for the server certificate's serial" \
	grep -q "Serial Number: $serial" "$d/svc"
check "staple: ... saying good" grep -q 'Cert Status: good' "$d/svc"
produced=$(openssl ocsp -respin "$d/good.der" -resp_text -noverify 2>/dev/null |
	   sed -n 's/^ *Produced At: //p')
check "staple: ... the response of the file (Produced At: $produced)" \
	grep -q "Produced At: $produced" "$d/svc"

serve_status bare 4451 "$d/bare"
check "no staple configured: s_client says no response sent" \
	grep -q 'OCSP response: no response sent' "$d/bare"
check "no staple configured: data goes through" grep -qx 'pong ping' "$d/bare"

serve_status wrong 4452 "$d/wrong"
check "a staple for another certificate: not sent" \
	grep -q 'OCSP response: no response sent' "$d/wrong"
check "... and the handshake succeeds" grep -qx 'pong ping' "$d/wrong"

# 3. certificate_authorities in the CertificateRequest.
SC_OPTS="-trace -cert $d/client.pem -key $d/client.key" \
	serve_status svc 4453 "$d/mtls" -p 2
awk '/CertificateRequest, Length/,/Certificate, Length/' "$d/mtls" \
	>"$d/cr.trace"
sed -n '/Acceptable client certificate CA names/,+1p' "$d/mtls" | sed 's/^/# /'
ca_hex=$(printf 'ktlsd-test-ca' | od -An -tx1 | tr -d ' \n')
check "mtls: the client certificate is accepted, data goes through" \
	sh -c "test '$(field "$d/mtls.app" subject)' = CN=nfs-client &&
	       grep -qx 'pong ping' '$d/mtls'"
check "mtls: the CertificateRequest has certificate_authorities" \
	grep -q 'extension_type=certificate_authorities' "$d/cr.trace"
check "mtls: ... naming the trust store's CA (CN=ktlsd-test-ca)" \
	sh -c "sed -n '/certificate_authorities/,/extension_type=/p' '$d/cr.trace' |
	       sed -n 's/^ *[0-9a-f]\{4\} - \(.\{47\}\).*/\1/p' | tr -d ' \n-' |
	       grep -q '$ca_hex'"
check "mtls: s_client lists it as an acceptable CA name" \
	sh -c "sed -n '/Acceptable client certificate CA names/,+1p' '$d/mtls' |
	       grep -Eq 'CN ?= ?ktlsd-test-ca'"

# 4. A reload: a staple added, certificate_authorities turned off.
conf 0 "$d/good.der"
build/bin/tlsctl reload >/dev/null
sleep 1
serve_status bare 4454 "$d/bare2"
check "reload: the staple added is sent" \
	sh -c "grep -q 'OCSP Response Status: successful' '$d/bare2' &&
	       grep -q 'Serial Number: $serial' '$d/bare2'"
SC_OPTS="-trace -cert $d/client.pem -key $d/client.key" \
	serve_status svc 4455 "$d/mtls2" -p 2
awk '/CertificateRequest, Length/,/Certificate, Length/' "$d/mtls2" \
	>"$d/cr2.trace"
check "reload: x509.ca_names=0: no certificate_authorities, mtls works" \
	sh -c "grep -q 'CertificateRequest' '$d/cr2.trace' &&
	       ! grep -q 'extension_type=certificate_authorities' '$d/cr2.trace' &&
	       grep -qx 'pong ping' '$d/mtls2'"

# 5. Client role with revocation on, against s_server -status_file.
client_status()	# PORT RESPONSE OUT
{
	openssl s_server -quiet -rev -naccept 1 -accept "$1" \
		-cert "$d/server.pem" -key "$d/server.key" -num_tickets 0 \
		-status_file "$2" >"$3.srv" 2>&1 &
	pids+=($!)
	listening "$1"
	"$app" -m "hello staple" connect "$1" localhost >"$3" 2>&1
	sed "s/^/# client $(basename "$2"): /" "$3"
}
client_status 4456 "$d/good.der" "$d/cgood"
check "client, revocation soft, a good staple: the handshake succeeds" \
	test "$(field "$d/cgood" rc)" = 0
check "... and data goes through" \
	test "$(field "$d/cgood" echo)" = "elpats olleh"
check "... and ktlsd's log says the staple was checked: good" \
	grep -q "verified: 'CN=localhost', path of 2 to 'CN=ktlsd-test-ca'; OCSP staple: good" "$log"
client_status 4457 "$d/revoked.der" "$d/crev"
check "client, a revoked staple: refused with EACCES and certificate_revoked" \
	sh -c "test '$(field "$d/crev" rc)' = -13 &&
	       grep -q '^reason=.*certificate_revoked' '$d/crev'"
check "... and ktlsd's log names certificate_revoked" \
	grep -q 'alert sent: certificate_revoked' "$log"
grep -E 'revoked|staple' "$log" | tail -n 8 | sed 's/^/# ktlsd: /'
stop_agent

# 6. The kernel's upcalls: knfsd's end staples, the NFS client's checks.
nfs_staple()	# RESPONSE
{
	cat >"$d/nfs.conf" <<CONF
[authenticate.client]
x509.truststore=$d/ca.pem
x509.revocation=soft
[authenticate.server]
x509.truststore=$d/ca.pem
x509.certificate=$d/server.pem
x509.private_key=$d/server.key
x509.ocsp_staple=$1
CONF
	start_agent ktlsd "$d/nfs.conf" "$log"
	out=$(nfs_mount)
}
nfs=1
nfs_server_up tls >/dev/null 2>&1
nfs_staple "$d/good.der"
check "nfs: [authenticate.server] x509.ocsp_staple is loaded" \
	grep -q "\[authenticate.server\] x509.ocsp_staple $d/good.der: [0-9]* bytes, stapled" "$log"
check "nfs: the mount succeeds with knfsd's end stapling ($out)" \
	test -z "$out"
check "nfs: the client end checked the staple: good" \
	grep -q "OCSP staple: good" "$log"
umount /mnt/nfs 2>/dev/null
stop_agent
grep -E 'staple|verified' "$log" | sed 's/^/# nfs good: /'
nfs_staple "$d/revoked.der"
check "nfs: a revoked staple: the mount fails ($out)" test -n "$out"
check "nfs: ... ktlsd's client end sent certificate_revoked" \
	grep -q "alert sent: certificate_revoked" "$log"
umount /mnt/nfs 2>/dev/null
stop_agent
grep -E 'staple|revoked' "$log" | head -n 6 | sed 's/^/# nfs revoked: /'
exit $failed
