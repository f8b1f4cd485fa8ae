/* xapp hermetic stub header: declarations for parsing only.  In C++ it is <complex>. */
#ifndef XAPP_COMPLEX_H
#define XAPP_COMPLEX_H
#ifdef __cplusplus
#include <complex>
#else
#define complex _Complex
#define _Complex_I (__extension__ 1.0iF)
#define I _Complex_I
#define __XAPP_CPLX(name) \
  double _Complex name(double _Complex); float _Complex name##f(float _Complex); \
  long double _Complex name##l(long double _Complex);
#define __XAPP_CPLX_REAL(name) \
  double name(double _Complex); float name##f(float _Complex); long double name##l(long double _Complex);
__XAPP_CPLX(cexp) __XAPP_CPLX(clog) __XAPP_CPLX(csqrt) __XAPP_CPLX(csin) __XAPP_CPLX(ccos) __XAPP_CPLX(ctan)
__XAPP_CPLX(csinh) __XAPP_CPLX(ccosh) __XAPP_CPLX(ctanh) __XAPP_CPLX(conj) __XAPP_CPLX(cproj)
__XAPP_CPLX_REAL(cabs) __XAPP_CPLX_REAL(carg) __XAPP_CPLX_REAL(creal) __XAPP_CPLX_REAL(cimag)
double _Complex cpow(double _Complex, double _Complex);
float _Complex cpowf(float _Complex, float _Complex);
#undef __XAPP_CPLX
#undef __XAPP_CPLX_REAL
#endif
#endif
