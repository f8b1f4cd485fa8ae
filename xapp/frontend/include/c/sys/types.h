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
#endif
