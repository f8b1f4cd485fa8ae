/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_STRINGS_H
#define XAPP_STRINGS_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
int strcasecmp(const char *, const char *);
int strncasecmp(const char *, const char *, size_t);
void bzero(void *, size_t);
void bcopy(const void *, void *, size_t);
int ffs(int);
int ffsl(long);
int ffsll(long long);
char *index(const char *, int);
char *rindex(const char *, int);
#ifdef __cplusplus
}
#endif
#endif
