/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_DIRENT_H
#define XAPP_DIRENT_H
#include <sys/types.h>
typedef struct __xapp_dir DIR;
struct dirent { unsigned long d_ino; off_t d_off; unsigned short d_reclen; unsigned char d_type; char d_name[256]; };
#define DT_DIR 4
#define DT_REG 8
#ifdef __cplusplus
extern "C" {
#endif
DIR *opendir(const char *);
struct dirent *readdir(DIR *);
int closedir(DIR *);
void rewinddir(DIR *);
#ifdef __cplusplus
}
#endif
#endif
