#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# selftests/unit/verify_pki_test.sh: the certificate verifier
# (agent/x509/x509_path.c through `tlsctl verify`) against a PKI generated
# here with the openssl CLI, one passing and one failing case per rule,
# each with the verdict we expect. Every case is also run through
# `openssl verify` with matching flags (-purpose, -auth_level 2 for the
# SHA-1 / RSA-1024 rules, -verify_hostname / -verify_ip, -crl_check_all);
# where OpenSSL decides otherwise the case says why (DIFF=...). Then
# `tlsctl verify --json`, parsed by perl's JSON::PP, against the text.
set -uo pipefail
cd "$(dirname "$0")/../.."
. selftests/lib/tap.sh

TLSCTL=$PWD/build/bin/tlsctl
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"

q() { "$@" >/dev/null 2>&1; }
printf '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n' >req.cnf
export OPENSSL_CONF=$T/req.cnf

key()
{
	case ${2:-ec} in
	ec) q openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" ;;
	p384) q openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$1.key" ;;
	rsa) q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" ;;
	rsa1024) q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$1.key" ;;
	ed) q openssl genpkey -algorithm ED25519 -out "$1.key" ;;
	# RSASSA-PSS keys (id-RSASSA-PSS SPKI): without parameters, limited to
	# SHA-256 with salt >= 32, limited to SHA-1, 1024 bits
	pss) q openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out "$1.key" ;;
	pss256) q openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 \
		-pkeyopt rsa_pss_keygen_md:sha256 -pkeyopt rsa_pss_keygen_mgf1_md:sha256 \
		-pkeyopt rsa_pss_keygen_saltlen:32 -out "$1.key" ;;
	pss1) q openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 \
		-pkeyopt rsa_pss_keygen_md:sha1 -pkeyopt rsa_pss_keygen_mgf1_md:sha1 -out "$1.key" ;;
	pss1024) q openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:1024 -out "$1.key" ;;
	esac
}

CA_EXT=$'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid'
leaf_ext() # SAN [EKU]
{
	printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\nsubjectAltName=%s\nauthorityKeyIdentifier=keyid\n' \
		"${2:-serverAuth,clientAuth}" "$1"
}

# root NAME KEYTYPE SUBJECT: a self-signed CA
root()
{
	key "$1" "$2"
	q openssl req -x509 -new -key "$1.key" -subj "$3" -days 60 \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" -out "$1.pem"
}

# issue NAME KEYTYPE CA SERIAL SUBJECT EXTENSIONS [openssl x509 options]
issue()
{
	local name=$1 kt=$2 ca=$3 serial=$4 subj=$5 ext=$6
	shift 6
	[ -f "$name.key" ] || key "$name" "$kt"
	q openssl req -new -key "$name.key" -subj "$subj" -out "$name.csr"
	printf '[e]\n%s\n' "$ext" >"$name.ext"
	openssl x509 -req -in "$name.csr" -CA "$ca.pem" -CAkey "$ca.key" \
		-set_serial "$serial" -extfile "$name.ext" -extensions e \
		"$@" -out "$name.pem" 2>/dev/null || echo "# cannot issue $name"
}
# chain OUT CERT...: a PEM chain file
chain() { local o=$1; shift; cat "${@/%/.pem}" >"$o.chain"; }

# --- the PKI ---
root root rsa "/O=ktlsd test/CN=Root R1"
root rootb p384 "/O=ktlsd test/CN=Root R2"
root other ec "/O=ktlsd test/CN=Other Root"
root edroot ed "/O=ktlsd test/CN=Ed25519 Root"
issue inter ec root 2 "/O=ktlsd test/CN=Inter" "$CA_EXT" -days 30 -sha256
issue leaf ec inter 0x1001 "/CN=www.example.com" \
	"$(leaf_ext 'DNS:www.example.com,DNS:Mixed.Example.NET,IP:192.0.2.10,IP:2001:db8::10')" -days 30 -sha256
chain leaf leaf inter
# cross-signed root: R2's key under R1's name as issuer
cp rootb.key rootb_x.key
issue rootb_x p384 root 3 "/O=ktlsd test/CN=Root R2" "$CA_EXT" -days 30 -sha256
issue interb ec rootb 4 "/O=ktlsd test/CN=Inter B" "$CA_EXT" -days 30 -sha384
issue leafb ec interb 0x2001 "/CN=b.example.com" "$(leaf_ext DNS:b.example.com)" -days 30 -sha256
chain leafb leafb rootb_x interb
# two levels, peer order scrambled, an unrelated extra certificate
issue ia ec root 5 "/O=ktlsd test/CN=IA" "$(printf 'basicConstraints=critical,CA:TRUE,pathlen:1\nkeyUsage=critical,keyCertSign,cRLSign')" -days 30 -sha256
issue ib ec ia 6 "/O=ktlsd test/CN=IB" "$CA_EXT" -days 30 -sha256
issue leaf2 ec ib 0x3001 "/CN=two.example.com" "$(leaf_ext DNS:two.example.com)" -days 30 -sha256
chain leaf2 leaf2 ia other ib
chain leaf2_noib leaf2 ia
# pathLen 0 violated
issue ia0 ec root 7 "/O=ktlsd test/CN=IA0" "$(printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign')" -days 30 -sha256
issue ib0 ec ia0 8 "/O=ktlsd test/CN=IB0" "$CA_EXT" -days 30 -sha256
issue leaf3 ec ib0 0x3002 "/CN=three.example.com" "$(leaf_ext DNS:three.example.com)" -days 30 -sha256
chain leaf3 leaf3 ib0 ia0
# depth: root > c1 > ... > c7 > deep (9 certificates); mid under c3 (5)
prev=root
for i in 1 2 3 4 5 6 7; do
	issue c$i ec $prev 1$i "/O=ktlsd test/CN=C$i" "$CA_EXT" -days 30 -sha256
	prev=c$i
done
issue deep ec c7 0x4001 "/CN=deep.example.com" "$(leaf_ext DNS:deep.example.com)" -days 30 -sha256
issue mid ec c3 0x4002 "/CN=mid.example.com" "$(leaf_ext DNS:mid.example.com)" -days 30 -sha256
chain deep deep c7 c6 c5 c4 c3 c2 c1
chain mid mid c3 c2 c1
# signature algorithms: RSA PKCS#1 (root), RSA-PSS, ECDSA P-384 (rootb), Ed25519
issue pss ec root 9 "/O=ktlsd test/CN=PSS Inter" "$CA_EXT" -days 30 -sha256 \
	-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest
issue leafpss ec pss 0x5001 "/CN=pss.example.com" "$(leaf_ext DNS:pss.example.com)" -days 30 -sha256
chain leafpss leafpss pss
issue pss20 ec root 10 "/O=ktlsd test/CN=PSS20 Inter" "$CA_EXT" -days 30 -sha256 \
	-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:20
