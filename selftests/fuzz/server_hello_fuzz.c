// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer: ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4).
 * The input is one or more handshake messages; see fuzz_common.h.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t types[] = { TLS_HS_SERVER_HELLO };

	fuzz_flight(data, size, types, sizeof(types));
	return 0;
}
