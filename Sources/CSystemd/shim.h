#ifndef OPTUNAD_CSYSTEMD_SHIM_H
#define OPTUNAD_CSYSTEMD_SHIM_H

#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/prctl.h>

/* Names the calling thread (at most 15 bytes are kept). prctl(2) is variadic, and Glibc declares
   pthread_setname_np only under _GNU_SOURCE, so neither is callable from Swift directly. */
static inline int csystemd_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0UL, 0UL, 0UL);
}

#endif