issue leafpss20 ec pss20 0x5002 "/CN=pss20.example.com" "$(leaf_ext DNS:pss20.example.com)" -days 30 -sha256
chain leafpss20 leafpss20 pss20
issue leafed ed edroot 0x5003 "/CN=ed.example.com" "$(leaf_ext DNS:ed.example.com)" -days 30
chain leafed leafed
# RSASSA-PSS keys: intermediates with id-RSASSA-PSS keys (their
# signatures are PSS, with the key's parameters), a leaf with one
pssn=0
for k in pss pss256 pss1 pss1024; do
	issue ik$k $k root 2$((++pssn)) "/O=ktlsd test/CN=PSS key $k" "$CA_EXT" -days 30 -sha256
	issue leafk$k ec ik$k 0x50$((pssn + 10)) "/CN=$k.example.com" "$(leaf_ext DNS:$k.example.com)" -days 30
	chain leafk$k leafk$k ik$k
done
issue leafpsskey pss inter 0x5020 "/CN=psskey.example.com" "$(leaf_ext DNS:psskey.example.com)" -days 30 -sha256
chain leafpsskey leafpsskey inter
openssl x509 -in leafkpss.pem -outform DER -out leafkpss.der
perl -0777 -pe 'substr($_, -5, 1) ^= "\x01"' leafkpss.der >badpssk.der
openssl x509 -inform DER -in badpssk.der -out badpssk.pem 2>/dev/null
chain badpssk badpssk ikpss
# a bad signature: one bit of the leaf's signature flipped
openssl x509 -in leaf.pem -outform DER -out leaf.der
perl -0777 -pe 'substr($_, -5, 1) ^= "\x01"' leaf.der >badsig.der
openssl x509 -inform DER -in badsig.der -out badsig.pem 2>/dev/null
chain badsig badsig inter
# SHA-1, RSA-1024
issue sha1 ec inter 0x5004 "/CN=sha1.example.com" "$(leaf_ext DNS:sha1.example.com)" -days 30 -sha1
chain sha1 sha1 inter
issue weak rsa1024 root 11 "/O=ktlsd test/CN=Weak Inter" "$CA_EXT" -days 30 -sha256
issue leafweak ec weak 0x5005 "/CN=weak.example.com" "$(leaf_ext DNS:weak.example.com)" -days 30 -sha256
chain leafweak leafweak weak
# validity
issue expired ec inter 0x6001 "/CN=expired.example.com" "$(leaf_ext DNS:expired.example.com)" \
	-not_before 20200101000000Z -not_after 20210101000000Z -sha256
chain expired expired inter
issue future ec inter 0x6002 "/CN=future.example.com" "$(leaf_ext DNS:future.example.com)" \
	-not_before 20400101000000Z -not_after 20410101000000Z -sha256
chain future future inter
# basicConstraints: CA:FALSE and absent on an intermediate
issue notca ec root 12 "/O=ktlsd test/CN=Not a CA" $'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyCertSign' -days 30 -sha256
issue leafnotca ec notca 0x6003 "/CN=nc.example.com" "$(leaf_ext DNS:nc.example.com)" -days 30 -sha256
chain leafnotca leafnotca notca
issue nobc ec root 13 "/O=ktlsd test/CN=No BC" 'keyUsage=critical,keyCertSign' -days 30 -sha256
issue leafnobc ec nobc 0x6004 "/CN=nobc.example.com" "$(leaf_ext DNS:nobc.example.com)" -days 30 -sha256
chain leafnobc leafnobc nobc
# keyUsage: a CA without keyCertSign; a leaf without digitalSignature
issue noksign ec root 14 "/O=ktlsd test/CN=No keyCertSign" $'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,cRLSign,digitalSignature' -days 30 -sha256
issue leafnoks ec noksign 0x6005 "/CN=noks.example.com" "$(leaf_ext DNS:noks.example.com)" -days 30 -sha256
chain leafnoks leafnoks noksign
issue kuenc ec inter 0x6006 "/CN=kuenc.example.com" \
	"$(leaf_ext DNS:kuenc.example.com | sed 's/digitalSignature/keyAgreement/')" -days 30 -sha256
chain kuenc kuenc inter
# extendedKeyUsage: a client-only leaf; an intermediate limited to clientAuth
issue cli ec inter 0x7001 "/CN=client" "$(leaf_ext DNS:client.example.com clientAuth)" -days 30 -sha256
chain cli cli inter
issue icli ec root 15 "/O=ktlsd test/CN=Client CA" "$CA_EXT"$'\nextendedKeyUsage=clientAuth' -days 30 -sha256
issue leaficli ec icli 0x7002 "/CN=icli.example.com" "$(leaf_ext DNS:icli.example.com)" -days 30 -sha256
chain leaficli leaficli icli
# name constraints on ncA, enforced through ncB (unconstrained) below it
ncn=0
issue nca ec root 16 "/O=ktlsd test/CN=NC A" "$CA_EXT"$'\nnameConstraints=critical,permitted;DNS:example.com,permitted;IP:192.0.2.0/255.255.255.0,permitted;IP:2001:db8::/ffff:ffff::,excluded;DNS:secret.example.com' -days 30 -sha256
issue ncb ec nca 17 "/O=ktlsd test/CN=NC B" "$CA_EXT" -days 30 -sha256
for c in "ncok DNS:ok.example.com,IP:192.0.2.7,IP:2001:db8::7" "ncdns DNS:www.evil.com" \
	 "ncip IP:198.51.100.1" "ncip6 IP:2001:db9::1" "ncexcl DNS:a.secret.example.com"; do
	set -- $c
	issue $1 ec ncb 0x80$((++ncn)) "/CN=$1" "$(leaf_ext "$2")" -days 30 -sha256
	chain $1 $1 ncb nca
done
# an unknown critical extension, and the same not critical
issue crit ec inter 0x9001 "/CN=crit" "$(leaf_ext DNS:crit.example.com)"$'\n1.3.6.1.4.1.55555.1=critical,DER:05:00' -days 30 -sha256
chain crit crit inter
issue noncrit ec inter 0x9002 "/CN=noncrit" "$(leaf_ext DNS:noncrit.example.com)"$'\n1.3.6.1.4.1.55555.1=DER:05:00' -days 30 -sha256
chain noncrit noncrit inter
# names: a wildcard, *.com, an IP written as a dNSName, CN only
issue wild ec inter 0xa001 "/CN=wild" "$(leaf_ext 'DNS:*.example.com')" -days 30 -sha256
chain wild wild inter
issue wildcom ec inter 0xa002 "/CN=wildcom" "$(leaf_ext 'DNS:*.com')" -days 30 -sha256
chain wildcom wildcom inter
issue iptext ec inter 0xa003 "/CN=iptext" "$(leaf_ext 'DNS:192.0.2.99')" -days 30 -sha256
chain iptext iptext inter
issue cnonly ec inter 0xa004 "/CN=cn.example.com" \
	$'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth' -days 30 -sha256
