/* xapp hermetic stub header: declarations for parsing only.
 * SSE4.2 intrinsics: names and signatures as Intel's Intrinsics Guide lists them; no bodies. */
#ifndef XAPP_NMMINTRIN_H
#define XAPP_NMMINTRIN_H
#include <smmintrin.h>
#ifdef __cplusplus
extern "C" {
#endif
__m128i _mm_cmpgt_epi64(__m128i, __m128i);
unsigned int _mm_crc32_u8(unsigned int, unsigned char);
unsigned int _mm_crc32_u16(unsigned int, unsigned short);
unsigned int _mm_crc32_u32(unsigned int, unsigned int);
unsigned long long _mm_crc32_u64(unsigned long long, unsigned long long);
int _mm_popcnt_u32(unsigned int);
long long _mm_popcnt_u64(unsigned long long);
#ifdef __cplusplus
}
#endif
#endif
