/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_SYS_STAT_H
#define XAPP_SYS_STAT_H
#include <sys/types.h>
#include <time.h>
#include <__xapp_modes.h>
/* as glibc's: the times are struct timespec (st_mtim.tv_nsec), st_mtime names their seconds */
struct stat { unsigned long st_dev; unsigned long st_ino; unsigned long st_nlink; mode_t st_mode; uid_t st_uid;
              gid_t st_gid; unsigned long st_rdev; off_t st_size; long st_blksize; long st_blocks;
              struct timespec st_atim; struct timespec st_mtim; struct timespec st_ctim; };
#define st_atime st_atim.tv_sec
#define st_mtime st_mtim.tv_sec
#define st_ctime st_ctim.tv_sec
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)
#ifdef __cplusplus
extern "C" {
#endif
int stat(const char *__restrict, struct stat *__restrict);
int fstat(int, struct stat *);
int lstat(const char *__restrict, struct stat *__restrict);
int fstatat(int, const char *__restrict, struct stat *__restrict, int);
int mkdir(const char *, mode_t);
int mkfifo(const char *, mode_t);
int mknod(const char *, mode_t, unsigned long);
int chmod(const char *, mode_t);
int fchmod(int, mode_t);
mode_t umask(mode_t);
int futimens(int, const struct timespec[2]);
int utimensat(int, const char *, const struct timespec[2], int);
#ifdef __cplusplus
}
#endif
#endif
