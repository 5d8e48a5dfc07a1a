#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# NFS client certificates from the kernel's keyring: the NFS client's
# cert_serial= and privkey_serial= mount options (7.x kernels) name two keys,
# which the kernel passes in the handshake upcall. The agent's configuration
# has no client certificate; the export is xprtsec=mtls, so the mount works
# only if the agent presented the certificate from the keys.
#   - ktlsd: DER certificate and PKCS#8 DER key (what tlshd expects), and
#     a SEC1 (traditional EC) key; a file written and read back;
#   - a private key key holding junk, or a certificate key holding a key:
#     the mount fails and ktlsd's log names the key and the reason;
#   - tlshd, the reference, with the same keys.
# On a kernel whose NFS client lacks the options (6.12) the cases are
# skipped, saying so.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/nfs.sh

d=$(mktemp -d)
log=$d/agent.log
agent_pid=
keys=()
cleanup()
{
	umount /mnt/nfs 2>/dev/null
	stop_agent
	nfs_server_down >/dev/null 2>&1
	for k in "${keys[@]}"; do
		keyctl unlink "$k" @u >/dev/null 2>&1
	done
	rm -rf "$d"
}
trap cleanup EXIT

# add_key NAME FILE: a "user" key in root's user keyring; prints its serial
add_key()
{
	local k

	k=$(keyctl padd user "$1" @u <"$2") || return 1
	keys+=("$k")
	echo "$k"
}

echo "TAP version 13"
echo "1..9"
nfsko=$(modinfo -F filename nfs 2>/dev/null)
# the option's name is in the parameter table of a client that has it
if ! xz -dcf "$nfsko" 2>/dev/null | tr '\0' '\n' | grep -qx cert_serial; then
	for i in $(seq 9); do
		echo "ok $i # SKIP this kernel's NFS client has no cert_serial= mount option ($(uname -r))"
	done
	exit 0
fi
make_pki "$d"
openssl x509 -in "$d/client.pem" -outform DER -out "$d/client.der"
openssl pkey -in "$d/client.key" -outform DER -out "$d/client.p8.der"
openssl ec -in "$d/client.key" -outform DER -out "$d/client.sec1.der" \
	2>/dev/null
head -c 121 /dev/urandom >"$d/junk"
cert=$(add_key ktlsd-test-cert "$d/client.der")
key=$(add_key ktlsd-test-key "$d/client.p8.der")
sec1=$(add_key ktlsd-test-key-sec1 "$d/client.sec1.der")
junk=$(add_key ktlsd-test-junk "$d/junk")
check "four keys in root's user keyring ($cert $key $sec1 $junk)" \
	test -n "$cert" -a -n "$key" -a -n "$sec1" -a -n "$junk"

if ! nfs_server_up mtls >/dev/null 2>&1; then
	echo "not ok 2 knfsd started"
	exit 1
fi
# no client certificate in the configuration: only the keys can give one
agent_conf "$d/agent.conf" "$d/ca.pem" "$d/server.pem" "$d/server.key"

keyring_mount()	# AGENT CERT KEY: 0 if the mount worked and a file went
{		# through it
	local out

	out=$(nfs_mount "xprtsec=mtls,cert_serial=$2,privkey_serial=$3")
	[ -z "$out" ] || { echo "# mount: $out"; return 1; }
	echo "$1 keyring" >/mnt/nfs/k && umount /mnt/nfs &&
		nfs_mount "xprtsec=mtls,cert_serial=$2,privkey_serial=$3" \
			>/dev/null &&
		grep -qx "$1 keyring" /mnt/nfs/k
	local rc=$?
	rm -f /mnt/nfs/k
	umount /mnt/nfs 2>/dev/null
	return $rc
}

start_agent ktlsd "$d/agent.conf" "$log"
check "ktlsd: mtls mount with the certificate and PKCS#8 key from keys, a file written and read back" \
	keyring_mount ktlsd "$cert" "$key"
check "ktlsd logged where the certificate came from" \
	grep -q "certificate from key $cert, private key from key $key" "$log"
check "ktlsd: the server end verified the client's certificate" \
	grep -q 'client authenticated' "$log"
check "ktlsd: the same with a SEC1 (traditional EC) private key" \
	keyring_mount ktlsd "$cert" "$sec1"
out=$(nfs_mount "xprtsec=mtls,cert_serial=$cert,privkey_serial=$junk")
umount /mnt/nfs 2>/dev/null
check "ktlsd: a private key key holding junk: the mount fails ($out)" \
	test -n "$out"
check "ktlsd: ... and the log names the key and the reason" \
	grep -q "private key $junk: no usable private key" "$log"
out=$(nfs_mount "xprtsec=mtls,cert_serial=$key,privkey_serial=$key")
umount /mnt/nfs 2>/dev/null
check "ktlsd: a certificate key holding a private key: the mount fails, the log says why" \
	eval 'test -n "$out" && grep -q "certificate key $key: not a DER certificate" "$log"'
stop_agent
sed 's/^/# ktlsd: /' "$log" | grep -E 'key|certificate|authenticated|DONE' | head -30

# tlshd joins a session keyring of its own, so it does not possess root's
# user keyring: let uid 0 read the two keys (possessor: all; user: view, read)
keyctl setperm "$cert" 0x3f030000
keyctl setperm "$key" 0x3f030000
: >"$log"
start_agent tlshd "$d/agent.conf" "$log"
check "tlshd (reference): the same mount with the same keys" \
	keyring_mount tlshd "$cert" "$key"
stop_agent
sed 's/^/# tlshd: /' "$log" | head -20
exit $failed
