/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_MALLOC_H
#define XAPP_MALLOC_H
#include <stdlib.h>
#ifdef __cplusplus
extern "C" {
#endif
void *memalign(size_t, size_t);
size_t malloc_usable_size(void *);
#ifdef __cplusplus
}
#endif
#endif
