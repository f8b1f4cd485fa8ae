/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_ERR_H
#define XAPP_ERR_H
#ifdef __cplusplus
extern "C" {
#endif
void err(int, const char *, ...) __attribute__((__noreturn__, __format__(__printf__, 2, 3)));
void errx(int, const char *, ...) __attribute__((__noreturn__, __format__(__printf__, 2, 3)));
void warn(const char *, ...) __attribute__((__format__(__printf__, 1, 2)));
void warnx(const char *, ...) __attribute__((__format__(__printf__, 1, 2)));
#ifdef __cplusplus
}
#endif
#endif
