"""A peer in Python over ctypes, the original package's own technique, here calling the C
library's POSIX semaphore functions. Same commands and output as src/test/c/peer.c."""
import ctypes
import os
import sys
import time

libc = ctypes.CDLL("libc.so.6", use_errno=True)
libc.sem_open.restype = ctypes.c_void_p
libc.sem_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_uint]
for fn in ("sem_post", "sem_trywait", "sem_close"):
    getattr(libc, fn).argtypes = [ctypes.c_void_p]
libc.sem_timedwait.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
libc.sem_getvalue.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
libc.sem_unlink.argtypes = [ctypes.c_char_p]

O_CREAT, O_EXCL, ETIMEDOUT, EINTR = 0o100, 0o200, 110, 4


class Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


def fail(what, name):
    err = ctypes.get_errno()
    print(f"peer.py: {what}({name}): {os.strerror(err)}", file=sys.stderr)
    return 1


def main(argv):
    cmd, name = argv[1], argv[2]
    bname = name.encode("utf-8")
    if cmd == "unlink":
        if libc.sem_unlink(bname) != 0:
            return fail("sem_unlink", name)
        print("unlinked")
        return 0
    if cmd == "create":
        sem = libc.sem_open(bname, O_CREAT | O_EXCL, 0o600, int(argv[3]))
        if not sem:
            return fail("sem_open", name)
        print("created")
        libc.sem_close(sem)
        return 0
    sem = libc.sem_open(bname, 0, 0, 0)
    if not sem:
        return fail("sem_open", name)
    if cmd == "wait":
        deadline = time.clock_gettime(time.CLOCK_REALTIME) + int(argv[3]) / 1000.0
        ts = Timespec(int(deadline), int((deadline % 1) * 1e9))
        print("waiting", flush=True)
        while True:
            if libc.sem_timedwait(sem, ctypes.byref(ts)) == 0:
                print("acquired")
                return 0
            err = ctypes.get_errno()
            if err == ETIMEDOUT:
                print("timeout")
                return 2
            if err != EINTR:
                return fail("sem_timedwait", name)
    if cmd == "post":
        for _ in range(int(argv[3]) if len(argv) > 3 else 1):
            if libc.sem_post(sem) != 0:
                return fail("sem_post", name)
        value = ctypes.c_int()
        libc.sem_getvalue(sem, ctypes.byref(value))
        print(value.value)
        return 0
    if cmd == "value":
        value = ctypes.c_int()
        if libc.sem_getvalue(sem, ctypes.byref(value)) != 0:
            return fail("sem_getvalue", name)
        print(value.value)
        return 0
    if cmd == "try":
        print("ready", flush=True)
        if not sys.stdin.readline():
            return 1
        if libc.sem_trywait(sem) == 0:
            print("acquired", flush=True)
            time.sleep(int(argv[3]) / 1000.0)
            libc.sem_post(sem)
            print("released")
            return 0
        print("timeout")
        return 2
    print(f"peer.py: unknown command {cmd}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