chain cnonly cnonly inter
# for --json's escaping: '"' and '\' in the subject and in a dNSName
# (x"y\z.example.com, written as DER: openssl's SAN syntax refuses it)
issue odd ec inter 0xa005 '/CN=q"uote\\back' \
	$'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n2.5.29.17=DER:30:13:82:11:78:22:79:5c:7a:2e:65:78:61:6d:70:6c:65:2e:63:6f:6d' -days 30 -sha256
chain odd odd inter
# revocation: CRLs by inter (revoking rev) and by root (empty), fresh and stale
issue rev ec inter 0xb001 "/CN=rev.example.com" "$(leaf_ext DNS:rev.example.com)" -days 30 -sha256
chain rev rev inter
crl() # NAME CA [lastupdate nextupdate] [REVOKED-CERT]
{
	local name=$1 ca=$2 last=$3 next=$4 revoke=${5:-}
	mkdir -p "db-$name"
	: >"db-$name/index.txt"
	echo 01 >"db-$name/crlnumber"
	cat >"db-$name/ca.cnf" <<EOF
[ca]
default_ca = c
[c]
database = $T/db-$name/index.txt
crlnumber = $T/db-$name/crlnumber
default_md = sha256
EOF
	[ -n "$revoke" ] && q openssl ca -config "db-$name/ca.cnf" \
		-cert "$ca.pem" -keyfile "$ca.key" -revoke "$revoke.pem" \
		-crl_reason keyCompromise
	openssl ca -config "db-$name/ca.cnf" -gencrl -cert "$ca.pem" \
		-keyfile "$ca.key" -crl_lastupdate "$last" -crl_nextupdate "$next" \
		-out "$name.crl" 2>/dev/null || echo "# cannot make $name.crl"
}
crl inter_crl inter 20250101000000Z 20990101000000Z rev
crl root_crl root 20250101000000Z 20990101000000Z
cat inter_crl.crl root_crl.crl >fresh.crl
crl inter_stale inter 20200101000000Z 20200201000000Z
cat inter_stale.crl root_crl.crl >stale.crl
# a CRL with inter's name signed by another key: must be ignored
key fake ec
q openssl req -x509 -new -key fake.key -subj "/O=ktlsd test/CN=Inter" -days 60 -out fake.pem
crl fake_crl fake 20250101000000Z 20990101000000Z
cat fake_crl.crl root_crl.crl >fakesig.crl
cat root.pem rootb.pem >roots.pem

# --- running one case ---
# case WHAT EXPECT CHAIN [tlsctl verify options] [-- openssl verify options]
# EXPECT is "ok" or the verdict name tlsctl prints after REFUSED.
# DIFF="why" before the call: openssl verify is expected to disagree.
DIFF=
case_()
{
	local what=$1 expect=$2 ch=$3 ours=() theirs=() got want_ossl ossl \
	      untrusted
	shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do ours+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	theirs=("$@")
	got=$("$TLSCTL" verify "$ch.chain" "${ours[@]}" 2>&1)
	case $got in
	verified:*) got=ok ;;
	REFUSED*) got=$(set -- $got; echo "$2") ;;
	esac
	n=$((n + 1))
	if [ "$got" = "$expect" ]; then
		echo "ok $n $what: $expect"
	else
		echo "not ok $n $what: expected $expect, got $got"
		"$TLSCTL" verify "$ch.chain" "${ours[@]}" | sed 's/^/# /'
		failed=1
	fi
	# the same chain through openssl verify: leaf, the rest untrusted
	untrusted=()
	awk -v f="$T/u.pem" -v l="$T/l.pem" '/BEGIN/{c++} {print > (c == 1 ? l : f)}' "$ch.chain"
	[ "$(grep -c BEGIN "$ch.chain")" -gt 1 ] && untrusted=(-untrusted u.pem)
	if openssl verify "${untrusted[@]}" "${theirs[@]}" l.pem >ossl.out 2>&1
	then ossl=ok; else ossl=refused; fi
	rm -f u.pem
	want_ossl=$([ "$expect" = ok ] && echo ok || echo refused)
	n=$((n + 1))
	if [ -n "$DIFF" ]; then
		if [ "$ossl" != "$want_ossl" ]; then
			echo "ok $n $what: openssl verify says $ossl (expected difference: $DIFF)"
		else
			echo "not ok $n $what: openssl verify agrees, but a difference was documented ($DIFF)"
			failed=1
		fi
	elif [ "$ossl" = "$want_ossl" ]; then
		echo "ok $n $what: openssl verify agrees ($ossl)"
	else
		echo "not ok $n $what: openssl verify says $ossl"
		sed 's/^/# /' ossl.out
		failed=1
	fi
	DIFF=
}

S=(--ca root.pem)
OS=(-CAfile root.pem -purpose sslserver -auth_level 2)

