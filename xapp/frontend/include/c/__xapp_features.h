/* xapp hermetic stub header: glibc's <features.h> reduced to the three levels the C stubs use.
 * As in glibc 2.36: with no feature macro and no strict standard (-std=gnu11, the default) a program gets
 * the POSIX and BSD/SVID ("misc") names; -std=c99 or -ansi alone hides them, and _POSIX_C_SOURCE,
 * _XOPEN_SOURCE, _DEFAULT_SOURCE or _GNU_SOURCE bring them back; GNU extensions need _GNU_SOURCE (which
 * clang defines for C++ on Linux, as g++ does). A program of the strict kind may declare its own getline
 * or strdup without a clash. */
#ifndef XAPP_FEATURES_H
#define XAPP_FEATURES_H
#if defined(_GNU_SOURCE)
#define __XAPP_USE_GNU 1
#endif
#if defined(_GNU_SOURCE) || defined(_DEFAULT_SOURCE) || defined(_BSD_SOURCE) || defined(_SVID_SOURCE) || \
    !(defined(__STRICT_ANSI__) || defined(_ISOC99_SOURCE) || defined(_ISOC11_SOURCE) || \
      defined(_POSIX_SOURCE) || defined(_POSIX_C_SOURCE) || defined(_XOPEN_SOURCE))
#define __XAPP_USE_MISC 1
#endif
#if defined(__XAPP_USE_MISC) || defined(_POSIX_SOURCE) || defined(_POSIX_C_SOURCE) || defined(_XOPEN_SOURCE)
#define __XAPP_USE_POSIX 1
#endif
#if defined(__XAPP_USE_MISC) || defined(_XOPEN_SOURCE)
#define __XAPP_USE_XOPEN 1
#endif
#endif
