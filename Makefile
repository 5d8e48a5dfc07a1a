# SPDX-License-Identifier: GPL-3.0-or-later
#
# On the host:  make [all] | setup | check | bench | demo | clean
#   Builds run inside the lab's Debian 13 root (scripts/root); kernel-facing
#   tests run in QEMU on both kernel lanes (scripts/vm). 'make setup' builds
#   the root and fetches the lanes; every other target runs it when needed.
# Inside the root (scripts/root -- make build):
#   userspace with gcc-14 and -Wall -Wextra -Werror, unit tests with
#   ASan+UBSan, the engine's libFuzzer targets with clang, and
#   ktls_guard.ko once per kernel lane (Kbuild, out of tree).
#   Everything lands in build/.

BUILD := build

ifeq ($(wildcard /etc/ktlsd-lab/complete),)

.PHONY: all setup build check bench demo install clean
all: setup
	scripts/root -- $(MAKE) --no-print-directory -j$(shell nproc) build

# Stages an installation for a Debian 13 system (the binaries use trixie's
# libraries and wolfSSL in /opt/wolfssl) under DESTDIR.
install: all
	@test -n "$(DESTDIR)" || { echo "make install needs DESTDIR=DIR" \
		"(the binaries are built for Debian 13)" >&2; exit 2; }
	mkdir -p $(DESTDIR)
	scripts/root -- $(MAKE) --no-print-directory install \
		DESTDIR=$(abspath $(DESTDIR))

setup:
	scripts/setup

check: all
	scripts/check

# Benchmarks (selftests/bench/*_bench.c) in the root, then ktlsd beside tlshd
# in the 7.x guest: Documentation/bench.md.
bench: all
	scripts/root -- scripts/lab/run-bench
	scripts/vm --lane 7 --timeout 1800 -- scripts/lab/upcall-bench
	scripts/vm --lane 7 --timeout 900 -- scripts/lab/guard-bench

demo: all
	scripts/demo

clean:
	rm -rf $(BUILD)

else

CC := gcc
CFLAGS := -std=gnu17 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -Iuapi
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer
# The harness itself trips -Wextra: unused fixture parameters, setjmp.
KSFT_CFLAGS := -I/opt/kselftest/include -Wno-unused-parameter -Wno-clobbered
NL_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0)
NL_FLAGS := $(shell pkg-config --cflags --libs libnl-genl-3.0)
KVERS := $(shell cut -d' ' -f2 /etc/ktlsd-lab/lanes)

