/*
 * A C peer of namedsem's crash-safe kind, written from its documentation alone: the key is the
 * 32-bit FNV-1a hash of the name's UTF-8 bytes; semaphore 0 counts free permits, 1 the headroom
 * to the maximum, 2 is 1 once initialised; acquire is {0,-1,SEM_UNDO},{1,+1,SEM_UNDO} in one semop.
 *
 *   sysv_peer hold NAME      acquire one permit, print "acquired", then sleep until killed
 *   sysv_peer values NAME    print "count headroom initialised"
 *   sysv_peer fill NAME      take all headroom without SEM_UNDO (simulates a foreign release
 *                            that raised the count to the maximum); print "filled"
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>
#include <unistd.h>

static key_t key_of(const char *name) {
    uint32_t h = 0x811C9DC5u;
    for (const unsigned char *p = (const unsigned char *) name; *p; p++) { h ^= *p; h *= 0x01000193u; }
    return h == 0 ? 1 : (key_t) h;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: sysv_peer hold|values|fill NAME\n"); return 1; }
    setvbuf(stdout, NULL, _IONBF, 0);
    int id = semget(key_of(argv[2]), 3, 0);
    if (id < 0) { perror("semget"); return 1; }
    if (strcmp(argv[1], "hold") == 0) {
        struct sembuf ops[2] = {{0, -1, SEM_UNDO}, {1, +1, SEM_UNDO}};
        if (semop(id, ops, 2) != 0) { perror("semop"); return 1; }
        puts("acquired");
        for (;;) pause();
    }
    if (strcmp(argv[1], "values") == 0) {
        printf("%d %d %d\n", semctl(id, 0, GETVAL), semctl(id, 1, GETVAL), semctl(id, 2, GETVAL));
        return 0;
    }
    if (strcmp(argv[1], "fill") == 0) {
        int headroom = semctl(id, 1, GETVAL);
        struct sembuf ops[2] = {{1, (short) -headroom, 0}, {0, (short) headroom, 0}};
        if (semop(id, ops, 2) != 0) { perror("semop"); return 1; }
        puts("filled");
        return 0;
    }
    fprintf(stderr, "unknown command %s\n", argv[1]);
    return 1;
}
