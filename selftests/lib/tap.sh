# SPDX-License-Identifier: GPL-3.0-or-later
# TAP for the shell selftests (sourced): check WHAT CMD... prints one
# "ok N WHAT" or "not ok N WHAT" line; $failed is 1 after any failure.

n=0
failed=0

check()
{
	local what=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n $what"
	else
		echo "not ok $n $what"
		failed=1
	fi
}
