"""A Python peer of namedsem's crash-safe kind using the sysv_ipc module (Debian's
python3-sysv-ipc), written from namedsem's documentation: the key is the 32-bit FNV-1a hash
of the name's UTF-8 bytes; the set has exactly 5 semaphores, and 3 and 4 hold bits 0-14 and
15-29 of the 64-bit FNV-1a hash of the name, its identity, checked (through ctypes, as sysv_ipc
only reaches semaphore 0) before the set is used. sysv_ipc's Semaphore works on semaphore 0 of
the set, the count.

    sysv_peer.py hold NAME    acquire one permit with SEM_UNDO, print "acquired", sleep until killed
"""
import ctypes
import errno
import sys
import time

import sysv_ipc

NSEMS = 5
GETVAL = 12
INITIALISED, ID_LOW, ID_HIGH = 2, 3, 4


def key_of(name):
    h = 0x811C9DC5
    for b in name.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    if h == 0:
        h = 1
    return h - (1 << 32) if h >= (1 << 31) else h


def identity_of(name):
    h = 0xCBF29CE484222325
    for b in name.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h & 0x3FFFFFFF


def check_identity(name):
    """Exits unless the set under the name's key is the name's: 5 semaphores, initialised, identity."""
    libc = ctypes.CDLL(None, use_errno=True)
    semid = libc.semget(key_of(name), 0, 0)
    if semid < 0:
        sys.exit(f"no set for {name}: {errno.errorcode.get(ctypes.get_errno())}")
    if libc.semctl(semid, NSEMS - 1, GETVAL) < 0:
        sys.exit(f"not a namedsem set: fewer than {NSEMS} semaphores")
    if libc.semctl(semid, NSEMS, GETVAL) != -1 or ctypes.get_errno() != errno.EINVAL:
        sys.exit(f"not a namedsem set: more than {NSEMS} semaphores")
    identity = identity_of(name)
    values = [libc.semctl(semid, i, GETVAL) for i in (INITIALISED, ID_LOW, ID_HIGH)]
    if values != [1, identity & 0x7FFF, identity >> 15]:
        sys.exit(f"the set under this key is not {name}'s: {values}")


def main(argv):
    command, name = argv[1], argv[2]
    check_identity(name)
    sem = sysv_ipc.Semaphore(key_of(name))
    sem.undo = True
    if command == "hold":
        sem.acquire(5)
        print("acquired", flush=True)
        while True:
            time.sleep(3600)
    sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv)
