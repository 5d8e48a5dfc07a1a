// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer: ClientHello (RFC 8446 §4.1.2) with all its extensions. The
 * input is one whole handshake message; see fuzz_common.h for the checks.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t types[] = { TLS_HS_CLIENT_HELLO };

	fuzz_flight(data, size, types, sizeof(types));
	return 0;
}
