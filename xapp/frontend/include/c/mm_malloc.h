/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_MM_MALLOC_H
#define XAPP_MM_MALLOC_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
void *_mm_malloc(size_t, size_t);
void _mm_free(void *);
#ifdef __cplusplus
}
#endif
#endif
