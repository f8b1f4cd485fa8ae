/* xapp hermetic stub header: declarations for parsing only.
 * SSE3 intrinsics: names and signatures as Intel's Intrinsics Guide lists them; no bodies. */
#ifndef XAPP_PMMINTRIN_H
#define XAPP_PMMINTRIN_H
#include <emmintrin.h>
#define _MM_DENORMALS_ZERO_MASK 0x0040
#define _MM_DENORMALS_ZERO_ON 0x0040
#define _MM_DENORMALS_ZERO_OFF 0x0000
#define _MM_SET_DENORMALS_ZERO_MODE(mode) _mm_setcsr((_mm_getcsr() & ~_MM_DENORMALS_ZERO_MASK) | (mode))
#define _MM_GET_DENORMALS_ZERO_MODE() (_mm_getcsr() & _MM_DENORMALS_ZERO_MASK)
#ifdef __cplusplus
extern "C" {
#endif
__m128 _mm_addsub_ps(__m128, __m128);
__m128 _mm_hadd_ps(__m128, __m128);
__m128 _mm_hsub_ps(__m128, __m128);
__m128 _mm_movehdup_ps(__m128);
__m128 _mm_moveldup_ps(__m128);
__m128d _mm_addsub_pd(__m128d, __m128d);
__m128d _mm_hadd_pd(__m128d, __m128d);
__m128d _mm_hsub_pd(__m128d, __m128d);
__m128d _mm_movedup_pd(__m128d);
__m128d _mm_loaddup_pd(const double *);
__m128i _mm_lddqu_si128(const __m128i_u *);
#ifdef __cplusplus
}
#endif
#endif
