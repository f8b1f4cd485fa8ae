/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_SCHED_H
#define XAPP_SCHED_H
#include <sys/types.h>
typedef struct { unsigned long __bits[16]; } cpu_set_t;
#define CPU_ZERO(s) ((void)(s))
#define CPU_SET(c, s) ((void)(c), (void)(s))
#ifdef __cplusplus
extern "C" {
#endif
int sched_yield(void);
int sched_getcpu(void);
int sched_setaffinity(pid_t, size_t, const cpu_set_t *);
#ifdef __cplusplus
}
#endif
#endif
