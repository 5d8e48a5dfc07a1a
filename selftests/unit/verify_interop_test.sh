#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The verifier through the engine, against real peers on loopback, TAP:
# chains with an intermediate (root RSA-2048 > intermediate P-256 > leaves)
# presented by OpenSSL 3.5 and GnuTLS servers and clients, mTLS both ways,
# and a client certificate revoked by CRL refused with certificate_revoked
# (tlsctl serve --crl). The PKI is made here by openssl in a temporary
# directory (never committed).
set -u
cd "$(dirname "$0")/../.."
TLSCTL=$PWD/build/bin/tlsctl
T=$(mktemp -d /tmp/ktls-vinterop.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
nok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"; sed 's/^/#   /' "$T/log" 2>/dev/null | tail -n 15; }
check() { local name=$1; shift; if "$@" >"$T/log" 2>&1; then ok "$name"; else nok "$name"; fi; }

[ -x "$TLSCTL" ] || { echo "1..1"; echo "not ok 1 tlsctl not built"; exit 1; }

pki() {
	cd "$T" || return 1
	printf '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n' >req.cnf
	export OPENSSL_CONF=$T/req.cnf
	openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem \
		-days 2 -subj "/CN=vi-root" \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout inter.key -out inter.csr -subj "/CN=vi-inter"
	printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' >ca.ext
	openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -set_serial 2 \
		-days 2 -extfile ca.ext -out inter.pem
	leaf() {	# NAME SERIAL EXT
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout "$1.key" -out "$1.csr" -subj "/CN=$1"
		printf '%s\n' "$3" >"$1.ext"
		openssl x509 -req -in "$1.csr" -CA inter.pem -CAkey inter.key \
			-set_serial "$2" -days 2 -extfile "$1.ext" -out "$1.pem"
		cat "$1.pem" inter.pem >"$1-chain.pem"
	}
	leaf srv 0x10 $'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth'
	leaf cli 0x11 'extendedKeyUsage=clientAuth'
	leaf rev 0x12 'extendedKeyUsage=clientAuth'
	# CRLs: inter's revokes rev; root's is empty (hard-fail needs both)
	for ca in inter root; do
		mkdir -p db-$ca
		: >db-$ca/index.txt
		echo 01 >db-$ca/crlnumber
		printf '[ca]\ndefault_ca = c\n[c]\ndatabase = %s\ncrlnumber = %s\ndefault_md = sha256\n' \
			"$T/db-$ca/index.txt" "$T/db-$ca/crlnumber" >db-$ca/ca.cnf
	done
	openssl ca -config db-inter/ca.cnf -cert inter.pem -keyfile inter.key \
		-revoke rev.pem -crl_reason keyCompromise
	for ca in inter root; do
		openssl ca -config db-$ca/ca.cnf -gencrl -cert $ca.pem \
			-keyfile $ca.key -crldays 2 -out $ca.crl
	done
	cat inter.crl root.crl >crls.pem
}
if ! (pki) >"$T/pki.log" 2>&1; then
	echo "1..1"; echo "not ok 1 PKI generation"; sed 's/^/#   /' "$T/pki.log"; exit 1
fi

srv_pin=$(openssl x509 -in "$T/srv.pem" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)
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

# tlsctl connect HOST: the line comes back reversed (s_server -rev) or as is
connect() {	# connect HOST EXPECT EXTRA...
	local host=$1 want=$2 out
	shift 2
	out=$(echo "hello chain" | timeout 20 "$TLSCTL" connect "$host:$port" \
		"$@" 2>"$T/cli.err")
	cat "$T/cli.err"
	echo "got: $out"
	[ "$out" = "$want" ] && grep -q "verify: ok (verified: 'CN=srv', path of 3 to 'CN=vi-root')" "$T/cli.err" &&
		grep -q "^peer: subject 'CN=srv', issuer 'CN=vi-inter', serial 10, not after 20.*, spki-sha256 $srv_pin\$" "$T/cli.err"
}
s_server() {
	start timeout 60 openssl s_server -tls1_3 -accept "$port" -rev \
		-cert "$T/srv.pem" -key "$T/srv.key" -cert_chain "$T/inter.pem" "$@"
}

s_server
check "tlsctl->openssl s_server, chain leaf+intermediate, by name" \
	connect localhost "niahc olleh" --ca "$T/root.pem"
stop
s_server
check "tlsctl->openssl s_server, by IP address" \
	connect 127.0.0.1 "niahc olleh" --ca "$T/root.pem"
stop
s_server
check "tlsctl->openssl s_server, the server's CRL status checked (hard-fail)" \
	connect localhost "niahc olleh" --ca "$T/root.pem" --crl "$T/crls.pem"
stop
s_server
check "tlsctl refuses the chain without its root (unknown_ca)" \
	bash -c "! echo x | timeout 20 $TLSCTL connect localhost:$port --ca $T/cli.pem 2>$T/e; cat $T/e; grep -q 'alert sent: unknown_ca' $T/e"
stop
s_server -Verify 2 -verify_return_error -CAfile "$T/root.pem"
check "mTLS: tlsctl (client chain) -> openssl s_server, both verified" \
	connect localhost "niahc olleh" --ca "$T/root.pem" --cert "$T/cli-chain.pem" --key "$T/cli.key"
stop

start timeout 60 gnutls-serv --echo --port "$port" --x509certfile "$T/srv-chain.pem" \
	--x509keyfile "$T/srv.key" --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3'
check "tlsctl->gnutls-serv, chain leaf+intermediate" \
	connect localhost "hello chain" --ca "$T/root.pem"
stop
start timeout 60 gnutls-serv --echo --port "$port" --x509certfile "$T/srv-chain.pem" \
	--x509keyfile "$T/srv.key" --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' \
	--require-client-cert --x509cafile "$T/root.pem"
check "mTLS: tlsctl (client chain) -> gnutls-serv, both verified" \
	connect localhost "hello chain" --ca "$T/root.pem" --cert "$T/cli-chain.pem" --key "$T/cli.key"
stop

# openssl s_client and gnutls-cli -> tlsctl serve, client certificates
# verified for clientAuth with CRLs, hard-fail
serve() {
	start "$TLSCTL" serve --port "$port" --cert "$T/srv-chain.pem" --key "$T/srv.key" \
		--ca "$T/root.pem" --crl "$T/crls.pem" --require-client-cert --once
}
s_client() {	# s_client CLIENT: echo through tlsctl serve
	local out
	out=$( (echo "ping mtls"; sleep 1) | timeout 20 openssl s_client -tls1_3 \
		-connect "localhost:$port" -servername localhost -CAfile "$T/root.pem" \
		-verify_return_error -no_ign_eof -cert "$T/$1.pem" -key "$T/$1.key" \
		-cert_chain "$T/inter.pem" 2>&1)
	echo "$out" | tail -n 5
	grep -qx "ping mtls" <<<"$out"
}
serve
check "mTLS: openssl s_client (chain) -> tlsctl serve, CRL checked" s_client cli
stop
serve
check "mTLS: a revoked client is refused: openssl sees alert 44" \
	bash -c "$(declare -f s_client); T=$T port=$port; ! s_client rev | tee $T/o; grep -q 'alert number 44' $T/o"
sleep 0.3
check "mTLS: the server sent certificate_revoked and says why" \
	bash -c "cat $T/srv.log; grep -q \"FAILED (certificate revoked: 'CN=rev' (serial 12)\" $T/srv.log && grep -q 'failed: certificate_revoked' $T/srv.log"
stop
gnutls_cli() {	# gnutls_cli CLIENT
	local out
	out=$( (echo "gnutls ping"; sleep 1) | timeout 20 gnutls-cli --x509cafile "$T/root.pem" \
		--x509certfile "$T/$1-chain.pem" --x509keyfile "$T/$1.key" \
		--port "$port" localhost --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' 2>&1)
	echo "$out" | tail -n 5
	grep -qx "gnutls ping" <<<"$out"
}
serve
check "mTLS: gnutls-cli (chain) -> tlsctl serve, CRL checked" gnutls_cli cli
stop
serve
check "mTLS: a revoked GnuTLS client is refused with certificate_revoked" \
	bash -c "$(declare -f gnutls_cli); T=$T port=$port; ! gnutls_cli rev; sleep 0.3; cat $T/srv.log; grep -q 'failed: certificate_revoked' $T/srv.log"
stop

echo "1..$n"
[ "$failed" -eq 0 ]
