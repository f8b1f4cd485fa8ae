/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_ALLOCA_H
#define XAPP_ALLOCA_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
void *alloca(size_t);
#ifdef __cplusplus
}
#endif
#define alloca(size) __builtin_alloca(size)
#endif
