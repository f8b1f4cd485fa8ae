/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_STDLIB_H
#define XAPP_STDLIB_H

#include <stddef.h>
#include <__xapp_features.h>
#include <sys/types.h>  /* as glibc's (uint, ushort, ulong, ssize_t) */
#ifdef __XAPP_USE_MISC
#include <alloca.h>     /* as glibc's */
#endif

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 2147483647
#define MB_CUR_MAX 1

#ifdef __cplusplus
extern "C" {
#endif

typedef struct { int quot, rem; } div_t;
typedef struct { long quot, rem; } ldiv_t;
typedef struct { long long quot, rem; } lldiv_t;

void *malloc(size_t);
void *calloc(size_t, size_t);
void *realloc(void *, size_t);
void free(void *);
void *aligned_alloc(size_t, size_t);

int abs(int);
long labs(long);
long long llabs(long long);
div_t div(int, int);
ldiv_t ldiv(long, long);
lldiv_t lldiv(long long, long long);

int atoi(const char *);
long atol(const char *);
long long atoll(const char *);
double atof(const char *);
long strtol(const char *__restrict, char **__restrict, int);
unsigned long strtoul(const char *__restrict, char **__restrict, int);
long long strtoll(const char *__restrict, char **__restrict, int);
unsigned long long strtoull(const char *__restrict, char **__restrict, int);
float strtof(const char *__restrict, char **__restrict);
double strtod(const char *__restrict, char **__restrict);
long double strtold(const char *__restrict, char **__restrict);

int rand(void);
void srand(unsigned);

void exit(int) __attribute__((__noreturn__));
void _Exit(int) __attribute__((__noreturn__));
void abort(void) __attribute__((__noreturn__));
int atexit(void (*)(void));

void qsort(void *, size_t, size_t, int (*)(const void *, const void *));
void *bsearch(const void *, const void *, size_t, size_t, int (*)(const void *, const void *));

char *getenv(const char *);
int system(const char *);
int mblen(const char *, size_t);
int mbtowc(wchar_t *__restrict, const char *__restrict, size_t);
int wctomb(char *, wchar_t);
size_t mbstowcs(wchar_t *__restrict, const char *__restrict, size_t);
size_t wcstombs(char *__restrict, const wchar_t *__restrict, size_t);
void quick_exit(int) __attribute__((__noreturn__));
int at_quick_exit(void (*)(void));

#ifdef __XAPP_USE_POSIX
int posix_memalign(void **, size_t, size_t);
int rand_r(unsigned *);
int setenv(const char *, const char *, int);
int unsetenv(const char *);
int mkstemp(char *);
char *mkdtemp(char *);
char *realpath(const char *__restrict, char *__restrict);
int getsubopt(char **, char *const *, char **);
#endif
#ifdef __XAPP_USE_XOPEN
long random(void);
void srandom(unsigned);
char *initstate(unsigned, char *, size_t);
char *setstate(char *);
double drand48(void);
double erand48(unsigned short[3]);
long lrand48(void);
long nrand48(unsigned short[3]);
long mrand48(void);
long jrand48(unsigned short[3]);
void srand48(long);
unsigned short *seed48(unsigned short[3]);
void lcong48(unsigned short[7]);
int putenv(char *);
char *mktemp(char *);
void *valloc(size_t);
char *ecvt(double, int, int *__restrict, int *__restrict);
char *fcvt(double, int, int *__restrict, int *__restrict);
char *gcvt(double, int, char *);
#endif
#ifdef __XAPP_USE_MISC
/* the reentrant generators of glibc */
struct drand48_data { unsigned short __x[3]; unsigned short __old_x[3]; unsigned short __c;
                      unsigned short __init; unsigned long long __a; };
struct random_data { int *fptr; int *rptr; int *state; int rand_type; int rand_deg; int rand_sep; int *end_ptr; };
int drand48_r(struct drand48_data *__restrict, double *__restrict);
int erand48_r(unsigned short[3], struct drand48_data *__restrict, double *__restrict);
int lrand48_r(struct drand48_data *__restrict, long *__restrict);
int nrand48_r(unsigned short[3], struct drand48_data *__restrict, long *__restrict);
int srand48_r(long, struct drand48_data *);
int random_r(struct random_data *__restrict, int *__restrict);
int srandom_r(unsigned, struct random_data *);
int initstate_r(unsigned, char *__restrict, size_t, struct random_data *__restrict);
void *reallocarray(void *, size_t, size_t);
int getloadavg(double[], int);
int on_exit(void (*)(int, void *), void *);
#endif
#ifdef __XAPP_USE_GNU
void qsort_r(void *, size_t, size_t, int (*)(const void *, const void *, void *), void *);
char *canonicalize_file_name(const char *);
#endif

#ifdef __cplusplus
}
#include <__xapp_abs.h>
#endif

#endif