# chain building
case_ "basic chain" ok leaf "${S[@]}" --name www.example.com -- "${OS[@]}" -verify_hostname www.example.com
case_ "wrong root" unknown-issuer leaf --ca other.pem -- -CAfile other.pem
case_ "intermediates in any order, extra ignored" ok leaf2 "${S[@]}" -- "${OS[@]}"
case_ "missing intermediate" unknown-issuer leaf2_noib "${S[@]}" -- "${OS[@]}"
case_ "cross-signed: new root trusted" ok leafb --ca rootb.pem -- -CAfile rootb.pem -purpose sslserver
case_ "cross-signed: old root trusted, through the cross-sign" ok leafb "${S[@]}" -- "${OS[@]}"
case_ "cross-signed: neither root" unknown-issuer leafb --ca other.pem -- -CAfile other.pem
case_ "depth: 5 certificates" ok mid "${S[@]}" -- "${OS[@]}"
case_ "depth: 9 certificates exceed the limit of 8" path-too-long deep "${S[@]}" -- "${OS[@]}" -verify_depth 6
# signatures
case_ "RSA PKCS#1 v1.5 and ECDSA P-256" ok leaf "${S[@]}" -- "${OS[@]}"
case_ "RSA-PSS, salt = digest" ok leafpss "${S[@]}" -- "${OS[@]}"
case_ "RSA-PSS, salt 20" ok leafpss20 "${S[@]}" -- "${OS[@]}"
case_ "RSA-PSS key without parameters, as a CA" ok leafkpss "${S[@]}" -- "${OS[@]}"
case_ "RSA-PSS key limited to SHA-256, salt >= 32, as a CA" ok leafkpss256 "${S[@]}" -- "${OS[@]}"
case_ "RSA-PSS key, a signature bit flipped" bad-signature badpssk "${S[@]}" -- "${OS[@]}"
case_ "RSA-PSS key limited to SHA-1" weak-algorithm leafkpss1 "${S[@]}" -- "${OS[@]}"
case_ "RSA-PSS key of 1024 bits" weak-algorithm leafkpss1024 "${S[@]}" -- "${OS[@]}"
case_ "RSA-PSS key on the leaf" ok leafpsskey "${S[@]}" -- "${OS[@]}"
case_ "ECDSA P-384 with SHA-384" ok leafb --ca rootb.pem -- -CAfile rootb.pem -purpose sslserver
case_ "Ed25519" ok leafed --ca edroot.pem -- -CAfile edroot.pem -purpose sslserver
case_ "bad signature" bad-signature badsig "${S[@]}" -- "${OS[@]}"
case_ "SHA-1 signature refused" weak-algorithm sha1 "${S[@]}" -- "${OS[@]}"
case_ "RSA-1024 CA key refused" weak-algorithm leafweak "${S[@]}" -- "${OS[@]}"
# validity
case_ "expired" expired expired "${S[@]}" -- "${OS[@]}"
case_ "not yet valid" not-yet-valid future "${S[@]}" -- "${OS[@]}"
later=$(($(date +%s) + 40 * 86400))
case_ "expired at a later time (--at / -attime)" expired leaf "${S[@]}" --at $later -- "${OS[@]}" -attime $later
# basicConstraints, pathLen
case_ "CA:FALSE intermediate" not-a-ca leafnotca "${S[@]}" -- "${OS[@]}"
case_ "intermediate without basicConstraints" not-a-ca leafnobc "${S[@]}" -- "${OS[@]}"
case_ "pathlen:1 with one CA below" ok leaf2 "${S[@]}" -- "${OS[@]}"
case_ "pathlen:0 with one CA below" path-length leaf3 "${S[@]}" -- "${OS[@]}"
# keyUsage
case_ "CA keyUsage without keyCertSign" ca-key-usage leafnoks "${S[@]}" -- "${OS[@]}"
DIFF="OpenSSL's sslserver purpose accepts keyAgreement alone (TLS 1.2 static ECDH); TLS 1.3 signs, so we need digitalSignature"
case_ "leaf keyUsage without digitalSignature" key-usage kuenc "${S[@]}" -- "${OS[@]}"
# extendedKeyUsage
case_ "clientAuth-only leaf as a server" extended-key-usage cli "${S[@]}" -- "${OS[@]}"
case_ "clientAuth-only leaf as a client" ok cli "${S[@]}" --purpose client -- -CAfile root.pem -purpose sslclient -auth_level 2
case_ "serverAuth+clientAuth leaf as a client" ok leaf "${S[@]}" --purpose client -- -CAfile root.pem -purpose sslclient
case_ "intermediate EKU clientAuth only, server leaf" extended-key-usage leaficli "${S[@]}" -- "${OS[@]}"
# name constraints through an intermediate
case_ "name constraints: permitted DNS, IPv4, IPv6" ok ncok "${S[@]}" --name ok.example.com -- "${OS[@]}"
case_ "name constraints: DNS outside permitted" name-constraints ncdns "${S[@]}" -- "${OS[@]}"
case_ "name constraints: IPv4 outside permitted" name-constraints ncip "${S[@]}" -- "${OS[@]}"
case_ "name constraints: IPv6 outside permitted" name-constraints ncip6 "${S[@]}" -- "${OS[@]}"
case_ "name constraints: DNS in excluded subtree" name-constraints ncexcl "${S[@]}" -- "${OS[@]}"
# critical extensions
case_ "unknown non-critical extension" ok noncrit "${S[@]}" -- "${OS[@]}"
case_ "unknown critical extension" unknown-critical-extension crit "${S[@]}" -- "${OS[@]}"
# names (RFC 6125)
case_ "DNS name" ok leaf "${S[@]}" --name www.example.com -- "${OS[@]}" -verify_hostname www.example.com
case_ "DNS name, other case" ok leaf "${S[@]}" --name MIXED.example.net -- "${OS[@]}" -verify_hostname MIXED.example.net
case_ "DNS name not in the SANs" name-mismatch leaf "${S[@]}" --name other.example.com -- "${OS[@]}" -verify_hostname other.example.com
case_ "IPv4 SAN" ok leaf "${S[@]}" --name 192.0.2.10 -- "${OS[@]}" -verify_ip 192.0.2.10
case_ "IPv4 not in the SANs" name-mismatch leaf "${S[@]}" --name 192.0.2.11 -- "${OS[@]}" -verify_ip 192.0.2.11
case_ "IPv6 SAN compared as an address" ok leaf "${S[@]}" --name 2001:db8:0:0:0::10 -- "${OS[@]}" -verify_ip 2001:db8:0:0:0::10
case_ "IPv6 not in the SANs" name-mismatch leaf "${S[@]}" --name 2001:db8::11 -- "${OS[@]}" -verify_ip 2001:db8::11
case_ "IP literal never matches a dNSName" name-mismatch iptext "${S[@]}" --name 192.0.2.99 -- "${OS[@]}" -verify_ip 192.0.2.99
case_ "wildcard: one label" ok wild "${S[@]}" --name a.example.com -- "${OS[@]}" -verify_hostname a.example.com
case_ "wildcard: not two labels" name-mismatch wild "${S[@]}" --name a.b.example.com -- "${OS[@]}" -verify_hostname a.b.example.com
case_ "wildcard: not the bare domain" name-mismatch wild "${S[@]}" --name example.com -- "${OS[@]}" -verify_hostname example.com
case_ "wildcard *.com matches nothing" name-mismatch wildcom "${S[@]}" --name example.com -- "${OS[@]}" -verify_hostname example.com
DIFF="OpenSSL falls back to the subject CN when there is no DNS SAN; we never do (RFC 6125 §6.4.4 allows it, CA/B Forum requires SANs)"
case_ "no Common Name fallback" name-mismatch cnonly "${S[@]}" --name cn.example.com -- "${OS[@]}" -verify_hostname cn.example.com
# revocation. Hard-fail is compared with openssl's -crl_check_all (every
# certificate but the anchor needs a current CRL from its issuer: that is
# why root_crl is always there); openssl has no soft-fail mode, so soft-fail
# and "off" are compared with openssl not checking CRLs.
case_ "CRL: not revoked" ok leaf "${S[@]}" --crl fresh.crl -- "${OS[@]}" -crl_check_all -CRLfile fresh.crl
case_ "CRL: revoked" revoked rev "${S[@]}" --crl fresh.crl -- "${OS[@]}" -crl_check_all -CRLfile fresh.crl
case_ "CRL: soft-fail without a CRL for the issuer" ok leaf "${S[@]}" --crl root_crl.crl --revocation soft -- "${OS[@]}"
case_ "CRL: hard-fail without a CRL for the issuer" revocation-unknown leaf "${S[@]}" --crl root_crl.crl --revocation hard -- "${OS[@]}" -crl_check_all -CRLfile root_crl.crl
case_ "CRL: hard-fail with a stale CRL" revocation-unknown leaf "${S[@]}" --crl stale.crl -- "${OS[@]}" -crl_check_all -CRLfile stale.crl
case_ "CRL: soft-fail with a stale CRL" ok leaf "${S[@]}" --crl stale.crl --revocation soft -- "${OS[@]}"
case_ "CRL: a forged CRL (bad signature) is not used" revocation-unknown leaf "${S[@]}" --crl fakesig.crl -- "${OS[@]}" -crl_check_all -CRLfile fakesig.crl
case_ "CRL: revocation off ignores CRLs" ok rev "${S[@]}" --crl fresh.crl --revocation off -- "${OS[@]}"

