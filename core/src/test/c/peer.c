/*
 * A peer written against POSIX directly, to prove that namedsem's semaphores are the very
 * objects C programs open by name. Built by the tests with gcc at test time.
 *
 *   peer wait NAME TIMEOUT_MS   sem_open an existing semaphore, sem_timedwait for a permit;
 *                               prints "acquired" or "timeout"
 *   peer waits NAME TIMEOUT_MS  for each line on stdin, sem_timedwait as above and print the
 *                               result; ends at the end of stdin
 *   peer cycle NAME HOLD_US MS  prints "ready", waits for a line on stdin, then for MS
 *                               milliseconds: sem_wait, hold HOLD_US, sem_post, pause HOLD_US;
 *                               prints how many permits it took
 *   peer post NAME [N]          sem_post N times (default 1); prints the value after
 *   peer value NAME             prints sem_getvalue
 *   peer create NAME VALUE      sem_open(O_CREAT|O_EXCL, 0600, VALUE); prints "created"
 *   peer unlink NAME            sem_unlink; prints "unlinked"
 *   peer try NAME HOLD_MS       prints "ready", waits for a line on stdin, then sem_trywait;
 *                               prints "acquired" (holds HOLD_MS, posts, prints "released")
 *                               or "timeout"
 * Exit status 0 on success, 2 on timeout, 1 on error (with errno on stderr).
 */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int fail(const char *what, const char *name) {
    fprintf(stderr, "peer: %s(%s): %s\n", what, name, strerror(errno));
    return 1;
}

/* sem_timedwait for MS milliseconds; prints "acquired" (returns 0) or "timeout" (returns 2). */
static int timed_wait(sem_t *s, const char *name, long ms) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += ms / 1000;
    deadline.tv_nsec += (ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000L; }
    int rc;
    while ((rc = sem_timedwait(s, &deadline)) != 0 && errno == EINTR) {}
    if (rc == 0) {
        puts("acquired");
        return 0;
    }
    if (errno == ETIMEDOUT) {
        puts("timeout");
        return 2;
    }
    return fail("sem_timedwait", name);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: peer wait|post|value|create|unlink NAME [ARG]\n");
        return 1;
    }
    const char *cmd = argv[1], *name = argv[2];
    setvbuf(stdout, NULL, _IONBF, 0);

    if (strcmp(cmd, "unlink") == 0) {
        if (sem_unlink(name) != 0) return fail("sem_unlink", name);
        puts("unlinked");
        return 0;
    }
    if (strcmp(cmd, "create") == 0) {
        sem_t *s = sem_open(name, O_CREAT | O_EXCL, 0600, (unsigned) atoi(argv[3]));
        if (s == SEM_FAILED) return fail("sem_open", name);
        puts("created");
        return sem_close(s) == 0 ? 0 : fail("sem_close", name);
    }

    sem_t *s = sem_open(name, 0);
    if (s == SEM_FAILED) return fail("sem_open", name);
    int rc = 0;
    if (strcmp(cmd, "wait") == 0) {
        puts("waiting");
        rc = timed_wait(s, name, atol(argv[3]));
    } else if (strcmp(cmd, "waits") == 0) {
        char line[64];
        while (rc != 1 && fgets(line, sizeof line, stdin) != NULL) {
            rc = timed_wait(s, name, atol(argv[3]));
        }
    } else if (strcmp(cmd, "cycle") == 0) {
        char line[64];
        puts("ready");
        if (fgets(line, sizeof line, stdin) == NULL) {
            rc = 1;
        } else {
            long hold_ns = atol(argv[3]) * 1000L, taken = 0;
            struct timespec hold = {hold_ns / 1000000000L, hold_ns % 1000000000L}, start, now;
            clock_gettime(CLOCK_MONOTONIC, &start);
            for (now = start; (now.tv_sec - start.tv_sec) * 1000L + (now.tv_nsec - start.tv_nsec) / 1000000L < atol(argv[4]);
                 clock_gettime(CLOCK_MONOTONIC, &now)) {
                while ((rc = sem_wait(s)) != 0 && errno == EINTR) {}
                if (rc != 0) {
                    rc = fail("sem_wait", name);
                    break;
                }
                taken++;
                nanosleep(&hold, NULL);
                sem_post(s);
                nanosleep(&hold, NULL);
            }
            printf("%ld\n", taken);
        }
    } else if (strcmp(cmd, "post") == 0) {
        int n = argc > 3 ? atoi(argv[3]) : 1;
        for (int i = 0; i < n && rc == 0; i++) {
            if (sem_post(s) != 0) rc = fail("sem_post", name);
        }
        int v;
        sem_getvalue(s, &v);
        if (rc == 0) printf("%d\n", v);
    } else if (strcmp(cmd, "try") == 0) {
        char line[64];
        puts("ready");
        if (fgets(line, sizeof line, stdin) == NULL) {
            rc = 1;
        } else if (sem_trywait(s) == 0) {
            puts("acquired");
            struct timespec hold = {atol(argv[3]) / 1000, (atol(argv[3]) % 1000) * 1000000L};
            nanosleep(&hold, NULL);
            sem_post(s);
            puts("released");
        } else {
            puts("timeout");
            rc = 2;
        }
    } else if (strcmp(cmd, "value") == 0) {
        int v;
        if (sem_getvalue(s, &v) != 0) rc = fail("sem_getvalue", name);
        else printf("%d\n", v);
    } else {
        fprintf(stderr, "peer: unknown command %s\n", cmd);
        rc = 1;
    }
    sem_close(s);
    return rc;
}
