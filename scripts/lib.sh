# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the lab scripts: where the cache and the root live, and how to
# enter the root. Sourced, never run.
#
# The root is keyed by a hash of everything that builds it (the package list,
# the root builder, the guest bootstrap), so a changed recipe builds a new root
# beside the old one and an unchanged recipe reuses the cached one.

KTLSD_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KTLSD_CACHE=${KTLSD_CACHE:-/var/cache/ktlsd}

die()
{
	echo "${0##*/}: error: $*" >&2
	exit 1
}

log()
{
	echo "${0##*/}: $*" >&2
}

# The hash of the root's recipe: twelve hex digits are plenty to tell
# recipes apart in one cache directory.
root_key()
{
	cat "$KTLSD_REPO/scripts/lab/packages.txt" \
	    "$KTLSD_REPO/scripts/lab/build-root" \
	    "$KTLSD_REPO/scripts/lab/guest-boot" | sha256sum | cut -c1-12
}

KTLSD_ROOT=${KTLSD_ROOT:-$KTLSD_CACHE/root-$(root_key)}

root_ready()
{
	[ -f "$KTLSD_ROOT/etc/ktlsd-lab/complete" ]
}

# lane_kver LANE: the kernel release ("uname -r") of a lane ("7" or "6.12").
lane_kver()
{
	local lane=$1 l v
	while read -r l v; do
		[ "$l" = "$lane" ] && { echo "$v"; return 0; }
	done <"$KTLSD_ROOT/etc/ktlsd-lab/lanes"
	return 1
}

lanes()
{
	cut -d' ' -f1 "$KTLSD_ROOT/etc/ktlsd-lab/lanes"
}

# in_root DIR CMD...: run CMD chrooted into DIR with /proc, /sys and /dev,
# in a private mount namespace so every mount goes away with the process,
# however it ends. Extra bind mounts come from KTLSD_BINDS ("src:dst ...").
in_root()
{
	local dir=$1
	shift
	unshare --mount --propagation private -- /bin/bash -euc '
		dir=$1; shift
		mount -t proc proc "$dir/proc"
		mount -t sysfs sysfs "$dir/sys"
		mount --rbind /dev "$dir/dev"
		mount -t tmpfs tmpfs "$dir/tmp"
		mount -t tmpfs tmpfs "$dir/run"
		for b in ${KTLSD_BINDS:-}; do
			mkdir -p "$dir/${b#*:}"
			mount --bind "${b%%:*}" "$dir/${b#*:}"
		done
		if [ -f /etc/resolv.conf ] && [ -f "$dir/etc/resolv.conf" ]; then
			mount --bind /etc/resolv.conf "$dir/etc/resolv.conf"
		fi
		exec chroot "$dir" /usr/bin/env -i \
			HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			KTLSD_CWD="${KTLSD_CWD:-/}" CI="${CI:-}" \
			KTLSD_FUZZ_SECONDS="${KTLSD_FUZZ_SECONDS:-}" \
			KTLSD_TEST_TIMEOUT="${KTLSD_TEST_TIMEOUT:-}" \
			/bin/bash -c "cd \"\${KTLSD_CWD:-/}\" && exec \"\$@\"" - "$@"
	' - "$dir" "$@"
}
