/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_SYS_TIMEB_H
#define XAPP_SYS_TIMEB_H
#include <sys/types.h>
struct timeb { time_t time; unsigned short millitm; short timezone; short dstflag; };
#ifdef __cplusplus
extern "C" {
#endif
int ftime(struct timeb *);
#ifdef __cplusplus
}
#endif
#endif
