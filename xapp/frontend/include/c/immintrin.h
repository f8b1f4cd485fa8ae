/* xapp hermetic stub header: declarations for parsing only.
 * SSE to SSE4.2, and the common AVX, AVX2 and FMA intrinsics: names and signatures as Intel's
 * Intrinsics Guide lists them; no bodies. */
#ifndef XAPP_IMMINTRIN_H
#define XAPP_IMMINTRIN_H
#include <nmmintrin.h>
typedef float __m256 __attribute__((__vector_size__(32), __aligned__(32)));
typedef double __m256d __attribute__((__vector_size__(32), __aligned__(32)));
typedef long long __m256i __attribute__((__vector_size__(32), __aligned__(32)));
typedef float __m256_u __attribute__((__vector_size__(32), __aligned__(1)));
typedef double __m256d_u __attribute__((__vector_size__(32), __aligned__(1)));
typedef long long __m256i_u __attribute__((__vector_size__(32), __aligned__(1)));
#define _CMP_EQ_OQ 0x00
#define _CMP_LT_OS 0x01
#define _CMP_LE_OS 0x02
#define _CMP_NEQ_UQ 0x04
#define _CMP_NLT_US 0x05
#define _CMP_NLE_US 0x06
#define _CMP_GE_OS 0x0d
#define _CMP_GT_OS 0x0e
#define _CMP_LT_OQ 0x11
#define _CMP_LE_OQ 0x12
#define _CMP_GE_OQ 0x1d
#define _CMP_GT_OQ 0x1e
#ifdef __cplusplus
extern "C" {
#endif
#define __XAPP_PS2(n) __m256 n(__m256, __m256);
#define __XAPP_PD2(n) __m256d n(__m256d, __m256d);
#define __XAPP_I2(n) __m256i n(__m256i, __m256i);
__XAPP_PS2(_mm256_add_ps) __XAPP_PS2(_mm256_sub_ps) __XAPP_PS2(_mm256_mul_ps) __XAPP_PS2(_mm256_div_ps)
__XAPP_PS2(_mm256_min_ps) __XAPP_PS2(_mm256_max_ps) __XAPP_PS2(_mm256_and_ps) __XAPP_PS2(_mm256_andnot_ps)
__XAPP_PS2(_mm256_or_ps) __XAPP_PS2(_mm256_xor_ps) __XAPP_PS2(_mm256_hadd_ps) __XAPP_PS2(_mm256_addsub_ps)
__XAPP_PS2(_mm256_unpacklo_ps) __XAPP_PS2(_mm256_unpackhi_ps)
__XAPP_PD2(_mm256_add_pd) __XAPP_PD2(_mm256_sub_pd) __XAPP_PD2(_mm256_mul_pd) __XAPP_PD2(_mm256_div_pd)
__XAPP_PD2(_mm256_min_pd) __XAPP_PD2(_mm256_max_pd) __XAPP_PD2(_mm256_and_pd) __XAPP_PD2(_mm256_andnot_pd)
__XAPP_PD2(_mm256_or_pd) __XAPP_PD2(_mm256_xor_pd) __XAPP_PD2(_mm256_hadd_pd) __XAPP_PD2(_mm256_addsub_pd)
__XAPP_PD2(_mm256_unpacklo_pd) __XAPP_PD2(_mm256_unpackhi_pd)
__XAPP_I2(_mm256_add_epi8) __XAPP_I2(_mm256_add_epi16) __XAPP_I2(_mm256_add_epi32) __XAPP_I2(_mm256_add_epi64)
__XAPP_I2(_mm256_sub_epi8) __XAPP_I2(_mm256_sub_epi16) __XAPP_I2(_mm256_sub_epi32) __XAPP_I2(_mm256_sub_epi64)
__XAPP_I2(_mm256_adds_epi16) __XAPP_I2(_mm256_adds_epu8) __XAPP_I2(_mm256_subs_epi16) __XAPP_I2(_mm256_subs_epu8)
__XAPP_I2(_mm256_and_si256) __XAPP_I2(_mm256_andnot_si256) __XAPP_I2(_mm256_or_si256) __XAPP_I2(_mm256_xor_si256)
__XAPP_I2(_mm256_cmpeq_epi8) __XAPP_I2(_mm256_cmpeq_epi16) __XAPP_I2(_mm256_cmpeq_epi32)
__XAPP_I2(_mm256_cmpgt_epi8) __XAPP_I2(_mm256_cmpgt_epi16) __XAPP_I2(_mm256_cmpgt_epi32)
__XAPP_I2(_mm256_max_epi16) __XAPP_I2(_mm256_max_epi32) __XAPP_I2(_mm256_max_epu8)
__XAPP_I2(_mm256_min_epi16) __XAPP_I2(_mm256_min_epi32) __XAPP_I2(_mm256_min_epu8)
__XAPP_I2(_mm256_mullo_epi16) __XAPP_I2(_mm256_mullo_epi32) __XAPP_I2(_mm256_madd_epi16)
__XAPP_I2(_mm256_shuffle_epi8) __XAPP_I2(_mm256_unpacklo_epi8) __XAPP_I2(_mm256_unpackhi_epi8)
__XAPP_I2(_mm256_unpacklo_epi16) __XAPP_I2(_mm256_unpackhi_epi16) __XAPP_I2(_mm256_packs_epi16)
__XAPP_I2(_mm256_packus_epi16) __XAPP_I2(_mm256_sllv_epi32) __XAPP_I2(_mm256_srlv_epi32)
#undef __XAPP_PS2
#undef __XAPP_PD2
#undef __XAPP_I2
__m256 _mm256_sqrt_ps(__m256);
__m256 _mm256_rsqrt_ps(__m256);
__m256 _mm256_rcp_ps(__m256);
__m256d _mm256_sqrt_pd(__m256d);
__m256 _mm256_cmp_ps(__m256, __m256, int);
__m256d _mm256_cmp_pd(__m256d, __m256d, int);
__m256 _mm256_blendv_ps(__m256, __m256, __m256);
__m256d _mm256_blendv_pd(__m256d, __m256d, __m256d);
__m256i _mm256_blendv_epi8(__m256i, __m256i, __m256i);
__m256 _mm256_shuffle_ps(__m256, __m256, int);
__m256d _mm256_shuffle_pd(__m256d, __m256d, int);
__m256 _mm256_permute_ps(__m256, int);
__m256d _mm256_permute_pd(__m256d, int);
__m256 _mm256_permute2f128_ps(__m256, __m256, int);
__m256d _mm256_permute2f128_pd(__m256d, __m256d, int);
__m256i _mm256_permute2x128_si256(__m256i, __m256i, int);
__m256d _mm256_permute4x64_pd(__m256d, int);
__m256i _mm256_permute4x64_epi64(__m256i, int);
__m256 _mm256_permutevar8x32_ps(__m256, __m256i);
__m256i _mm256_permutevar8x32_epi32(__m256i, __m256i);
__m256 _mm256_round_ps(__m256, int);
__m256d _mm256_round_pd(__m256d, int);
__m256 _mm256_floor_ps(__m256);
__m256d _mm256_floor_pd(__m256d);
__m256 _mm256_ceil_ps(__m256);
__m256d _mm256_ceil_pd(__m256d);
__m256i _mm256_abs_epi32(__m256i);
__m256i _mm256_slli_epi32(__m256i, int);
__m256i _mm256_srli_epi32(__m256i, int);
__m256i _mm256_srai_epi32(__m256i, int);
__m256i _mm256_slli_epi64(__m256i, int);
__m256i _mm256_srli_epi64(__m256i, int);
__m256i _mm256_shuffle_epi32(__m256i, int);
int _mm256_movemask_ps(__m256);
int _mm256_movemask_pd(__m256d);
int _mm256_movemask_epi8(__m256i);
int _mm256_testz_si256(__m256i, __m256i);
__m256 _mm256_setzero_ps(void);
__m256d _mm256_setzero_pd(void);
__m256i _mm256_setzero_si256(void);
__m256 _mm256_set1_ps(float);
__m256d _mm256_set1_pd(double);
__m256i _mm256_set1_epi8(char);
__m256i _mm256_set1_epi16(short);
__m256i _mm256_set1_epi32(int);
__m256i _mm256_set1_epi64x(long long);
__m256 _mm256_set_ps(float, float, float, float, float, float, float, float);
__m256 _mm256_setr_ps(float, float, float, float, float, float, float, float);
__m256d _mm256_set_pd(double, double, double, double);
__m256d _mm256_setr_pd(double, double, double, double);
__m256i _mm256_set_epi32(int, int, int, int, int, int, int, int);
__m256i _mm256_setr_epi32(int, int, int, int, int, int, int, int);
__m256i _mm256_set_epi64x(long long, long long, long long, long long);
__m256 _mm256_load_ps(const float *);
__m256 _mm256_loadu_ps(const float *);
__m256d _mm256_load_pd(const double *);
__m256d _mm256_loadu_pd(const double *);
__m256i _mm256_load_si256(const __m256i *);
__m256i _mm256_loadu_si256(const __m256i_u *);
__m256 _mm256_broadcast_ss(const float *);
__m256d _mm256_broadcast_sd(const double *);
__m256 _mm256_broadcast_ps(const __m128 *);
__m256 _mm256_maskload_ps(const float *, __m256i);
__m256d _mm256_maskload_pd(const double *, __m256i);
void _mm256_store_ps(float *, __m256);
void _mm256_storeu_ps(float *, __m256);
void _mm256_store_pd(double *, __m256d);
void _mm256_storeu_pd(double *, __m256d);
void _mm256_store_si256(__m256i *, __m256i);
void _mm256_storeu_si256(__m256i_u *, __m256i);
void _mm256_stream_ps(float *, __m256);
void _mm256_stream_pd(double *, __m256d);
void _mm256_maskstore_ps(float *, __m256i, __m256);
void _mm256_maskstore_pd(double *, __m256i, __m256d);
__m256 _mm256_i32gather_ps(const float *, __m256i, int);
__m256d _mm256_i32gather_pd(const double *, __m128i, int);
__m256i _mm256_i32gather_epi32(const int *, __m256i, int);
__m256 _mm256_cvtepi32_ps(__m256i);
__m256i _mm256_cvtps_epi32(__m256);
__m256i _mm256_cvttps_epi32(__m256);
__m256d _mm256_cvtepi32_pd(__m128i);
__m128i _mm256_cvtpd_epi32(__m256d);
__m256d _mm256_cvtps_pd(__m128);
__m128 _mm256_cvtpd_ps(__m256d);
__m256i _mm256_cvtepu8_epi16(__m128i);
__m256i _mm256_cvtepi16_epi32(__m128i);
float _mm256_cvtss_f32(__m256);
double _mm256_cvtsd_f64(__m256d);
__m256 _mm256_castpd_ps(__m256d);
__m256d _mm256_castps_pd(__m256);
__m256i _mm256_castps_si256(__m256);
__m256 _mm256_castsi256_ps(__m256i);
__m256i _mm256_castpd_si256(__m256d);
__m256d _mm256_castsi256_pd(__m256i);
__m128 _mm256_castps256_ps128(__m256);
__m128d _mm256_castpd256_pd128(__m256d);
__m128i _mm256_castsi256_si128(__m256i);
__m256 _mm256_castps128_ps256(__m128);
__m256d _mm256_castpd128_pd256(__m128d);
__m256i _mm256_castsi128_si256(__m128i);
__m128 _mm256_extractf128_ps(__m256, int);
__m128d _mm256_extractf128_pd(__m256d, int);
__m128i _mm256_extractf128_si256(__m256i, int);
__m128i _mm256_extracti128_si256(__m256i, int);
__m256 _mm256_insertf128_ps(__m256, __m128, int);
__m256d _mm256_insertf128_pd(__m256d, __m128d, int);
__m256i _mm256_insertf128_si256(__m256i, __m128i, int);
__m256i _mm256_inserti128_si256(__m256i, __m128i, int);
int _mm256_extract_epi32(__m256i, int);
void _mm256_zeroupper(void);
void _mm256_zeroall(void);
/* FMA */
__m128 _mm_fmadd_ps(__m128, __m128, __m128);
__m128d _mm_fmadd_pd(__m128d, __m128d, __m128d);
__m128 _mm_fmsub_ps(__m128, __m128, __m128);
__m128d _mm_fmsub_pd(__m128d, __m128d, __m128d);
__m128 _mm_fnmadd_ps(__m128, __m128, __m128);
__m128d _mm_fnmadd_pd(__m128d, __m128d, __m128d);
__m256 _mm256_fmadd_ps(__m256, __m256, __m256);
__m256d _mm256_fmadd_pd(__m256d, __m256d, __m256d);
__m256 _mm256_fmsub_ps(__m256, __m256, __m256);
__m256d _mm256_fmsub_pd(__m256d, __m256d, __m256d);
__m256 _mm256_fnmadd_ps(__m256, __m256, __m256);
__m256d _mm256_fnmadd_pd(__m256d, __m256d, __m256d);
/* bit manipulation often used beside the vectors */
unsigned int _tzcnt_u32(unsigned int);
unsigned long long _tzcnt_u64(unsigned long long);
unsigned int _lzcnt_u32(unsigned int);
unsigned long long _lzcnt_u64(unsigned long long);
unsigned long long _rdtsc(void);
#ifdef __cplusplus
}
#endif
#endif
