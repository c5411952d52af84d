/*
 * A stand-in for the parts of kernel32 and ntdll that namedsem's Windows backend calls, with
 * Win32 semantics as Microsoft documents them (and as recorded in the project's platform facts),
 * so that the backend's real downcalls run on Linux in every build. Test code only: it is built
 * by the tests with gcc into target/ and never shipped.
 *
 * The library file is named exactly "kernel32" (with "ntdll" a symbolic link to it), because
 * SymbolLookup.libraryLookup("kernel32") hands the name to dlopen unchanged, and dlopen finds a
 * bare name through LD_LIBRARY_PATH. The JVM runs with -Dos.name=Windows; the linker captures
 * errno where Windows has GetLastError(), so every failing function here sets errno to the Win32
 * error code, last, right before it returns.
 *
 * Named objects live in a file next to the library, mapped MAP_SHARED by every process that loads
 * it: one robust process-shared mutex guards the whole table; waiters sleep on a futex word that
 * every release bumps (a process-shared condition variable could hang its signallers when a
 * waiter is killed, which the multi-process tests do). A process's handles are counted per
 * object and process, so an object dies with its last handle, including the handles of processes
 * that ended without closing them, as on Windows.
 *
 * The detector: a handle that was closed and not yet handed out again, when used, aborts the
 * process with a message; so does closing a handle while a wait on it is in progress. Both are
 * undefined behaviour on Windows (the value may already name another object), and the portable
 * API promises they never happen.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

typedef void *HANDLE;
typedef int32_t LONG;
typedef uint32_t DWORD;
typedef int32_t BOOL;
typedef uint16_t WCHAR;
typedef int32_t NTSTATUS;

#define ERROR_SUCCESS 0
#define ERROR_FILE_NOT_FOUND 2
#define ERROR_PATH_NOT_FOUND 3
#define ERROR_ACCESS_DENIED 5
#define ERROR_INVALID_HANDLE 6
#define ERROR_NOT_ENOUGH_MEMORY 8
#define ERROR_INVALID_PARAMETER 87
#define ERROR_INSUFFICIENT_BUFFER 122
#define ERROR_ALREADY_EXISTS 183
#define ERROR_FILENAME_EXCED_RANGE 206
#define ERROR_TOO_MANY_POSTS 298
#define ERROR_MR_MID_NOT_FOUND 317

#define WAIT_OBJECT_0 0x0u
#define WAIT_TIMEOUT 0x102u
#define WAIT_FAILED 0xFFFFFFFFu
#define INFINITE 0xFFFFFFFFu

#define SEMAPHORE_QUERY_STATE 0x0001u
#define SEMAPHORE_MODIFY_STATE 0x0002u
#define SYNCHRONIZE 0x00100000u

#define STATUS_SUCCESS 0
#define STATUS_INVALID_INFO_CLASS ((NTSTATUS) 0xC0000003u)
#define STATUS_INFO_LENGTH_MISMATCH ((NTSTATUS) 0xC0000004u)
#define STATUS_INVALID_HANDLE ((NTSTATUS) 0xC0000008u)
#define STATUS_ACCESS_DENIED ((NTSTATUS) 0xC0000022u)
#define STATUS_OBJECT_TYPE_MISMATCH ((NTSTATUS) 0xC0000024u)

#define FORMAT_MESSAGE_IGNORE_INSERTS 0x200u
#define FORMAT_MESSAGE_FROM_SYSTEM 0x1000u

#define MAX_PATH 260
#define MAX_OBJECTS 1024
#define MAX_HOLDERS 64
#define MAX_HANDLES 4096
/* Windows keeps "Local\x" and "x" as one object in a session, "Global\x" apart. */
#define MAX_KEY (MAX_PATH + 8)

enum type { FREE = 0, SEMAPHORE, MUTEX, EVENT };

struct holder {
    pid_t pid;
    int handles;
};

struct object {
    int type;
    int named;
    int key_length;
    WCHAR key[MAX_KEY];
    LONG count;
    LONG maximum;
    uint32_t serial; /* tells a reused slot from the object a handle was opened on */
    struct holder holders[MAX_HOLDERS];
};