check "cross-signed: the new root gives the short path (3)" bash -c "'$TLSCTL' verify leafb.chain --ca rootb.pem | grep -q '^verified: path of 3'"
check "cross-signed: the old root is reached through the cross-sign (4)" bash -c "'$TLSCTL' verify leafb.chain --ca root.pem | grep -q '^verified: path of 4'"
check "cross-signed: both trusted, the short path wins" bash -c "'$TLSCTL' verify leafb.chain --ca roots.pem | grep -q '^verified: path of 3'"

# trust store sources
mkdir -p hashed crldir
cp root.pem rootb.pem hashed/
q openssl rehash hashed
cp inter_crl.crl root_crl.crl crldir/
check "a CA directory (hashed)" bash -c "'$TLSCTL' verify leaf.chain --ca hashed | grep -q '^verified'"
check "a CRL directory" bash -c "'$TLSCTL' verify rev.chain --ca root.pem --crl crldir | grep -q '^REFUSED revoked'"
check "SSL_CERT_FILE" bash -c "SSL_CERT_FILE=roots.pem '$TLSCTL' verify leafb.chain | grep -q '^verified'"
check "SSL_CERT_DIR" bash -c "SSL_CERT_DIR=/nonexistent:hashed '$TLSCTL' verify leaf.chain | grep -q '^verified'"
check "SSL_CERT_FILE without our root" bash -c "SSL_CERT_FILE=other.pem '$TLSCTL' verify leaf.chain | grep -q '^REFUSED unknown-issuer (alert unknown_ca'"
check "an unreadable CA file is an error" bash -c "'$TLSCTL' verify leaf.chain --ca nonexistent.pem; [ \$? = 2 ]"

# identity and the alert each reason maps to
"$TLSCTL" verify leaf.chain --ca root.pem >id.out
pin=$(openssl x509 -in leaf.pem -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)
check "identity: subject, serial, SANs, SPKI SHA-256" bash -c "
	grep -qx 'subject: CN=www.example.com' id.out &&
	grep -qx 'issuer: O=ktlsd test, CN=Inter' id.out &&
	grep -qx 'serial: 10:01' id.out &&
	grep -qx 'san: DNS:www.example.com DNS:Mixed.Example.NET IP:192.0.2.10 IP:2001:db8::10' id.out &&
	grep -qx 'spki-sha256: $pin' id.out &&
	grep -q '^not-after: 20' id.out &&
	grep -q '^  2 O=ktlsd test, CN=Root R1 \[trust anchor\]' id.out"
check "alerts: expired is certificate_expired (45)" bash -c "'$TLSCTL' verify expired.chain --ca root.pem | grep -q '(alert certificate_expired, 45): certificate expired: certificate .CN=expired.example.com. expired on 2021-01-01'"
check "alerts: revoked is certificate_revoked (44)" bash -c "'$TLSCTL' verify rev.chain --ca root.pem --crl fresh.crl | grep -q '(alert certificate_revoked, 44)'"
check "crl: the revocation names its reason (keyCompromise)" bash -c "'$TLSCTL' verify rev.chain --ca root.pem --crl fresh.crl | grep -q 'was revoked on .*, reason keyCompromise$'"
check "alerts: unknown issuer is unknown_ca (48)" bash -c "'$TLSCTL' verify leaf.chain --ca other.pem | grep -q '(alert unknown_ca, 48)'"
check "alerts: wrong purpose is unsupported_certificate (43)" bash -c "'$TLSCTL' verify cli.chain --ca root.pem | grep -q '(alert unsupported_certificate, 43)'"
check "messages name the issuer that is not a CA" bash -c "'$TLSCTL' verify leafnotca.chain --ca root.pem | grep -q \"CA 'O=ktlsd test, CN=Not a CA' issued 'CN=nc.example.com' but is not a CA\""
check "messages name the constraint" bash -c "'$TLSCTL' verify ncdns.chain --ca root.pem | grep -q \"name constraints of CA 'O=ktlsd test, CN=NC A' refuse 'CN=ncdns'\""

# --json: one object on one line, parsed here by JSON::PP.
# jrun FILE ARGS...: tlsctl verify ARGS, stdout to FILE, exit status in $RC.
# jcheck WHAT FILE EXPR: FILE is a single line holding a JSON object, and the
# perl expression EXPR is true of it ($j; $ENV{RC} and the text's values).
jrun()
{
	local f=$1

	shift
	"$TLSCTL" verify "$@" >"$f" 2>/dev/null
	export RC=$?
}
jcheck()
{
	check "$1" perl -MJSON::PP -e '
		local $/;
		open(my $f, "<", $ARGV[0]) or exit 1;
		my $t = <$f>;
		exit 1 unless defined $t && $t =~ /\A[^\n]+\n\z/;
		my $j = eval { JSON::PP->new->decode($t) };
		exit 1 unless ref $j eq "HASH";
		exit(eval($ARGV[1]) ? 0 : 1);' "$2" "$3"
}
field() { sed -n "s/^$1: //p" id.out; }
export SUBJ=$(field subject) ISS=$(field issuer) SER=$(field serial) \
	NA=$(field not-after) SAN=$(field san) PIN=$pin
jrun ok.json leaf.chain --ca root.pem --name www.example.com --json
jcheck "--json: a verified chain is one line, result ok, exit 0" ok.json '
	$ENV{RC} == 0 && $j->{result} eq "ok" && !defined $j->{reason} &&
	!defined $j->{alert} && $j->{purpose} eq "server" &&
	$j->{name} eq "www.example.com"'
