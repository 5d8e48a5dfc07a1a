# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the NVMe/TCP-over-TLS selftests (sourced): an nvmet target on
# loopback with a TLS 1.3 PSK port, a file-backed namespace, and a retained
# PSK in the kernel's .nvme keyring.

NVME_SUBNQN=nqn.2014-08.org.ktlsd:test-subsys
NVME_HOSTNQN=nqn.2014-08.org.nvmexpress:uuid:2b6ab0d9-5cd8-4c6b-9f3e-8d1c2b3a4f50
NVME_HOSTID=2b6ab0d9-5cd8-4c6b-9f3e-8d1c2b3a4f50
NVME_CFS=/sys/kernel/config/nvmet

# nvme_target_up DIR: the target, backed by DIR/ns/ns.img (a tmpfs mounted
# there; nvme_target_down DIR unmounts it); prints the PSK's key serial.
nvme_target_up()
{
	local d=$1 key
	modprobe -a nvmet nvmet-tcp nvme-tcp nvme-fabrics >/dev/null || return 1
	mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
	mkdir -p /etc/nvme
	echo "$NVME_HOSTNQN" >/etc/nvme/hostnqn
	echo "$NVME_HOSTID" >/etc/nvme/hostid
	# The image lives on its own tmpfs: on the guest's overlay root a file
	# reports a block size of 0 bytes, nvmet passes that on as the LBA size,
	# and the host then skips the namespace ("invalid LBA data size 0").
	# tmpfs gives 4 KiB blocks; it has no O_DIRECT, hence buffered_io.
	mkdir -p "$d/ns"
	mount -t tmpfs -o size=80M nvme-ns "$d/ns" || return 1
	truncate -s 64M "$d/ns/ns.img"
	mkdir "$NVME_CFS/subsystems/$NVME_SUBNQN" || return 1
	echo 1 >"$NVME_CFS/subsystems/$NVME_SUBNQN/attr_allow_any_host"
	mkdir "$NVME_CFS/subsystems/$NVME_SUBNQN/namespaces/1"
	echo "$d/ns/ns.img" >"$NVME_CFS/subsystems/$NVME_SUBNQN/namespaces/1/device_path"
	echo 1 >"$NVME_CFS/subsystems/$NVME_SUBNQN/namespaces/1/buffered_io"
	echo 1 >"$NVME_CFS/subsystems/$NVME_SUBNQN/namespaces/1/enable"
	mkdir "$NVME_CFS/ports/1"
	echo tcp >"$NVME_CFS/ports/1/addr_trtype"
	echo ipv4 >"$NVME_CFS/ports/1/addr_adrfam"
	echo 127.0.0.1 >"$NVME_CFS/ports/1/addr_traddr"
	echo 4420 >"$NVME_CFS/ports/1/addr_trsvcid"
	echo tls1.3 >"$NVME_CFS/ports/1/addr_tsas"
	ln -s "$NVME_CFS/subsystems/$NVME_SUBNQN" "$NVME_CFS/ports/1/subsystems/"
	key=$(nvme gen-tls-key --subsysnqn="$NVME_SUBNQN" --hostnqn="$NVME_HOSTNQN" |
		tail -n1)
	nvme check-tls-key --subsysnqn="$NVME_SUBNQN" --hostnqn="$NVME_HOSTNQN" \
		--keydata="$key" --insert
}

nvme_target_down()	# DIR
{
	timeout 30 nvme disconnect -n "$NVME_SUBNQN" >/dev/null 2>&1
	rm -f "$NVME_CFS/ports/1/subsystems/$NVME_SUBNQN" 2>/dev/null
	rmdir "$NVME_CFS/ports/1" 2>/dev/null
	echo 0 >"$NVME_CFS/subsystems/$NVME_SUBNQN/namespaces/1/enable" 2>/dev/null
	rmdir "$NVME_CFS/subsystems/$NVME_SUBNQN/namespaces/1" 2>/dev/null
	rmdir "$NVME_CFS/subsystems/$NVME_SUBNQN" 2>/dev/null
	umount "$1/ns" 2>/dev/null
}

# nvme_namespace: the block device of the connected subsystem's namespace,
# waiting up to 30 s for the host's scan to create it.
nvme_namespace()
{
	local dev

	for _ in $(seq 60); do
		for dev in /sys/class/nvme-subsystem/nvme-subsys*/nvme*n1; do
			[ -e "$dev" ] || continue
			grep -qx "$NVME_SUBNQN" "${dev%/*}/subsysnqn" 2>/dev/null ||
				continue
			[ -b "/dev/${dev##*/}" ] && echo "/dev/${dev##*/}" && return 0
		done
		sleep 0.5
	done
	return 1
}

nvme_connect()
{
	timeout 90 nvme connect -t tcp -a 127.0.0.1 -s 4420 -n "$NVME_SUBNQN" \
		--hostnqn="$NVME_HOSTNQN" --hostid="$NVME_HOSTID" --tls 2>&1
}
