/* xapp hermetic stub header: declarations for parsing only.
 * SSE intrinsics: names and signatures as Intel's Intrinsics Guide lists them; no bodies. */
#ifndef XAPP_XMMINTRIN_H
#define XAPP_XMMINTRIN_H
#include <mm_malloc.h>
typedef float __m128 __attribute__((__vector_size__(16), __aligned__(16)));
typedef float __m128_u __attribute__((__vector_size__(16), __aligned__(1)));
typedef float __v4sf __attribute__((__vector_size__(16)));
typedef int __m64 __attribute__((__vector_size__(8), __aligned__(8)));

#define _MM_SHUFFLE(z, y, x, w) (((z) << 6) | ((y) << 4) | ((x) << 2) | (w))
#define _MM_HINT_T0 3
#define _MM_HINT_T1 2
#define _MM_HINT_T2 1
#define _MM_HINT_NTA 0
#define _MM_FLUSH_ZERO_MASK 0x8000
#define _MM_FLUSH_ZERO_ON 0x8000
#define _MM_FLUSH_ZERO_OFF 0x0000
#define _MM_EXCEPT_MASK 0x003f
#define _MM_MASK_MASK 0x1f80
#define _MM_ROUND_MASK 0x6000
#define _MM_ROUND_NEAREST 0x0000
#define _MM_ROUND_TOWARD_ZERO 0x6000
#define _MM_SET_FLUSH_ZERO_MODE(mode) _mm_setcsr((_mm_getcsr() & ~_MM_FLUSH_ZERO_MASK) | (mode))
#define _MM_GET_FLUSH_ZERO_MODE() (_mm_getcsr() & _MM_FLUSH_ZERO_MASK)
#define _MM_SET_ROUNDING_MODE(mode) _mm_setcsr((_mm_getcsr() & ~_MM_ROUND_MASK) | (mode))
#define _MM_TRANSPOSE4_PS(r0, r1, r2, r3) ((void)(r0), (void)(r1), (void)(r2), (void)(r3))

#ifdef __cplusplus
extern "C" {
#endif
#define __XAPP_PS2(n) __m128 n(__m128, __m128);
#define __XAPP_PS1(n) __m128 n(__m128);
__XAPP_PS2(_mm_add_ps) __XAPP_PS2(_mm_sub_ps) __XAPP_PS2(_mm_mul_ps) __XAPP_PS2(_mm_div_ps)
__XAPP_PS2(_mm_min_ps) __XAPP_PS2(_mm_max_ps) __XAPP_PS2(_mm_and_ps) __XAPP_PS2(_mm_andnot_ps)
__XAPP_PS2(_mm_or_ps) __XAPP_PS2(_mm_xor_ps) __XAPP_PS2(_mm_add_ss) __XAPP_PS2(_mm_sub_ss)
__XAPP_PS2(_mm_mul_ss) __XAPP_PS2(_mm_div_ss) __XAPP_PS2(_mm_min_ss) __XAPP_PS2(_mm_max_ss)
__XAPP_PS2(_mm_cmpeq_ps) __XAPP_PS2(_mm_cmplt_ps) __XAPP_PS2(_mm_cmple_ps) __XAPP_PS2(_mm_cmpgt_ps)
__XAPP_PS2(_mm_cmpge_ps) __XAPP_PS2(_mm_cmpneq_ps) __XAPP_PS2(_mm_cmpord_ps) __XAPP_PS2(_mm_cmpunord_ps)
__XAPP_PS2(_mm_cmpeq_ss) __XAPP_PS2(_mm_cmplt_ss) __XAPP_PS2(_mm_cmple_ss) __XAPP_PS2(_mm_cmpgt_ss)
__XAPP_PS2(_mm_unpacklo_ps) __XAPP_PS2(_mm_unpackhi_ps) __XAPP_PS2(_mm_movehl_ps) __XAPP_PS2(_mm_movelh_ps)
__XAPP_PS2(_mm_move_ss)
__XAPP_PS1(_mm_sqrt_ps) __XAPP_PS1(_mm_rcp_ps) __XAPP_PS1(_mm_rsqrt_ps) __XAPP_PS1(_mm_sqrt_ss)
__XAPP_PS1(_mm_rcp_ss) __XAPP_PS1(_mm_rsqrt_ss)
#undef __XAPP_PS1
#undef __XAPP_PS2
__m128 _mm_shuffle_ps(__m128, __m128, int);
__m128 _mm_set1_ps(float);
__m128 _mm_set_ps1(float);
__m128 _mm_set_ss(float);
__m128 _mm_set_ps(float, float, float, float);
__m128 _mm_setr_ps(float, float, float, float);
__m128 _mm_setzero_ps(void);
__m128 _mm_undefined_ps(void);
__m128 _mm_load_ps(const float *);
__m128 _mm_loadu_ps(const float *);
__m128 _mm_loadr_ps(const float *);
__m128 _mm_load1_ps(const float *);
__m128 _mm_load_ps1(const float *);
__m128 _mm_load_ss(const float *);
__m128 _mm_loadh_pi(__m128, const __m64 *);
__m128 _mm_loadl_pi(__m128, const __m64 *);
void _mm_store_ps(float *, __m128);
void _mm_storeu_ps(float *, __m128);
void _mm_storer_ps(float *, __m128);
void _mm_store1_ps(float *, __m128);
void _mm_store_ps1(float *, __m128);
void _mm_store_ss(float *, __m128);
void _mm_storeh_pi(__m64 *, __m128);
void _mm_storel_pi(__m64 *, __m128);
void _mm_stream_ps(float *, __m128);
float _mm_cvtss_f32(__m128);
int _mm_cvtss_si32(__m128);
int _mm_cvttss_si32(__m128);
int _mm_cvt_ss2si(__m128);
long long _mm_cvtss_si64(__m128);
long long _mm_cvttss_si64(__m128);
__m128 _mm_cvtsi32_ss(__m128, int);
__m128 _mm_cvtsi64_ss(__m128, long long);
int _mm_movemask_ps(__m128);
int _mm_comieq_ss(__m128, __m128);
int _mm_comilt_ss(__m128, __m128);
int _mm_comigt_ss(__m128, __m128);
int _mm_ucomieq_ss(__m128, __m128);
void _mm_prefetch(const char *, int);
void _mm_sfence(void);
void _mm_pause(void);
unsigned int _mm_getcsr(void);
void _mm_setcsr(unsigned int);
#ifdef __cplusplus
}
#endif
#endif
