# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the NVMe/TCP-over-TLS selftests (sourced): an nvmet target on
# loopback with a TLS 1.3 PSK port, a file-backed namespace, and a retained
# PSK in the kernel's .nvme keyring.

NVME_SUBNQN=nqn.2014-08.org.ktlsd:test-subsys
NVME_HOSTNQN=nqn.2014-08.org.nvmexpress:uuid:2b6ab0d9-5cd8-4c6b-9f3e-8d1c2b3a4f50
NVME_HOSTID=2b6ab0d9-5cd8-4c6b-9f3e-8d1c2b3a4f50
NVME_CFS=/sys/kernel/config/nvmet

# nvme_target_up DIR: the target, backed by DIR/ns.img; prints the PSK's
# key serial.
nvme_target_up()
{
	local d=$1 key
	modprobe -a nvmet nvmet-tcp nvme-tcp nvme-fabrics >/dev/null || return 1
	mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
	mkdir -p /etc/nvme
	echo "$NVME_HOSTNQN" >/etc/nvme/hostnqn
	echo "$NVME_HOSTID" >/etc/nvme/hostid
	truncate -s 64M "$d/ns.img"
	mkdir "$NVME_CFS/subsystems/$NVME_SUBNQN" || return 1
	echo 1 >"$NVME_CFS/subsystems/$NVME_SUBNQN/attr_allow_any_host"
	mkdir "$NVME_CFS/subsystems/$NVME_SUBNQN/namespaces/1"
	echo "$d/ns.img" >"$NVME_CFS/subsystems/$NVME_SUBNQN/namespaces/1/device_path"
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

nvme_target_down()
{
	nvme disconnect -n "$NVME_SUBNQN" >/dev/null 2>&1
	rm -f "$NVME_CFS/ports/1/subsystems/$NVME_SUBNQN" 2>/dev/null
	rmdir "$NVME_CFS/ports/1" 2>/dev/null
	echo 0 >"$NVME_CFS/subsystems/$NVME_SUBNQN/namespaces/1/enable" 2>/dev/null
	rmdir "$NVME_CFS/subsystems/$NVME_SUBNQN/namespaces/1" 2>/dev/null
	rmdir "$NVME_CFS/subsystems/$NVME_SUBNQN" 2>/dev/null
}

nvme_connect()
{
	timeout 90 nvme connect -t tcp -a 127.0.0.1 -s 4420 -n "$NVME_SUBNQN" \
		--hostnqn="$NVME_HOSTNQN" --hostid="$NVME_HOSTID" --tls 2>&1
}
