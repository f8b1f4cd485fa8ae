/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_SETJMP_H
#define XAPP_SETJMP_H
/* As glibc's: one struct behind both buffers, so a sigjmp_buf serves where a jmp_buf is asked for */
struct __jmp_buf_tag { long __jmpbuf[8]; int __mask_was_saved; struct { unsigned long __val[16]; } __saved_mask; };
typedef struct __jmp_buf_tag jmp_buf[1];
typedef struct __jmp_buf_tag sigjmp_buf[1];
#ifdef __cplusplus
extern "C" {
#endif
int setjmp(jmp_buf);
int _setjmp(struct __jmp_buf_tag *);
int __sigsetjmp(struct __jmp_buf_tag *, int);
void longjmp(jmp_buf, int) __attribute__((__noreturn__));
void _longjmp(struct __jmp_buf_tag *, int) __attribute__((__noreturn__));
int sigsetjmp(sigjmp_buf, int);
void siglongjmp(sigjmp_buf, int) __attribute__((__noreturn__));
#ifdef __cplusplus
}
#endif
#endif
