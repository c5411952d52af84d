"""The Python side of PythonHandoff.java: waits for NAME-ready, upper-cases the file, posts
NAME-done. Plain ctypes over libc (sem_open by name), so no package is needed."""
import ctypes
import sys

libc = ctypes.CDLL("libc.so.6", use_errno=True)
libc.sem_open.restype = ctypes.c_void_p
libc.sem_open.argtypes = [ctypes.c_char_p, ctypes.c_int]
for fn in ("sem_wait", "sem_post", "sem_close"):
    getattr(libc, fn).argtypes = [ctypes.c_void_p]


def open_sem(name):
    sem = libc.sem_open(name.encode("utf-8"), 0)
    if not sem:
        raise OSError(ctypes.get_errno(), f"sem_open({name})")
    return sem


def main(ready_name, done_name, path):
    ready, done = open_sem(ready_name), open_sem(done_name)
    try:
        while libc.sem_wait(ready) != 0:          # EINTR: wait again
            pass
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.upper() + " (handled by Python)")
        libc.sem_post(done)
    finally:
        libc.sem_close(ready)
        libc.sem_close(done)


if __name__ == "__main__":
    main(*sys.argv[1:4])
