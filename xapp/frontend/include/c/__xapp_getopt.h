/* xapp hermetic stub header: getopt and its variables, as glibc's <bits/getopt_core.h>: declared by both
 * <unistd.h> and <getopt.h>, which brings nothing else of <unistd.h> (a program that defines its own
 * read() or sleep() and includes <getopt.h> only must not clash). */
#ifndef XAPP_GETOPT_CORE_H
#define XAPP_GETOPT_CORE_H
#ifdef __cplusplus
extern "C" {
#endif
extern char *optarg;
extern int optind, opterr, optopt;
int getopt(int, char *const *, const char *);
#ifdef __cplusplus
}
#endif
#endif
