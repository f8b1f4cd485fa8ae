/* xapp hermetic stub header: declarations for parsing only.
 * Like the real header, assert() follows NDEBUG at each inclusion, so only
 * the declaration is include-guarded. */
#ifndef XAPP_ASSERT_H
#define XAPP_ASSERT_H
#ifdef __cplusplus
extern "C" {
#endif
void __xapp_assert_fail(const char *, const char *, unsigned, const char *) __attribute__((__noreturn__));
#ifdef __cplusplus
}
#endif
#if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L && __STDC_VERSION__ < 202311L
#define static_assert _Static_assert
#endif
#endif

#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : __xapp_assert_fail(#e, __FILE__, __LINE__, __func__))
#endif
