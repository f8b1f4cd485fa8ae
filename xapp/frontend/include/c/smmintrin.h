/* xapp hermetic stub header: declarations for parsing only.
 * SSE4.1 intrinsics: names and signatures as Intel's Intrinsics Guide lists them; no bodies. */
#ifndef XAPP_SMMINTRIN_H
#define XAPP_SMMINTRIN_H
#include <tmmintrin.h>
#define _MM_FROUND_TO_NEAREST_INT 0x00
#define _MM_FROUND_TO_NEG_INF 0x01
#define _MM_FROUND_TO_POS_INF 0x02
#define _MM_FROUND_TO_ZERO 0x03
#define _MM_FROUND_CUR_DIRECTION 0x04
#define _MM_FROUND_NO_EXC 0x08
#define _MM_FROUND_NINT (_MM_FROUND_TO_NEAREST_INT)
#define _MM_FROUND_FLOOR (_MM_FROUND_TO_NEG_INF)
#define _MM_FROUND_CEIL (_MM_FROUND_TO_POS_INF)
#define _MM_FROUND_TRUNC (_MM_FROUND_TO_ZERO)
#ifdef __cplusplus
extern "C" {
#endif
#define __XAPP_I2(n) __m128i n(__m128i, __m128i);
#define __XAPP_I1(n) __m128i n(__m128i);
__XAPP_I2(_mm_max_epi8) __XAPP_I2(_mm_max_epi32) __XAPP_I2(_mm_max_epu16) __XAPP_I2(_mm_max_epu32)
__XAPP_I2(_mm_min_epi8) __XAPP_I2(_mm_min_epi32) __XAPP_I2(_mm_min_epu16) __XAPP_I2(_mm_min_epu32)
__XAPP_I2(_mm_mullo_epi32) __XAPP_I2(_mm_mul_epi32) __XAPP_I2(_mm_packus_epi32) __XAPP_I2(_mm_cmpeq_epi64)
__XAPP_I1(_mm_cvtepi8_epi16) __XAPP_I1(_mm_cvtepi8_epi32) __XAPP_I1(_mm_cvtepi8_epi64)
__XAPP_I1(_mm_cvtepi16_epi32) __XAPP_I1(_mm_cvtepi16_epi64) __XAPP_I1(_mm_cvtepi32_epi64)
__XAPP_I1(_mm_cvtepu8_epi16) __XAPP_I1(_mm_cvtepu8_epi32) __XAPP_I1(_mm_cvtepu8_epi64)
__XAPP_I1(_mm_cvtepu16_epi32) __XAPP_I1(_mm_cvtepu16_epi64) __XAPP_I1(_mm_cvtepu32_epi64)
__XAPP_I1(_mm_minpos_epu16)
#undef __XAPP_I1
#undef __XAPP_I2
__m128i _mm_blendv_epi8(__m128i, __m128i, __m128i);
__m128i _mm_blend_epi16(__m128i, __m128i, int);
__m128 _mm_blendv_ps(__m128, __m128, __m128);
__m128 _mm_blend_ps(__m128, __m128, int);
__m128d _mm_blendv_pd(__m128d, __m128d, __m128d);
__m128d _mm_blend_pd(__m128d, __m128d, int);
__m128 _mm_dp_ps(__m128, __m128, int);
__m128d _mm_dp_pd(__m128d, __m128d, int);
__m128 _mm_floor_ps(__m128);
__m128 _mm_ceil_ps(__m128);
__m128 _mm_round_ps(__m128, int);
__m128d _mm_floor_pd(__m128d);
__m128d _mm_ceil_pd(__m128d);
__m128d _mm_round_pd(__m128d, int);
__m128 _mm_floor_ss(__m128, __m128);
__m128d _mm_floor_sd(__m128d, __m128d);
__m128 _mm_insert_ps(__m128, __m128, int);
int _mm_extract_ps(__m128, int);
int _mm_extract_epi8(__m128i, int);
int _mm_extract_epi32(__m128i, int);
long long _mm_extract_epi64(__m128i, int);
__m128i _mm_insert_epi8(__m128i, int, int);
__m128i _mm_insert_epi32(__m128i, int, int);
__m128i _mm_insert_epi64(__m128i, long long, int);
int _mm_testz_si128(__m128i, __m128i);
int _mm_testc_si128(__m128i, __m128i);
int _mm_testnzc_si128(__m128i, __m128i);
__m128i _mm_stream_load_si128(const __m128i *);
#define _mm_test_all_zeros(m, v) _mm_testz_si128((m), (v))
#ifdef __cplusplus
}
#endif
#endif
