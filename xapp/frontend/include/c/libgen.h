/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_LIBGEN_H
#define XAPP_LIBGEN_H
#ifdef __cplusplus
extern "C" {
#endif
char *basename(char *);
char *dirname(char *);
#ifdef __cplusplus
}
#endif
#endif
