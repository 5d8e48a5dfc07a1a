// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer: the encrypted server flight (RFC 8446 §4.3, §4.4):
 * EncryptedExtensions, CertificateRequest, Certificate, CertificateVerify,
 * Finished, as a sequence of handshake messages (the seed is RFC 8448 §3's
 * decrypted flight); see fuzz_common.h.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t types[] = {
		TLS_HS_ENCRYPTED_EXTENSIONS, TLS_HS_CERTIFICATE_REQUEST,
		TLS_HS_CERTIFICATE, TLS_HS_CERTIFICATE_VERIFY, TLS_HS_FINISHED,
	};

	fuzz_flight(data, size, types, sizeof(types));
	return 0;
}
