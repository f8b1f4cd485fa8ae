/* xapp hermetic stub header: declarations for parsing only.
 * SSE2 intrinsics: names and signatures as Intel's Intrinsics Guide lists them; no bodies. */
#ifndef XAPP_EMMINTRIN_H
#define XAPP_EMMINTRIN_H
#include <xmmintrin.h>
typedef double __m128d __attribute__((__vector_size__(16), __aligned__(16)));
typedef long long __m128i __attribute__((__vector_size__(16), __aligned__(16)));
typedef double __m128d_u __attribute__((__vector_size__(16), __aligned__(1)));
typedef long long __m128i_u __attribute__((__vector_size__(16), __aligned__(1)));
typedef double __v2df __attribute__((__vector_size__(16)));
typedef long long __v2di __attribute__((__vector_size__(16)));
typedef int __v4si __attribute__((__vector_size__(16)));
typedef short __v8hi __attribute__((__vector_size__(16)));
typedef char __v16qi __attribute__((__vector_size__(16)));

#define _MM_SHUFFLE2(x, y) (((x) << 1) | (y))

#ifdef __cplusplus
extern "C" {
#endif
#define __XAPP_I2(n) __m128i n(__m128i, __m128i);
#define __XAPP_I_INT(n) __m128i n(__m128i, int);
#define __XAPP_PD2(n) __m128d n(__m128d, __m128d);
/* integer arithmetic, logic, comparison, packing, in 8/16/32/64-bit lanes */
__XAPP_I2(_mm_add_epi8) __XAPP_I2(_mm_add_epi16) __XAPP_I2(_mm_add_epi32) __XAPP_I2(_mm_add_epi64)
__XAPP_I2(_mm_adds_epi8) __XAPP_I2(_mm_adds_epi16) __XAPP_I2(_mm_adds_epu8) __XAPP_I2(_mm_adds_epu16)
__XAPP_I2(_mm_sub_epi8) __XAPP_I2(_mm_sub_epi16) __XAPP_I2(_mm_sub_epi32) __XAPP_I2(_mm_sub_epi64)
__XAPP_I2(_mm_subs_epi8) __XAPP_I2(_mm_subs_epi16) __XAPP_I2(_mm_subs_epu8) __XAPP_I2(_mm_subs_epu16)
__XAPP_I2(_mm_and_si128) __XAPP_I2(_mm_andnot_si128) __XAPP_I2(_mm_or_si128) __XAPP_I2(_mm_xor_si128)
__XAPP_I2(_mm_cmpeq_epi8) __XAPP_I2(_mm_cmpeq_epi16) __XAPP_I2(_mm_cmpeq_epi32)
__XAPP_I2(_mm_cmpgt_epi8) __XAPP_I2(_mm_cmpgt_epi16) __XAPP_I2(_mm_cmpgt_epi32)
__XAPP_I2(_mm_cmplt_epi8) __XAPP_I2(_mm_cmplt_epi16) __XAPP_I2(_mm_cmplt_epi32)
__XAPP_I2(_mm_max_epi16) __XAPP_I2(_mm_max_epu8) __XAPP_I2(_mm_min_epi16) __XAPP_I2(_mm_min_epu8)
__XAPP_I2(_mm_mullo_epi16) __XAPP_I2(_mm_mulhi_epi16) __XAPP_I2(_mm_mulhi_epu16) __XAPP_I2(_mm_mul_epu32)
__XAPP_I2(_mm_madd_epi16) __XAPP_I2(_mm_sad_epu8) __XAPP_I2(_mm_avg_epu8) __XAPP_I2(_mm_avg_epu16)
__XAPP_I2(_mm_unpacklo_epi8) __XAPP_I2(_mm_unpacklo_epi16) __XAPP_I2(_mm_unpacklo_epi32)
__XAPP_I2(_mm_unpacklo_epi64) __XAPP_I2(_mm_unpackhi_epi8) __XAPP_I2(_mm_unpackhi_epi16)
__XAPP_I2(_mm_unpackhi_epi32) __XAPP_I2(_mm_unpackhi_epi64)
__XAPP_I2(_mm_packs_epi16) __XAPP_I2(_mm_packs_epi32) __XAPP_I2(_mm_packus_epi16)
__XAPP_I2(_mm_sll_epi16) __XAPP_I2(_mm_sll_epi32) __XAPP_I2(_mm_sll_epi64)
__XAPP_I2(_mm_srl_epi16) __XAPP_I2(_mm_srl_epi32) __XAPP_I2(_mm_srl_epi64)
__XAPP_I2(_mm_sra_epi16) __XAPP_I2(_mm_sra_epi32)
/* shifts and shuffles by an immediate */
__XAPP_I_INT(_mm_slli_epi16) __XAPP_I_INT(_mm_slli_epi32) __XAPP_I_INT(_mm_slli_epi64)
__XAPP_I_INT(_mm_srli_epi16) __XAPP_I_INT(_mm_srli_epi32) __XAPP_I_INT(_mm_srli_epi64)
__XAPP_I_INT(_mm_srai_epi16) __XAPP_I_INT(_mm_srai_epi32)
__XAPP_I_INT(_mm_slli_si128) __XAPP_I_INT(_mm_srli_si128) __XAPP_I_INT(_mm_bslli_si128)
__XAPP_I_INT(_mm_bsrli_si128) __XAPP_I_INT(_mm_shuffle_epi32) __XAPP_I_INT(_mm_shufflelo_epi16)
__XAPP_I_INT(_mm_shufflehi_epi16)
/* double precision */
__XAPP_PD2(_mm_add_pd) __XAPP_PD2(_mm_sub_pd) __XAPP_PD2(_mm_mul_pd) __XAPP_PD2(_mm_div_pd)
__XAPP_PD2(_mm_min_pd) __XAPP_PD2(_mm_max_pd) __XAPP_PD2(_mm_and_pd) __XAPP_PD2(_mm_andnot_pd)
__XAPP_PD2(_mm_or_pd) __XAPP_PD2(_mm_xor_pd) __XAPP_PD2(_mm_add_sd) __XAPP_PD2(_mm_sub_sd)
__XAPP_PD2(_mm_mul_sd) __XAPP_PD2(_mm_div_sd) __XAPP_PD2(_mm_min_sd) __XAPP_PD2(_mm_max_sd)
__XAPP_PD2(_mm_sqrt_sd) __XAPP_PD2(_mm_move_sd)
__XAPP_PD2(_mm_cmpeq_pd) __XAPP_PD2(_mm_cmplt_pd) __XAPP_PD2(_mm_cmple_pd) __XAPP_PD2(_mm_cmpgt_pd)
__XAPP_PD2(_mm_cmpge_pd) __XAPP_PD2(_mm_cmpneq_pd) __XAPP_PD2(_mm_cmpord_pd) __XAPP_PD2(_mm_cmpunord_pd)
__XAPP_PD2(_mm_cmpeq_sd) __XAPP_PD2(_mm_cmplt_sd) __XAPP_PD2(_mm_cmple_sd) __XAPP_PD2(_mm_cmpgt_sd)
__XAPP_PD2(_mm_unpacklo_pd) __XAPP_PD2(_mm_unpackhi_pd)
#undef __XAPP_I2
#undef __XAPP_I_INT
#undef __XAPP_PD2
__m128d _mm_sqrt_pd(__m128d);
__m128d _mm_shuffle_pd(__m128d, __m128d, int);
__m128i _mm_insert_epi16(__m128i, int, int);
int _mm_extract_epi16(__m128i, int);
int _mm_movemask_epi8(__m128i);
int _mm_movemask_pd(__m128d);
/* set, load, store */
__m128i _mm_setzero_si128(void);
__m128i _mm_undefined_si128(void);
__m128i _mm_set1_epi8(char);
__m128i _mm_set1_epi16(short);
__m128i _mm_set1_epi32(int);
__m128i _mm_set1_epi64x(long long);
__m128i _mm_set_epi8(char, char, char, char, char, char, char, char,
                     char, char, char, char, char, char, char, char);
__m128i _mm_setr_epi8(char, char, char, char, char, char, char, char,
                      char, char, char, char, char, char, char, char);
__m128i _mm_set_epi16(short, short, short, short, short, short, short, short);
__m128i _mm_setr_epi16(short, short, short, short, short, short, short, short);
__m128i _mm_set_epi32(int, int, int, int);
__m128i _mm_setr_epi32(int, int, int, int);
__m128i _mm_set_epi64x(long long, long long);
__m128d _mm_setzero_pd(void);
__m128d _mm_undefined_pd(void);
__m128d _mm_set1_pd(double);
__m128d _mm_set_pd1(double);
__m128d _mm_set_sd(double);
__m128d _mm_set_pd(double, double);
__m128d _mm_setr_pd(double, double);
__m128i _mm_load_si128(const __m128i *);
__m128i _mm_loadu_si128(const __m128i_u *);
__m128i _mm_loadl_epi64(const __m128i_u *);
__m128i _mm_loadu_si32(const void *);
__m128i _mm_loadu_si64(const void *);
void _mm_store_si128(__m128i *, __m128i);
void _mm_storeu_si128(__m128i_u *, __m128i);
void _mm_storel_epi64(__m128i_u *, __m128i);
void _mm_stream_si128(__m128i *, __m128i);
void _mm_maskmoveu_si128(__m128i, __m128i, char *);
__m128d _mm_load_pd(const double *);
__m128d _mm_loadu_pd(const double *);
__m128d _mm_loadr_pd(const double *);
__m128d _mm_load1_pd(const double *);
__m128d _mm_load_pd1(const double *);
__m128d _mm_load_sd(const double *);
__m128d _mm_loadh_pd(__m128d, const double *);
__m128d _mm_loadl_pd(__m128d, const double *);
void _mm_store_pd(double *, __m128d);
void _mm_storeu_pd(double *, __m128d);
void _mm_storer_pd(double *, __m128d);
void _mm_store1_pd(double *, __m128d);
void _mm_store_pd1(double *, __m128d);
void _mm_store_sd(double *, __m128d);
void _mm_storeh_pd(double *, __m128d);
void _mm_storel_pd(double *, __m128d);
void _mm_stream_pd(double *, __m128d);
/* conversions and casts */
__m128i _mm_cvtsi32_si128(int);
__m128i _mm_cvtsi64_si128(long long);
__m128i _mm_cvtsi64x_si128(long long);
int _mm_cvtsi128_si32(__m128i);
long long _mm_cvtsi128_si64(__m128i);
long long _mm_cvtsi128_si64x(__m128i);
__m128 _mm_cvtepi32_ps(__m128i);
__m128i _mm_cvtps_epi32(__m128);
__m128i _mm_cvttps_epi32(__m128);
__m128d _mm_cvtepi32_pd(__m128i);
__m128i _mm_cvtpd_epi32(__m128d);
__m128i _mm_cvttpd_epi32(__m128d);
__m128 _mm_cvtpd_ps(__m128d);
__m128d _mm_cvtps_pd(__m128);
__m128d _mm_cvtsi32_sd(__m128d, int);
__m128d _mm_cvtss_sd(__m128d, __m128);
__m128 _mm_cvtsd_ss(__m128, __m128d);
double _mm_cvtsd_f64(__m128d);
int _mm_cvtsd_si32(__m128d);
int _mm_cvttsd_si32(__m128d);
long long _mm_cvtsd_si64(__m128d);
long long _mm_cvttsd_si64(__m128d);
__m128 _mm_castpd_ps(__m128d);
__m128i _mm_castpd_si128(__m128d);
__m128d _mm_castps_pd(__m128);
__m128i _mm_castps_si128(__m128);
__m128 _mm_castsi128_ps(__m128i);
__m128d _mm_castsi128_pd(__m128i);
__m128i _mm_move_epi64(__m128i);
void _mm_lfence(void);
void _mm_mfence(void);
void _mm_clflush(const void *);
#ifdef __cplusplus
}
#endif
#endif
