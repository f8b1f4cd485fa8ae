/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_MATH_H
#define XAPP_MATH_H
#include <__xapp_features.h>

#define HUGE_VAL __builtin_huge_val()
#define HUGE_VALF __builtin_huge_valf()
#define HUGE_VALL __builtin_huge_vall()
#define INFINITY __builtin_inff()
#define NAN __builtin_nanf("")

#define FP_NAN 0
#define FP_INFINITE 1
#define FP_ZERO 2
#define FP_SUBNORMAL 3
#define FP_NORMAL 4
#define FP_ILOGB0 (-2147483647 - 1)
#define FP_ILOGBNAN (-2147483647 - 1)
#define MATH_ERRNO 1
#define MATH_ERREXCEPT 2
#define math_errhandling (MATH_ERRNO | MATH_ERREXCEPT)

#if defined(__XAPP_USE_MISC) || defined(__XAPP_USE_XOPEN)
#define M_E 2.7182818284590452354
#define M_LOG2E 1.4426950408889634074
#define M_LOG10E 0.43429448190325182765
#define M_LN2 0.69314718055994530942
#define M_LN10 2.30258509299404568402
#define M_PI 3.14159265358979323846
#define M_PI_2 1.57079632679489661923
#define M_PI_4 0.78539816339744830962
#define M_1_PI 0.31830988618379067154
#define M_2_PI 0.63661977236758134308
#define M_2_SQRTPI 1.12837916709551257390
#define M_SQRT2 1.41421356237309504880
#define M_SQRT1_2 0.70710678118654752440
#define MAXFLOAT 3.40282347e+38F
#endif
#ifdef __XAPP_USE_GNU
#define M_El 2.718281828459045235360287471352662498L
#define M_PIl 3.141592653589793238462643383279502884L
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef float float_t;
typedef double double_t;

/* Every function in its double, float (f) and long double (l) variant. */
#define __XAPP_M1(n) double n(double); float n##f(float); long double n##l(long double);
#define __XAPP_M2(n) double n(double, double); float n##f(float, float); \
  long double n##l(long double, long double);
__XAPP_M1(acos) __XAPP_M1(asin) __XAPP_M1(atan) __XAPP_M1(cos) __XAPP_M1(sin) __XAPP_M1(tan)
__XAPP_M1(acosh) __XAPP_M1(asinh) __XAPP_M1(atanh) __XAPP_M1(cosh) __XAPP_M1(sinh) __XAPP_M1(tanh)
__XAPP_M1(exp) __XAPP_M1(exp2) __XAPP_M1(expm1)
__XAPP_M1(log) __XAPP_M1(log10) __XAPP_M1(log1p) __XAPP_M1(log2) __XAPP_M1(logb)
__XAPP_M1(sqrt) __XAPP_M1(cbrt) __XAPP_M1(fabs)
__XAPP_M1(erf) __XAPP_M1(erfc) __XAPP_M1(lgamma) __XAPP_M1(tgamma)
__XAPP_M1(ceil) __XAPP_M1(floor) __XAPP_M1(nearbyint) __XAPP_M1(rint) __XAPP_M1(round) __XAPP_M1(trunc)
__XAPP_M2(atan2) __XAPP_M2(pow) __XAPP_M2(hypot) __XAPP_M2(fmod) __XAPP_M2(remainder)
__XAPP_M2(copysign) __XAPP_M2(nextafter) __XAPP_M2(fdim) __XAPP_M2(fmax) __XAPP_M2(fmin)
#undef __XAPP_M1
#undef __XAPP_M2

