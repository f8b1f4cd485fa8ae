/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_UNISTD_H
#define XAPP_UNISTD_H
#include <stddef.h>
#include <sys/types.h>
#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4
#define _SC_PAGESIZE 30
#define _SC_NPROCESSORS_CONF 83
#define _SC_NPROCESSORS_ONLN 84
#ifdef __cplusplus
extern "C" {
#endif
unsigned sleep(unsigned);
int usleep(useconds_t);
pid_t getpid(void);
long sysconf(int);
int getpagesize(void);
ssize_t read(int, void *, size_t);
ssize_t write(int, const void *, size_t);
int close(int);
int access(const char *, int);
int unlink(const char *);
char *getcwd(char *, size_t);
int gethostname(char *, size_t);
int getopt(int, char *const[], const char *);
extern char *optarg;
extern int optind, opterr, optopt;
#ifdef __cplusplus
}
#endif
#endif
