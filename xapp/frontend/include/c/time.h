/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_TIME_H
#define XAPP_TIME_H

#include <stddef.h>
#include <sys/types.h>
#include <__xapp_features.h>

#define CLOCKS_PER_SEC ((clock_t)1000000)
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1
#define TIME_UTC 1

#ifdef __cplusplus
extern "C" {
#endif

struct tm {
  int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
  long tm_gmtoff;
  const char *tm_zone;
};

clock_t clock(void);
time_t time(time_t *);
double difftime(time_t, time_t);
time_t mktime(struct tm *);
struct tm *localtime(const time_t *);
struct tm *gmtime(const time_t *);
struct tm *localtime_r(const time_t *__restrict, struct tm *__restrict);
char *asctime(const struct tm *);
char *ctime(const time_t *);
size_t strftime(char *__restrict, size_t, const char *__restrict, const struct tm *__restrict);
int clock_gettime(clockid_t, struct timespec *);
int clock_getres(clockid_t, struct timespec *);
int nanosleep(const struct timespec *, struct timespec *);
int timespec_get(struct timespec *, int);

#ifdef __XAPP_USE_POSIX
struct itimerspec { struct timespec it_interval; struct timespec it_value; };
typedef void *timer_t;
struct tm *gmtime_r(const time_t *__restrict, struct tm *__restrict);
char *asctime_r(const struct tm *__restrict, char *__restrict);
char *ctime_r(const time_t *__restrict, char *__restrict);
void tzset(void);
extern char *tzname[2];
int clock_settime(clockid_t, const struct timespec *);
int clock_nanosleep(clockid_t, int, const struct timespec *, struct timespec *);
int clock_getcpuclockid(pid_t, clockid_t *);
int timer_settime(timer_t, int, const struct itimerspec *__restrict, struct itimerspec *__restrict);
int timer_gettime(timer_t, struct itimerspec *);
int timer_delete(timer_t);
#endif
#ifdef __XAPP_USE_XOPEN
extern long timezone;
extern int daylight;
char *strptime(const char *__restrict, const char *__restrict, struct tm *);
#endif
#ifdef __XAPP_USE_MISC
time_t timegm(struct tm *);
time_t timelocal(struct tm *);
#endif

#ifdef __cplusplus
}
#endif

#endif
