/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_X86INTRIN_H
#define XAPP_X86INTRIN_H
#include <immintrin.h>
#endif