# libktls: the TLS 1.3 engine (agent/engine, never includes wolfSSL) and its
# crypto providers (agent/crypto/<name>, the only place wolfSSL appears).
# Built twice: plain for the programs, with sanitizers for the unit tests.
WOLF_CFLAGS := -I/opt/wolfssl/include
WOLF_LIBS := -L/opt/wolfssl/lib -Wl,-rpath,/opt/wolfssl/lib -lwolfssl -lm
LIB_CFLAGS := -Iagent/include -Iagent/engine -Iagent/x509
LIB_SRCS := $(wildcard agent/engine/*.c agent/crypto/*/*.c agent/x509/*.c)
LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
LIB_SAN_OBJS := $(patsubst %.c,$(BUILD)/obj-san/%.o,$(LIB_SRCS))
LIB_HDRS := $(wildcard agent/include/*.h agent/include/*/*.h \
	agent/engine/*.h agent/crypto/*/*.h agent/x509/*.h)

$(BUILD)/obj/agent/crypto/%.o: agent/crypto/%.c $(LIB_HDRS) $(UAPI)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LIB_CFLAGS) $(WOLF_CFLAGS) -c -o $@ $<
$(BUILD)/obj-san/agent/crypto/%.o: agent/crypto/%.c $(LIB_HDRS) $(UAPI)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANITIZE) $(LIB_CFLAGS) $(WOLF_CFLAGS) -c -o $@ $<
$(BUILD)/obj/%.o: %.c $(LIB_HDRS) $(UAPI)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LIB_CFLAGS) -c -o $@ $<
$(BUILD)/obj-san/%.o: %.c $(LIB_HDRS) $(UAPI)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANITIZE) $(LIB_CFLAGS) -c -o $@ $<

$(BUILD)/lib/libktls.a: $(LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/lib-san/libktls.a: $(LIB_SAN_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

UNIT := $(patsubst selftests/unit/%.c,$(BUILD)/unit/%,\
	$(wildcard selftests/unit/*_test.c))
KSELFTESTS := $(patsubst selftests/kernel/%.c,$(BUILD)/selftests/%,\
	$(wildcard selftests/kernel/*.c))
MODULES := $(foreach k,$(KVERS),$(BUILD)/kmod/$(k)/kmod/ktls_guard.ko)
UAPI := $(wildcard uapi/*.h uapi/linux/*.h)

# ktlsd: the daemon (agent/ktlsd), linked with libktls. Its parts but main
# also form libktlsd (sanitised) for the unit tests.
# libktlsd_client: the applications' side of the local handshake service
# (agent/include/ktlsd_client.h, uapi/ktlsd_local.h), static and shared;
# its codec is ktlsd's too.
CLIENT_SRCS := $(wildcard agent/libktlsd_client/*.c)
CLIENT_HDRS := agent/include/ktlsd_client.h
CLIENT_OBJS := $(patsubst %.c,$(BUILD)/obj-pic/%.o,$(CLIENT_SRCS))
$(BUILD)/obj-pic/%.o: %.c $(CLIENT_HDRS) $(UAPI)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fPIC -fvisibility=default $(LIB_CFLAGS) -c -o $@ $<
$(BUILD)/lib/libktlsd_client.a: $(CLIENT_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/lib/libktlsd_client.so: $(CLIENT_OBJS)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,libktlsd_client.so.0 -o $@ $^

KTLSD_SRCS := $(wildcard agent/ktlsd/*.c) $(CLIENT_SRCS)
KTLSD_HDRS := $(wildcard agent/ktlsd/*.h) $(CLIENT_HDRS)
AGENT_SAN_OBJS := $(patsubst %.c,$(BUILD)/obj-san/%.o,\
	$(filter-out agent/ktlsd/main.c,$(KTLSD_SRCS)))
$(BUILD)/obj-san/agent/ktlsd/%.o: agent/ktlsd/%.c $(KTLSD_HDRS) $(LIB_HDRS) $(UAPI)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANITIZE) $(LIB_CFLAGS) $(NL_CFLAGS) -c -o $@ $<
$(BUILD)/obj-san/agent/libktlsd_client/%.o: agent/libktlsd_client/%.c $(CLIENT_HDRS) $(UAPI)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANITIZE) $(LIB_CFLAGS) -c -o $@ $<

# selftests/lib/local_app.c: the application the local service's selftest
# drives (selftests/kernel/ktlsd_local.sh), linked with libktlsd_client.a.
$(BUILD)/selftests-lib/local_app: selftests/lib/local_app.c $(CLIENT_HDRS) \
		$(UAPI) $(BUILD)/lib/libktlsd_client.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iagent/include -o $@ $< \
		$(BUILD)/lib/libktlsd_client.a -lpthread
$(BUILD)/lib-san/libktlsd.a: $(AGENT_SAN_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/bin/ktlsd: $(KTLSD_SRCS) $(KTLSD_HDRS) $(UAPI) $(BUILD)/lib/libktls.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LIB_CFLAGS) -o $@ $(KTLSD_SRCS) \
		$(BUILD)/lib/libktls.a $(NL_FLAGS) $(WOLF_LIBS) -lkeyutils -lpthread

# tlsctl: the engine over a TCP socket (connect, serve) and ktlsd's control
# socket (status, sessions, reload).
TLSCTL_SRCS := $(wildcard agent/tlsctl/*.c) agent/ktlsd/control.c \
	agent/ktlsd/log.c
$(BUILD)/bin/tlsctl: $(TLSCTL_SRCS) $(wildcard agent/tlsctl/*.h) $(KTLSD_HDRS) \
		$(UAPI) $(BUILD)/lib/libktls.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LIB_CFLAGS) -Iagent/ktlsd -o $@ $(TLSCTL_SRCS) \
		$(BUILD)/lib/libktls.a $(WOLF_LIBS)

# libFuzzer targets, one per codec family (selftests/fuzz/*_fuzz.c): clang
# with -fsanitize=fuzzer,address,undefined, linked with the engine's sources
# compiled again by clang with coverage (gcc's objects cannot carry it).
# The parsers only (engine codec, X.509, ktlsd's configuration): no crypto
# provider, so no wolfSSL. Run by scripts/lab/run-fuzz.
FUZZ_CC := clang
FUZZ_CFLAGS := -std=gnu17 -g -O1 -Wall -Wextra -Werror -D_GNU_SOURCE -Iuapi \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SRCS := $(wildcard agent/engine/*.c agent/x509/*.c) agent/ktlsd/config.c \
	agent/libktlsd_client/local_proto.c
FUZZ_OBJS := $(patsubst %.c,$(BUILD)/obj-fuzz/%.o,$(FUZZ_SRCS))
FUZZ := $(patsubst selftests/fuzz/%.c,$(BUILD)/fuzz/%,\
	$(wildcard selftests/fuzz/*_fuzz.c))

$(BUILD)/obj-fuzz/%.o: %.c $(LIB_HDRS) $(UAPI)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined \
		$(LIB_CFLAGS) -c -o $@ $<
$(BUILD)/fuzz/%: selftests/fuzz/%.c selftests/fuzz/fuzz_common.h \
		$(FUZZ_OBJS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined \
		$(LIB_CFLAGS) -Iagent/ktlsd -Iselftests/fuzz -o $@ $< $(FUZZ_OBJS)

# Benchmarks (selftests/bench/*_bench.c), run by scripts/lab/run-bench:
# -O2, no sanitizers, the plain libktls, and libssl/libcrypto for the
# OpenSSL peers they are measured against.
BENCHES := $(patsubst selftests/bench/%.c,$(BUILD)/bench/%,\
	$(wildcard selftests/bench/*_bench.c))
SSL_LIBS := $(shell pkg-config --libs libssl libcrypto)
$(BUILD)/bench/%: selftests/bench/%.c $(wildcard selftests/bench/*.h) \
		$(LIB_HDRS) $(UAPI) $(BUILD)/lib/libktls.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LIB_CFLAGS) -Iselftests/bench -o $@ $< \
		$(BUILD)/lib/libktls.a $(WOLF_LIBS) $(SSL_LIBS)

# In-guest benchmarks of the kernel side (selftests/kbench/*.c), run by
# scripts/lab/guard-bench in the 7.x guest (make bench): not under
# selftests/kernel, whose programs run-tests runs as tests.
KBENCHES := $(patsubst selftests/kbench/%.c,$(BUILD)/kbench/%,\
	$(wildcard selftests/kbench/*.c))
$(BUILD)/kbench/%: selftests/kbench/%.c $(wildcard selftests/kernel/*.h) \
		$(UAPI)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iselftests/kernel -o $@ $< $(NL_FLAGS) -lssl \
		-lcrypto -lm

.PHONY: build fuzz benches modules install FORCE
build: $(BUILD)/bin/ktlsd $(BUILD)/bin/tlsctl $(UNIT) $(KSELFTESTS) modules \
	$(FUZZ) $(BENCHES) $(KBENCHES) $(BUILD)/lib/libktlsd_client.a \
	$(BUILD)/lib/libktlsd_client.so $(BUILD)/selftests-lib/local_app
fuzz: $(FUZZ)
benches: $(BENCHES)


# The zero-allocation proof defines malloc itself, which a sanitizer's
# allocator would replace: it links the plain library, no sanitizers.
$(BUILD)/unit/alloc_test: selftests/unit/alloc_test.c selftests/unit/tap.h \
		selftests/unit/engine_harness.h $(UAPI) $(BUILD)/lib/libktls.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LIB_CFLAGS) -Iselftests/unit -o $@ $< \
		$(BUILD)/lib/libktls.a $(WOLF_LIBS)

$(BUILD)/unit/%: selftests/unit/%.c $(wildcard selftests/unit/*.h) $(UAPI) \
		$(BUILD)/lib-san/libktls.a $(BUILD)/lib-san/libktlsd.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANITIZE) $(LIB_CFLAGS) -Iagent/ktlsd \
		-Iselftests/unit -o $@ $< $(BUILD)/lib-san/libktlsd.a \
		$(BUILD)/lib-san/libktls.a $(WOLF_LIBS) $(NL_FLAGS) -lkeyutils \
		-lpthread

# The library's guard client is tested against the module: this one links
# libktls.
$(BUILD)/selftests/guard_client: selftests/kernel/guard_client.c \
		$(wildcard selftests/kernel/*.h) $(UAPI) $(BUILD)/lib/libktls.a \
		$(BUILD)/bin/tlsctl
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(KSFT_CFLAGS) $(LIB_CFLAGS) -o $@ $< \
		$(BUILD)/lib/libktls.a $(NL_FLAGS) -lssl -lcrypto -lpthread

$(BUILD)/selftests/%: selftests/kernel/%.c $(wildcard selftests/kernel/*.h) \
		$(UAPI)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(KSFT_CFLAGS) -o $@ $< $(NL_FLAGS) -lssl -lcrypto -lpthread

PREFIX ?= /usr
MANDIR ?= $(PREFIX)/share/man
UNITDIR ?= /usr/lib/systemd/system
install: build
	install -D -m 0755 $(BUILD)/bin/ktlsd $(DESTDIR)$(PREFIX)/sbin/ktlsd
	install -D -m 0755 $(BUILD)/bin/tlsctl $(DESTDIR)$(PREFIX)/sbin/tlsctl
	install -D -m 0644 Documentation/man/ktlsd.8 $(DESTDIR)$(MANDIR)/man8/ktlsd.8
	install -D -m 0644 Documentation/man/tlsctl.8 $(DESTDIR)$(MANDIR)/man8/tlsctl.8
	install -D -m 0644 Documentation/man/ktlsd.conf.5 \
		$(DESTDIR)$(MANDIR)/man5/ktlsd.conf.5
	install -D -m 0644 agent/ktlsd/ktlsd.service \
		$(DESTDIR)$(UNITDIR)/ktlsd.service
	install -D -m 0644 $(BUILD)/lib/libktlsd_client.a \
		$(DESTDIR)$(PREFIX)/lib/libktlsd_client.a
	install -D -m 0755 $(BUILD)/lib/libktlsd_client.so \
		$(DESTDIR)$(PREFIX)/lib/libktlsd_client.so.0
	ln -sf libktlsd_client.so.0 $(DESTDIR)$(PREFIX)/lib/libktlsd_client.so
	install -D -m 0644 agent/include/ktlsd_client.h \
		$(DESTDIR)$(PREFIX)/include/ktlsd/ktlsd_client.h
	install -D -m 0644 uapi/ktlsd_local.h \
		$(DESTDIR)$(PREFIX)/include/ktlsd/ktlsd_local.h

# Kbuild writes its objects next to the sources, so each lane gets a tree of
# symlinks to the sources in build/kmod/<release>/ and builds there.
modules: $(MODULES)
$(BUILD)/kmod/%/kmod/ktls_guard.ko: FORCE
	@mkdir -p $(BUILD)/kmod/$*
	cp -rs --remove-destination $(CURDIR)/Kbuild $(CURDIR)/kmod \
		$(CURDIR)/uapi $(BUILD)/kmod/$*/
	$(MAKE) -C /usr/lib/modules/$*/build M=$(CURDIR)/$(BUILD)/kmod/$* modules

endif
