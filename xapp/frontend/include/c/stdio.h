/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_STDIO_H
#define XAPP_STDIO_H

#include <stddef.h>
#include <__xapp_features.h>

#define EOF (-1)
#define BUFSIZ 8192
#define FILENAME_MAX 4096
#define FOPEN_MAX 16
#define L_tmpnam 20
#define TMP_MAX 238328
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define _IOFBF 0
#define _IOLBF 1
#define _IONBF 2
#define P_tmpdir "/tmp"

#ifdef __cplusplus
extern "C" {
#endif

/* A typedef named FILE lets clang type-check its fprintf/fscanf builtins. */
typedef struct __xapp_FILE FILE;
typedef struct { long long __pos; } fpos_t;
typedef __builtin_va_list __xapp_va_list;
#ifdef __XAPP_USE_POSIX
/* glibc's <stdio.h> defines these for POSIX 2008 (getline returns ssize_t, fseeko takes off_t) */
#include <sys/types.h>
#ifndef __cplusplus
typedef __builtin_va_list va_list;
#endif
#endif

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;
#define stdin stdin
#define stdout stdout
#define stderr stderr

int printf(const char *__restrict, ...) __attribute__((__format__(__printf__, 1, 2)));
int fprintf(FILE *__restrict, const char *__restrict, ...) __attribute__((__format__(__printf__, 2, 3)));
int sprintf(char *__restrict, const char *__restrict, ...) __attribute__((__format__(__printf__, 2, 3)));
int snprintf(char *__restrict, size_t, const char *__restrict, ...) __attribute__((__format__(__printf__, 3, 4)));
int vprintf(const char *__restrict, __xapp_va_list) __attribute__((__format__(__printf__, 1, 0)));
int vfprintf(FILE *__restrict, const char *__restrict, __xapp_va_list) __attribute__((__format__(__printf__, 2, 0)));
int vsprintf(char *__restrict, const char *__restrict, __xapp_va_list) __attribute__((__format__(__printf__, 2, 0)));
int vsnprintf(char *__restrict, size_t, const char *__restrict, __xapp_va_list) __attribute__((__format__(__printf__, 3, 0)));
int scanf(const char *__restrict, ...) __attribute__((__format__(__scanf__, 1, 2)));
int fscanf(FILE *__restrict, const char *__restrict, ...) __attribute__((__format__(__scanf__, 2, 3)));
int sscanf(const char *__restrict, const char *__restrict, ...) __attribute__((__format__(__scanf__, 2, 3)));

FILE *fopen(const char *__restrict, const char *__restrict);
FILE *freopen(const char *__restrict, const char *__restrict, FILE *__restrict);
FILE *fdopen(int, const char *);
int fclose(FILE *);
int fflush(FILE *);
size_t fread(void *__restrict, size_t, size_t, FILE *__restrict);
size_t fwrite(const void *__restrict, size_t, size_t, FILE *__restrict);
int fseek(FILE *, long, int);
long ftell(FILE *);
void rewind(FILE *);
int fgetpos(FILE *__restrict, fpos_t *__restrict);
int fsetpos(FILE *, const fpos_t *);
int feof(FILE *);
int ferror(FILE *);
void clearerr(FILE *);
void setbuf(FILE *__restrict, char *__restrict);
int setvbuf(FILE *__restrict, char *__restrict, int, size_t);

int fgetc(FILE *);
int getc(FILE *);
int getchar(void);
int ungetc(int, FILE *);
char *fgets(char *__restrict, int, FILE *__restrict);
int fputc(int, FILE *);
int putc(int, FILE *);
int putchar(int);
int fputs(const char *__restrict, FILE *__restrict);
int puts(const char *);
void perror(const char *);

int remove(const char *);
int rename(const char *, const char *);
FILE *tmpfile(void);
char *tmpnam(char *);
int vscanf(const char *__restrict, __xapp_va_list) __attribute__((__format__(__scanf__, 1, 0)));
int vfscanf(FILE *__restrict, const char *__restrict, __xapp_va_list) __attribute__((__format__(__scanf__, 2, 0)));
int vsscanf(const char *__restrict, const char *__restrict, __xapp_va_list) __attribute__((__format__(__scanf__, 2, 0)));

#ifdef __XAPP_USE_POSIX
FILE *popen(const char *, const char *);
int pclose(FILE *);
int fileno(FILE *);
ssize_t getline(char **__restrict, size_t *__restrict, FILE *__restrict);
ssize_t getdelim(char **__restrict, size_t *__restrict, int, FILE *__restrict);
int fseeko(FILE *, off_t, int);
off_t ftello(FILE *);
int dprintf(int, const char *__restrict, ...) __attribute__((__format__(__printf__, 2, 3)));
int vdprintf(int, const char *__restrict, __xapp_va_list) __attribute__((__format__(__printf__, 2, 0)));
FILE *fmemopen(void *, size_t, const char *);
FILE *open_memstream(char **, size_t *);
int getc_unlocked(FILE *);
int getchar_unlocked(void);
int putc_unlocked(int, FILE *);
int putchar_unlocked(int);
void flockfile(FILE *);
void funlockfile(FILE *);
int ftrylockfile(FILE *);
char *ctermid(char *);
#endif
#ifdef __XAPP_USE_MISC
char *tempnam(const char *, const char *);
void setbuffer(FILE *, char *, size_t);
void setlinebuf(FILE *);
int fgetc_unlocked(FILE *);
int fputc_unlocked(int, FILE *);
size_t fread_unlocked(void *, size_t, size_t, FILE *);
size_t fwrite_unlocked(const void *, size_t, size_t, FILE *);
#endif
#ifdef __XAPP_USE_GNU
int asprintf(char **__restrict, const char *__restrict, ...) __attribute__((__format__(__printf__, 2, 3)));
int vasprintf(char **__restrict, const char *__restrict, __xapp_va_list) __attribute__((__format__(__printf__, 2, 0)));
int fcloseall(void);
#endif

#ifdef __cplusplus
}
#endif

#endif
