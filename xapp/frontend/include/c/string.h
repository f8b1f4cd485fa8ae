/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_STRING_H
#define XAPP_STRING_H

#include <stddef.h>
#include <__xapp_features.h>
#ifdef __XAPP_USE_MISC
#include <strings.h>      /* as glibc's */
#endif

#ifdef __cplusplus
extern "C" {
#endif

void *memcpy(void *__restrict, const void *__restrict, size_t);
void *memmove(void *, const void *, size_t);
void *memset(void *, int, size_t);
int memcmp(const void *, const void *, size_t);
void *memchr(const void *, int, size_t);
size_t strlen(const char *);
char *strcpy(char *__restrict, const char *__restrict);
char *strncpy(char *__restrict, const char *__restrict, size_t);
char *strcat(char *__restrict, const char *__restrict);
char *strncat(char *__restrict, const char *__restrict, size_t);
int strcmp(const char *, const char *);
int strncmp(const char *, const char *, size_t);
int strcoll(const char *, const char *);
char *strchr(const char *, int);
char *strrchr(const char *, int);
char *strstr(const char *, const char *);
char *strpbrk(const char *, const char *);
size_t strspn(const char *, const char *);
size_t strcspn(const char *, const char *);
char *strtok(char *__restrict, const char *__restrict);
char *strerror(int);
size_t strxfrm(char *__restrict, const char *__restrict, size_t);

#ifdef __XAPP_USE_POSIX
size_t strnlen(const char *, size_t);
char *strtok_r(char *__restrict, const char *__restrict, char **__restrict);
char *strdup(const char *);
char *strndup(const char *, size_t);
void *memccpy(void *__restrict, const void *__restrict, int, size_t);
char *stpcpy(char *__restrict, const char *__restrict);
char *stpncpy(char *__restrict, const char *__restrict, size_t);
char *strsignal(int);
#ifdef __XAPP_USE_GNU
char *strerror_r(int, char *, size_t);       /* GNU: returns the message */
#else
int strerror_r(int, char *, size_t);         /* XSI: returns 0 or an error number */
#endif
#endif
#ifdef __XAPP_USE_MISC
char *strsep(char **__restrict, const char *__restrict);
void explicit_bzero(void *, size_t);
#endif
#ifdef __XAPP_USE_GNU
char *strcasestr(const char *, const char *);
void *memmem(const void *, size_t, const void *, size_t);
void *mempcpy(void *__restrict, const void *__restrict, size_t);
void *memrchr(const void *, int, size_t);
void *rawmemchr(const void *, int);
char *strchrnul(const char *, int);
int strverscmp(const char *, const char *);
char *strfry(char *);
#endif

#ifdef __cplusplus
}
#endif

#endif