struct table {
    pthread_mutex_t lock;
    uint32_t released; /* futex word: bumped by every release */
    uint32_t next_serial;
    struct object objects[MAX_OBJECTS];
};

/* This process's handles; a handle value is (index + 1) * 4, the lowest free index first. */
enum handle_state { NEVER_USED = 0, OPEN, CLOSED };
struct handle {
    int state;
    int object;
    uint32_t serial;
    DWORD access;
    int waits; /* waits on this handle in progress */
};

static struct table *table;
static struct handle handles[MAX_HANDLES];
static pthread_once_t mapped = PTHREAD_ONCE_INIT;

static void die(const char *what, HANDLE h) {
    fprintf(stderr, "\nwin32 emulation: %s (handle %p, pid %d): the caller broke the handle contract;"
            " on Windows this is undefined behaviour. Aborting.\n", what, h, (int) getpid());
    fflush(stderr);
    abort();
}

static void fail_setup(const char *what) {
    fprintf(stderr, "win32 emulation: cannot set up the shared object table: %s: %s\n", what, strerror(errno));
    abort();
}

static void map_table(void) {
    Dl_info self;
    if (!dladdr((void *) &map_table, &self) || self.dli_fname == NULL) {
        fail_setup("dladdr");
    }
    char library[PATH_MAX];
    snprintf(library, sizeof library, "%s", self.dli_fname);
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/win32-objects", dirname(library));
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        fail_setup(path);
    }
    if (flock(fd, LOCK_EX) != 0) {
        fail_setup("flock");
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        fail_setup("fstat");
    }
    int fresh = st.st_size < (off_t) sizeof(struct table);
    if (fresh && ftruncate(fd, sizeof(struct table)) != 0) {
        fail_setup("ftruncate");
    }
    table = mmap(NULL, sizeof(struct table), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (table == MAP_FAILED) {
        fail_setup("mmap");
    }
    if (fresh) {
        pthread_mutexattr_t attributes;
        pthread_mutexattr_init(&attributes);
        pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED);
        pthread_mutexattr_setrobust(&attributes, PTHREAD_MUTEX_ROBUST);
        pthread_mutex_init(&table->lock, &attributes);
        pthread_mutexattr_destroy(&attributes);
        table->next_serial = 1;
    }
    flock(fd, LOCK_UN);
    close(fd);
}

static void lock(void) {
    pthread_once(&mapped, map_table);
    int rc = pthread_mutex_lock(&table->lock);
    if (rc == EOWNERDEAD) {
        /* A process died inside a call; every update below is complete before any unlock-free exit. */
        pthread_mutex_consistent(&table->lock);
    } else if (rc != 0) {
        errno = rc;
        fail_setup("pthread_mutex_lock");
    }
}

static void unlock(void) {
    pthread_mutex_unlock(&table->lock);
}

/* Sets the "last error" (errno, which the JVM captures on Linux) as the very last step. */
#define RETURN_ERROR(code, value) do { unlock(); errno = (code); return (value); } while (0)

static int total_handles(const struct object *o) {
    int total = 0;
    for (int i = 0; i < MAX_HOLDERS; i++) {
        total += o->holders[i].handles;
    }
    return total;
}

/* Windows closes a process's handles when it ends: forget the holders that are gone. */
static void forget_ended_processes(void) {
    for (int i = 0; i < MAX_OBJECTS; i++) {
        struct object *o = &table->objects[i];
        if (o->type == FREE) {
            continue;
        }
        for (int j = 0; j < MAX_HOLDERS; j++) {
            pid_t pid = o->holders[j].pid;
            if (o->holders[j].handles > 0 && pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH) {
                o->holders[j].handles = 0;
                o->holders[j].pid = 0;
            }
        }
        if (total_handles(o) == 0) {
            memset(o, 0, sizeof *o);
        }
    }
}

