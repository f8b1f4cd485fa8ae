/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_SYS_TYPES_H
#define XAPP_SYS_TYPES_H
#include <stddef.h>
typedef long time_t;
typedef long clock_t;
typedef int clockid_t;
typedef long suseconds_t;
typedef unsigned int useconds_t;
typedef __PTRDIFF_TYPE__ ssize_t;
typedef long off_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;
/* glibc's <sys/types.h> brings these through <sys/select.h>; real code relies on it */
struct timeval { time_t tv_sec; suseconds_t tv_usec; };
struct timespec { time_t tv_sec; long tv_nsec; };
/* glibc's old names (__USE_MISC, on by default) */
typedef unsigned short ushort;
typedef unsigned int uint;
typedef unsigned long ulong;
typedef unsigned char u_char;
typedef unsigned int u_int;
#endif
