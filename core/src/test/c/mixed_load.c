/*
 * One C participant of the long mixed Java/C test: OPS operations on an existing semaphore,
 * in a random mix of sem_trywait, blocking waits and sem_post, holding at most one permit at a
 * time so that the participants can never deadlock, and now and then for 20 us so that the
 * others block. A blocking wait gives up after
 * WAIT_LIMIT_MS: with every holder posting promptly, that only happens when a wake-up was lost.
 *
 *   mixed_load NAME OPS SEED WAIT_LIMIT_MS
 *
 * Prints "ready" and waits for a line on stdin, so that all participants start together; then
 * prints "done BLOCKED" (how many waits actually blocked) and exits 0, or prints
 * "lost wake-up after N ms" and exits 3; 1 on other errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: mixed_load NAME OPS SEED WAIT_LIMIT_MS\n");
        return 1;
    }
    sem_t *s = sem_open(argv[1], 0);
    if (s == SEM_FAILED) {
        fprintf(stderr, "mixed_load: sem_open(%s): %s\n", argv[1], strerror(errno));
        return 1;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    char line[16];
    puts("ready");
    if (fgets(line, sizeof line, stdin) == NULL) return 1;
    long ops = atol(argv[2]);
    unsigned seed = (unsigned) atol(argv[3]);
    long limit = atol(argv[4]);
    long blocked = 0;
    int held = 0;
    for (long i = 0; i < ops; i++) {
        if (held) {
            if (rand_r(&seed) % 64 == 0) { /* now and then hold on, so that others must block */
                struct timespec hold = {0, 20000};
                nanosleep(&hold, NULL);
            }
            if (sem_post(s) != 0) {
                fprintf(stderr, "mixed_load: sem_post: %s\n", strerror(errno));
                return 1;
            }
            held = 0;
        } else if (rand_r(&seed) % 2 == 0) {
            held = sem_trywait(s) == 0;
        } else if (sem_trywait(s) == 0) {
            held = 1;
        } else {
            struct timespec deadline;
            clock_gettime(CLOCK_REALTIME, &deadline);
            deadline.tv_sec += limit / 1000;
            deadline.tv_nsec += (limit % 1000) * 1000000L;
            if (deadline.tv_nsec >= 1000000000L) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000L; }
            int rc;
            while ((rc = sem_timedwait(s, &deadline)) != 0 && errno == EINTR) {}
            if (rc != 0) {
                printf("lost wake-up after %ld ms\n", limit);
                return 3;
            }
            blocked++;
            held = 1;
        }
    }
    if (held) sem_post(s);
    printf("done %ld\n", blocked);
    sem_close(s);
    return 0;
}
