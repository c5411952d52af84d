/*
 * A C peer of namedsem's crash-safe kind, written from its documentation alone (README,
 * "Crash-safe semaphores"; docs/interop.md): the key is the 32-bit FNV-1a hash of the name's
 * UTF-8 bytes; the set has exactly 5 semaphores: 0 counts free permits, 1 the headroom to the
 * maximum, 2 is 1 once initialised, 3 and 4 hold bits 0-14 and 15-29 of the 64-bit FNV-1a hash
 * of the name (the set's identity, checked before every use); acquire is
 * {0,-1,SEM_UNDO},{1,+1,SEM_UNDO} in one semop.
 *
 *   sysv_peer hold NAME      acquire one permit, print "acquired", then sleep until killed
 *   sysv_peer values NAME    print "count headroom initialised"
 *   sysv_peer fill NAME      take all headroom without SEM_UNDO (simulates a foreign release
 *                            that raised the count to the maximum); print "filled"
 *   sysv_peer foreign NAME   create a one-semaphore set under NAME's key, as another program
 *                            might; print its id
 *   sysv_peer bare NAME      create a 5-semaphore set under NAME's key and never initialise it
 *                            (a creator that died after semget); print its id
 * Every command but foreign and bare refuses a set that fails the identity check (exit 1).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>
#include <unistd.h>

enum { COUNT, HEADROOM, INITIALISED, ID_LOW, ID_HIGH, NSEMS };

static key_t key_of(const char *name) {
    uint32_t h = 0x811C9DC5u;
    for (const unsigned char *p = (const unsigned char *) name; *p; p++) { h ^= *p; h *= 0x01000193u; }
    return h == 0 ? 1 : (key_t) h;
}

static uint64_t identity_of(const char *name) {
    uint64_t h = 0xCBF29CE484222325ull;
    for (const unsigned char *p = (const unsigned char *) name; *p; p++) { h ^= *p; h *= 0x100000001B3ull; }
    return h;
}

/* Opens NAME's set and checks that it is NAME's: exactly NSEMS semaphores, initialised, identity. */
static int open_checked(const char *name) {
    int id = semget(key_of(name), NSEMS, 0);
    if (id < 0) { perror("semget"); exit(1); }
    errno = 0;
    if (semctl(id, NSEMS, GETVAL) != -1 || errno != EINVAL) { fprintf(stderr, "not a namedsem set: more than %d semaphores\n", NSEMS); exit(1); }
    uint64_t h = identity_of(name);
    if (semctl(id, INITIALISED, GETVAL) != 1 || semctl(id, ID_LOW, GETVAL) != (int) (h & 0x7FFF)
            || semctl(id, ID_HIGH, GETVAL) != (int) ((h >> 15) & 0x7FFF)) {
        fprintf(stderr, "the set under this key is not %s's (identity mismatch or not initialised)\n", name);
        exit(1);
    }
    return id;
}

static void create_unchecked(const char *name, int nsems) {
    int id = semget(key_of(name), nsems, IPC_CREAT | IPC_EXCL | 0600);
    if (id < 0) { perror("semget"); exit(1); }
    printf("%d\n", id);
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: sysv_peer hold|values|fill|foreign|bare NAME\n"); return 1; }
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *name = argv[2];
    if (strcmp(argv[1], "foreign") == 0) { create_unchecked(name, 1); return 0; }
    if (strcmp(argv[1], "bare") == 0) { create_unchecked(name, NSEMS); return 0; }
    int id = open_checked(name);
    if (strcmp(argv[1], "hold") == 0) {
        struct sembuf ops[2] = {{COUNT, -1, SEM_UNDO}, {HEADROOM, +1, SEM_UNDO}};
        if (semop(id, ops, 2) != 0) { perror("semop"); return 1; }
        puts("acquired");
        for (;;) pause();
    }
    if (strcmp(argv[1], "values") == 0) {
        printf("%d %d %d\n", semctl(id, COUNT, GETVAL), semctl(id, HEADROOM, GETVAL), semctl(id, INITIALISED, GETVAL));
        return 0;
    }
    if (strcmp(argv[1], "fill") == 0) {
        int headroom = semctl(id, HEADROOM, GETVAL);
        struct sembuf ops[2] = {{HEADROOM, (short) -headroom, 0}, {COUNT, (short) headroom, 0}};
        if (semop(id, ops, 2) != 0) { perror("semop"); return 1; }
        puts("filled");
        return 0;
    }
    fprintf(stderr, "unknown command %s\n", argv[1]);
    return 1;
}