double fma(double, double, double);
float fmaf(float, float, float);
long double fmal(long double, long double, long double);
double frexp(double, int *);
float frexpf(float, int *);
long double frexpl(long double, int *);
double ldexp(double, int);
float ldexpf(float, int);
long double ldexpl(long double, int);
double scalbn(double, int);
float scalbnf(float, int);
long double scalbnl(long double, int);
double scalbln(double, long);
float scalblnf(float, long);
long double scalblnl(long double, long);
double modf(double, double *);
float modff(float, float *);
long double modfl(long double, long double *);
double remquo(double, double, int *);
float remquof(float, float, int *);
long double remquol(long double, long double, int *);
double nexttoward(double, long double);
float nexttowardf(float, long double);
long double nexttowardl(long double, long double);
int ilogb(double);
int ilogbf(float);
int ilogbl(long double);
long lrint(double);
long lrintf(float);
long lrintl(long double);
long long llrint(double);
long long llrintf(float);
long long llrintl(long double);
long lround(double);
long lroundf(float);
long lroundl(long double);
long long llround(double);
long long llroundf(float);
long long llroundl(long double);
double nan(const char *);
float nanf(const char *);
long double nanl(const char *);
#ifdef __XAPP_USE_GNU
/* GNU extensions, which a program that defines its own sincos or exp10 does not see. The Bessel
 * functions j0, y1, ... (XSI) and gamma (misc) are left out: file-scope variables with those names are common. */
void sincos(double, double *, double *);
void sincosf(float, float *, float *);
void sincosl(long double, long double *, long double *);
double exp10(double);
float exp10f(float);
long double exp10l(long double);
double pow10(double);
#endif
#if defined(__XAPP_USE_MISC) || defined(__XAPP_USE_XOPEN)
int finite(double);
int finitef(float);
int isinff(float);
int isnanf(float);
#endif

#ifdef __cplusplus
}
#endif

#ifndef __cplusplus
/* Type-generic classification through clang builtins. */
#define fpclassify(x) __builtin_fpclassify(FP_NAN, FP_INFINITE, FP_NORMAL, FP_SUBNORMAL, FP_ZERO, x)
#define isnan(x) __builtin_isnan(x)
#define isinf(x) __builtin_isinf(x)
#define isfinite(x) __builtin_isfinite(x)
#define isnormal(x) __builtin_isnormal(x)
#define signbit(x) __builtin_signbit(x)
#define isgreater(x, y) __builtin_isgreater(x, y)
#define isgreaterequal(x, y) __builtin_isgreaterequal(x, y)
#define isless(x, y) __builtin_isless(x, y)
#define islessequal(x, y) __builtin_islessequal(x, y)
#define islessgreater(x, y) __builtin_islessgreater(x, y)
#define isunordered(x, y) __builtin_isunordered(x, y)
#else
/* C++: the <cmath> overload sets live in std and are also made global, as
 * in real C++ libraries: float and long double overloads, integer arguments
 * computed in double, mixed arguments promoted (pow(float, int) -> double). */
namespace std {
template <class _T> struct __xapp_fp {};
template <> struct __xapp_fp<float> { typedef float type; enum { rank = 1 }; };
template <> struct __xapp_fp<double> { typedef double type; enum { rank = 2 }; };
template <> struct __xapp_fp<long double> { typedef long double type; enum { rank = 3 }; };
template <class _T> struct __xapp_int {};
#define __XAPP_INT(T) \
  template <> struct __xapp_int<T> { typedef double type; }; \
  template <> struct __xapp_fp<T> { typedef double type; enum { rank = 2 }; };
__XAPP_INT(bool) __XAPP_INT(char) __XAPP_INT(signed char) __XAPP_INT(unsigned char)
__XAPP_INT(wchar_t) __XAPP_INT(short) __XAPP_INT(unsigned short) __XAPP_INT(int)
__XAPP_INT(unsigned int) __XAPP_INT(long) __XAPP_INT(unsigned long) __XAPP_INT(long long)
__XAPP_INT(unsigned long long)
#if __cplusplus >= 201103L
__XAPP_INT(char16_t) __XAPP_INT(char32_t)
#endif
#undef __XAPP_INT
template <bool _C, class _A, class _B> struct __xapp_sel { typedef _A type; };
template <class _A, class _B> struct __xapp_sel<false, _A, _B> { typedef _B type; };
/* Common floating type of two arithmetic types; no member otherwise (SFINAE). */
template <class _A, class _B, class _FA = typename __xapp_fp<_A>::type,
          class _FB = typename __xapp_fp<_B>::type>
struct __xapp_p2_impl {
  typedef typename __xapp_sel<((int)__xapp_fp<_A>::rank >= (int)__xapp_fp<_B>::rank), _FA, _FB>::type type;
};
template <class _T, class _U = void> struct __xapp_to { typedef _U type; };
}

