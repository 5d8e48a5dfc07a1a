#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# selftests/unit/x509_pki.sh DIR: generate a small throw-away PKI in DIR with
# the openssl CLI, for the x509 unit tests. Every certificate and the CRL are
# written as DER (NAME.der); keys stay in DIR, which the test deletes. Nothing
# here is committed but this script.
#
#   root        RSA-2048 self-signed CA, pathlen 1
#   inter       P-256 CA under root, pathlen 0, nameConstraints:
#               permitted DNS:example.com, IP 10.0.0.0/8, IP 2001:db8::/32;
#               excluded DNS:secret.example.com, IP 10.66.0.0/16
#   leaf        serial 0x1001, SAN www.example.com, example.com, 10.1.2.3,
#               2001:db8::1; EKU serverAuth+clientAuth
#   wild        SAN *.example.com, EKU serverAuth (excluded by inter: it
#               also stands for secret.example.com)
#   evil        SAN www.evil.com (outside inter's permitted subtrees)
#   secret      SAN a.secret.example.com (excluded)
#   ipout       SAN 192.168.1.1 (outside permitted)
#   ipexcl      SAN 10.66.1.1 (excluded)
#   wildexcl    SAN *.example.com signed by a CA excluding x.example.com
#   eku_any, eku_client, eku_code: EKU variants
#   crit        an unknown extension 1.3.6.1.4.1.55555.1 marked critical
#   noncrit     the same extension, not critical
#   ed          Ed25519 key, GeneralizedTime notAfter in 2051
#   crl         CRL by inter: 0x1001 keyCompromise, 0x2002, crlNumber 7
#   ocsp_good, ocsp_revoked: OCSP responses by inter for leaf (good for a
#               day; revoked, from the CRL's index)
set -euo pipefail
dir=${1:?usage: x509_pki.sh DIR}
cd "$dir"

cat >req.cnf <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
EOF
export OPENSSL_CONF=$PWD/req.cnf

ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"; }

# issue NAME CA SERIAL SUBJECT [-addext ...]: a certificate for NAME.key
issue()
{
	local name=$1 ca=$2 serial=$3 subj=$4
	shift 4
	openssl req -x509 -new -key "$name.key" -subj "$subj" \
		-CA "$ca.pem" -CAkey "$ca.key" -set_serial "$serial" -days 30 \
		-sha256 "$@" -out "$name.pem"
	openssl x509 -in "$name.pem" -outform DER -out "$name.der"
}

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out root.key
openssl req -x509 -new -key root.key -subj "/O=ktlsd test/CN=Test Root" \
	-set_serial 1 -days 30 -sha256 \
	-addext "basicConstraints=critical,CA:TRUE,pathlen:1" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" -out root.pem
openssl x509 -in root.pem -outform DER -out root.der

ec inter
issue inter root 2 "/O=ktlsd test/CN=Test Intermediate" \
	-addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" \
	-addext "nameConstraints=critical,permitted;DNS:example.com,permitted;IP:10.0.0.0/255.0.0.0,permitted;IP:2001:db8::/ffff:ffff::,excluded;DNS:secret.example.com,excluded;IP:10.66.0.0/255.255.0.0"

ec ca2
issue ca2 root 3 "/O=ktlsd test/CN=Test CA excluding x" \
	-addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
	-addext "nameConstraints=critical,excluded;DNS:x.example.com"

leaf_ext=(-addext "basicConstraints=critical,CA:FALSE"
	  -addext "keyUsage=critical,digitalSignature")
ec leaf
issue leaf inter 0x1001 "/CN=www.example.com" "${leaf_ext[@]}" \
	-addext "extendedKeyUsage=serverAuth,clientAuth" \
	-addext "subjectAltName=DNS:www.example.com,DNS:example.com,IP:10.1.2.3,IP:2001:db8::1"
for n in wild evil secret ipout ipexcl wildexcl eku_any eku_client eku_code \
	 crit noncrit; do
	ec $n
