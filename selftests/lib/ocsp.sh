# SPDX-License-Identifier: GPL-3.0-or-later
# OCSP responses made offline with `openssl ocsp` (sourced by tests).
#
# ocsp_response CERT CA CA_KEY OUT [good|revoked] [ISSUER]:
# a DER OCSPResponse for CERT, issued by CA, saying good (the default) or
# revoked (keyCompromise, an hour ago), valid for a day, signed by the CA.
# ISSUER (default CA) is the certificate the CertID's hashes are computed
# from: another one makes a response for a certificate of another issuer
# (status unknown). Uses a temporary directory for openssl's index file.
ocsp_response()
{
	local cert=$1 ca=$2 ca_key=$3 out=$4 state=${5:-good}
	local issuer=${6:-$2}
	local t serial subject
	local rc=0

	t=$(mktemp -d) || return 1
	serial=$(openssl x509 -in "$cert" -noout -serial | cut -d= -f2)
	subject=$(openssl x509 -in "$cert" -noout -subject -nameopt compat |
		  sed 's/^subject=//')
	# openssl ca's index: status, expiry, revocation, serial, file, DN
	if [ "$state" = revoked ]; then
		printf 'R\t%s\t%s,keyCompromise\t%s\tunknown\t%s\n' \
			"$(date -u -d '+2 days' +%y%m%d%H%M%SZ)" \
			"$(date -u -d '-1 hour' +%y%m%d%H%M%SZ)" \
			"$serial" "$subject" >"$t/index.txt"
	else
		printf 'V\t%s\t\t%s\tunknown\t%s\n' \
			"$(date -u -d '+2 days' +%y%m%d%H%M%SZ)" \
			"$serial" "$subject" >"$t/index.txt"
	fi
	openssl ocsp -index "$t/index.txt" -rsigner "$ca" -rkey "$ca_key" \
		-CA "$ca" -issuer "$issuer" -cert "$cert" \
		-respout "$out" -ndays 1 >"$t/log" 2>&1 || rc=1
	[ -s "$out" ] || rc=1
	[ $rc -eq 0 ] || sed 's/^/# openssl ocsp: /' "$t/log"
	rm -rf "$t"
	return $rc
}