jcheck "--json: the path, leaf first, the anchor last" ok.json '
	my @p = @{$j->{path}};
	@p == 3 && $p[0]{subject} eq "CN=www.example.com" &&
	$p[1]{subject} eq "O=ktlsd test, CN=Inter" &&
	$p[2]{subject} eq "O=ktlsd test, CN=Root R1" &&
	$p[0]{issuer} eq $p[1]{subject} && $p[0]{serial} eq "10:01" &&
	$p[2]{trust_anchor} && !$p[0]{trust_anchor} &&
	!$p[1]{trust_anchor} && $p[1]{not_after} =~ /^20\d\d-/'
jcheck "--json: the peer identity is the text's" ok.json '
	my $i = $j->{peer};
	$i->{subject} eq $ENV{SUBJ} && $i->{issuer} eq $ENV{ISS} &&
	$i->{serial} eq $ENV{SER} && $i->{not_after} eq $ENV{NA} &&
	join(" ", @{$i->{san}}) eq $ENV{SAN} &&
	$i->{spki_sha256} eq $ENV{PIN}'
export MSG=$("$TLSCTL" verify expired.chain --ca root.pem |
	     sed 's/^REFUSED [^)]*): //')
jrun expired.json --json expired.chain --ca root.pem
jcheck "--json before the chain: expired is failed, certificate_expired (45), exit 1" expired.json '
	$ENV{RC} == 1 && $j->{result} eq "failed" &&
	$j->{reason} eq "expired" && $j->{alert} eq "certificate_expired" &&
	$j->{alert_code} == 45 && $j->{message} eq $ENV{MSG} &&
	$j->{message} =~ /expired on 2021-01-01/ &&
	!@{$j->{path}} && !defined $j->{peer} && !defined $j->{name}'
jrun name.json leaf.chain --ca root.pem --json --name other.example.com
jcheck "--json: a wrong name is name-mismatch, bad_certificate (42), exit 1" name.json '
	$ENV{RC} == 1 && $j->{result} eq "failed" &&
	$j->{reason} eq "name-mismatch" && $j->{alert} eq "bad_certificate" &&
	$j->{alert_code} == 42 && $j->{name} eq "other.example.com" &&
	$j->{message} =~ /other\.example\.com/'
jrun cli.json cli.chain --ca root.pem --purpose client --json
jcheck "--json: --purpose client" cli.json '
	$ENV{RC} == 0 && $j->{result} eq "ok" && $j->{purpose} eq "client"'
jrun odd.json odd.chain --ca root.pem --json
check "--json: quotes and backslashes from the certificate are escaped" \
	bash -c '! LC_ALL=C grep -q "[^ -~]" odd.json &&
		grep -qF "\"CN=q\\\"uote\\\\5cback\"" odd.json &&
		grep -qF "\"DNS:x\\\"y\\\\z.example.com\"" odd.json'
jcheck "--json: the escaped subject and dNSName decode to the text's" odd.json '
	$ENV{RC} == 0 && $j->{peer}{subject} eq q{CN=q"uote\5cback} &&
	$j->{peer}{san}[0] eq q{DNS:x"y\z.example.com}'
jrun err.json leaf.chain --ca nonexistent.pem --json
jcheck "--json: an unreadable CA file is {\"error\"}, exit 2" err.json '
	$ENV{RC} == 2 && keys(%$j) == 1 && $j->{error} =~ /nonexistent\.pem/'
jrun err.json leaf.chain --bogus x --json
jcheck "--json: a usage error is {\"error\"}, exit 2" err.json '
	$ENV{RC} == 2 && $j->{error} =~ /unknown option/'

# --- stapled OCSP responses (tlsctl verify --ocsp), RFC 6960 ---
# Responses by `openssl ocsp` as a responder (offline, from an index file)
# for certificates issued by inter: signed by inter itself, by delegated
# responders with and without id-kp-OCSPSigning, by responders of other
# CAs. Each case runs through tlsctl verify --ocsp and, as a differential,
# through `openssl ocsp -respin` with the same issuer, certificate and
# trust (ocsp_case below); where the two cannot be compared the case says
# why (ODIFF=...), and where they disagree a comment says why.
mkdir -p ocsp
printf 'V\t301231000000Z\t\t1001\tunknown\t/CN=www.example.com\n' >ocsp/index.txt
printf 'R\t301231000000Z\t250102030405Z,keyCompromise\tB001\tunknown\t/CN=rev.example.com\n' >>ocsp/index.txt
printf 'V\t301231000000Z\t\tA001\tunknown\t/CN=wild\n' >>ocsp/index.txt
OCSP_EXT=$'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=OCSPSigning\nauthorityKeyIdentifier=keyid'
# a delegated responder with OCSPSigning, one without, one under another
# CA, one naming inter as its issuer but signed by another key (fake)
issue ocspd ec inter 0xc001 "/O=ktlsd test/CN=OCSP Responder" "$OCSP_EXT" -days 30 -sha256
issue ocspnoeku ec inter 0xc002 "/O=ktlsd test/CN=OCSP No EKU" \
	$'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature' -days 30 -sha256
issue ocspother ec other 0xc003 "/O=ktlsd test/CN=OCSP Other" "$OCSP_EXT" -days 30 -sha256
issue ocspfake ec fake 0xc004 "/O=ktlsd test/CN=OCSP Fake" \
	$'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=OCSPSigning' -days 30 -sha256
# resp OUT SIGNER CERT [openssl ocsp options]: a response for CERT (issued
# by inter), signed by SIGNER
resp()
{
	local out=$1 signer=$2 cert=$3
	shift 3
	openssl ocsp -index ocsp/index.txt -CA inter.pem -rsigner "$signer.pem" \
		-rkey "$signer.key" -issuer inter.pem "$@" -cert "$cert.pem" \
		-respout "ocsp/$out.der" >/dev/null 2>&1 ||
		echo "# cannot make ocsp/$out.der"
}
resp good inter leaf -ndays 1
resp good_nocerts inter leaf -ndays 1 -resp_no_certs
resp good_keyid inter leaf -ndays 1 -resp_key_id
resp good_sha256 inter leaf -ndays 1 -sha256
resp good_nonext inter leaf
resp deleg ocspd leaf -ndays 1
resp deleg_keyid ocspd leaf -ndays 1 -resp_key_id
resp deleg_nocerts ocspd leaf -ndays 1 -resp_no_certs
resp noeku ocspnoeku leaf -ndays 1
resp otherca ocspother leaf -ndays 1
resp fakeca ocspfake leaf -ndays 1
resp revoked inter rev -ndays 1
resp wild inter wild -ndays 1
resp sha1 inter leaf -ndays 1 -rmd sha1
# the unknown status: an index that does not list the leaf
printf 'V\t301231000000Z\t\tA001\tunknown\t/CN=wild\n' >ocsp/index2.txt
openssl ocsp -index ocsp/index2.txt -CA inter.pem -rsigner inter.pem \
	-rkey inter.key -issuer inter.pem -cert leaf.pem -ndays 1 \
	-respout ocsp/unknown.der >/dev/null 2>&1
# rev as good, for a CRL that says otherwise
printf 'V\t301231000000Z\t\tB001\tunknown\t/CN=rev.example.com\n' >ocsp/index3.txt
openssl ocsp -index ocsp/index3.txt -CA inter.pem -rsigner inter.pem \
	-rkey inter.key -issuer inter.pem -cert rev.pem -ndays 1 \
	-respout ocsp/revgood.der >/dev/null 2>&1
# a byte of the signature flipped (the signature BIT STRING ends the
# BasicOCSPResponse when certs is absent)
perl -0777 -pe 'substr($_, -3, 1) ^= "\x01"' ocsp/good_nocerts.der >ocsp/badsig.der
# tryLater (3): no responseBytes, no information
printf '\x30\x03\x0a\x01\x03' >ocsp/trylater.der
# truncated
head -c 100 ocsp/good.der >ocsp/truncated.der
now=$(date +%s)

# ocsp_case WHAT EXPECT CHAIN RESPONSE OSSL [tlsctl verify options]
#	[-- openssl ocsp options]
# EXPECT: ok or a verdict, as in case_. OSSL: what `openssl ocsp -respin
# RESPONSE -no_nonce -CAfile root.pem -verify_other inter.pem -issuer
# inter.pem [openssl ocsp options] -cert LEAF.pem` must say: good, revoked, unknown, or refused (a verification
# failure, no status for the certificate, or invalid status times).
# ODIFF="why" before the call: the openssl side is not compared, for the
# reason given.
ODIFF=
ocsp_case()
{
	local what=$1 expect=$2 ch=$3 r=$4 want_ossl=$5 ours=() theirs=() \
	      got out leaf
	shift 5
	while [ $# -gt 0 ] && [ "$1" != -- ]; do ours+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	theirs=("$@")
	got=$("$TLSCTL" verify "$ch.chain" --ca root.pem --ocsp "ocsp/$r.der" \
		"${ours[@]}" 2>&1)
	case $got in
	verified:*) got=ok ;;
	REFUSED*) got=$(set -- $got; echo "$2") ;;
	esac
	n=$((n + 1))
	if [ "$got" = "$expect" ]; then
		echo "ok $n ocsp: $what: $expect"
	else
		echo "not ok $n ocsp: $what: expected $expect, got $got"
		"$TLSCTL" verify "$ch.chain" --ca root.pem --ocsp "ocsp/$r.der" \
			"${ours[@]}" 2>&1 | sed 's/^/# /'
		failed=1
	fi
	n=$((n + 1))
	if [ -n "$ODIFF" ]; then
		echo "ok $n ocsp: $what: openssl ocsp not compared ($ODIFF)"
		ODIFF=
		return
	fi
	leaf=$(awk '/BEGIN/{c++} c == 1' "$ch.chain" >ossl_leaf.pem; echo ossl_leaf.pem)
	out=$(openssl ocsp -respin "ocsp/$r.der" -no_nonce -CAfile root.pem \
		-verify_other inter.pem -issuer inter.pem "${theirs[@]}" \
		-cert "$leaf" 2>&1)
	case $out in
	*"Response Verify Failure"* | *"No Status found"* | \
	*"Status times invalid"* | *"Error parsing"* | \
	*"Responder Error"* | *"Error reading OCSP"*) got=refused ;;
	*"$leaf: good"*) got=good ;;
	*"$leaf: revoked"*) got=revoked ;;
	*"$leaf: unknown"*) got=unknown ;;
	*) got="no status" ;;
	esac
	if [ "$got" = "$want_ossl" ]; then
		echo "ok $n ocsp: $what: openssl ocsp says $got, as expected"
	else
		echo "not ok $n ocsp: $what: openssl ocsp says $got, expected $want_ossl"
		echo "$out" | sed 's/^/# /'
		failed=1
	fi
}

