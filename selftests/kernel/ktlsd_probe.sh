#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# ktlsd --probe reports what the running kernel offers, as the lab's two
# lanes really differ: key update and the record size limit option exist on
# the 7.x lane and not on 6.12; the handshake family, its DONE attributes
# and all four TLS 1.3 kTLS ciphers exist on both.
set -u
cd "$(dirname "$0")/../.."
ktlsd=build/bin/ktlsd
. selftests/lib/tap.sh

quiet()
{
	"$@" >/dev/null 2>&1
}

has()	# has KEY VALUE-REGEX: the JSON report's KEY line matches
{
	grep -Eq "^  \"$1\": $2,?\$" <<<"$json"
}

release=$(uname -r)
major=${release%%.*}
minor=${release#*.}
minor=${minor%%.*}
if [ "$major" -gt 6 ] || { [ "$major" -eq 6 ] && [ "$minor" -ge 14 ]; }; then
	rekey=true
else
	rekey=false
fi
case "$release" in
6.12.*) max_payload=false ;;
7.*) max_payload=true ;;
*) max_payload='(true|false)' ;;
esac

echo "TAP version 13"
echo "1..10"
modprobe tls
json=$($ktlsd --probe --json)
rc=$?
echo "$json" | sed 's/^/# /'
check "probe exits 0 on a kernel that can serve handshakes" test "$rc" = 0
check "handshake family resolved" has handshake_family '[1-9][0-9]*'
check "tlshd multicast group resolved" has tlshd_group '[1-9][0-9]*'
check "DONE accepts status, sockfd, remote_auth" \
	has done_attributes '\["status", "sockfd", "remote_auth"\]'
check "kTLS available" has ktls true
check "all four TLS 1.3 ciphers" has ciphers \
	'\["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256"\]'
check "key update: $rekey on $release" has rekey "$rekey"
check "record size limit option: $max_payload on $release" \
	has tx_max_payload_len "$max_payload"
check "--help exits 0" quiet $ktlsd --help
$ktlsd --no-such-option >/dev/null 2>&1
check "an unknown option exits 2" test $? = 2
exit $failed
