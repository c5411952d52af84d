"""The Python comparator: ctypes over the C library, the original package's technique.
Same modes and output as semb.c (uncontended, pingpong)."""
import ctypes
import os
import signal
import sys
import time

libc = ctypes.CDLL("libc.so.6", use_errno=True)
libc.sem_open.restype = ctypes.c_void_p
libc.sem_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_uint]
for fn in ("sem_post", "sem_trywait", "sem_wait", "sem_close"):
    getattr(libc, fn).argtypes = [ctypes.c_void_p]


def open_sem(name):
    sem = libc.sem_open(name.encode(), 0, 0, 0)
    if not sem:
        sys.exit(f"sem_open {name}: {os.strerror(ctypes.get_errno())}")
    return sem


def main(argv):
    mode = argv[1]
    if mode == "uncontended":
        sem, n = open_sem(argv[2]), int(argv[3])
        trywait, post = libc.sem_trywait, libc.sem_post
        t0 = time.perf_counter_ns()
        for _ in range(n):
            trywait(sem)
            post(sem)
        print(f"{(time.perf_counter_ns() - t0) / n:.3f}")
    elif mode == "pingpong":
        ping, pong, n = open_sem(argv[2]), open_sem(argv[3]), int(argv[4])
        child = os.fork()
        if child == 0:
            while True:
                libc.sem_wait(ping)
                libc.sem_post(pong)
        t0 = time.perf_counter_ns()
        for _ in range(n):
            libc.sem_post(ping)
            libc.sem_wait(pong)
        print(f"{(time.perf_counter_ns() - t0) / n:.3f}")
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv)
