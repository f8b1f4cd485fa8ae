/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_SYS_SELECT_H
#define XAPP_SYS_SELECT_H
#include <sys/types.h>
#define FD_SETSIZE 1024
typedef struct { long fds_bits[FD_SETSIZE / (8 * (int)sizeof(long))]; } fd_set;
#define FD_ZERO(s) ((void)(s))
#define FD_SET(d, s) ((void)(d), (void)(s))
#define FD_CLR(d, s) ((void)(d), (void)(s))
#define FD_ISSET(d, s) ((void)(d), (void)(s), 0)
#ifdef __cplusplus
extern "C" {
#endif
int select(int, fd_set *__restrict, fd_set *__restrict, fd_set *__restrict, struct timeval *__restrict);
#ifdef __cplusplus
}
#endif
#endif
