/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One error convention for the engine and its providers: an int, 0 on
 * success, one of the negative codes below on failure.  Providers map their
 * library's codes onto these; nothing above the provider ever sees a
 * wolfCrypt error number.  A later error-to-alert table keys on these.
 */
#ifndef KTLS_ERR_H
#define KTLS_ERR_H

enum ktls_err {
	KTLS_OK			=  0,
	KTLS_ERR_INVALID	= -1,	/* bad argument or length */
	KTLS_ERR_UNSUPPORTED	= -2,	/* algorithm/group/scheme not offered */
	KTLS_ERR_CRYPTO		= -3,	/* provider-internal failure */
	KTLS_ERR_DECRYPT	= -4,	/* AEAD authentication failed */
	KTLS_ERR_BAD_SIGNATURE	= -5,	/* signature did not verify */
	KTLS_ERR_BAD_KEY_SHARE	= -6,	/* peer's key share malformed/invalid */
	KTLS_ERR_STATE		= -7,	/* call not allowed in this state */
	KTLS_ERR_BUFFER		= -8,	/* output buffer too small */
	KTLS_ERR_RANDOM		= -9,	/* no randomness available */
	KTLS_ERR_BAD_KEY	= -10,	/* key material could not be parsed */
};

#define KTLS_MUST_CHECK __attribute__((warn_unused_result))

#endif /* KTLS_ERR_H */
