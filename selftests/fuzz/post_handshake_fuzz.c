// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer: post-handshake and early-data messages (RFC 8446 §4.5,
 * §4.6): NewSessionTicket, KeyUpdate, EndOfEarlyData, as a sequence of
 * handshake messages; see fuzz_common.h.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t types[] = {
		TLS_HS_NEW_SESSION_TICKET, TLS_HS_KEY_UPDATE,
		TLS_HS_END_OF_EARLY_DATA,
	};

	fuzz_flight(data, size, types, sizeof(types));
	return 0;
}
