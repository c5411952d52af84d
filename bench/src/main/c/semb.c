/*
 * The C comparator: the same workloads as the JMH benchmarks, calling the C library directly.
 * Built with gcc -O2 by bench/run. Prints one number: nanoseconds per operation, or for
 * "contend", operations per second over all processes.
 *
 *   semb uncontended NAME N     sem_trywait + sem_post, N times
 *   semb inlined NAME N         glibc's own fast paths (sem_trywait's and sem_post's compare-and-swap
 *                               on the 64-bit sem_t word) inlined, N times: the floor namedsem's
 *                               Java version of the same protocol is measured against
 *   semb blocking NAME N        sem_wait + sem_post, N times, never contended
 *   semb pingpong PING PONG N   round trips with a forked echo process (post PING, wait PONG)
 *   semb openclose NAME N       sem_open + sem_close of an existing semaphore
 *   semb contend NAME PROCS MS  PROCS forked processes loop sem_wait + sem_post for MS ms
 * Semaphores must exist (bench/run creates them through namedsem).
 */
#include <fcntl.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static sem_t *open_or_die(const char *name) {
    sem_t *s = sem_open(name, 0);
    if (s == SEM_FAILED) { perror(name); exit(1); }
    return s;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: see semb.c\n"); return 1; }
    const char *mode = argv[1];
    if (strcmp(mode, "uncontended") == 0) {
        sem_t *s = open_or_die(argv[2]);
        long n = atol(argv[3]);
        for (long i = 0; i < n / 10; i++) { sem_trywait(s); sem_post(s); } /* warm up */
        long long t0 = now_ns();
        for (long i = 0; i < n; i++) {
            if (sem_trywait(s) != 0) { fprintf(stderr, "no permit\n"); return 1; }
            sem_post(s);
        }
        printf("%.3f\n", (double) (now_ns() - t0) / n);
    } else if (strcmp(mode, "inlined") == 0) {
        /* glibc 2.21+ on 64-bit: count in the low 32 bits, waiters in the high 32 bits. */
        uint64_t *word = (uint64_t *) open_or_die(argv[2]);
        long n = atol(argv[3]);
        long long t0 = 0;
        for (int round = 0; round < 2; round++) { /* the first round warms up */
            if (round == 1) t0 = now_ns();
            for (long i = 0; i < (round ? n : n / 10); i++) {
                uint64_t d = __atomic_load_n(word, __ATOMIC_RELAXED);
                if ((d & 0xffffffffu) == 0
                    || !__atomic_compare_exchange_n(word, &d, d - 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
                    fprintf(stderr, "no permit\n");
                    return 1;
                }
                d = __atomic_load_n(word, __ATOMIC_RELAXED);
                while (!__atomic_compare_exchange_n(word, &d, d + 1, 1, __ATOMIC_RELEASE, __ATOMIC_RELAXED)) {}
                if ((d >> 32) != 0) { fprintf(stderr, "unexpected waiters: a wake-up would be due\n"); return 1; }
            }
        }
        printf("%.3f\n", (double) (now_ns() - t0) / n);
    } else if (strcmp(mode, "blocking") == 0) {
        sem_t *s = open_or_die(argv[2]);
        long n = atol(argv[3]);
        for (long i = 0; i < n / 10; i++) { sem_wait(s); sem_post(s); }
        long long t0 = now_ns();
        for (long i = 0; i < n; i++) { sem_wait(s); sem_post(s); }
        printf("%.3f\n", (double) (now_ns() - t0) / n);
    } else if (strcmp(mode, "openclose") == 0) {
        long n = atol(argv[3]);
        long long t0 = now_ns();
        for (long i = 0; i < n; i++) sem_close(open_or_die(argv[2]));
        printf("%.3f\n", (double) (now_ns() - t0) / n);
    } else if (strcmp(mode, "pingpong") == 0) {
        sem_t *ping = open_or_die(argv[2]), *pong = open_or_die(argv[3]);
        long n = atol(argv[4]);
        pid_t child = fork();
        if (child == 0) {
            for (;;) { sem_wait(ping); sem_post(pong); }
        }
        for (long i = 0; i < n / 10; i++) { sem_post(ping); sem_wait(pong); }
        long long t0 = now_ns();
        for (long i = 0; i < n; i++) { sem_post(ping); sem_wait(pong); }
        printf("%.3f\n", (double) (now_ns() - t0) / n);
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
    } else if (strcmp(mode, "contend") == 0) {
        int procs = atoi(argv[3]);
        long ms = atol(argv[4]);
        long *counts = mmap(NULL, sizeof(long) * procs, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        for (int p = 0; p < procs; p++) {
            if (fork() == 0) {
                sem_t *s = open_or_die(argv[2]);
                long long end = now_ns() + ms * 1000000LL;
                long c = 0;
                while (now_ns() < end) { sem_wait(s); sem_post(s); c++; }
                counts[p] = c;
                _exit(0);
            }
        }
        long total = 0;
        for (int p = 0; p < procs; p++) wait(NULL);
        for (int p = 0; p < procs; p++) total += counts[p];
        printf("%.0f\n", total / (ms / 1000.0));
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 1;
    }
    return 0;
}
