/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_STDDEF_H
#define XAPP_STDDEF_H

typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
#ifndef __cplusplus
typedef __WCHAR_TYPE__ wchar_t;
#endif
typedef struct {
  long long __ll __attribute__((__aligned__(__alignof__(long long))));
  long double __ld __attribute__((__aligned__(__alignof__(long double))));
} max_align_t;

#if defined(__cplusplus) && __cplusplus >= 201103L
namespace std { typedef decltype(nullptr) nullptr_t; }
using std::nullptr_t;
#endif

#undef NULL
#ifdef __cplusplus
/* GNU __null: an integer null constant like 0, with pointer size. */
#define NULL __null
#else
#define NULL ((void *)0)
#endif

#define offsetof(type, member) __builtin_offsetof(type, member)

#endif
