/* xapp hermetic stub header (C++ only, private): the std::abs overload set,
 * shared by <stdlib.h> and <math.h> as in real C++ libraries so that abs(x)
 * resolves for every arithmetic type whichever header was included. */
#ifndef XAPP_ABS_H
#define XAPP_ABS_H
extern "C" int abs(int);
namespace std {
using ::abs;
inline long abs(long __x) { return __x < 0 ? -__x : __x; }
inline long long abs(long long __x) { return __x < 0 ? -__x : __x; }
inline float abs(float __x) { return __builtin_fabsf(__x); }
inline double abs(double __x) { return __builtin_fabs(__x); }
inline long double abs(long double __x) { return __builtin_fabsl(__x); }
}
using std::abs;
#endif