done
issue wild inter 0x1002 "/CN=wild" "${leaf_ext[@]}" \
	-addext "extendedKeyUsage=serverAuth" \
	-addext "subjectAltName=DNS:*.example.com"
issue evil inter 0x1003 "/CN=evil" "${leaf_ext[@]}" \
	-addext "subjectAltName=DNS:www.evil.com"
issue secret inter 0x1004 "/CN=secret" "${leaf_ext[@]}" \
	-addext "subjectAltName=DNS:a.secret.example.com"
issue ipout inter 0x1005 "/CN=ipout" "${leaf_ext[@]}" \
	-addext "subjectAltName=IP:192.168.1.1"
issue ipexcl inter 0x1006 "/CN=ipexcl" "${leaf_ext[@]}" \
	-addext "subjectAltName=IP:10.66.1.1"
issue wildexcl ca2 0x1007 "/CN=wildexcl" "${leaf_ext[@]}" \
	-addext "subjectAltName=DNS:*.example.com"
issue eku_any inter 0x1008 "/CN=any" "${leaf_ext[@]}" \
	-addext "extendedKeyUsage=anyExtendedKeyUsage" \
	-addext "subjectAltName=DNS:any.example.com"
issue eku_client inter 0x1009 "/CN=client" "${leaf_ext[@]}" \
	-addext "extendedKeyUsage=clientAuth" \
	-addext "subjectAltName=DNS:client.example.com"
issue eku_code inter 0x100a "/CN=code" "${leaf_ext[@]}" \
	-addext "extendedKeyUsage=codeSigning" \
	-addext "subjectAltName=DNS:code.example.com"
issue crit inter 0x100b "/CN=crit" "${leaf_ext[@]}" \
	-addext "1.3.6.1.4.1.55555.1=critical,DER:05:00" \
	-addext "subjectAltName=DNS:crit.example.com"
issue noncrit inter 0x100c "/CN=noncrit" "${leaf_ext[@]}" \
	-addext "1.3.6.1.4.1.55555.1=DER:05:00" \
	-addext "subjectAltName=DNS:noncrit.example.com"

openssl genpkey -algorithm ED25519 -out ed.key
openssl req -x509 -new -key ed.key -subj "/CN=ed" -CA inter.pem \
	-CAkey inter.key -set_serial 0x100d -not_before 20250101000000Z \
	-not_after 20510101000000Z -out ed.pem \
	-addext "subjectAltName=DNS:ed.example.com"
openssl x509 -in ed.pem -outform DER -out ed.der

# The CRL: openssl ca reads revocations from its text database.
printf 'R\t301231000000Z\t250101000000Z,keyCompromise\t1001\tunknown\t/CN=www.example.com\n' >index.txt
printf 'R\t301231000000Z\t250102030405Z\t2002\tunknown\t/CN=gone\n' >>index.txt
printf 'V\t301231000000Z\t\t1002\tunknown\t/CN=wild\n' >>index.txt
echo 07 >crlnumber
cat >ca.cnf <<EOF
[ca]
default_ca = ca_default
[ca_default]
database = $PWD/index.txt
crlnumber = $PWD/crlnumber
default_md = sha256
default_crl_days = 30
crl_extensions = crl_ext
[crl_ext]
authorityKeyIdentifier = keyid:always
EOF
openssl ca -gencrl -config ca.cnf -keyfile inter.key -cert inter.pem \
	-out crl.pem
openssl crl -in crl.pem -outform DER -out crl.der

# OCSP responses for leaf, signed by inter (openssl ocsp as a responder)
printf 'V\t301231000000Z\t\t1001\tunknown\t/CN=www.example.com\n' >index_good.txt
openssl ocsp -index index_good.txt -CA inter.pem -rsigner inter.pem \
	-rkey inter.key -issuer inter.pem -cert leaf.pem -ndays 1 \
	-respout ocsp_good.der
openssl ocsp -index index.txt -CA inter.pem -rsigner inter.pem \
	-rkey inter.key -issuer inter.pem -cert leaf.pem -ndays 1 \
	-respout ocsp_revoked.der
