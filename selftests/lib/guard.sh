# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the selftests that run a kernel consumer (NFS, NVMe/TCP) through
# ktlsd with ktls_guard.ko loaded (sourced after tap.sh).

# guard_stat NAME: a counter of /proc/net/tls_stat
guard_stat()
{
	awk -v k="$1" '$1 == k {print $2}' /proc/net/tls_stat
}

# guard_up: load the module ($KTLS_GUARD_KO) if it is not in; set the limits
# to 16/64 records where the kernel can update keys (rekey=1), else to the
# defaults (rekey=0); print them. Fails if the module is not loaded.
guard_up()
{
	modprobe tls
	grep -q '^ktls_guard ' /proc/modules ||
		insmod "${KTLS_GUARD_KO:?}" || true
	grep -q '^ktls_guard ' /proc/modules || return 1
	if build/bin/tlsctl limits | grep -q '^key update: yes'; then
		rekey=1
		build/bin/tlsctl limits --soft 16 --hard 64 >/dev/null
	else
		rekey=0
		build/bin/tlsctl limits --default >/dev/null
	fi
	build/bin/tlsctl limits | sed 's/^/# /'
}

# guard_down: the default limits, and the module out, so that the later
# tests run as they would without it.
guard_down()
{
	build/bin/tlsctl limits --default >/dev/null 2>&1
	rmmod ktls_guard 2>/dev/null
}

# guard_events_ok TX RX: tlsctl status (text) says ktlsd's listener is
# active and counted exactly TX tx_rekeyed, RX rx_rekeyed and, where keys
# are updated, RX peer_key_update events (0 on a kernel without), nothing
# else, none for sockets outside its sessions, no overrun, nothing
# malformed. Prints the guard lines.
guard_events_ok()
{
	local tx=$1 rx=$2 pk=0 status

	[ "$rekey" = 1 ] && pk=$rx
	status=$(build/bin/tlsctl status)
	grep '^guard' <<<"$status" | sed 's/^/# /'
	grep -qx "guard listener:      active" <<<"$status" &&
	grep -qxF "guard events:        soft_limit 0, tx_rekeyed $tx, rx_rekeyed $rx, peer_key_update $pk, hard_limit 0, error 0, other 0" <<<"$status" &&
	grep -qx "guard event issues:  0 for sockets not among the sessions, 0 buffer overruns, 0 malformed" <<<"$status"
}

# guard_events_json_ok TX RX: the same from tlsctl --json status.
guard_events_json_ok()
{
	local tx=$1 rx=$2 pk=0

	[ "$rekey" = 1 ] && pk=$rx
	build/bin/tlsctl --json status | grep -qF "\"guard_events\": {\"listener\": true, \"listener_error\": null, \"counts\": {\"soft_limit\": 0, \"tx_rekeyed\": $tx, \"rx_rekeyed\": $rx, \"peer_key_update\": $pk, \"hard_limit\": 0, \"error\": 0, \"other\": 0}, \"not_ktlsd_sessions\": 0, \"overruns\": 0, \"malformed\": 0}"
}
