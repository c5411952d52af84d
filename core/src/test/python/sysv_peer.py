"""A Python peer of namedsem's crash-safe kind using the sysv_ipc module (Debian's
python3-sysv-ipc), written from namedsem's documentation: the key is the 32-bit FNV-1a hash
of the name's UTF-8 bytes. sysv_ipc's Semaphore works on semaphore 0 of the set, the count.

    sysv_peer.py hold NAME    acquire one permit with SEM_UNDO, print "acquired", sleep until killed
"""
import sys
import time

import sysv_ipc


def key_of(name):
    h = 0x811C9DC5
    for b in name.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    if h == 0:
        h = 1
    return h - (1 << 32) if h >= (1 << 31) else h


def main(argv):
    command, name = argv[1], argv[2]
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
