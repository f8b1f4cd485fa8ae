/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_SCHED_H
#define XAPP_SCHED_H
#include <sys/types.h>
typedef struct { unsigned long __bits[16]; } cpu_set_t;
#define CPU_SETSIZE 1024
#define CPU_ZERO(s) ((void)(s))
#define CPU_SET(c, s) ((void)(c), (void)(s))
#define CPU_CLR(c, s) ((void)(c), (void)(s))
#define CPU_ISSET(c, s) ((void)(c), (void)(s), 0)
#define CPU_COUNT(s) ((void)(s), 0)
struct sched_param { int sched_priority; };
#define SCHED_OTHER 0
#define SCHED_FIFO 1
#define SCHED_RR 2
#ifdef __cplusplus
extern "C" {
#endif
int sched_yield(void);
int sched_getcpu(void);
int sched_setaffinity(pid_t, size_t, const cpu_set_t *);
int sched_getaffinity(pid_t, size_t, cpu_set_t *);
int sched_get_priority_max(int);
int sched_get_priority_min(int);
int sched_setscheduler(pid_t, int, const struct sched_param *);
int sched_getscheduler(pid_t);
#ifdef __cplusplus
}
#endif
#endif