SOFT=(--revocation soft)
# who signed it
ocsp_case "good, signed by the issuer (byName, certs carried)" ok leaf good good "${SOFT[@]}"
ocsp_case "good, signed by the issuer, no certs" ok leaf good_nocerts good "${SOFT[@]}"
ocsp_case "good, signed by the issuer, responderID byKey" ok leaf good_keyid good "${SOFT[@]}"
ocsp_case "good, CertID with SHA-256" ok leaf good_sha256 good "${SOFT[@]}" -- -sha256
ocsp_case "good, delegated responder with OCSPSigning" ok leaf deleg good "${SOFT[@]}"
ocsp_case "good, delegated responder, byKey" ok leaf deleg_keyid good "${SOFT[@]}"
ocsp_case "delegated responder not carried in certs" bad-ocsp-response leaf deleg_nocerts refused "${SOFT[@]}"
ocsp_case "delegated responder without OCSPSigning" bad-ocsp-response leaf noeku refused "${SOFT[@]}"
# openssl is given Other Root as a trust anchor too, so that its refusal is
# about the responder's authority, not an untrusted chain
cat root.pem other.pem >root_other.pem
ocsp_case "responder certified by another CA" bad-ocsp-response leaf otherca refused "${SOFT[@]}" -- -CAfile root_other.pem
ocsp_case "responder naming inter as issuer, signed by another key" bad-ocsp-response leaf fakeca refused "${SOFT[@]}"
ocsp_case "a byte of the signature flipped" bad-ocsp-response leaf badsig refused "${SOFT[@]}"
# Disagreement: OpenSSL 3.5 verifies an ecdsa-with-SHA1 response at its
# default security level ("good"); we apply the signature policy of
# certificates (x509_sig_request: no SHA-1), so the staple is unusable.
ocsp_case "signed with SHA-1 (openssl accepts it)" bad-ocsp-response leaf sha1 good "${SOFT[@]}"
# what it says
ocsp_case "revoked" revoked rev revoked revoked "${SOFT[@]}"
ocsp_case "for another certificate" bad-ocsp-response leaf wild refused "${SOFT[@]}"
ocsp_case "unknown status: no information, soft-fail passes" ok leaf unknown unknown "${SOFT[@]}"
ocsp_case "unknown status under hard-fail without a CRL" revocation-unknown leaf unknown unknown --crl root_crl.crl --revocation hard
ocsp_case "tryLater: no information" ok leaf trylater refused "${SOFT[@]}"
ocsp_case "truncated" bad-ocsp-response leaf truncated refused "${SOFT[@]}"
ocsp_case "malformed, but revocation off ignores it" ok leaf truncated refused --revocation off
ocsp_case "revoked, but revocation off ignores it" ok rev revoked revoked --revocation off
ocsp_case "--ocsp without --revocation or --crl: soft-fail" revoked rev revoked revoked
# policy: a good staple stands for the leaf's CRL under hard-fail
ocsp_case "hard-fail: good staple, CRL only for inter" ok leaf good good --crl root_crl.crl --revocation hard
ocsp_case "hard-fail: bad staple, CRL only for inter" bad-ocsp-response leaf badsig refused --crl root_crl.crl --revocation hard
ocsp_case "hard-fail: good staple, but the CRL revokes" revoked rev revgood good --crl fresh.crl --revocation hard
# times: thisUpdate is now, nextUpdate now + 1 day; openssl ocsp checks
# the response's times against the real clock only (-attime is for the
# certificate chain), so these use ODIFF
ODIFF="openssl ocsp has no clock override for thisUpdate/nextUpdate"
ocsp_case "12 hours later: still current" ok leaf good good "${SOFT[@]}" --at $((now + 12 * 3600))
ODIFF="openssl ocsp has no clock override for thisUpdate/nextUpdate"
ocsp_case "2 days later: nextUpdate has passed" bad-ocsp-response leaf good refused "${SOFT[@]}" --at $((now + 2 * 86400))
ODIFF="openssl ocsp has no clock override for thisUpdate/nextUpdate"
ocsp_case "no nextUpdate, 3 days later: within the 4-day maximum age" ok leaf good_nonext good "${SOFT[@]}" --at $((now + 3 * 86400))
ODIFF="openssl ocsp has no clock override for thisUpdate/nextUpdate; with no nextUpdate it has no maximum age unless -status_age is given"
ocsp_case "no nextUpdate, 5 days later: too old" bad-ocsp-response leaf good_nonext refused "${SOFT[@]}" --at $((now + 5 * 86400))
# (thisUpdate in the future: x509_ocsp_test, which can sign any time)