static int add_holder(struct object *o) {
    pid_t self = getpid();
    int empty = -1;
    for (int j = 0; j < MAX_HOLDERS; j++) {
        if (o->holders[j].handles > 0 && o->holders[j].pid == self) {
            o->holders[j].handles++;
            return 1;
        }
        if (o->holders[j].handles == 0 && empty < 0) {
            empty = j;
        }
    }
    if (empty < 0) {
        return 0;
    }
    o->holders[empty].pid = self;
    o->holders[empty].handles = 1;
    return 1;
}

/* A new handle in this process for object index i, or NULL when the tables are full. */
static HANDLE new_handle(int i, DWORD access) {
    for (int h = 0; h < MAX_HANDLES; h++) {
        if (handles[h].state != OPEN) {
            if (!add_holder(&table->objects[i])) {
                return NULL;
            }
            handles[h] = (struct handle) {OPEN, i, table->objects[i].serial, access, 0};
            return (HANDLE) (uintptr_t) ((h + 1) * 4);
        }
    }
    return NULL;
}

/*
 * The entry of an open handle, or NULL for a value that was never a handle here. Aborts for a
 * handle that was closed and not handed out again: a use after CloseHandle.
 */
static struct handle *entry(HANDLE h, const char *call) {
    uintptr_t v = (uintptr_t) h;
    if (v == 0 || v % 4 != 0 || v / 4 > MAX_HANDLES) {
        return NULL;
    }
    struct handle *e = &handles[v / 4 - 1];
    if (e->state == CLOSED) {
        char what[128];
        snprintf(what, sizeof what, "%s on a handle after CloseHandle", call);
        unlock();
        die(what, h);
    }
    return e->state == OPEN ? e : NULL;
}

/* The canonical key of a name: "Local\" dropped, "Global\" kept. 0, or a Win32 error. */
static int key_of(const WCHAR *name, WCHAR *key, int *length) {
    static const char LOCAL[] = "Local\\", GLOBAL[] = "Global\\";
    int n = 0;
    while (name[n] != 0) {
        if (++n > MAX_PATH) {
            return ERROR_FILENAME_EXCED_RANGE;
        }
    }
    int start = 0, prefix = 0;
    for (int k = 0; LOCAL[k] != 0; k++) {
        if (k >= n || name[k] != (WCHAR) LOCAL[k]) { break; }
        if (LOCAL[k + 1] == 0) { start = k + 1; }
    }
    if (start == 0) {
        for (int k = 0; GLOBAL[k] != 0; k++) {
            if (k >= n || name[k] != (WCHAR) GLOBAL[k]) { break; }
            if (GLOBAL[k + 1] == 0) { prefix = k + 1; }
        }
    }
    for (int k = start > 0 ? start : prefix; k < n; k++) {
        if (name[k] == '\\') {
            return ERROR_PATH_NOT_FOUND;
        }
    }
    *length = n - start;
    memcpy(key, name + start, sizeof(WCHAR) * (size_t) (n - start));
    return 0;
}

static int find(const WCHAR *key, int length) {
    for (int i = 0; i < MAX_OBJECTS; i++) {
        struct object *o = &table->objects[i];
        if (o->type != FREE && o->named && o->key_length == length
                && memcmp(o->key, key, sizeof(WCHAR) * (size_t) length) == 0) {
            return i;
        }
    }
    return -1;
}

/*
 * CreateSemaphoreExW / CreateMutexW / CreateEventW in one: creates the object, or opens the
 * existing object of that name (ERROR_ALREADY_EXISTS, counts ignored), or fails with
 * ERROR_INVALID_HANDLE when the name belongs to an object of another type.
 */
