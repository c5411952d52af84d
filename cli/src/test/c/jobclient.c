/*
 * A GNU make jobserver client for namedsem's tests, as make 4.4 behaves as a client: find the
 * last --jobserver-auth= (or older --jobserver-fds=) in MAKEFLAGS; for "fifo:PATH" open PATH
 * once for reading and once for writing, for "R,W" use the inherited descriptors; read one byte
 * to take a job slot, run the job, write the same byte back.
 *
 *   jobclient LOG TAG   take a slot, append "start <time> TAG" to LOG, sleep 0.3 s, append
 *                       "end <time> TAG", give the slot back (times as date +%s.%N prints them)
 *   jobclient --implicit LOG TAG
 *                       the same job on the caller's implicit slot, which needs no byte
 *   jobclient --leak    take a slot and exit without giving it back (a client that dies)
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what) {
    fprintf(stderr, "jobclient: %s: %s\n", what, errno ? strerror(errno) : "no jobserver in MAKEFLAGS");
    exit(2);
}

/* The value of the last --jobserver-auth= or --jobserver-fds= word of MAKEFLAGS, or NULL. */
static char *auth_from_makeflags(void) {
    const char *flags = getenv("MAKEFLAGS");
    char *found = NULL;
    if (flags == NULL) return NULL;
    char *copy = strdup(flags);
    for (char *word = strtok(copy, " "); word != NULL; word = strtok(NULL, " ")) {
        if (strcmp(word, "--") == 0) break; /* variable definitions follow */
        if (strncmp(word, "--jobserver-auth=", 17) == 0) found = word + 17;
        else if (strncmp(word, "--jobserver-fds=", 16) == 0) found = word + 16;
    }
    return found;
}

static void log_line(const char *log, const char *event, const char *tag) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char line[256];
    int n = snprintf(line, sizeof line, "%s %lld.%09ld %s\n", event, (long long) now.tv_sec, now.tv_nsec, tag);
    int fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600);
    if (fd < 0 || write(fd, line, (size_t) n) != n) die(log);
    close(fd);
}

static void job(const char *log, const char *tag) {
    log_line(log, "start", tag);
    struct timespec duration = {0, 300000000L};
    nanosleep(&duration, NULL);
    log_line(log, "end", tag);
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "--implicit") == 0) {
        job(argv[2], argv[3]);
        return 0;
    }
    int leak = argc == 2 && strcmp(argv[1], "--leak") == 0;
    if (!leak && argc != 3) {
        fprintf(stderr, "usage: jobclient LOG TAG | jobclient --implicit LOG TAG | jobclient --leak\n");
        return 2;
    }
    char *auth = auth_from_makeflags();
    if (auth == NULL) die("MAKEFLAGS");
    int rfd, wfd;
    if (strncmp(auth, "fifo:", 5) == 0) {
        rfd = open(auth + 5, O_RDONLY);
        if (rfd < 0) die(auth + 5);
        wfd = open(auth + 5, O_WRONLY);
        if (wfd < 0) die(auth + 5);
    } else if (sscanf(auth, "%d,%d", &rfd, &wfd) != 2) {
        errno = 0;
        die(auth);
    }
    char token;
    for (;;) {
        ssize_t n = read(rfd, &token, 1);
        if (n == 1) break;
        if (n < 0 && errno == EAGAIN) { /* a make may have made the shared descriptor non-blocking */
            struct pollfd p = {.fd = rfd, .events = POLLIN};
            poll(&p, 1, -1);
        } else if (n == 0 || errno != EINTR) {
            die("reading a token");
        }
    }
    if (leak) return 0;
    job(argv[1], argv[2]);
    while (write(wfd, &token, 1) != 1) {
        if (errno != EINTR && errno != EAGAIN) die("giving the token back");
    }
    return 0;
}
