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
 *   semb pingpong PING PONG N [CPU CPU]
 *                               round trips with a forked echo process (post PING, wait PONG);
 *                               with CPUs, this process runs on the first, the echo on the second
 *   semb pingpongsliced PING PONG N [CPU CPU]
 *                               the same, both sides waiting in sem_clockwait slices of 20 ms, as
 *                               namedsem waits so that it notices an interrupt or close(): what a
 *                               timed wait (a kernel timer armed and cancelled) adds to C itself
 *   semb openclose NAME N [PARKED]
 *                               sem_open + sem_close of an existing semaphore, with PARKED other
 *                               threads blocked in the process (namedsem's unmapping visits them)
 *   semb contend NAME PROCS MS  PROCS forked processes loop sem_wait + sem_post for MS ms
 *   semb wakelatency NAME WAITERS ROUNDS
 *                               WAITERS threads block in sem_wait; each round posts once and times
 *                               until one of them returns; prints the median and the 90th percentile
 *   semb idle NAME WAITERS MS   WAITERS threads block in sem_wait; prints the process's CPU over MS
 *                               as a percentage of one core
 * Semaphores must exist (bench/run creates them through namedsem).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
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

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) { perror("sched_setaffinity"); exit(1); }
}

/* Threads that only wait: small stacks, so thousands fit in the address space and pid_max. */
static void start_threads(int n, void *(*body)(void *), void *arg) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    for (int i = 0; i < n; i++) {
        pthread_t t;
        if (pthread_create(&t, &attr, body, arg) != 0) { perror("pthread_create"); exit(1); }
    }
}

static void *park_forever(void *unused) {
    (void) unused;
    for (;;) pause();
    return NULL;
}

static sem_t *waited;             /* wakelatency, idle: the semaphore the threads block on */
static sem_t returned;            /* wakelatency: posted by the waiter that got the permit */
static volatile long long posted; /* wakelatency: when the round's sem_post began */
static long long *latencies;
static volatile long round_no;

static void *wait_and_time(void *unused) {
    (void) unused;
    for (;;) {
        while (sem_wait(waited) != 0) {}
        latencies[round_no] = now_ns() - posted;
        sem_post(&returned);
    }
    return NULL;
}

static void *wait_only(void *unused) {
    (void) unused;
    for (;;) sem_wait(waited);
    return NULL;
}

static int by_value(const void *a, const void *b) {
    long long x = *(const long long *) a, y = *(const long long *) b;
    return (x > y) - (x < y);
}

/* Waits for a permit in sem_clockwait slices of 20 ms on the monotonic clock. */
static void wait_in_slices(sem_t *sem) {
    for (;;) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += 20000000;
        if (until.tv_nsec >= 1000000000) { until.tv_sec++; until.tv_nsec -= 1000000000; }
        if (sem_clockwait(sem, CLOCK_MONOTONIC, &until) == 0) return;
    }
}

static void wait_plain(sem_t *sem) {
    while (sem_wait(sem) != 0) {}
}

static void sleep_ms(long ms) {
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&t, NULL);
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
        start_threads(argc > 4 ? atoi(argv[4]) : 0, park_forever, NULL);
        long long t0 = now_ns();
        for (long i = 0; i < n; i++) sem_close(open_or_die(argv[2]));
        printf("%.3f\n", (double) (now_ns() - t0) / n);
    } else if (strcmp(mode, "pingpong") == 0 || strcmp(mode, "pingpongsliced") == 0) {
        void (*wait)(sem_t *) = strcmp(mode, "pingpong") == 0 ? wait_plain : wait_in_slices;
        sem_t *ping = open_or_die(argv[2]), *pong = open_or_die(argv[3]);
        long n = atol(argv[4]);
        int pinned = argc > 6;
        pid_t child = fork();
        if (child == 0) {
            if (pinned) pin(atoi(argv[6]));
            for (;;) { wait(ping); sem_post(pong); }
        }
        if (pinned) pin(atoi(argv[5]));
        for (long i = 0; i < n / 10; i++) { sem_post(ping); wait(pong); }
        long long t0 = now_ns();
        for (long i = 0; i < n; i++) { sem_post(ping); wait(pong); }
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
    } else if (strcmp(mode, "wakelatency") == 0) {
        waited = open_or_die(argv[2]);
        int waiters = atoi(argv[3]);
        long rounds = atol(argv[4]);
        latencies = calloc(rounds, sizeof *latencies);
        sem_init(&returned, 0, 0);
        start_threads(waiters, wait_and_time, NULL);
        sleep_ms(200 + waiters / 10); /* every thread in sem_wait */
        for (round_no = 0; round_no < rounds; round_no++) {
            sleep_ms(2); /* the last winner is back in sem_wait */
            posted = now_ns();
            sem_post(waited);
            while (sem_wait(&returned) != 0) {}
        }
        qsort(latencies, rounds, sizeof *latencies, by_value);
        printf("%lld %lld\n", latencies[rounds / 2], latencies[rounds * 9 / 10]);
    } else if (strcmp(mode, "idle") == 0) {
        waited = open_or_die(argv[2]);
        start_threads(atoi(argv[3]), wait_only, NULL);
        long ms = atol(argv[4]);
        sleep_ms(200);
        struct timespec c0, c1;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        long long t0 = now_ns();
        sleep_ms(ms);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
        double cpu = (c1.tv_sec - c0.tv_sec) * 1e9 + (c1.tv_nsec - c0.tv_nsec);
        printf("%.3f\n", 100.0 * cpu / (now_ns() - t0));
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 1;
    }
    return 0;
}
