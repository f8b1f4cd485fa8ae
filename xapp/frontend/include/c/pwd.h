/* xapp hermetic stub header: declarations for parsing only.
   The password database as glibc 2.36's <pwd.h> declares it (POSIX.1-2008, with the BSD/SVID
   getpwent family visible by default, as __xapp_features.h reads the feature macros). */
#ifndef XAPP_PWD_H
#define XAPP_PWD_H
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#ifdef __cplusplus
extern "C" {
#endif
struct passwd {
    char *pw_name;
    char *pw_passwd;
    uid_t pw_uid;
    gid_t pw_gid;
    char *pw_gecos;
    char *pw_dir;
    char *pw_shell;
};
struct passwd *getpwuid(uid_t);
struct passwd *getpwnam(const char *);
int getpwuid_r(uid_t, struct passwd *, char *, size_t, struct passwd **);
int getpwnam_r(const char *, struct passwd *, char *, size_t, struct passwd **);
void setpwent(void);
void endpwent(void);
struct passwd *getpwent(void);
struct passwd *fgetpwent(FILE *);
int putpwent(const struct passwd *, FILE *);
#ifdef __cplusplus
}
#endif
#endif
