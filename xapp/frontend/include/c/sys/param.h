/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_SYS_PARAM_H
#define XAPP_SYS_PARAM_H
#include <sys/types.h>
#include <limits.h>
#define MAXPATHLEN 4096
#define MAXHOSTNAMELEN 64
#define NBBY 8
#define NOFILE 256
#define HZ 100
/* glibc's <sys/param.h> macros, which scientific C code uses for MIN and MAX */
#define MIN(a, b) (((a) < (b)) ? (a) : (b))
#define MAX(a, b) (((a) > (b)) ? (a) : (b))
#define howmany(x, y) (((x) + ((y) - 1)) / (y))
#define roundup(x, y) ((((x) + ((y) - 1)) / (y)) * (y))
#define powerof2(x) ((((x) - 1) & (x)) == 0)
#endif
