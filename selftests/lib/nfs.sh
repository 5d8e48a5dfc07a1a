# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the NFS-over-TLS selftests (sourced): a throwaway PKI, a local
# knfsd exporting a tmpfs, and the handshake agents.

. selftests/lib/tap.sh

# make_pki DIR: a CA, a server certificate for localhost, nfs.ktlsd.test
# (a name the DNS-name test puts in /etc/hosts) and 127.0.0.1 and
# a client certificate (client.pem), all P-256; also an unrelated CA (other-ca.pem), a certificate for another
# name (wrongname.pem) and an expired one (expired.pem), same key.
make_pki()
{
	local d=$1
	(
		cd "$d" || exit 1
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
			-nodes -keyout ca.key -out ca.pem -days 2 \
			-subj /CN=ktlsd-test-ca
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
			-nodes -keyout other-ca.key -out other-ca.pem -days 2 \
			-subj /CN=some-other-ca
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout server.key -out server.csr -subj /CN=localhost
		printf 'subjectAltName=DNS:localhost,DNS:nfs.ktlsd.test,IP:127.0.0.1\n' \
			>san.ext
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
			-CAcreateserial -out server.pem -days 2 -extfile san.ext
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout client.key -out client.csr -subj /CN=nfs-client
		printf 'extendedKeyUsage=clientAuth\n' >client.ext
		openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key \
			-CAcreateserial -out client.pem -days 2 -extfile client.ext
		printf 'subjectAltName=DNS:elsewhere.example\n' >other.ext
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
			-CAcreateserial -out wrongname.pem -days 2 -extfile other.ext
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
			-CAcreateserial -out expired.pem -extfile san.ext \
			-not_before 20200101000000Z -not_after 20200102000000Z
	) >/dev/null 2>&1
}

nfs_server_up()
{
	mkdir -p /export /mnt/nfs
	# The guest's root is an overlay, which knfsd cannot export.
	mountpoint -q /export || mount -t tmpfs tmpfs /export
	echo "/export 127.0.0.1(rw,no_root_squash,no_subtree_check,fsid=0,xprtsec=${1:-tls})" \
		>/etc/exports
	mountpoint -q /proc/fs/nfsd || mount -t nfsd nfsd /proc/fs/nfsd
	exportfs -ra && rpc.mountd -N 3 &&
		rpc.nfsd --grace-time 10 --lease-time 10 -N 3 -U 8
}

nfs_server_down()
{
	umount -f /mnt/nfs 2>/dev/null
	rpc.nfsd 0
	exportfs -ua
	pkill -x rpc.mountd
	umount /export 2>/dev/null
}

# agent_conf FILE TRUST CERT KEY [CLIENT_CERT CLIENT_KEY]: tlshd's
# configuration file, which ktlsd and tlshd both read; the server end trusts
# the same CA for client certificates.
agent_conf()
{
	cat >"$1" <<CONF
[authenticate.client]
x509.truststore=$2
${5:+x509.certificate=$5}
${6:+x509.private_key=$6}
[authenticate.server]
x509.truststore=$2
x509.certificate=$3
x509.private_key=$4
CONF
}

# start_agent ktlsd|tlshd CONF LOG: the handshake agent in the background;
# its pid in $agent_pid.
start_agent()
{
	case "$1" in
	ktlsd) build/bin/ktlsd -c "$2" >"$3" 2>&1 & ;;
	tlshd) tlshd -c "$2" -s >"$3" 2>&1 & ;;
	esac
	agent_pid=$!
	# ktlsd says when it serves (its start-up probe loads crypto modules,
	# slow under TCG); tlshd says nothing, but starts at once.
	for _ in $(seq 300); do
		case "$1" in
		ktlsd) grep -q 'serving handshake upcalls' "$3" && return ;;
		tlshd) sleep 2; return ;;
		esac
		kill -0 "$agent_pid" 2>/dev/null || return
		sleep 0.1
	done
}

stop_agent()
{
	kill "$agent_pid" 2>/dev/null
	wait "$agent_pid" 2>/dev/null
}

# nfs_mount [OPTIONS [SERVER]]: mount the local export over TLS, bounded in
# time; SERVER defaults to 127.0.0.1.
nfs_mount()
{
	timeout 90 mount -t nfs4 -o vers=4.2,xprtsec=tls${1:+,$1} \
		"${2:-127.0.0.1}:/" /mnt/nfs 2>&1
}
