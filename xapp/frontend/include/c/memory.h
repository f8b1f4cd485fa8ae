/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_MEMORY_H
#define XAPP_MEMORY_H
#include <string.h>
#endif
