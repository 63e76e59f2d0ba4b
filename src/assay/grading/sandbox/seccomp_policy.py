"""The seccomp policy, compiled to BPF on stdout by Debian's /usr/bin/python3 and python3-seccomp.

Run as a script by ``assay.grading.sandbox.seccomp`` (libseccomp's bindings exist for the system
Python only); never imported by the application. Denied calls fail with an errno instead of
killing the process, so runtimes that probe for a feature (glibc's clone3, libuv's io_uring)
fall back cleanly; calls of a foreign architecture (x32, i386) kill the process.
"""

from __future__ import annotations

import errno
import sys

import seccomp

AF_UNIX = 1
# Namespace flags of clone(2): a nested user namespace would give back mount, ptrace and more.
CLONE_NEW_FLAGS = (
    0x00020000,  # CLONE_NEWNS
    0x02000000,  # CLONE_NEWCGROUP
    0x04000000,  # CLONE_NEWUTS
    0x08000000,  # CLONE_NEWIPC
    0x10000000,  # CLONE_NEWUSER
    0x20000000,  # CLONE_NEWPID
    0x40000000,  # CLONE_NEWNET
    0x00000080,  # CLONE_NEWTIME
)
DENIED_EPERM = (
    # debugging and reading other processes' memory
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "perf_event_open",
    # mounts and namespaces
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "move_mount",
    "open_tree",
    "mount_setattr",
    # kernel attack surface a graded program never needs
    "bpf",
    "userfaultfd",
    "keyctl",
    "add_key",
    "request_key",
    "open_by_handle_at",
    "name_to_handle_at",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "acct",
    "swapon",
    "swapoff",
    "reboot",
    "quotactl",
    "syslog",
)
# ENOSYS makes callers fall back: glibc's pthread_create to clone(2), libuv to epoll.
DENIED_ENOSYS = ("clone3", "io_uring_setup", "io_uring_enter", "io_uring_register")


def build() -> seccomp.SyscallFilter:
    policy = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    for name in DENIED_EPERM:
        policy.add_rule(seccomp.ERRNO(errno.EPERM), name)
    for name in DENIED_ENOSYS:
        policy.add_rule(seccomp.ERRNO(errno.ENOSYS), name)
    for flag in CLONE_NEW_FLAGS:
        policy.add_rule(
            seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag)
        )
    # Only local (AF_UNIX) sockets; the network namespace already has nothing but loopback.
    policy.add_rule(
        seccomp.ERRNO(errno.EAFNOSUPPORT), "socket", seccomp.Arg(0, seccomp.NE, AF_UNIX)
    )
    return policy


if __name__ == "__main__":
    build().export_bpf(sys.stdout)
