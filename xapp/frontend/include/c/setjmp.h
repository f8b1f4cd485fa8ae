/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_SETJMP_H
#define XAPP_SETJMP_H
typedef long jmp_buf[8];
typedef long sigjmp_buf[9];
#ifdef __cplusplus
extern "C" {
#endif
int setjmp(jmp_buf);
void longjmp(jmp_buf, int) __attribute__((__noreturn__));
int sigsetjmp(sigjmp_buf, int);
void siglongjmp(sigjmp_buf, int) __attribute__((__noreturn__));
#ifdef __cplusplus
}
#endif
#endif
