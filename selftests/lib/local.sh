# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the selftests of ktlsd's local handshake service (sourced).

# listening PORT: wait up to 30 s for a TCP listener on PORT.
listening()
{
	for _ in $(seq 300); do
		ss -ltn | grep -q ":$1 " && return 0
		sleep 0.1
	done
	return 1
}

# field FILE KEY: the value of KEY= in FILE (local_app's report).
field()
{
	sed -n "s/^$2=//p" "$1" | head -n1
}
