/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_SYS_STAT_H
#define XAPP_SYS_STAT_H
#include <sys/types.h>
#include <time.h>
struct stat { unsigned long st_dev; unsigned long st_ino; mode_t st_mode; unsigned long st_nlink; uid_t st_uid;
              gid_t st_gid; unsigned long st_rdev; off_t st_size; long st_blksize; long st_blocks;
              time_t st_atime; time_t st_mtime; time_t st_ctime; };
#define S_IFMT 0170000
#define S_IFDIR 0040000
#define S_IFREG 0100000
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_IRWXU 0700
#define S_IRUSR 0400
#define S_IWUSR 0200
#define S_IXUSR 0100
#define S_IRGRP 0040
#define S_IROTH 0004
#ifdef __cplusplus
extern "C" {
#endif
int stat(const char *, struct stat *);
int fstat(int, struct stat *);
int lstat(const char *, struct stat *);
int mkdir(const char *, mode_t);
int chmod(const char *, mode_t);
mode_t umask(mode_t);
#ifdef __cplusplus
}
#endif
#endif
