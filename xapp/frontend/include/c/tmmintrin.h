/* xapp hermetic stub header: declarations for parsing only.
 * SSSE3 intrinsics: names and signatures as Intel's Intrinsics Guide lists them; no bodies. */
#ifndef XAPP_TMMINTRIN_H
#define XAPP_TMMINTRIN_H
#include <pmmintrin.h>
#ifdef __cplusplus
extern "C" {
#endif
__m128i _mm_abs_epi8(__m128i);
__m128i _mm_abs_epi16(__m128i);
__m128i _mm_abs_epi32(__m128i);
__m128i _mm_shuffle_epi8(__m128i, __m128i);
__m128i _mm_alignr_epi8(__m128i, __m128i, int);
__m128i _mm_hadd_epi16(__m128i, __m128i);
__m128i _mm_hadd_epi32(__m128i, __m128i);
__m128i _mm_hadds_epi16(__m128i, __m128i);
__m128i _mm_hsub_epi16(__m128i, __m128i);
__m128i _mm_hsub_epi32(__m128i, __m128i);
__m128i _mm_maddubs_epi16(__m128i, __m128i);
__m128i _mm_mulhrs_epi16(__m128i, __m128i);
__m128i _mm_sign_epi8(__m128i, __m128i);
__m128i _mm_sign_epi16(__m128i, __m128i);
__m128i _mm_sign_epi32(__m128i, __m128i);
#ifdef __cplusplus
}
#endif
#endif
