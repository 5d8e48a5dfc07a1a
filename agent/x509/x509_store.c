// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * x509_store.c: the trust store (anchors and CRLs) and the PEM reader
 * that fills it.
 *
 * A store is filled once (from files: a PEM bundle, a DER file, or a
 * directory of either, such as OpenSSL's hashed /etc/ssl/certs) and then
 * only read, so it may be shared by every handshake without locks; the
 * owner swaps in a new one to reload (agent/crypto/wolfcrypt/verify.c
 * counts references). Each entry owns a copy of its DER, and its parse
 * points into that copy.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "x509_path.h"
#include "x509_pem.h"

#define STORE_FILE_MAX (16u << 20)	/* a bundle is about 200 KiB */

void x509_store_init(struct x509_store *s)
{
	memset(s, 0, sizeof(*s));
}

void x509_store_free(struct x509_store *s)
{
	for (unsigned int i = 0; i < s->n_certs; i++)
		free(s->certs[i].der);
	for (unsigned int i = 0; i < s->n_crls; i++)
		free(s->crls[i].der);
	free(s->certs);
	free(s->crls);
	memset(s, 0, sizeof(*s));
}

static uint8_t *dup_der(const uint8_t *der, size_t len)
{
	uint8_t *p = len ? malloc(len) : NULL;

	if (p)
		memcpy(p, der, len);
	return p;
}

int x509_store_add_cert(struct x509_store *s, const uint8_t *der, size_t len)
{
	struct x509_store_cert *e;

	if (!len || len > DER_MAX_LEN)
		return -1;
	for (unsigned int i = 0; i < s->n_certs; i++)
		if (s->certs[i].len == len && !memcmp(s->certs[i].der, der, len))
			return 0;
	if (s->n_certs == s->cap_certs) {
		unsigned int cap = s->cap_certs ? 2 * s->cap_certs : 16;

		if (cap > X509_STORE_MAX)
			return -1;
		e = realloc(s->certs, cap * sizeof(*e));
		if (!e)
			return -1;
		s->certs = e;
		s->cap_certs = cap;
	}
	e = &s->certs[s->n_certs];
	e->der = dup_der(der, len);
	if (!e->der)
		return -1;
	e->len = len;
	if (x509_cert_parse(&e->cert, e->der, len, NULL)) {
		free(e->der);
		return -1;
	}
	s->n_certs++;
	return 0;
}

int x509_store_add_crl(struct x509_store *s, const uint8_t *der, size_t len)
{
	struct x509_store_crl *e;

	if (!len || len > DER_MAX_LEN)
		return -1;
	if (s->n_crls == s->cap_crls) {
		unsigned int cap = s->cap_crls ? 2 * s->cap_crls : 8;

		if (cap > X509_STORE_MAX)
			return -1;
		e = realloc(s->crls, cap * sizeof(*e));
		if (!e)
			return -1;
		s->crls = e;
		s->cap_crls = cap;
	}
	e = &s->crls[s->n_crls];
	e->der = dup_der(der, len);
	if (!e->der)
		return -1;
	e->len = len;
	if (x509_crl_parse(&e->crl, e->der, len, NULL)) {
		free(e->der);
		return -1;
	}
	s->n_crls++;
	return 0;
}

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	ssize_t r;
	size_t off = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > STORE_FILE_MAX) {
		close(fd);
		return -EINVAL;
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf) {
		close(fd);
		return -ENOMEM;
	}
	while (off < (size_t)st.st_size) {
		r = read(fd, *buf + off, (size_t)st.st_size - off);
		if (r <= 0) {
			err = r ? -errno : -EIO;
			free(*buf);
			close(fd);
			return err;
		}
		off += (size_t)r;
	}
	close(fd);
	*len = off;
	return 0;
}

typedef int (*add_fn)(struct x509_store *s, const uint8_t *der, size_t len);

/* One file: PEM blocks with label, or a single DER item. */
static int load_file(struct x509_store *s, const char *path,
		     const char *label, add_fn add)
{
	uint8_t *buf = NULL, *der;
	size_t len = 0, pos = 0, der_len;
	int n = 0, r;

	r = read_file(path, &buf, &len);
	if (r)
		return r;
	if (len && buf[0] == DER_SEQUENCE) {
		n = add(s, buf, len) ? 0 : 1;
		s->skipped += !n;
		free(buf);
		return n;
	}
	der = malloc(len + 1);
	if (!der) {
		free(buf);
		return -ENOMEM;
	}
	while ((r = x509_pem_next(buf, len, &pos, label, der, len, &der_len))) {
		if (r < 0) {
			s->skipped++;
			break;
		}
		if (add(s, der, der_len))
			s->skipped++;
		else
			n++;
	}
	free(der);
	free(buf);
	return n;
}

static int load_path(struct x509_store *s, const char *path,
		     const char *label, add_fn add)
{
	struct dirent *ent;
	struct stat st;
	char file[4096];
	DIR *dir;
	int n = 0, r;

	if (stat(path, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return load_file(s, path, label, add);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((ent = readdir(dir))) {
		if (ent->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(file, sizeof(file), "%s/%s", path,
				     ent->d_name) >= sizeof(file))
			continue;
		if (stat(file, &st) || !S_ISREG(st.st_mode))
			continue;
		r = load_file(s, file, label, add);
		if (r > 0)
			n += r;
		else
			s->skipped++;
	}
	closedir(dir);
	return n;
}

int x509_store_load_certs(struct x509_store *s, const char *path)
{
	return load_path(s, path, "CERTIFICATE", x509_store_add_cert);
}

int x509_store_load_crls(struct x509_store *s, const char *path)
{
	return load_path(s, path, "X509 CRL", x509_store_add_crl);
}

int x509_store_load_default(struct x509_store *s, const char *ca_path,
			    const char **from)
{
	static const char bundle[] = "/etc/ssl/certs/ca-certificates.crt";
	static const char hashed[] = "/etc/ssl/certs";
	const char *file = getenv("SSL_CERT_FILE");
	const char *dir = getenv("SSL_CERT_DIR");
	int n = 0, r;

	if (ca_path && ca_path[0]) {
		*from = ca_path;
		return x509_store_load_certs(s, ca_path);
	}
	if ((file && file[0]) || (dir && dir[0])) {
		*from = file && file[0] ? "SSL_CERT_FILE" : "SSL_CERT_DIR";
		if (file && file[0]) {
			r = x509_store_load_certs(s, file);
			if (r < 0)
				return r;
			n += r;
		}
		/* SSL_CERT_DIR is a colon-separated list, as in OpenSSL */
		while (dir && dir[0]) {
			const char *colon = strchr(dir, ':');
			size_t l = colon ? (size_t)(colon - dir) : strlen(dir);
			char one[4096];

			if (l && l < sizeof(one)) {
				memcpy(one, dir, l);
				one[l] = 0;
				r = x509_store_load_certs(s, one);
				if (r > 0)
					n += r;
			}
			dir = colon ? colon + 1 : NULL;
		}
		return n;
	}
	*from = bundle;
	r = x509_store_load_certs(s, bundle);
	if (r != -ENOENT)
		return r;
	*from = hashed;
	return x509_store_load_certs(s, hashed);
}
