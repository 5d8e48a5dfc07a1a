// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The seccomp filter (see seccomp.h): a classic BPF allowlist.
 *
 * What serving needs after start-up, and nothing else:
 *   sockets already open: accept4, recvmsg/sendmsg/recvfrom/sendto,
 *     get/setsockopt (kTLS, SO_PEERCRED, timeouts), getpeername,
 *     getsockname, shutdown, poll/ppoll;
 *   files (certificates, keys, trust stores, a reloaded configuration):
 *     openat, read, pread64, lseek, fstat family, access family, close,
 *     getdents64 (hashed CA and CRL directories);
 *   keys: add_key and keyctl (peer certificates for the kernel, PSKs);
 *   threads and memory: clone/clone3 (the workers start after the filter),
 *     futex, set_robust_list, rseq, mmap/munmap/mprotect/mremap/madvise, brk;
 *   time, randomness, signals (signalfd, eventfd), exit; unlink of ktlsd's
 *     own sockets at a stop.
 *   socket(AF_NETLINK, *, NETLINK_GENERIC) only: ktls_guard registration.
 * Not allowed, among the rest: execve, ptrace, any other socket (upcalls
 * come on the netlink socket opened at start), bind,
 * connect, mount, setuid, capset, bpf, ioctl, process_vm_*.
 *
 * A denied call fails with EPERM rather than killing the process: a path
 * nobody foresaw then fails one handshake, with the error in the log,
 * instead of taking down the daemon every NFS mount depends on. The
 * architecture is checked first; a call from another ABI (x32 on x86_64)
 * kills the process.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/socket.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "seccomp.h"

#if defined(__x86_64__)
#define KTLSD_AUDIT_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define KTLSD_AUDIT_ARCH	AUDIT_ARCH_AARCH64
#endif

#ifdef KTLSD_AUDIT_ARCH

static const int allowed[] = {
	/* sockets */
	SYS_accept4, SYS_recvmsg, SYS_sendmsg, SYS_recvfrom, SYS_sendto,
	SYS_getsockopt, SYS_setsockopt, SYS_getpeername, SYS_getsockname,
	SYS_shutdown, SYS_ppoll,
#ifdef SYS_poll
	SYS_poll,
#endif
#ifdef SYS_accept
	SYS_accept,
#endif
	/* files */
	SYS_openat, SYS_read, SYS_readv, SYS_write, SYS_writev, SYS_pread64,
	SYS_lseek, SYS_close, SYS_fstat, SYS_newfstatat, SYS_statx,
	SYS_faccessat, SYS_fcntl, SYS_unlinkat,
	SYS_getdents64,		/* hashed CA and CRL directories */
#ifdef SYS_faccessat2
	SYS_faccessat2,
#endif
#ifdef SYS_open
	SYS_open, SYS_stat, SYS_lstat, SYS_access, SYS_unlink,
#endif
	/* keys */
	SYS_add_key, SYS_keyctl,
	/* threads, memory */
	SYS_clone, SYS_futex, SYS_set_robust_list, SYS_get_robust_list,
	SYS_mmap, SYS_munmap, SYS_mprotect, SYS_mremap, SYS_madvise, SYS_brk,
	SYS_sched_yield, SYS_sched_getaffinity, SYS_gettid, SYS_getpid,
#ifdef SYS_clone3
	SYS_clone3,
#endif
#ifdef SYS_rseq
	SYS_rseq,
#endif
	/* time, randomness, signals, limits, exit */
	SYS_clock_gettime, SYS_clock_nanosleep, SYS_nanosleep,
	SYS_gettimeofday, SYS_getrandom, SYS_rt_sigprocmask,
	SYS_rt_sigreturn, SYS_rt_sigaction, SYS_sigaltstack, SYS_tgkill,
	SYS_prlimit64, SYS_uname, SYS_exit, SYS_exit_group,
};

#define N_ALLOWED	(sizeof(allowed) / sizeof(allowed[0]))
/*
 * arch check (3), load nr (1), x32 (2 on x86_64), 2 per call, netlink
 * socket (6), default
 */
#define N_INSNS		(3 + 1 + 2 + 2 * N_ALLOWED + 6 + 1)

int ktlsd_seccomp_install(void)
{
	struct sock_filter f[N_INSNS];
	struct sock_fprog prog = { .filter = f };
	unsigned int n = 0;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		KTLSD_AUDIT_ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		offsetof(struct seccomp_data, nr));
#if defined(__x86_64__)
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
		0x40000000 /* __X32_SYSCALL_BIT */, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		SECCOMP_RET_KILL_PROCESS);
#endif
	for (size_t i = 0; i < N_ALLOWED; i++) {
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ |
			BPF_K, (unsigned int)allowed[i], 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
			SECCOMP_RET_ALLOW);
	}
	/*
	 * socket(AF_NETLINK, any type, NETLINK_GENERIC) and no other kind:
	 * each finished socket is registered with ktls_guard over a fresh
	 * generic netlink socket. The accumulator still holds nr here.
	 */
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		SYS_socket, 0, 5);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		offsetof(struct seccomp_data, args[0]));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		AF_NETLINK, 0, 3);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		offsetof(struct seccomp_data, args[2]));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		NETLINK_GENERIC, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
	prog.len = (unsigned short)n;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_TSYNC, &prog)) {
		log_err("seccomp: the filter was refused: %s", strerror(errno));
		return -1;
	}
	log_info("seccomp: %zu system calls allowed, any other fails with "
		 "EPERM", N_ALLOWED);
	return 0;
}

#else

int ktlsd_seccomp_install(void)
{
	log_warn("seccomp: no filter for this architecture");
	return 0;
}

#endif
