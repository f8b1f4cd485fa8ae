/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_FENV_H
#define XAPP_FENV_H
typedef unsigned fexcept_t;
typedef struct { unsigned __x[8]; } fenv_t;
#define FE_INVALID 1
#define FE_DIVBYZERO 4
#define FE_OVERFLOW 8
#define FE_UNDERFLOW 16
#define FE_INEXACT 32
#define FE_ALL_EXCEPT 61
#define FE_TONEAREST 0
#define FE_DOWNWARD 0x400
#define FE_UPWARD 0x800
#define FE_TOWARDZERO 0xc00
#ifdef __cplusplus
extern "C" {
#endif
int feclearexcept(int);
int fetestexcept(int);
int feraiseexcept(int);
int fegetround(void);
int fesetround(int);
int fegetenv(fenv_t *);
int fesetenv(const fenv_t *);
#ifdef __cplusplus
}
#endif
#endif
