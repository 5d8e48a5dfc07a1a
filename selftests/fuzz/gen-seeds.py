#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the fuzz targets' seed corpora (selftests/fuzz/corpus/<target>/).

The RFC 8448 messages come from selftests/unit/rfc8448.h (one source for
the unit tests and the seeds); the rest are small hand-built messages that
reach the extensions and message kinds RFC 8448 does not show (HRR,
CertificateRequest, OCSP in a CertificateEntry, ALPN, ...). The output is
committed; rerun this after changing either.
"""
import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
src = open(os.path.join(HERE, '..', 'unit', 'rfc8448.h')).read()


def rfc(name):
    m = re.search(r'rfc8448_%s\[\] =(.*?);' % name, src, re.S)
    return bytes.fromhex(''.join(re.findall(r'"([^"]*)"', m.group(1))))


def v(prefix, b):
    return len(b).to_bytes(prefix, 'big') + b


def ext(t, body):
    return struct.pack('>H', t) + v(2, body)


def hs(t, body):
    return bytes([t]) + v(3, body)


HRR_RANDOM = bytes.fromhex(
    'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c')

ch_exts = b''.join([
    ext(0, v(2, b'\x00' + v(2, b'example.com'))),
    ext(1, b'\x02'),
    ext(15, b'\x01'),
    ext(5, b'\x01' + v(2, b'') + v(2, b'')),
    ext(10, v(2, bytes.fromhex('001d00170018'))),
    ext(13, v(2, bytes.fromhex('080404030805'))),
    ext(16, v(2, v(1, b'h2') + v(1, b'http/1.1'))),
    ext(18, b''),
    ext(28, b'\x40\x01'),
    ext(42, b''),
    ext(43, v(1, b'\x03\x04\x03\x03')),
    ext(44, v(2, b'cookie')),
    ext(45, v(1, b'\x01')),
    ext(47, v(2, v(2, b'\x30\x00'))),
    ext(49, b''),
    ext(50, v(2, b'\x08\x04')),
    ext(51, v(2, b'\x00\x1d' + v(2, b'\x11' * 32))),
    ext(0x0a0a, b''),
    ext(21, b'\x00' * 8),
    ext(41, v(2, v(2, b'ticket') + b'\x00\x00\x00\x07') +
        v(2, v(1, b'\x22' * 32))),
])
ch_rich = hs(1, b'\x03\x03' + b'\x55' * 32 + v(1, b'\x01' * 32) +
             v(2, b'\x13\x01\x13\x02\x13\x03') + v(1, b'\x00') +
             v(2, ch_exts))

hrr_exts = ext(43, b'\x03\x04') + ext(51, b'\x00\x17') + ext(44, v(2, b'c'))
hrr = hs(2, b'\x03\x03' + HRR_RANDOM + v(1, b'\x01' * 32) + b'\x13\x02\x00' +
         v(2, hrr_exts))
sh_psk_exts = (ext(43, b'\x03\x04') + ext(41, b'\x00\x00') +
               ext(51, b'\x00\x1d' + v(2, b'\x33' * 32)))
sh_psk = hs(2, b'\x03\x03' + b'\x44' * 32 + v(1, b'') + b'\x13\x01\x00' +
            v(2, sh_psk_exts))

ee_exts = (ext(0, b'') + ext(16, v(2, v(1, b'h2'))) + ext(42, b'') +
           ext(10, v(2, b'\x00\x1d')) + ext(28, b'\x00\x40'))
ee = hs(8, v(2, ee_exts))
cr_exts = (ext(13, v(2, b'\x08\x04\x04\x03')) + ext(5, b'') +
           ext(47, v(2, v(2, b'\x30\x00'))) + ext(50, v(2, b'\x08\x04')) +
           ext(48, v(2, v(1, b'\x55\x1d\x25') + v(2, b'\x30\x00'))) + ext(18, b'') + ext(0x1a1a, b''))
cr = hs(13, v(1, b'\x07') + v(2, cr_exts))
cert_ocsp = hs(11, v(1, b'\x07') + v(3, v(3, b'\x30\x03\x02\x01\x00') +
                                    v(2, ext(5, b'\x01' + v(3, b'ocsp')) +
                                         ext(18, b'sct')) +
                                    v(3, b'\x30\x00') + v(2, b'')))
fin48 = hs(20, b'\x48' * 48)


def der(tag, body):
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    if n < 0x100:
        return bytes([tag, 0x81, n]) + body
    return bytes([tag, 0x82]) + n.to_bytes(2, 'big') + body


# An id-RSASSA-PSS key limited to SHA-384 (RFC 4055 §3.1: hash, MGF1 with
# the same hash, saltLength 48) in the shape of certificate the engine
# walks, then a CertificateVerify with rsa_pss_pss_sha384 (RFC 8446
# §4.2.3); the CertificateRequest offers the three rsa_pss_pss schemes.
OID_PSS = bytes.fromhex('2a864886f70d01010a')
OID_MGF1 = bytes.fromhex('2a864886f70d010108')
SHA384 = der(0x30, der(0x06, bytes.fromhex('608648016503040202')) +
             der(0x05, b''))
pss_params = der(0x30, der(0xa0, SHA384) +
                 der(0xa1, der(0x30, der(0x06, OID_MGF1) + SHA384)) +
                 der(0xa2, der(0x02, b'\x30')))
rsa_pub = der(0x30, der(0x02, b'\x00' + b'\xc5' * 256) +
              der(0x02, b'\x01\x00\x01'))
pss_spki = der(0x30, der(0x30, der(0x06, OID_PSS) + pss_params) +
               der(0x03, b'\x00' + rsa_pub))
pss_cert = der(0x30, der(0x30, bytes.fromhex('a003020102020101') +
                         b'\x30\x00' * 4 + pss_spki) +
               b'\x30\x00\x03\x01\x00')
cr_pss = hs(13, v(1, b'') + v(2, ext(13, v(2, bytes.fromhex(
    '0809080a080b0804')))))
cert_pss = hs(11, v(1, b'') + v(3, v(3, pss_cert) + v(2, b'')))
cv_pss = hs(15, b'\x08\x0a' + v(2, b'\x5a' * 256))
fin32 = hs(20, b'\x32' * 32)

nst_exts = ext(42, b'\x00\x00\x40\x00') + ext(0x2a2a, b'x')
nst2 = hs(4, struct.pack('>II', 604800, 0x01020304) + v(1, b'\x00') +
          v(2, b'T' * 16) + v(2, nst_exts))

seeds = {
    'client_hello': {
        'rfc8448-3-client-hello': rfc('client_hello'),
        'rfc8448-4-resumed-client-hello': rfc('resumed_client_hello'),
        'all-extensions': ch_rich,
    },
    'server_hello': {
        'rfc8448-3-server-hello': rfc('server_hello'),
        'hello-retry-request': hrr,
        'server-hello-psk': sh_psk,
    },
    'server_flight': {
        'rfc8448-3-server-flight': rfc('encrypted_extensions') +
        rfc('certificate') + rfc('certificate_verify') +
        rfc('server_finished'),
        'ee-cr-cert-ocsp-fin48': ee + cr + cert_ocsp + fin48,
        'ee-cr-pss-cert-cv-080a-fin32': ee + cr_pss + cert_pss + cv_pss +
        fin32,
    },
    'post_handshake': {
        'rfc8448-3-new-session-ticket': rfc('new_session_ticket'),
        'ticket-keyupdate-eoed': nst2 + hs(24, b'\x00') + hs(24, b'\x01') +
        hs(5, b''),
    },
    'extensions': {
        'ch': b'\x00' + rfc('client_hello')[4 + 45:],
        'ch-rich': b'\x00' + v(2, ch_exts),
        'sh': b'\x01' + rfc('server_hello')[4 + 38:],
        'hrr': b'\x02' + v(2, hrr_exts),
        'ee': b'\x03' + v(2, ee_exts),
        'ct': b'\x04' + v(2, ext(5, b'\x01' + v(3, b'ocsp'))),
        'cr': b'\x05' + v(2, cr_exts),
        'nst': b'\x06' + v(2, nst_exts),
    },
}


def nla(t, body):
    return struct.pack('<HH', 4 + len(body), t) + body + \
        b'\x00' * (-len(body) % 4)


def guard_event(event, err=None, family=0x1c):
    """A KTLS_GUARD_CMD_EVENT (7) message as ktls_guard.ko sends it."""
    attrs = (nla(23, struct.pack('<I', event)) +      # A_EVENT
             nla(10, struct.pack('<Q', 7)) +          # A_ID
             nla(12, struct.pack('<Q', 0x1122334455667788)) +  # COOKIE
             nla(13, struct.pack('<Q', 4242)) +       # A_SOCK_INODE
             nla(4, struct.pack('<H', 0x1302)) +      # A_SUITE
             nla(17, struct.pack('<Q', 13)) +         # A_SOCK_TX_RECORDS
             nla(18, struct.pack('<Q', 61)) +         # A_SOCK_RX_RECORDS
             nla(19, struct.pack('<I', 5)) +          # A_SOCK_TX_GEN
             nla(20, struct.pack('<I', 3)))           # A_SOCK_RX_GEN
    if err is not None:
        attrs += nla(24, struct.pack('<i', err))     # A_ERROR
    body = bytes([7, 1, 0, 0]) + attrs
    return struct.pack('<IHHII', 16 + len(body), family, 0, 0, 0) + body


seeds['guard_events'] = {
    'tx-rekeyed': guard_event(2),
    'peer-key-update-rx-rekeyed': guard_event(4) + guard_event(3),
    'error-eio': guard_event(6, -5),
    'soft-hard': guard_event(1) + guard_event(5),
    'ack-then-event': struct.pack('<IHHII', 36, 2, 0, 1, 0) + b'\x00' * 20 +
    guard_event(2),
}

for target, files in seeds.items():
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)
