#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# OCSP stapling (status_request, RFC 6066 §8 / RFC 8446 §4.4.2.1),
# signature_algorithms_cert (§4.2.3) and certificate_authorities (§4.2.4)
# between tlsctl and OpenSSL 3.5 (GnuTLS for the staple too), on loopback,
# TAP output.  A throwaway PKI and an OCSP response for the server's leaf
# are made here, offline, by openssl in a temporary directory:
#   tlsctl connect --status -> openssl s_server -status_file: the staple
#       arrives byte for byte (--ocsp-out); without --status none comes.
#   openssl s_client -status -> tlsctl serve --ocsp: OpenSSL reads a
#       successful OCSP response; without -status none is sent; without
#       --ocsp none is sent either.
#   gnutls-cli -> tlsctl serve --ocsp: GnuTLS asks by default and reads it.
#   openssl s_server -trace / s_client -trace: our ClientHello and our
#       CertificateRequest carry signature_algorithms_cert (with
#       rsa_pkcs1_sha256) and certificate_authorities (--ca-names).
#   certificate_authorities received: s_client -requestCAfile -> tlsctl
#       serve, s_server -Verify (its CertificateRequest) -> tlsctl connect.
set -u
cd "$(dirname "$0")/../.."
TLSCTL=$PWD/build/bin/tlsctl
T=$(mktemp -d /tmp/ktls-status.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
nok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"; sed 's/^/#   /' "$T/log" 2>/dev/null | tail -n 15; }
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2"; }
check() { local name=$1; shift; if "$@" >"$T/log" 2>&1; then ok "$name"; else nok "$name"; fi; }

[ -x "$TLSCTL" ] || { echo "1..1"; echo "not ok 1 tlsctl not built"; exit 1; }

pki() {
	cd "$T" || return 1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout ca.key -out ca.pem -days 2 -subj /CN=ktls-test-ca \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout other-ca.key -out other-ca.pem -days 2 \
		-subj /CN=other-ca/O=ktls-test
	cat ca.pem other-ca.pem >both-ca.pem
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout srv.key -out srv.csr -subj /CN=localhost
	openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -out srv.pem \
		-days 2 \
		-extfile <(printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout cli.key -out cli.csr -subj /CN=ktls-client
	openssl x509 -req -in cli.csr -CA ca.pem -CAkey ca.key -out cli.pem \
		-days 2 -extfile <(printf 'extendedKeyUsage=clientAuth\n')
	# the OCSP response for srv.pem: "good", signed by the CA, offline
	printf 'V\t%s\t\t%s\tunknown\t/CN=localhost\n' \
		"$(date -u -d '+2 days' +%y%m%d%H%M%SZ)" \
		"$(openssl x509 -in srv.pem -noout -serial | cut -d= -f2)" \
		>index.txt
	openssl ocsp -index index.txt -rsigner ca.pem -rkey ca.key \
		-CA ca.pem -issuer ca.pem -cert srv.pem -respout resp.der \
		-ndays 1
	[ -s resp.der ] || return 1
	# the same leaf revoked, signed by the CA; and "good" but signed by
	# another CA, which is no responder for this leaf
	sed 's/^V\t\([^\t]*\)\t\t/R\t\1\t'"$(date -u -d '-1 hour' +%y%m%d%H%M%SZ)"',keyCompromise\t/' \
		index.txt >index-revoked.txt
	openssl ocsp -index index-revoked.txt -rsigner ca.pem -rkey ca.key \
		-CA ca.pem -issuer ca.pem -cert srv.pem -respout revoked.der \
		-ndays 1
	openssl ocsp -index index.txt -rsigner other-ca.pem \
		-rkey other-ca.key -CA ca.pem -issuer ca.pem -cert srv.pem \
		-respout forged.der -ndays 1
	[ -s revoked.der ] && [ -s forged.der ]
}
if ! (pki) >"$T/pki.log" 2>&1; then
	echo "1..1"; echo "not ok 1 PKI and OCSP response generation"; sed 's/^/#   /' "$T/pki.log"; exit 1
fi
RESP_LEN=$(stat -c %s "$T/resp.der")

port=$((20000 + RANDOM % 20000))
wait_port() {
	for _ in $(seq 30); do
		ss -ltn 2>/dev/null | grep -q "[:.]$1 " && return 0
		sleep 0.1
	done
	return 1
}
start() {	# start CMD...: a server on $port in the background
	"$@" >"$T/srv.log" 2>&1 &
	PIDS+=($!)
	wait_port "$port"
}
stop() {	# stop the last server; the next one gets the next port
	local p=${PIDS[-1]}
	kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; unset 'PIDS[-1]'
	port=$((port + 1))
}

s_server() {	# s_server EXTRA...: openssl s_server -rev on $port
	start timeout 60 openssl s_server -tls1_3 -accept "$port" -rev \
		-cert "$T/srv.pem" -key "$T/srv.key" "$@"
}

# tlsctl connect to $port; the peer reverses the line
connect_rev() {	# connect_rev EXTRA_TLSCTL_ARGS...
	local out
	out=$(echo "hello ktls" | timeout 20 "$TLSCTL" connect "localhost:$port" \
		--ca "$T/ca.pem" "$@" 2>"$T/cli.err")
	cat "$T/cli.err"
	echo "got: $out"
	[ "$out" = "sltk olleh" ] && grep -q "verify: ok" "$T/cli.err"
}

# ---- tlsctl connect --status -> openssl s_server -status_file ----

staple_received() {
	rm -f "$T/got.der"
	connect_rev --status --ocsp-out "$T/got.der" || return 1
	grep -q "^ocsp staple: $RESP_LEN bytes$" "$T/cli.err" &&
		cmp "$T/resp.der" "$T/got.der"
}
s_server -status_file "$T/resp.der"
check "tlsctl connect --status -> s_server -status_file: the staple, byte for byte" \
	staple_received
stop

staple_json() {
	echo x | timeout 20 "$TLSCTL" connect "localhost:$port" --ca "$T/ca.pem" \
		--status --json 2>"$T/cli.err" >/dev/null
	cat "$T/cli.err"
	grep '"event": *"handshake"' "$T/cli.err" |
		grep -q "\"ocsp_staple\": *$RESP_LEN[,}]"
}
s_server -status_file "$T/resp.der"
check "tlsctl connect --status --json: ocsp_staple is the size" staple_json
stop

no_staple() {
	rm -f "$T/got.der"
	connect_rev --ocsp-out "$T/got.der" || return 1
	grep -q "^ocsp staple: none$" "$T/cli.err" && [ ! -e "$T/got.der" ]
}
s_server -status_file "$T/resp.der"
check "tlsctl connect without --status -> s_server -status_file: no staple" \
	no_staple
stop

# ---- the staple checked by our verifier (--status: soft-fail) ----
# s_server staples what it is given; the handshake must end as the staple
# says: good passes (test 1), revoked is certificate_revoked (44), one from
# a responder the issuer did not authorise is bad_certificate_status_response
# (113), and each failure names the reason.

staple_refused() {	# staple_refused ALERT WHY
	local out
	out=$(echo "hello ktls" | timeout 20 "$TLSCTL" connect \
		"localhost:$port" --ca "$T/ca.pem" --status 2>"$T/cli.err")
	local rc=$?
	cat "$T/cli.err"
	[ $rc -ne 0 ] && [ -z "$out" ] &&
		grep -q "^alert sent: $1 " "$T/cli.err" &&
		grep -qi "$2" "$T/cli.err"
}
s_server -status_file "$T/revoked.der"
check "tlsctl connect --status, revoked staple: certificate_revoked, no data" \
	staple_refused certificate_revoked "revoked"
stop
s_server -status_file "$T/forged.der"
check "tlsctl connect --status, staple from an unauthorised responder: bad_certificate_status_response" \
	staple_refused bad_certificate_status_response "ocsp"
stop
s_server -status_file "$T/revoked.der"
check "tlsctl connect without --status: a revoked staple is not asked for, the handshake passes" \
	connect_rev
stop

# ---- openssl s_client -status -> tlsctl serve --ocsp ----

s_client_status() {	# s_client_status EXTRA...
	(echo "ping ktls"; sleep 1) | timeout 20 openssl s_client -tls1_3 \
		-connect "localhost:$port" -servername localhost \
		-CAfile "$T/ca.pem" -verify_return_error "$@" >"$T/out" 2>&1
	cat "$T/out"
	grep -q "ping ktls" "$T/out"
}
start "$TLSCTL" serve --port "$port" --cert "$T/srv.pem" --key "$T/srv.key" \
	--ocsp "$T/resp.der"
check "openssl s_client -status -> tlsctl serve --ocsp: OCSP Response Status: successful" \
	bash -c "$(declare -f s_client_status); T=$T port=$port
		s_client_status -status &&
		grep -q 'OCSP Response Status: successful' $T/out &&
		grep -q 'Cert Status: good' $T/out"
stop

start "$TLSCTL" serve --port "$port" --cert "$T/srv.pem" --key "$T/srv.key" \
	--ocsp "$T/resp.der"
check "openssl s_client -trace without -status -> tlsctl serve --ocsp: no status_request anywhere" \
	bash -c "$(declare -f s_client_status); T=$T port=$port
		s_client_status -trace && grep -q 'Certificate, Length' $T/out &&
		! grep -q 'status_request' $T/out"
stop

start "$TLSCTL" serve --port "$port" --cert "$T/srv.pem" --key "$T/srv.key"
check "openssl s_client -status -> tlsctl serve without --ocsp: no response sent" \
	bash -c "$(declare -f s_client_status); T=$T port=$port
		s_client_status -status &&
		grep -q 'OCSP response: no response sent' $T/out"
stop

# ---- gnutls-cli -> tlsctl serve --ocsp ----

if command -v gnutls-cli >/dev/null; then
	start "$TLSCTL" serve --port "$port" --cert "$T/srv.pem" --key "$T/srv.key" \
		--ocsp "$T/resp.der"
	check "gnutls-cli -> tlsctl serve --ocsp: the staple arrives byte for byte" \
		bash -c "(echo 'ping ktls'; sleep 1) | timeout 20 gnutls-cli \
			--x509cafile $T/ca.pem --port $port localhost \
			--priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' \
			--save-ocsp $T/gnutls.der >$T/out 2>&1
			cat $T/out; grep -q 'ping ktls' $T/out &&
			cmp $T/resp.der $T/gnutls.der"
	stop
else
	skip "gnutls-cli -> tlsctl serve --ocsp" "no gnutls-cli"
fi

# ---- our signature_algorithms_cert and certificate_authorities ----

# ext_hex FILE NAME: the body of the first NAME extension in an openssl
# -trace, as one hex string (OpenSSL dumps these two in hex)
ext_hex() {
	awk -v name="extension_type=$2(" '
		index($0, name) { on = 1; next }
		on && (/extension_type=/ || /^[^ ]/) { exit }
		on' "$1" |
		sed -n 's/^ *[0-9a-f]\{4\} - \(.\{47\}\).*/\1/p' | tr -d ' \n-'
}
KTLS_TEST_CA=$(printf 'ktls-test-ca' | od -An -tx1 | tr -d ' \n')
OTHER_CA=$(printf 'other-ca' | od -An -tx1 | tr -d ' \n')

ch_trace() {
	local sac cas
	connect_rev --cert "$T/cli.pem" --key "$T/cli.key" \
		--ca-names "$T/both-ca.pem" || return 1
	sleep 0.3
	awk '/ClientHello, Length/,/ServerHello, Length/' "$T/srv.log" \
		>"$T/ch.trace"
	cat "$T/ch.trace"
	sac=$(ext_hex "$T/ch.trace" signature_algorithms_cert)
	cas=$(ext_hex "$T/ch.trace" certificate_authorities)
	echo "signature_algorithms_cert: $sac"
	echo "certificate_authorities: $cas"
	[[ $sac == *040105010601 ]] && [[ $sac == 00*0403* ]] &&
		[[ $cas == *$KTLS_TEST_CA* ]] && [[ $cas == *$OTHER_CA* ]]
}

s_server -trace -Verify 1 -CAfile "$T/ca.pem"
check "s_server -trace: our ClientHello has signature_algorithms_cert and certificate_authorities" \
	ch_trace
stop

s_client_trace() {
	local sac cas
	(echo "ping ktls"; sleep 1) | timeout 20 openssl s_client -tls1_3 \
		-connect "localhost:$port" -servername localhost -trace \
		-CAfile "$T/ca.pem" -cert "$T/cli.pem" -key "$T/cli.key" \
		"$@" >"$T/out" 2>&1
	cat "$T/out"
	awk '/CertificateRequest, Length/,/Certificate, Length/' "$T/out" \
		>"$T/cr.trace"
	sac=$(ext_hex "$T/cr.trace" signature_algorithms_cert)
	cas=$(ext_hex "$T/cr.trace" certificate_authorities)
	echo "signature_algorithms_cert: $sac"
	echo "certificate_authorities: $cas"
	grep -q "ping ktls" "$T/out" &&
		[[ $sac == *040105010601 ]] && [[ $cas == *$KTLS_TEST_CA* ]] &&
		grep -q 'extension_type=status_request(5), length=0' "$T/cr.trace"
}
start "$TLSCTL" serve --port "$port" --cert "$T/srv.pem" --key "$T/srv.key" \
	--ca "$T/ca.pem" --ca-names "$T/ca.pem" --status
check "s_client -trace: our CertificateRequest has signature_algorithms_cert, certificate_authorities, status_request" \
	s_client_trace
stop

# ---- certificate_authorities received ----

start "$TLSCTL" serve --port "$port" --cert "$T/srv.pem" --key "$T/srv.key"
check "s_client -requestCAfile (2 CAs) -> tlsctl serve: peer ca names: 2" \
	bash -c "$(declare -f s_client_status); T=$T port=$port
		s_client_status -requestCAfile $T/both-ca.pem || exit 1
		sleep 0.3; cat $T/srv.log; grep -q '^peer ca names: 2$' $T/srv.log"
stop

s_server -Verify 1 -CAfile "$T/ca.pem"
check "s_server -Verify (CertificateRequest with its CA) -> tlsctl connect: peer ca names: 1" \
	bash -c "$(declare -f connect_rev); T=$T TLSCTL=$TLSCTL port=$port
		connect_rev --cert $T/cli.pem --key $T/cli.key &&
		grep -q '^peer ca names: 1$' $T/cli.err"
stop

s_server
check "s_server without a CertificateRequest -> tlsctl connect: peer ca names: 0" \
	bash -c "$(declare -f connect_rev); T=$T TLSCTL=$TLSCTL port=$port
		connect_rev && grep -q '^peer ca names: 0$' $T/cli.err"
stop

echo "1..$n"
[ "$failed" -eq 0 ]
