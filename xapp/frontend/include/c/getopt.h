/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_GETOPT_H
#define XAPP_GETOPT_H
#include <__xapp_getopt.h>
struct option { const char *name; int has_arg; int *flag; int val; };
#define no_argument 0
#define required_argument 1
#define optional_argument 2
#ifdef __cplusplus
extern "C" {
#endif
int getopt_long(int, char *const *, const char *, const struct option *, int *);
int getopt_long_only(int, char *const *, const char *, const struct option *, int *);
#ifdef __cplusplus
}
#endif
#endif
