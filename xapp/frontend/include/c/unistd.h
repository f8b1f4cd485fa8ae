/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_UNISTD_H
#define XAPP_UNISTD_H
#include <stddef.h>
#include <sys/types.h>
#include <__xapp_features.h>
#include <__xapp_getopt.h>
#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4
#ifndef SEEK_SET
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#endif
#define _POSIX_VERSION 200809L
#define _SC_ARG_MAX 0
typedef __INTPTR_TYPE__ intptr_t;   /* as glibc's <unistd.h> */
#define _SC_CLK_TCK 2
#define _SC_OPEN_MAX 4
#define _SC_PAGESIZE 30
#define _SC_PAGE_SIZE _SC_PAGESIZE
#define _SC_NPROCESSORS_CONF 83
#define _SC_NPROCESSORS_ONLN 84
#define _SC_PHYS_PAGES 85
#define _SC_AVPHYS_PAGES 86
#define _SC_LEVEL1_DCACHE_LINESIZE 190
#ifdef __cplusplus
extern "C" {
#endif
unsigned sleep(unsigned);
pid_t getpid(void);
pid_t getppid(void);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
long sysconf(int);
ssize_t read(int, void *, size_t);
ssize_t write(int, const void *, size_t);
ssize_t pread(int, void *, size_t, off_t);
ssize_t pwrite(int, const void *, size_t, off_t);
off_t lseek(int, off_t, int);
int close(int);
int dup(int);
int dup2(int, int);
int pipe(int[2]);
pid_t fork(void);
int execv(const char *, char *const[]);
int execvp(const char *, char *const[]);
int execve(const char *, char *const[], char *const[]);
int execl(const char *, const char *, ...);
int execlp(const char *, const char *, ...);
void _exit(int) __attribute__((__noreturn__));
unsigned alarm(unsigned);
int pause(void);
int access(const char *, int);
int unlink(const char *);
int rmdir(const char *);
int chdir(const char *);
int link(const char *, const char *);
int symlink(const char *, const char *);
ssize_t readlink(const char *__restrict, char *__restrict, size_t);
char *getcwd(char *, size_t);
int isatty(int);
char *ttyname(int);
char *getlogin(void);
int gethostname(char *, size_t);
int truncate(const char *, off_t);
int ftruncate(int, off_t);
int fsync(int);
int fdatasync(int);
int setuid(uid_t);
int setgid(gid_t);
pid_t setsid(void);
long pathconf(const char *, int);
#ifdef __XAPP_USE_XOPEN
int nice(int);
void sync(void);
void swab(const void *__restrict, void *__restrict, ssize_t);
#endif
#ifdef __XAPP_USE_MISC
int usleep(useconds_t);
int getpagesize(void);
int getdtablesize(void);
void *sbrk(intptr_t);
int brk(void *);
long gethostid(void);
int getentropy(void *, size_t);
#endif
#ifdef __XAPP_USE_GNU
extern char **environ;
int execvpe(const char *, char *const[], char *const[]);
int pipe2(int[2], int);
int dup3(int, int, int);
char *get_current_dir_name(void);
#endif
#ifdef __cplusplus
}
#endif
#endif
