#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Interop of tlsctl (the libktls engine over TCP) with OpenSSL 3.5 and
# GnuTLS on loopback, TAP output.  A throwaway PKI is made here by openssl
# in a temporary directory (never committed): a P-256 CA, server
# certificates with ECDSA P-256 and P-384, RSA (rsa_pss_rsae) and Ed25519
# keys for "localhost" and 127.0.0.1, and a client certificate.
#   tlsctl connect -> openssl s_server -rev: every suite, every group,
#       the key types, ecdsa_secp384r1_sha384 and rsa_pss_rsae_sha384/512
#       (s_server -sigalgs), HRR (also with a cookie), ALPN, KeyUpdate, mTLS,
#       resumption with OpenSSL's ticket (--resume and --reconnect);
#       psk_ke (no (EC)DHE) with a ticket and with an external PSK, mode
#       selection both ways, psk_ke refused by a server not allowing it;
#       a wrong host name and an
#       unknown CA must fail.
#   openssl s_client -> tlsctl serve: every suite, every group, the key
#       types, mTLS, ALPN and SNI, the client's KeyUpdate with
#       update_requested (both our keys move on), resumption with our
#       ticket, the exporter (§7.5) agrees.
#   curl -> tlsctl serve --http: the body arrives intact.
#   --json (connect and serve): the report is JSON Lines, one object per
#       event, with the verdict, the parameters and failures.
#   gnutls-cli -> tlsctl serve; tlsctl connect -> gnutls-serv --echo.
#   record_size_limit (RFC 8449) both ways with GnuTLS; OpenSSL ignores it.
#   RSASSA-PSS keys (openssl genpkey -algorithm RSA-PSS, with and without
#       a SHA-384 restriction) both ways with OpenSSL and GnuTLS, each
#       rsa_pss_pss hash, mTLS with one; the scheme our key signs with
#       follows the peer's list (an RSA key and rsa_pss_rsae_sha512
#       alone); a client accepting none of ours gets handshake_failure; a
#       PSS key whose MGF1 is SHA-1 is refused at loading.
set -u
cd "$(dirname "$0")/../.."
TLSCTL=$PWD/build/bin/tlsctl
T=$(mktemp -d /tmp/ktls-interop.XXXXXX)
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
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout ca.key -out ca.pem -days 2 -subj /CN=ktls-test-ca \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout other-ca.key -out other-ca.pem -days 2 -subj /CN=other-ca
	for k in ec ec384 rsa ed25519; do
		case $k in
		ec) opt=(-newkey ec -pkeyopt ec_paramgen_curve:P-256) ;;
		ec384) opt=(-newkey ec -pkeyopt ec_paramgen_curve:P-384) ;;
		rsa) opt=(-newkey rsa:2048) ;;
		ed25519) opt=(-newkey ed25519) ;;
		esac
		openssl req -new "${opt[@]}" -nodes -keyout srv-$k.key \
			-out srv-$k.csr -subj /CN=localhost
		openssl x509 -req -in srv-$k.csr -CA ca.pem -CAkey ca.key \
			-out srv-$k.pem -days 2 \
			-extfile <(printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
	done
	# RSASSA-PSS keys (id-RSASSA-PSS): any hash, limited to SHA-384
	# (MGF1 and salt to match), MGF1 left at its SHA-1 default (no TLS
	# scheme fits: refused), and a client's
	openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 \
		-out srv-pss.key
	openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 \
		-pkeyopt rsa_pss_keygen_md:sha384 \
		-pkeyopt rsa_pss_keygen_mgf1_md:sha384 \
		-pkeyopt rsa_pss_keygen_saltlen:48 -out srv-pss384.key
	openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 \
		-pkeyopt rsa_pss_keygen_md:sha256 -out srv-pssmgf1.key
	for k in pss pss384 pssmgf1; do
		openssl req -new -key srv-$k.key -out srv-$k.csr -subj /CN=localhost
		openssl x509 -req -in srv-$k.csr -CA ca.pem -CAkey ca.key \
			-out srv-$k.pem -days 2 \
			-extfile <(printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
	done
	openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 \
		-out cli-pss.key
	openssl req -new -key cli-pss.key -out cli-pss.csr -subj /CN=ktls-pss-client
	openssl x509 -req -in cli-pss.csr -CA ca.pem -CAkey ca.key -out cli-pss.pem \
		-days 2 -extfile <(printf 'extendedKeyUsage=clientAuth\n')
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout cli.key -out cli.csr -subj /CN=ktls-client
	openssl x509 -req -in cli.csr -CA ca.pem -CAkey ca.key -out cli.pem \
		-days 2 -extfile <(printf 'extendedKeyUsage=clientAuth\n')
}
if ! (pki) >"$T/pki.log" 2>&1; then
	echo "1..1"; echo "not ok 1 PKI generation"; sed 's/^/#   /' "$T/pki.log"; exit 1
fi

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

# tlsctl connect | compare with the reversed line (openssl s_server -rev)
connect_rev() {	# connect_rev EXTRA_TLSCTL_ARGS...
	local out
	out=$(echo "hello ktls" | timeout 20 "$TLSCTL" connect "localhost:$port" \
		--ca "$T/ca.pem" "$@" 2>"$T/cli.err")
	cat "$T/cli.err"
	echo "got: $out"
	[ "$out" = "sltk olleh" ] && grep -q "verify: ok" "$T/cli.err"
}

s_server() {	# s_server KEYTYPE EXTRA...
	local k=$1; shift
	start timeout 60 openssl s_server -tls1_3 -accept "$port" -rev \
		-cert "$T/srv-$k.pem" -key "$T/srv-$k.key" \
		-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256 \
		"$@"
}

for k in ec rsa ed25519; do
	for g in x25519 X25519MLKEM768; do
		s_server $k -groups "$g"
		check "tlsctl->openssl s_server key=$k group=$g" connect_rev --group "$g"
		stop
	done
done
# the other groups, and the other signature schemes the server may use
for g in P-256 P-384; do
	s_server ec -groups "$g"
	check "tlsctl->openssl s_server group=$g" connect_rev --group "$g"
	stop
done
sigalg_rev() {	# sigalg_rev SCHEME: the handshake report names it
	connect_rev || return 1
	grep -q "^peer signature: $1$" "$T/cli.err"
}
s_server ec384 -sigalgs ecdsa_secp384r1_sha384
check "tlsctl->openssl s_server ecdsa_secp384r1_sha384 (P-384 key)" \
	sigalg_rev ecdsa_secp384r1_sha384
stop
for a in rsa_pss_rsae_sha384 rsa_pss_rsae_sha512; do
	s_server rsa -sigalgs "$a"
	check "tlsctl->openssl s_server $a" sigalg_rev "$a"
	stop
done
for s in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 \
	 TLS_CHACHA20_POLY1305_SHA256 TLS_AES_128_CCM_SHA256; do
	s_server ec
	check "tlsctl->openssl s_server suite=$s" connect_rev --suite "$s"
	stop
done

# HRR: we offer X25519MLKEM768 first (share) and x25519; server takes x25519 only
s_server ec -groups x25519
check "tlsctl->openssl s_server HelloRetryRequest" \
	bash -c "$(declare -f connect_rev); T=$T TLSCTL=$TLSCTL port=$port; connect_rev && grep -q 'hrr: yes' $T/cli.err"
stop

# -stateless: the HRR carries a cookie the second ClientHello must echo
s_server ec -groups x25519 -stateless
check "tlsctl->openssl s_server HRR with cookie (stateless)" \
	bash -c "$(declare -f connect_rev); T=$T TLSCTL=$TLSCTL port=$port; connect_rev && grep -q 'hrr: yes' $T/cli.err"
stop

s_server ec -alpn h2,http/1.1
check "tlsctl->openssl s_server ALPN" \
	bash -c "$(declare -f connect_rev); T=$T TLSCTL=$TLSCTL port=$port; connect_rev --alpn http/1.1 && grep -q 'alpn: http/1.1' $T/cli.err"
stop

s_server ec
check "tlsctl->openssl s_server KeyUpdate" connect_rev --key-update
stop

s_server ec -Verify 1 -verify_return_error -CAfile "$T/ca.pem"
check "tlsctl->openssl s_server mTLS" connect_rev --cert "$T/cli.pem" --key "$T/cli.key"
stop

s_server ec
check "tlsctl->openssl s_server resumption (--resume, ticket, psk_dhe_ke)" \
	bash -c "$(declare -f connect_rev); T=$T TLSCTL=$TLSCTL port=$port; connect_rev --resume && grep -q 'resumed: yes' $T/cli.err"
stop
s_server ec
check "tlsctl->openssl s_server resumption (--reconnect, the old name)" \
	bash -c "$(declare -f connect_rev); T=$T TLSCTL=$TLSCTL port=$port; connect_rev --reconnect && grep -q 'resumed: yes' $T/cli.err"
stop

# psk_ke (RFC 8446 §4.2.9): the PSK alone, no (EC)DHE. OpenSSL allows it
# with -allow_no_dhe_kex and prefers it with -prefer_no_dhe_kex.
PSK=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
s_server ec -allow_no_dhe_kex
check "tlsctl->openssl s_server resumption with psk_ke (--psk-modes ke)" \
	bash -c "$(declare -f connect_rev); T=$T TLSCTL=$TLSCTL port=$port; connect_rev --resume --psk-modes ke &&
		grep -q 'resumed: yes' $T/cli.err && grep -q 'psk_ke: yes' $T/cli.err && grep -q '^group: none' $T/cli.err"
stop
s_server ec -allow_no_dhe_kex
check "tlsctl->openssl s_server, both modes offered: psk_dhe_ke chosen" \
	bash -c "$(declare -f connect_rev); T=$T TLSCTL=$TLSCTL port=$port; connect_rev --resume --psk-modes both &&
		grep -q 'resumed: yes' $T/cli.err && ! grep -q 'psk_ke: yes' $T/cli.err"
stop
s_server ec -allow_no_dhe_kex -prefer_no_dhe_kex
check "tlsctl->openssl s_server -prefer_no_dhe_kex, both modes offered: psk_ke chosen" \
	bash -c "$(declare -f connect_rev); T=$T TLSCTL=$TLSCTL port=$port; connect_rev --resume --psk-modes both &&
		grep -q 'resumed: yes' $T/cli.err && grep -q 'psk_ke: yes' $T/cli.err"
stop
start timeout 60 openssl s_server -tls1_3 -accept "$port" -rev -nocert \
	-psk "$PSK" -psk_identity ktls-psk -allow_no_dhe_kex \
	-ciphersuites TLS_AES_128_GCM_SHA256
check "tlsctl->openssl s_server -nocert -psk: external PSK with psk_ke" \
	bash -c "out=\$(echo 'hello ktls' | timeout 20 $TLSCTL connect localhost:$port \
		--psk-identity ktls-psk --psk $PSK --psk-modes ke 2>$T/cli.err); cat $T/cli.err; echo got: \$out
		[ \"\$out\" = 'sltk olleh' ] && grep -q 'psk_ke: yes' $T/cli.err"
stop
start timeout 60 openssl s_server -tls1_3 -accept "$port" -rev -nocert \
	-psk "$PSK" -psk_identity ktls-psk \
	-ciphersuites TLS_AES_128_GCM_SHA256
check "tlsctl->openssl s_server without -allow_no_dhe_kex: psk_ke alone refused (missing_extension)" \
	bash -c "out=\$(echo 'hello ktls' | timeout 20 $TLSCTL connect localhost:$port \
		--psk-identity ktls-psk --psk $PSK --psk-modes ke 2>$T/cli.err); rc=\$?; cat $T/cli.err
		[ \$rc = 1 ] && grep -q 'alert received: missing_extension' $T/cli.err"
stop

must_fail() { ! "$@"; }

# the certificate names IP:127.0.0.1: verification by address
connect_ip() {
	local out
	out=$(echo "by address" | timeout 20 "$TLSCTL" connect "127.0.0.1:$port" \
		--ca "$T/ca.pem" 2>"$T/cli.err")
	cat "$T/cli.err"
	[ "$out" = "sserdda yb" ] && grep -q "verify: ok" "$T/cli.err"
}
s_server ec
check "tlsctl->openssl s_server verified by IP address" connect_ip
stop
s_server ec
check "tlsctl refuses an IP address the certificate does not name" \
	bash -c "! echo x | timeout 20 $TLSCTL connect 127.0.0.2:$port --ca $T/ca.pem 2>$T/e; cat $T/e; grep -q 'FAILED (name does not match' $T/e"
stop

s_server ec
check "tlsctl refuses a wrong host name" \
	bash -c "$(declare -f connect_rev); T=$T TLSCTL=$TLSCTL port=$port; ! connect_rev --sni wrong.example && grep -q 'FAILED (name does not match' $T/cli.err"
stop
s_server ec
check "tlsctl refuses an unknown CA" \
	bash -c "! echo x | timeout 20 $TLSCTL connect localhost:$port --ca $T/other-ca.pem 2>$T/e; cat $T/e; grep -q 'alert sent: unknown_ca' $T/e"
stop

# openssl s_client -> tlsctl serve (echo). stdin stays open 2 s: s_client
# ends at its EOF, and on a loaded machine (load 8 on 2 cores) its start
# and handshake alone took over 1 s, so the echo was not back yet.
s_client_echo() {	# s_client_echo EXTRA...
	local out
	out=$( (echo "ping ktls"; sleep 2) | timeout 20 openssl s_client -tls1_3 \
		-connect "localhost:$port" -servername localhost \
		-CAfile "$T/ca.pem" -verify_return_error -quiet -no_ign_eof "$@" 2>"$T/cli.err")
	cat "$T/cli.err"
	echo "got: $out"
	[ "$out" = "ping ktls" ]
}
for k in ec ec384 rsa ed25519; do
	start "$TLSCTL" serve --port "$port" --cert "$T/srv-$k.pem" --key "$T/srv-$k.key"
	check "openssl s_client->tlsctl serve key=$k" s_client_echo
	stop
done
for s in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 \
	 TLS_CHACHA20_POLY1305_SHA256 TLS_AES_128_CCM_SHA256; do
	start "$TLSCTL" serve --port "$port" --cert "$T/srv-ec.pem" --key "$T/srv-ec.key"
	check "openssl s_client->tlsctl serve suite=$s" s_client_echo -ciphersuites "$s"
	stop
done
for g in x25519 X25519MLKEM768 P-256 P-384 P-256:X25519MLKEM768; do
	start "$TLSCTL" serve --port "$port" --cert "$T/srv-ec.pem" --key "$T/srv-ec.key"
	check "openssl s_client->tlsctl serve groups=$g" s_client_echo -groups "$g"
	stop
done
start "$TLSCTL" serve --port "$port" --cert "$T/srv-ec.pem" --key "$T/srv-ec.key" \
	--ca "$T/ca.pem" --require-client-cert
check "openssl s_client->tlsctl serve mTLS" s_client_echo -cert "$T/cli.pem" -key "$T/cli.key"
stop

# ALPN and SNI as our server sees them: s_client offers h2 and http/1.1
# for "localhost"; we serve http/1.1 only, so that is chosen and reported
# on both ends.
s_client_alpn_sni() {
	local out
	out=$( (echo "ping ktls"; sleep 1) | timeout 20 openssl s_client \
		-tls1_3 -connect "localhost:$port" -servername localhost \
		-alpn h2,http/1.1 -CAfile "$T/ca.pem" -verify_return_error 2>&1)
	echo "$out"
	sleep 0.5
	cat "$T/srv.log"
	grep -q "^ALPN protocol: http/1.1$" <<<"$out" &&
		grep -q "^alpn: http/1.1$" "$T/srv.log" &&
		grep -q "^sni: localhost$" "$T/srv.log"
}
start "$TLSCTL" serve --port "$port" --cert "$T/srv-ec.pem" --key "$T/srv-ec.key" \
	--alpn http/1.1
check "openssl s_client -alpn h2,http/1.1 -servername->tlsctl serve: http/1.1 and the SNI, both ends" \
	s_client_alpn_sni
stop

# The peer's KeyUpdate: s_client's "K" command sends one with
# update_requested; our server takes the next RX key, answers with its own
# (TX generation 1) and the echo goes on under the new keys.
s_client_key_update() {
	local out
	out=$( (echo K; sleep 1; echo "ping ktls"; sleep 1) | timeout 20 \
		openssl s_client -tls1_3 -connect "localhost:$port" \
		-servername localhost -CAfile "$T/ca.pem" \
		-verify_return_error 2>&1)
	echo "$out"
	sleep 0.5
	cat "$T/srv.log"
	grep -q "^KEYUPDATE$" <<<"$out" && grep -q "^ping ktls$" <<<"$out" &&
		grep -q "^keys: rx application generation 1$" "$T/srv.log" &&
		grep -q "^keys: tx application generation 1$" "$T/srv.log"
}
start "$TLSCTL" serve --port "$port" --cert "$T/srv-ec.pem" --key "$T/srv-ec.key"
check "openssl s_client KeyUpdate (update_requested)->tlsctl serve: both keys updated, echo goes on" \
	s_client_key_update
stop

s_client_resume() {
	local out
	s_client_echo -sess_out "$T/sess" || return 1
	out=$( (echo "again"; sleep 0.5) | timeout 20 openssl s_client -tls1_3 \
		-connect "localhost:$port" -servername localhost -CAfile "$T/ca.pem" \
		-verify_return_error -no_ign_eof -sess_in "$T/sess" 2>&1)
	echo "$out" | grep -E "Reused|New,|again"
	grep -q "Reused, TLSv1.3" <<<"$out" && grep -qx "again" <<<"$out"
}
start "$TLSCTL" serve --port "$port" --cert "$T/srv-ec.pem" --key "$T/srv-ec.key"
check "openssl s_client->tlsctl serve resumption (our tickets)" s_client_resume
stop
start "$TLSCTL" serve --port "$port" --cert "$T/srv-ec.pem" --key "$T/srv-ec.key" \
	--psk-identity ktls-psk --psk "$PSK" --psk-modes ke
check "openssl s_client -psk -allow_no_dhe_kex->tlsctl serve --psk-modes ke: external PSK, psk_ke" \
	bash -c "out=\$( (echo 'ping ktls'; sleep 1) | timeout 20 openssl s_client -tls1_3 \
		-connect localhost:$port -psk $PSK -psk_identity ktls-psk -allow_no_dhe_kex \
		-ciphersuites TLS_AES_128_GCM_SHA256 -no_ign_eof 2>&1); echo \"\$out\" | grep -E 'group|ping|Cipher'; sleep 0.2; cat $T/srv.log
		grep -qx 'ping ktls' <<<\"\$out\" && grep -q 'psk_ke: yes' $T/srv.log"
stop

# RFC 8446 §7.5 exporter: both ends print the same keying material
exporter_same() {
	local out ours theirs
	out=$( (echo "x"; sleep 0.5) | timeout 20 openssl s_client -tls1_3 \
		-connect "localhost:$port" -CAfile "$T/ca.pem" -no_ign_eof \
		-keymatexport EXPORTER-ktls-test -keymatexportlen 32 2>&1)
	sleep 0.2
	theirs=$(sed -n 's/^ *Keying material: *//p' <<<"$out" | head -n 1)
	ours=$(sed -n 's/^exporter: //p' "$T/srv.log" | head -n 1)
	echo "ours=$ours theirs=$theirs"
	[ -n "$ours" ] && [ "$ours" = "$theirs" ]
}
start "$TLSCTL" serve --port "$port" --cert "$T/srv-ec.pem" --key "$T/srv-ec.key" \
	--export EXPORTER-ktls-test
check "openssl s_client->tlsctl serve exporter agrees" exporter_same
stop

# curl -> tlsctl serve --http: a 200 KB body (many records) arrives intact
curl_http() {
	local code
	code=$(timeout 20 curl -sS --tlsv1.3 --cacert "$T/ca.pem" \
		-o "$T/got" -w '%{http_code} %{ssl_verify_result}' \
		"https://localhost:$port/some/path" 2>"$T/cli.err")
	cat "$T/cli.err"
	echo "curl: $code"
	sleep 0.2
	cat "$T/srv.log"
	[ "$code" = "200 0" ] && cmp "$T/body" "$T/got" &&
		grep -q "http: answered GET /some/path HTTP/1.1 with 200000 bytes" "$T/srv.log"
}
head -c 200000 /dev/urandom >"$T/body"
start "$TLSCTL" serve --port "$port" --cert "$T/srv-ec.pem" --key "$T/srv-ec.key" \
	--http "$T/body"
check "curl->tlsctl serve --http (body compared)" curl_http
stop

# --json: the report as JSON Lines on stderr, every line one valid object
json_lines() {	# json_lines FILE: each line parses; prints them
	perl -MJSON::PP -ne 'chomp; my $o = eval { decode_json($_) };
		die "not JSON: $_\n" unless ref $o eq "HASH" && $o->{event};
		print "$_\n"' "$1"
}
connect_json() {	# connect_json EXPECT_EXIT CA: tlsctl connect --json
	local out rc
	out=$(echo "hello ktls" | timeout 20 "$TLSCTL" connect "localhost:$port" \
		--ca "$2" --json 2>"$T/cli.err")
	rc=$?
	echo "exit $rc, got: $out"
	json_lines "$T/cli.err" && [ "$rc" = "$1" ]
}
s_server ec -groups x25519
check "tlsctl connect --json->openssl s_server: verify and handshake objects" \
	bash -c "$(declare -f json_lines connect_json); T=$T TLSCTL=$TLSCTL port=$port
		connect_json 0 $T/ca.pem &&
		grep -q '^{\"event\": \"verify\", \"result\": \"ok\", ' $T/cli.err &&
		grep -q '^{\"event\": \"handshake\", \"protocol\": \"TLSv1.3\", \"suite\": \"TLS_AES_128_GCM_SHA256\", \"group\": \"x25519\", .*\"hrr\": true, ' $T/cli.err"
stop
s_server ec
check "tlsctl connect --json, unknown CA: verify failed, failed with unknown_ca, exit 1" \
	bash -c "$(declare -f json_lines connect_json); T=$T TLSCTL=$TLSCTL port=$port
		connect_json 1 $T/other-ca.pem &&
		grep -q '^{\"event\": \"verify\", \"result\": \"failed\", \"reason\": \"[^\"]' $T/cli.err &&
		grep -q '^{\"event\": \"failed\", \"alert\": \"unknown_ca\"' $T/cli.err"
stop
start "$TLSCTL" serve --port "$port" --cert "$T/srv-ec.pem" --key "$T/srv-ec.key" \
	--http "$T/body" --json
check "curl->tlsctl serve --http --json: listening, handshake, http objects" \
	bash -c "$(declare -f json_lines); T=$T
		timeout 20 curl -sS --tlsv1.3 --cacert $T/ca.pem -o $T/got https://localhost:$port/j &&
		sleep 0.3 && cmp $T/body $T/got && json_lines $T/srv.log &&
		grep -q '^{\"event\": \"listening\", \"port\": $port}' $T/srv.log &&
		grep -q '^{\"event\": \"handshake\", ' $T/srv.log &&
		grep -q '^{\"event\": \"http\", \"request\": \"GET /j HTTP/1.1\", \"bytes\": 200000}' $T/srv.log"
stop

# GnuTLS
gnutls_cli() {
	local out
	out=$( (echo "gnutls ping"; sleep 1) | timeout 20 gnutls-cli --x509cafile "$T/ca.pem" \
		--port "$port" localhost --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' 2>"$T/cli.err")
	echo "got: $out"
	grep -qx "gnutls ping" <<<"$out"
}
start "$TLSCTL" serve --port "$port" --cert "$T/srv-ec.pem" --key "$T/srv-ec.key"
check "gnutls-cli->tlsctl serve" gnutls_cli
stop

gnutls_serv_echo() {
	local out
	out=$(echo "hello gnutls" | timeout 20 "$TLSCTL" connect "localhost:$port" \
		--ca "$T/ca.pem" 2>"$T/cli.err")
	cat "$T/cli.err"
	echo "got: $out"
	[ "$out" = "hello gnutls" ]
}
start timeout 60 gnutls-serv --echo --port "$port" --x509certfile "$T/srv-ed25519.pem" \
	--x509keyfile "$T/srv-ed25519.key" --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3'
check "tlsctl->gnutls-serv --echo (Ed25519)" gnutls_serv_echo
stop

# RFC 8449 record_size_limit: a 6000-byte line each way must cross both
# limits (GnuTLS refuses an oversized record with record_overflow, and so
# do we); OpenSSL 3.5 does not implement the extension and ignores it.
long_line=$(head -c 4500 /dev/urandom | base64 -w0)	# 6000 characters
rsl_connect() {	# rsl_connect EXPECTED_PEER_LIMIT TLSCTL_ARGS...
	local want=$1 out; shift
	out=$(echo "$long_line" | timeout 20 "$TLSCTL" connect "localhost:$port" \
		--ca "$T/ca.pem" "$@" 2>"$T/cli.err")
	cat "$T/cli.err"
	echo "got ${#out} bytes"
	[ "$out" = "$long_line" ] || [ "$out" = "$(rev <<<"$long_line")" ] || return 1
	grep -qx "peer record_size_limit: $want" "$T/cli.err"
}
start timeout 60 gnutls-serv --echo --port "$port" --x509certfile "$T/srv-ed25519.pem" \
	--x509keyfile "$T/srv-ed25519.key" --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' \
	--recordsize=1000
check "tlsctl->gnutls-serv record_size_limit both ways (512 / 1000)" \
	bash -c "$(declare -f rsl_connect); T=$T TLSCTL=$TLSCTL port=$port long_line=$long_line; rsl_connect 1001 --record-size-limit 512 && grep -qx 'max tx payload: 1000' $T/cli.err"
stop
s_server ec
check "tlsctl->openssl s_server record_size_limit ignored" \
	bash -c "$(declare -f rsl_connect); T=$T TLSCTL=$TLSCTL port=$port long_line=$long_line; rsl_connect none --record-size-limit 512 && grep -qx 'max tx payload: 16384' $T/cli.err"
stop

# gnutls-cli's simple client mode prints one record per wake-up and sends
# one record per read of stdin (the rest of a longer read is lost), so the
# long data comes from serve --http (it closes when done): the 6000-byte
# body must cross GnuTLS's limit of 700; the request stays under our 600.
# (GnuTLS as a client refuses a server limit under 512: illegal_parameter.)
gnutls_cli_rsl() {
	local out
	out=$( (printf 'GET /rsl HTTP/1.1\r\nHost: localhost\r\nX-Pad: %s\r\n\r\n' \
		"${long_line:0:500}"; sleep 2) | timeout 20 gnutls-cli \
		--x509cafile "$T/ca.pem" --port "$port" localhost \
		--priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' --recordsize=700 2>"$T/cli.err")
	cat "$T/cli.err"
	echo "got ${#out} bytes"
	sleep 0.2
	cat "$T/srv.log"
	grep -qF "$long_line" <<<"$out" &&
		grep -qx "peer record_size_limit: 701" "$T/srv.log" &&
		grep -qx "max tx payload: 700" "$T/srv.log" &&
		grep -q "http: answered GET /rsl HTTP/1.1 with 6000 bytes" "$T/srv.log"
}
printf '%s' "$long_line" >"$T/long"
start "$TLSCTL" serve --port "$port" --cert "$T/srv-ec.pem" --key "$T/srv-ec.key" \
	--record-size-limit 600 --http "$T/long"
check "gnutls-cli->tlsctl serve record_size_limit both ways (700 / 600)" gnutls_cli_rsl
stop

# RSASSA-PSS keys (RFC 8446 §4.2.3 rsa_pss_pss_*), and the scheme our key
# signs with chosen by the peer's preference.
for a in rsa_pss_pss_sha256 rsa_pss_pss_sha384 rsa_pss_pss_sha512; do
	s_server pss -sigalgs "$a"
	check "tlsctl->openssl s_server RSA-PSS key, $a" sigalg_rev "$a"
	stop
done
s_server pss384
check "tlsctl->openssl s_server RSA-PSS key limited to SHA-384: rsa_pss_pss_sha384" \
	sigalg_rev rsa_pss_pss_sha384
stop
s_server pss -Verify 1 -verify_return_error -CAfile "$T/ca.pem" \
	-client_sigalgs rsa_pss_pss_sha512
check "tlsctl->openssl s_server mTLS with an RSA-PSS client key (rsa_pss_pss_sha512)" \
	connect_rev --cert "$T/cli-pss.pem" --key "$T/cli-pss.key"
stop
for a in rsa_pss_pss_sha256 rsa_pss_pss_sha384 rsa_pss_pss_sha512; do
	start "$TLSCTL" serve --port "$port" --cert "$T/srv-pss.pem" --key "$T/srv-pss.key"
	check "openssl s_client -sigalgs $a->tlsctl serve (RSA-PSS key)" \
		s_client_echo -sigalgs "$a"
	stop
done
start "$TLSCTL" serve --port "$port" --cert "$T/srv-pss384.pem" --key "$T/srv-pss384.key"
check "openssl s_client -sigalgs rsa_pss_pss_sha384->tlsctl serve (key limited to SHA-384)" \
	s_client_echo -sigalgs rsa_pss_pss_sha384
stop
pss_refused() {	# pss_refused SIGALGS: s_client fails, our server says why
	! s_client_echo -sigalgs "$1" || return 1
	sleep 0.2
	cat "$T/srv.log"
	grep -q "alert sent: handshake_failure (client does not accept our signature scheme)" "$T/srv.log"
}
start "$TLSCTL" serve --port "$port" --cert "$T/srv-pss384.pem" --key "$T/srv-pss384.key"
check "openssl s_client -sigalgs rsa_pss_pss_sha256->tlsctl serve (key limited to SHA-384): handshake_failure" \
	pss_refused rsa_pss_pss_sha256
stop
start "$TLSCTL" serve --port "$port" --cert "$T/srv-pss.pem" --key "$T/srv-pss.key"
check "openssl s_client -sigalgs rsa_pss_rsae_sha256->tlsctl serve (RSA-PSS key): handshake_failure" \
	pss_refused rsa_pss_rsae_sha256
stop
start "$TLSCTL" serve --port "$port" --cert "$T/srv-rsa.pem" --key "$T/srv-rsa.key"
check "openssl s_client -sigalgs rsa_pss_rsae_sha512->tlsctl serve (RSA key)" \
	s_client_echo -sigalgs rsa_pss_rsae_sha512
stop
start "$TLSCTL" serve --port "$port" --cert "$T/srv-rsa.pem" --key "$T/srv-rsa.key"
check "openssl s_client -sigalgs rsa_pss_rsae_sha384->tlsctl serve (RSA key)" \
	s_client_echo -sigalgs rsa_pss_rsae_sha384
stop
start "$TLSCTL" serve --port "$port" --cert "$T/srv-rsa.pem" --key "$T/srv-rsa.key"
check "openssl s_client -sigalgs rsa_pss_pss_sha256->tlsctl serve (RSA key): handshake_failure" \
	pss_refused rsa_pss_pss_sha256
stop
start "$TLSCTL" serve --port "$port" --cert "$T/srv-pss.pem" --key "$T/srv-pss.key" \
	--ca "$T/ca.pem" --require-client-cert
pss_client_cert() {	# our CertificateRequest prefers rsa_pss_pss_sha256
	s_client_echo -cert "$T/cli-pss.pem" -key "$T/cli-pss.key" || return 1
	sleep 0.2
	cat "$T/srv.log"
	grep -q "^peer signature: rsa_pss_pss_sha256$" "$T/srv.log"
}
check "openssl s_client mTLS with an RSA-PSS client key->tlsctl serve" \
	pss_client_cert
stop
check "tlsctl serve refuses an RSA-PSS key with MGF1 SHA-1" \
	bash -c "timeout 5 $TLSCTL serve --port $port --cert $T/srv-pssmgf1.pem \
		--key $T/srv-pssmgf1.key 2>&1 | grep 'srv-pssmgf1.key: unusable private key'"
gnutls_cli_prio() {	# gnutls_cli_prio PRIORITY
	local out
	out=$( (echo "gnutls ping"; sleep 1) | timeout 20 gnutls-cli --x509cafile "$T/ca.pem" \
		--port "$port" localhost --priority "$1" 2>"$T/cli.err")
	echo "got: $out"
	grep -qx "gnutls ping" <<<"$out"
}
for h in SHA256 SHA384 SHA512; do
	start "$TLSCTL" serve --port "$port" --cert "$T/srv-pss.pem" --key "$T/srv-pss.key"
	check "gnutls-cli +SIGN-RSA-PSS-$h->tlsctl serve (RSA-PSS key)" \
		gnutls_cli_prio "NORMAL:-VERS-ALL:+VERS-TLS1.3:-SIGN-ALL:+SIGN-RSA-PSS-$h"
	stop
done
start "$TLSCTL" serve --port "$port" --cert "$T/srv-rsa.pem" --key "$T/srv-rsa.key"
check "gnutls-cli +SIGN-RSA-PSS-RSAE-SHA512->tlsctl serve (RSA key)" \
	gnutls_cli_prio "NORMAL:-VERS-ALL:+VERS-TLS1.3:-SIGN-ALL:+SIGN-RSA-PSS-RSAE-SHA512"
stop
start timeout 60 gnutls-serv --echo --port "$port" --x509certfile "$T/srv-pss.pem" \
	--x509keyfile "$T/srv-pss.key" \
	--priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-SIGN-ALL:+SIGN-RSA-PSS-SHA384'
check "tlsctl->gnutls-serv --echo (RSA-PSS key, rsa_pss_pss_sha384)" \
	bash -c "$(declare -f gnutls_serv_echo); T=$T TLSCTL=$TLSCTL port=$port; gnutls_serv_echo &&
		grep -q '^peer signature: rsa_pss_pss_sha384$' $T/cli.err"
stop

echo "1..$n"
[ "$failed" -eq 0 ]