out=$("$TLSCTL" verify leaf.chain --ca root.pem --ocsp ocsp/badsig.der --revocation soft)
check "ocsp: an unusable staple is bad_certificate_status_response (113)" \
	grep -q '^REFUSED bad-ocsp-response (alert bad_certificate_status_response, 113): the stapled OCSP response is unusable: its signature by the issuer .O=ktlsd test, CN=Inter. does not verify' <<<"$out"
out=$("$TLSCTL" verify rev.chain --ca root.pem --ocsp ocsp/revoked.der --revocation soft)
check "ocsp: revoked is certificate_revoked (44), with the revocation time" \
	grep -q "^REFUSED revoked (alert certificate_revoked, 44): certificate revoked: 'CN=rev.example.com' (serial 00:B0:01) was revoked on 2025-01-02 03:04:05 UTC, reason keyCompromise (stapled OCSP response)" <<<"$out"
check "ocsp: the text shows the revoked response" \
	grep -q '^ocsp: serial 00:B0:01 (the leaf): revoked, this-update 20.*, next-update 20.*, revoked 2025-01-02 03:04:05 UTC$' <<<"$out"
out=$("$TLSCTL" verify leaf.chain --ca root.pem --ocsp ocsp/deleg.der --revocation soft)
check "ocsp: the text names the responder and the result" bash -c '
	grep -qx "ocsp: response status successful, responder O=ktlsd test, CN=OCSP Responder, produced 20.* UTC" <<<"$1" &&
	grep -q "^ocsp: serial 10:01 (the leaf): good, this-update 20" <<<"$1" &&
	grep -qx "ocsp-result: good: .CN=www.example.com. (serial 10:01) is not revoked" <<<"$1"' _ "$out"
out=$("$TLSCTL" verify leaf.chain --ca root.pem --ocsp ocsp/wild.der --revocation soft)
check "ocsp: another certificate's response is named as such" \
	grep -q "unusable: it is for another certificate: no response for serial 10:01 issued by 'O=ktlsd test, CN=Inter'" <<<"$out"
out=$("$TLSCTL" verify leaf.chain --ca root.pem --ocsp ocsp/noeku.der --revocation soft)
check "ocsp: a responder without OCSPSigning is named as such" \
	grep -q "responder 'O=ktlsd test, CN=OCSP No EKU' is not authorised: its certificate lacks extendedKeyUsage id-kp-OCSPSigning" <<<"$out"
out=$("$TLSCTL" verify leaf.chain --ca root.pem --ocsp ocsp/trylater.der --revocation soft)
check "ocsp: tryLater is shown, no information" bash -c '
	grep -qx "ocsp: response status tryLater" <<<"$1" &&
	grep -qx "ocsp-result: no-information: responseStatus tryLater: no information" <<<"$1"' _ "$out"
out=$("$TLSCTL" verify leaf.chain --ca root.pem --ocsp ocsp/truncated.der --revocation off)
check "ocsp: revocation off: the staple is ignored" \
	grep -qx "ocsp-result: ignored" <<<"$out"
jrun ocsp.json leaf.chain --ca root.pem --ocsp ocsp/good.der --revocation soft --json
jcheck "--json: the staple (good, by the issuer)" ocsp.json '
	my $o = $j->{ocsp};
	$ENV{RC} == 0 && $o->{result} eq "good" &&
	$o->{response_status} eq "successful" &&
	$o->{responder} eq "O=ktlsd test, CN=Inter" &&
	!defined $o->{parse_error} && @{$o->{responses}} == 1 &&
	$o->{responses}[0]{serial} eq "10:01" &&
	$o->{responses}[0]{status} eq "good" &&
	$o->{responses}[0]{for_leaf} &&
	$o->{responses}[0]{next_update} =~ /^20\d\d-/ &&
	!defined $o->{responses}[0]{revocation_time}'
jrun ocsp.json rev.chain --ca root.pem --ocsp ocsp/revoked.der --revocation soft --json
jcheck "--json: a revoked staple" ocsp.json '
	$ENV{RC} == 1 && $j->{reason} eq "revoked" && $j->{alert_code} == 44 &&
	$j->{ocsp}{result} eq "revoked" &&
	$j->{ocsp}{responses}[0]{revocation_time} eq "2025-01-02 03:04:05 UTC"'
jrun ocsp.json leaf.chain --ca root.pem --ocsp ocsp/truncated.der --revocation soft --json
jcheck "--json: a malformed staple" ocsp.json '
	$ENV{RC} == 1 && $j->{reason} eq "bad-ocsp-response" &&
	$j->{alert} eq "bad_certificate_status_response" &&
	$j->{alert_code} == 113 && $j->{ocsp}{result} eq "unusable" &&
	$j->{ocsp}{parse_error} =~ /truncated/ &&
	!defined $j->{ocsp}{response_status}'
jcheck "--json: no --ocsp, ocsp is null" ok.json 'exists $j->{ocsp} && !defined $j->{ocsp}'

echo "1..$n"
exit $failed