#define __XAPP_P2(A, B) typename std::__xapp_p2_impl<typename std::__xapp_fp<A>::type, \
  typename std::__xapp_fp<B>::type>::type
#define __XAPP_CXX1(n) namespace std { using ::n; using ::n##f; using ::n##l; \
  inline float n(float __x) { return ::n##f(__x); } \
  inline long double n(long double __x) { return ::n##l(__x); } \
  template <class _T> inline typename __xapp_int<_T>::type n(_T __x) { return ::n((double)__x); } } \
  using std::n;
#define __XAPP_CXX2(n) namespace std { using ::n; using ::n##f; using ::n##l; \
  inline float n(float __x, float __y) { return ::n##f(__x, __y); } \
  inline long double n(long double __x, long double __y) { return ::n##l(__x, __y); } \
  template <class _A, class _B> inline __XAPP_P2(_A, _B) n(_A __x, _B __y) { \
    typedef __XAPP_P2(_A, _B) _R; return n((_R)__x, (_R)__y); } } \
  using std::n;
/* Functions whose result type R does not follow the argument type. */
#define __XAPP_CXXR(n, R) namespace std { using ::n; using ::n##f; using ::n##l; \
  inline R n(float __x) { return ::n##f(__x); } \
  inline R n(long double __x) { return ::n##l(__x); } \
  template <class _T> inline typename __xapp_to<typename __xapp_int<_T>::type, R>::type n(_T __x) \
  { return ::n((double)__x); } } \
  using std::n;
/* f(x, int-like) functions: ldexp, scalbn, scalbln. */
#define __XAPP_CXXI(n, I) namespace std { using ::n; using ::n##f; using ::n##l; \
  inline float n(float __x, I __e) { return ::n##f(__x, __e); } \
  inline long double n(long double __x, I __e) { return ::n##l(__x, __e); } \
  template <class _T> inline typename __xapp_int<_T>::type n(_T __x, I __e) { return ::n((double)__x, __e); } } \
  using std::n;

__XAPP_CXX1(acos) __XAPP_CXX1(asin) __XAPP_CXX1(atan) __XAPP_CXX1(cos) __XAPP_CXX1(sin) __XAPP_CXX1(tan)
__XAPP_CXX1(acosh) __XAPP_CXX1(asinh) __XAPP_CXX1(atanh) __XAPP_CXX1(cosh) __XAPP_CXX1(sinh) __XAPP_CXX1(tanh)
__XAPP_CXX1(exp) __XAPP_CXX1(exp2) __XAPP_CXX1(expm1)
__XAPP_CXX1(log) __XAPP_CXX1(log10) __XAPP_CXX1(log1p) __XAPP_CXX1(log2) __XAPP_CXX1(logb)
__XAPP_CXX1(sqrt) __XAPP_CXX1(cbrt) __XAPP_CXX1(fabs)
__XAPP_CXX1(erf) __XAPP_CXX1(erfc) __XAPP_CXX1(lgamma) __XAPP_CXX1(tgamma)
__XAPP_CXX1(ceil) __XAPP_CXX1(floor) __XAPP_CXX1(nearbyint) __XAPP_CXX1(rint) __XAPP_CXX1(round) __XAPP_CXX1(trunc)
__XAPP_CXX2(atan2) __XAPP_CXX2(pow) __XAPP_CXX2(hypot) __XAPP_CXX2(fmod) __XAPP_CXX2(remainder)
__XAPP_CXX2(copysign) __XAPP_CXX2(nextafter) __XAPP_CXX2(fdim) __XAPP_CXX2(fmax) __XAPP_CXX2(fmin)
__XAPP_CXXR(ilogb, int) __XAPP_CXXR(lrint, long) __XAPP_CXXR(llrint, long long)
__XAPP_CXXR(lround, long) __XAPP_CXXR(llround, long long)
__XAPP_CXXI(ldexp, int) __XAPP_CXXI(scalbn, int) __XAPP_CXXI(scalbln, long)

namespace std {
using ::fma; using ::fmaf; using ::fmal;
inline float fma(float __x, float __y, float __z) { return ::fmaf(__x, __y, __z); }
inline long double fma(long double __x, long double __y, long double __z) { return ::fmal(__x, __y, __z); }
template <class _A, class _B, class _C>
inline typename __xapp_p2_impl<__XAPP_P2(_A, _B), typename __xapp_fp<_C>::type>::type
fma(_A __x, _B __y, _C __z) {
  typedef typename __xapp_p2_impl<__XAPP_P2(_A, _B), typename __xapp_fp<_C>::type>::type _R;
  return fma((_R)__x, (_R)__y, (_R)__z);
}
using ::frexp; using ::frexpf; using ::frexpl;
inline float frexp(float __x, int *__e) { return ::frexpf(__x, __e); }
inline long double frexp(long double __x, int *__e) { return ::frexpl(__x, __e); }
using ::modf; using ::modff; using ::modfl;
inline float modf(float __x, float *__i) { return ::modff(__x, __i); }
inline long double modf(long double __x, long double *__i) { return ::modfl(__x, __i); }
using ::remquo; using ::remquof; using ::remquol;
inline float remquo(float __x, float __y, int *__q) { return ::remquof(__x, __y, __q); }
inline long double remquo(long double __x, long double __y, int *__q) { return ::remquol(__x, __y, __q); }
using ::nexttoward; using ::nexttowardf; using ::nexttowardl;
inline float nexttoward(float __x, long double __y) { return ::nexttowardf(__x, __y); }
inline long double nexttoward(long double __x, long double __y) { return ::nexttowardl(__x, __y); }
using ::nan; using ::nanf; using ::nanl;
using ::float_t; using ::double_t;

/* Classification functions (macros in C). */
#define __XAPP_CLASS(n, R, B) \
  inline R n(float __x) { return B; } \
  inline R n(double __x) { return B; } \
  inline R n(long double __x) { return B; } \
  template <class _T> inline typename __xapp_to<typename __xapp_int<_T>::type, R>::type n(_T __x) \
  { return n((double)__x); }
__XAPP_CLASS(fpclassify, int, __builtin_fpclassify(FP_NAN, FP_INFINITE, FP_NORMAL, FP_SUBNORMAL, FP_ZERO, __x))
__XAPP_CLASS(isnan, bool, __builtin_isnan(__x))
__XAPP_CLASS(isinf, bool, __builtin_isinf(__x))
__XAPP_CLASS(isfinite, bool, __builtin_isfinite(__x))
__XAPP_CLASS(isnormal, bool, __builtin_isnormal(__x))
__XAPP_CLASS(signbit, bool, __builtin_signbit(__x))
#undef __XAPP_CLASS
#define __XAPP_CMP(n) template <class _A, class _B> \
  inline typename __xapp_to<__XAPP_P2(_A, _B), bool>::type n(_A __x, _B __y) \
  { return __builtin_##n(__x, __y); }
__XAPP_CMP(isgreater) __XAPP_CMP(isgreaterequal) __XAPP_CMP(isless) __XAPP_CMP(islessequal)
__XAPP_CMP(islessgreater) __XAPP_CMP(isunordered)
#undef __XAPP_CMP
}
using std::fma; using std::frexp; using std::modf; using std::remquo; using std::nexttoward;
using std::fpclassify; using std::isnan; using std::isinf; using std::isfinite; using std::isnormal;
using std::signbit; using std::isgreater; using std::isgreaterequal; using std::isless;
using std::islessequal; using std::islessgreater; using std::isunordered;

#undef __XAPP_CXX1
#undef __XAPP_CXX2
#undef __XAPP_CXXR
#undef __XAPP_CXXI
#undef __XAPP_P2
#include <__xapp_abs.h>
#endif /* __cplusplus */

#ifdef __cplusplus
/* libstdc++'s <math.h> is <cmath>, which brings <stdlib.h> (std::abs): code relies on it (uint, atoi) */
#include <stdlib.h>
#endif
#endif