static HANDLE create_object(int type, LONG count, LONG maximum, const WCHAR *name, DWORD access) {
    WCHAR key[MAX_KEY];
    int length = 0;
    int named = name != NULL && name[0] != 0; /* an empty name, like NULL, makes an unnamed object */
    lock();
    forget_ended_processes();
    if (named) {
        int error = key_of(name, key, &length);
        if (error != 0) {
            RETURN_ERROR(error, NULL);
        }
        int existing = find(key, length);
        if (existing >= 0) {
            if (table->objects[existing].type != type) {
                RETURN_ERROR(ERROR_INVALID_HANDLE, NULL);
            }
            HANDLE h = new_handle(existing, access);
            if (h == NULL) {
                RETURN_ERROR(ERROR_NOT_ENOUGH_MEMORY, NULL);
            }
            RETURN_ERROR(ERROR_ALREADY_EXISTS, h);
        }
    }
    for (int i = 0; i < MAX_OBJECTS; i++) {
        struct object *o = &table->objects[i];
        if (o->type == FREE) {
            memset(o, 0, sizeof *o);
            o->type = type;
            o->named = named;
            o->key_length = length;
            memcpy(o->key, key, sizeof(WCHAR) * (size_t) length);
            o->count = count;
            o->maximum = maximum;
            o->serial = table->next_serial++;
            HANDLE h = new_handle(i, access);
            if (h == NULL) {
                memset(o, 0, sizeof *o);
                RETURN_ERROR(ERROR_NOT_ENOUGH_MEMORY, NULL);
            }
            RETURN_ERROR(ERROR_SUCCESS, h);
        }
    }
    RETURN_ERROR(ERROR_NOT_ENOUGH_MEMORY, NULL);
}

HANDLE CreateSemaphoreExW(void *attributes, LONG initial, LONG maximum, const WCHAR *name, DWORD flags,
                          DWORD access) {
    (void) attributes; /* security descriptors are not emulated: every caller gets what it asks for */
    if (maximum <= 0 || initial < 0 || initial > maximum || flags != 0) {
        errno = ERROR_INVALID_PARAMETER;
        return NULL;
    }
    return create_object(SEMAPHORE, initial, maximum, name, access);
}

/* Not used by namedsem: lets a test take a name with an object of another type. */
HANDLE CreateMutexW(void *attributes, BOOL initialOwner, const WCHAR *name) {
    (void) attributes;
    (void) initialOwner;
    return create_object(MUTEX, 0, 0, name, 0x1F0001u);
}

/* Not used by namedsem: lets a test take a name with an object of another type. */
HANDLE CreateEventW(void *attributes, BOOL manualReset, BOOL initialState, const WCHAR *name) {
    (void) attributes;
    (void) manualReset;
    return create_object(EVENT, initialState ? 1 : 0, 1, name, 0x1F0003u);
}

HANDLE OpenSemaphoreW(DWORD access, BOOL inherit, const WCHAR *name) {
    (void) inherit;
    if (name == NULL) {
        errno = ERROR_INVALID_PARAMETER;
        return NULL;
    }
    WCHAR key[MAX_KEY];
    int length = 0;
    lock();
    forget_ended_processes();
    int error = key_of(name, key, &length);
    if (error != 0) {
        RETURN_ERROR(error, NULL);
    }
    int existing = find(key, length);
    if (existing < 0) {
        RETURN_ERROR(ERROR_FILE_NOT_FOUND, NULL);
    }
    if (table->objects[existing].type != SEMAPHORE) {
        RETURN_ERROR(ERROR_INVALID_HANDLE, NULL);
    }
    HANDLE h = new_handle(existing, access);
    if (h == NULL) {
        RETURN_ERROR(ERROR_NOT_ENOUGH_MEMORY, NULL);
    }
    RETURN_ERROR(ERROR_SUCCESS, h);
}

static struct object *semaphore_of(struct handle *e) {
    struct object *o = &table->objects[e->object];
    if (o->serial != e->serial) {
        fprintf(stderr, "win32 emulation: object of a live handle vanished\n");
        abort();
    }
    return o->type == SEMAPHORE ? o : NULL;
}

static long long now_nanos(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/*
 * Windows ends a timed wait at a clock interrupt: by default every 15.625 ms (64 Hz), so a wait
 * of 1 ms may take 16 ms, and a 20 ms slice up to 31 ms. The emulation does the same, so that the
 * promises about how soon an interrupt or close is noticed are tested with Windows' granularity.
 */
#define TICK_NANOS 15625000LL

static long long tick_after(long long nanos) {
    return (nanos + TICK_NANOS - 1) / TICK_NANOS * TICK_NANOS;
}

DWORD WaitForSingleObject(HANDLE h, DWORD millis) {
    lock();
    struct handle *e = entry(h, "WaitForSingleObject");
    if (e == NULL) {
        RETURN_ERROR(ERROR_INVALID_HANDLE, WAIT_FAILED);
    }
    if ((e->access & SYNCHRONIZE) == 0) {
        RETURN_ERROR(ERROR_ACCESS_DENIED, WAIT_FAILED);
    }
    struct object *o = semaphore_of(e);
    if (o == NULL) {
        unlock();
        die("WaitForSingleObject on a mutex or event, which this emulation does not implement", h);
    }
    /* A zero timeout only tests the state and returns at once, on Windows too. */
    long long deadline = millis == INFINITE ? 0 : millis == 0 ? now_nanos() : tick_after(now_nanos() + millis * 1000000LL);
    e->waits++;
    for (;;) {
        if (o->count > 0) {
            o->count--;
            e->waits--;
            unlock();
            return WAIT_OBJECT_0;
        }
        long long left = millis == INFINITE ? 1 : deadline - now_nanos();
        if (left <= 0) {
            e->waits--;
            unlock();
            return WAIT_TIMEOUT;
        }
        uint32_t seen = __atomic_load_n(&table->released, __ATOMIC_SEQ_CST);
        unlock();
        struct timespec timeout = {left / 1000000000LL, left % 1000000000LL};
        /* Shared (not PRIVATE) futex: the word is in a MAP_SHARED file mapping. */
        syscall(SYS_futex, &table->released, FUTEX_WAIT, seen, millis == INFINITE ? NULL : &timeout, NULL, 0);
        lock();
    }
}

BOOL ReleaseSemaphore(HANDLE h, LONG releaseCount, LONG *previousCount) {
    lock();
    struct handle *e = entry(h, "ReleaseSemaphore");
    if (e == NULL) {
        RETURN_ERROR(ERROR_INVALID_HANDLE, 0);
    }
    struct object *o = semaphore_of(e);
    if (o == NULL) {
        RETURN_ERROR(ERROR_INVALID_HANDLE, 0);
    }
    if ((e->access & SEMAPHORE_MODIFY_STATE) == 0) {
        RETURN_ERROR(ERROR_ACCESS_DENIED, 0);
    }
    if (releaseCount <= 0) {
        RETURN_ERROR(ERROR_INVALID_PARAMETER, 0);
    }
    if ((long long) o->count + releaseCount > o->maximum) {
        RETURN_ERROR(ERROR_TOO_MANY_POSTS, 0); /* nothing released */
    }
    if (previousCount != NULL) {
        *previousCount = o->count;
    }
    o->count += releaseCount;
    __atomic_add_fetch(&table->released, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &table->released, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    unlock();
    return 1;
}

BOOL CloseHandle(HANDLE h) {
    lock();
    struct handle *e = entry(h, "CloseHandle");
    if (e == NULL) {
        RETURN_ERROR(ERROR_INVALID_HANDLE, 0);
    }
    if (e->waits > 0) {
        unlock();
        die("CloseHandle while a WaitForSingleObject on the handle is in progress", h);
    }
    struct object *o = &table->objects[e->object];
    pid_t self = getpid();
    for (int j = 0; j < MAX_HOLDERS; j++) {
        if (o->holders[j].handles > 0 && o->holders[j].pid == self) {
            o->holders[j].handles--;
            break;
        }
    }
    if (total_handles(o) == 0) {
        memset(o, 0, sizeof *o); /* destroyed with its last handle, and its name with it */
    }
    e->state = CLOSED;
    unlock();
    return 1;
}

NTSTATUS NtQuerySemaphore(HANDLE h, int informationClass, void *information, DWORD length, DWORD *returnLength) {
    if (informationClass != 0) {
        return STATUS_INVALID_INFO_CLASS;
    }
    if (length != 2 * sizeof(LONG)) {
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    lock();
    struct handle *e = entry(h, "NtQuerySemaphore");
    NTSTATUS status = STATUS_SUCCESS;
    if (e == NULL) {
        status = STATUS_INVALID_HANDLE;
    } else if (semaphore_of(e) == NULL) {
        status = STATUS_OBJECT_TYPE_MISMATCH;
    } else if ((e->access & SEMAPHORE_QUERY_STATE) == 0) {
        status = STATUS_ACCESS_DENIED;
    } else {
        struct object *o = semaphore_of(e);
        LONG info[2] = {o->count, o->maximum};
        memcpy(information, info, sizeof info);
        if (returnLength != NULL) {
            *returnLength = sizeof info;
        }
    }
    unlock();
    return status;
}

/* The system's texts for the codes namedsem meets, as FormatMessageW gives them: ending in CRLF. */
static const char *message(DWORD code) {
    switch (code) {
        case ERROR_SUCCESS: return "The operation completed successfully.\r\n";
        case ERROR_FILE_NOT_FOUND: return "The system cannot find the file specified.\r\n";
        case ERROR_PATH_NOT_FOUND: return "The system cannot find the path specified.\r\n";
        case ERROR_ACCESS_DENIED: return "Access is denied.\r\n";
        case ERROR_INVALID_HANDLE: return "The handle is invalid.\r\n";
        case ERROR_NOT_ENOUGH_MEMORY: return "Not enough memory resources are available to process this command.\r\n";
        case ERROR_INVALID_PARAMETER: return "The parameter is incorrect.\r\n";
        case ERROR_INSUFFICIENT_BUFFER: return "The data area passed to a system call is too small.\r\n";
        case ERROR_ALREADY_EXISTS: return "Cannot create a file when that file already exists.\r\n";
        case ERROR_FILENAME_EXCED_RANGE: return "The filename or extension is too long.\r\n";
        case ERROR_TOO_MANY_POSTS: return "Too many posts were made to a semaphore.\r\n";
        /*
         * Emulation only (bit 29 marks codes no system message table has): a text longer than the
         * 511 characters some callers budget for, as a few system messages are.
         */
        case 0x20000001u: return
            "A long message. Some Windows system messages run to several hundred characters, and"
            " FormatMessageW fails with ERROR_INSUFFICIENT_BUFFER when the caller's buffer cannot hold"
            " the whole text and its terminating NUL; a caller that budgets for 511 characters then has"
            " no text at all. This entry exists only in namedsem's Win32 emulation, so that a test can"
            " show that such a message still comes through whole: its last word is the one the test"
            " looks for, after more than five hundred and eleven characters of explanation that"
            " would otherwise have been lost to a buffer that was too small for it. END\r\n";
        default: return NULL;
    }
}

DWORD FormatMessageW(DWORD flags, const void *source, DWORD id, DWORD language, WCHAR *buffer, DWORD size,
                     void *arguments) {
    (void) source;
    (void) language;
    (void) arguments;
    if ((flags & FORMAT_MESSAGE_FROM_SYSTEM) == 0 || (flags & ~(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS)) != 0) {
        fprintf(stderr, "win32 emulation: FormatMessageW flags 0x%x are not emulated\n", flags);
        abort();
    }
    if (size > 65536 / sizeof(WCHAR)) { /* "The output buffer cannot be larger than 64K bytes." */
        errno = ERROR_INVALID_PARAMETER;
        return 0;
    }
    const char *text = message(id);
    if (text == NULL) {
        errno = ERROR_MR_MID_NOT_FOUND;
        return 0;
    }
    size_t n = strlen(text);
    if (n + 1 > size) {
        errno = ERROR_INSUFFICIENT_BUFFER;
        return 0;
    }
    for (size_t k = 0; k <= n; k++) {
        buffer[k] = (unsigned char) text[k];
    }
    return (DWORD) n;
}
