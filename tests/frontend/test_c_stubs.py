"""Real-looking C programs (written here) parse against the hermetic C stubs as they compile against glibc.

What real C OpenMP applications use (issue 22: `jmp_buf`, `struct timeval`, getopt's `struct option`,
x86 intrinsics, POSIX calls), the feature macros that decide what glibc declares, and no clash when a
program declares its own prototypes or a name glibc only declares for _GNU_SOURCE.
"""
from __future__ import annotations

import pytest

from xapp.frontend.options import ParseOptions
from xapp.frontend.parse import parse


def errors(text: str, name: str = "prog.c", std: str | None = None) -> tuple[int, list[str], list[str]]:
    unit = parse(text, name, ParseOptions(untrusted=True, std=std))
    d = unit.diagnostics
    return d.counts.get("error", 0) + d.counts.get("fatal", 0), d.messages, d.stubbed_includes


CLEAN = (0, [], [])

TIMING_AND_OPTIONS = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/resource.h>
#include <omp.h>

static sigjmp_buf on_fault;
static jmp_buf restart;
static void fault(int sig, siginfo_t *info, void *ctx) { (void)info; (void)ctx; siglongjmp(on_fault, sig); }

static double wall(void) {
  struct timeval tv; struct timezone tz;
  gettimeofday(&tv, &tz);
  return tv.tv_sec + tv.tv_usec * 1e-6;
}

static double cpu(void) {
  struct rusage ru; getrusage(RUSAGE_SELF, &ru);
  struct timeval sum; timeradd(&ru.ru_utime, &ru.ru_stime, &sum);
  return sum.tv_sec + 1e-6 * sum.tv_usec;
}

int main(int argc, char **argv) {
  static struct option longs[] = {{"size", required_argument, NULL, 'n'}, {"verbose", no_argument, NULL, 'v'},
                                  {NULL, 0, NULL, 0}};
  int n = 1000, verbose = 0, c, idx;
  while ((c = getopt_long(argc, argv, "n:v", longs, &idx)) != -1) {
    if (c == 'n') n = atoi(optarg); else if (c == 'v') verbose = 1;
  }
  struct sigaction sa; memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = fault; sa.sa_flags = SA_SIGINFO | SA_RESTART; sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, NULL);
  if (sigsetjmp(on_fault, 1)) return 2;
  if (setjmp(restart)) n /= 2;
  double *a = malloc(n * sizeof *a), t0 = wall(), c0 = cpu();
  #pragma omp parallel for
  for (int i = 0; i < n; i++) a[i] = 2.0 * i;
  if (verbose) printf("%d threads, %.3f s wall, %.3f s cpu\n", omp_get_max_threads(), wall() - t0, cpu() - c0);
  free(a);
  return 0;
}
"""

POSIX_IO = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/param.h>
#include <math.h>
#include <time.h>
#include <pthread.h>
#include <regex.h>

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;

int count_lines(const char *path, double *values, int max) {
  FILE *f = fopen(path, "r");
  char *line = NULL; size_t cap = 0; ssize_t len; int n = 0;
  if (!f) return -1;
  while ((len = getline(&line, &cap, f)) != -1 && n < max) {
    char *copy = strdup(line), *rest = copy, *tok;
    while ((tok = strsep(&rest, " \t")) != NULL) if (*tok) values[n] = strtod(tok, NULL) * M_PI;
    n++; free(copy);
  }
  free(line); fclose(f);
  regex_t re; regmatch_t m[2];
  if (regcomp(&re, "^([0-9]+)", REG_EXTENDED) == 0 && regexec(&re, path, 2, m, 0) != REG_NOMATCH) n += m[1].rm_eo;
  regfree(&re);
  return MIN(n, max);
}

long file_age(const char *path) {
  struct stat st; int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &st)) return -1;
  close(fd);
  return (long)(time(NULL) - st.st_mtime) + st.st_mtim.tv_nsec / 1000000000 + S_ISLNK(st.st_mode);
}

int main(int argc, char **argv) {
  void *buf; double r = drand48(); struct drand48_data rd; double x;
  srand48_r(42, &rd); drand48_r(&rd, &x);
  if (posix_memalign(&buf, 64, 1 << 20)) return 1;
  pid_t child = fork();
  if (child == 0) _exit(0);
  int status; waitpid(child, &status, 0);
  struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
  struct tm now; gmtime_r(&ts.tv_sec, &now);
  pthread_rwlock_rdlock(&table_lock); pthread_rwlock_unlock(&table_lock);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  printf("%d %ld %f %f %d\n", WEXITSTATUS(status), cores, r + x, ts.tv_nsec * 1e-9, now.tm_year);
  free(buf);
  return argc > 1 ? count_lines(argv[1], buf, 10) : 0;
}
"""

SSE_KERNEL = r"""
#include <stdint.h>
#include <emmintrin.h>
#include <smmintrin.h>

#define LIKELY(x) __builtin_expect((x), 1)

int band_score(const uint8_t *q, const int8_t *mat, int qlen, __m128i *h0, __m128i *h1) {
  __m128i zero = _mm_setzero_si128(), gap = _mm_set1_epi16(3), best = zero;
  int slen = (qlen + 7) / 8;
  for (int j = 0; j < slen; ++j) {
    __m128i h = _mm_load_si128(h0 + j);
    __m128i s = _mm_loadu_si128((const __m128i *)(mat + q[j]));
    h = _mm_adds_epi16(h, s);
    h = _mm_max_epi16(_mm_subs_epu16(h, gap), zero);
    best = _mm_max_epi16(best, h);
    _mm_store_si128(h1 + j, h);
    if (LIKELY(!_mm_movemask_epi8(_mm_cmpgt_epi16(h, best)))) continue;
  }
  best = _mm_max_epi16(best, _mm_srli_si128(best, 8));
  best = _mm_max_epi16(best, _mm_srli_si128(best, 4));
  return _mm_extract_epi16(best, 0) + _mm_cvtsi128_si32(_mm_blendv_epi8(best, zero, zero));
}

double dot(const double *a, const double *b, int n) {
  __m128d acc = _mm_setzero_pd();
  for (int i = 0; i + 1 < n; i += 2) acc = _mm_add_pd(acc, _mm_mul_pd(_mm_loadu_pd(a + i), _mm_loadu_pd(b + i)));
  __m128 f = _mm_cvtpd_ps(acc);
  return _mm_cvtsd_f64(_mm_add_sd(acc, _mm_unpackhi_pd(acc, acc))) + _mm_cvtss_f32(f);
}
"""

AVX_KERNEL = r"""
#include <immintrin.h>
void saxpy8(float a, const float *x, float *y, int n) {
  __m256 va = _mm256_set1_ps(a);
  for (int i = 0; i + 8 <= n; i += 8)
    _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
  void *p = _mm_malloc(64, 32); _mm_free(p);
}
"""


@pytest.mark.parametrize("name, program", [("timing_and_options.c", TIMING_AND_OPTIONS), ("posix_io.c", POSIX_IO),
                                           ("sse_kernel.c", SSE_KERNEL), ("avx_kernel.c", AVX_KERNEL)])
def test_real_looking_c_parses_with_no_error(name, program):
    assert errors(program, name) == CLEAN


def test_sigjmp_buf_serves_where_a_jmp_buf_is_asked_for():
    # glibc: both are struct __jmp_buf_tag[1]
    assert errors("#include <setjmp.h>\nsigjmp_buf b;\nvoid f(void) { longjmp(b, 1); }\n") == CLEAN


def test_getopt_h_alone_brings_getopt_but_not_the_rest_of_unistd():
    # a program with its own `read` that includes <getopt.h> only: glibc's <getopt.h> declares getopt and
    # its variables, not read()
    program = ("#include <getopt.h>\nstatic double read(const char *p) { return p[0]; }\n"
               "int main(int c, char **v) { return getopt(c, v, \"x\") + optind + (int)read(v[0]); }\n")
    assert errors(program) == CLEAN


@pytest.mark.parametrize("program", [
    # K&R style: its own getline, which glibc hides under -std=c99 (no _POSIX_C_SOURCE)
    "#include <stdio.h>\nint getline(char *s, int lim) { int c, i = 0; while (i < lim - 1 && (c = getchar()) != EOF"
    " && c != '\\n') s[i++] = c; s[i] = 0; return i; }\n",
    # its own strdup and drand48, likewise hidden from strict C
    "#include <string.h>\n#include <stdlib.h>\nchar *strdup(char *s) { return s; }\ndouble drand48(void) { return 0.5; }\n",
])
def test_a_strict_c_program_may_declare_what_glibc_hides(program):
    assert errors(program, std="c99") == CLEAN


def test_feature_macros_bring_posix_and_gnu_names_back_under_strict_c():
    program = ("#define _GNU_SOURCE\n#include <stdio.h>\n#include <math.h>\n#include <string.h>\n"
               "void f(FILE *in, double x) { char *l = NULL; size_t n = 0; double s, c; getline(&l, &n, in);\n"
               "  sincos(x * M_PI, &s, &c); (void)strcasestr(l, \"x\"); (void)memmem(l, n, \"y\", 1); }\n")
    assert errors(program, std="c99") == CLEAN
    posix = "#define _POSIX_C_SOURCE 200809L\n#include <string.h>\nchar *f(const char *s) { return strdup(s); }\n"
    assert errors(posix, std="c99") == CLEAN


@pytest.mark.parametrize("program", [
    # GNU extensions: without _GNU_SOURCE a program may define its own (static) ones
    "#include <math.h>\nstatic void sincos(double x, double *s, double *c) { *s = x; *c = 1 - x; }\n"
    "double f(double x) { double s, c; sincos(x, &s, &c); return s + c + M_PI; }\n",
    "#include <string.h>\nstatic void *memmem(const void *h, size_t hl, const void *n, size_t nl) "
    "{ (void)hl; (void)n; (void)nl; return (void *)h; }\n",
    "#include <math.h>\ndouble gamma = 0.5;\ndouble exp10(double x) { return pow(10.0, x); }\n",
])
def test_own_definitions_of_gnu_only_names_do_not_clash(program):
    assert errors(program) == CLEAN


def test_a_program_redefining_a_constant_the_c_way_parses():
    program = ("#include <math.h>\n#include <sys/param.h>\n#ifndef M_PI\n#define M_PI 3.14159265358979\n#endif\n"
               "#undef MAX\n#define MAX(a, b) ((a) > (b) ? (a) : (b))\ndouble f(double r) { return MAX(M_PI * r, 0.0); }\n")
    assert errors(program) == CLEAN


def test_a_name_that_a_macro_expansion_brings_is_mended_as_a_function():
    # kseq.h-style code from a missing zlib.h: `READER_INIT(gzFile, gzread)` defines a function that calls its
    # argument; clang points at the macro's use, not at `gzread(`, so the stand-in must serve a call
    program = ("#include <zlib.h>\n#define READER_INIT(type_t, __read) \\\n"
               "  static int fill(type_t f, char *buf, int n) { return __read(f, buf, n); }\n"
               "READER_INIT(gzFile, gzread)\nint main(void) { char b[8]; return fill(0, b, 8); }\n")
    unit = parse(program, "reader.c", ParseOptions(untrusted=True))
    d = unit.diagnostics
    assert (d.counts.get("error", 0), d.messages) == (0, [])
    assert "gzread" in d.declared_unknowns


def test_a_library_call_without_its_header_gives_way_to_the_programs_own_functions():
    # old C: strlen called without <string.h>, and its own strchr with a non-const parameter (gcc 12 compiles
    # it: an implicit declaration is a warning there); including all of <string.h> for strlen would clash
    program = ("#include <stdio.h>\nint count(const char *s) { return (int)strlen(s); }\n"
               "char *strchr(char *str, int chr) { while (*str && *str != chr) str++; return *str ? str : 0; }\n"
               "int main(void) { void *p = malloc(8); free(p); return count(\"ab\") + abs(-1); }\n")
    unit = parse(program, "old.c", ParseOptions(untrusted=True))
    d = unit.diagnostics
    assert (d.counts.get("error", 0), d.messages) == (0, [])
    # strlen's <string.h> declares strchr otherwise: strlen gets its builtin declaration instead
    assert "strlen" in d.declared_unknowns and "strlen" not in d.prelude_includes
    assert d.prelude_includes == {"abs": "stdlib.h", "free": "stdlib.h", "malloc": "stdlib.h"}


def test_pwd_h_finds_the_home_folder_as_glibc_declares_it():
    """A program that keeps its settings under the user's home folder (GraphicsMagick's coders do)."""
    n, messages, stubbed = errors(
        "#include <pwd.h>\n#include <stdio.h>\n#include <string.h>\n#include <unistd.h>\n"
        "static int settings_path(char *out, size_t size) {\n"
        "  struct passwd entry, *found = NULL;\n  char buffer[1024];\n"
        "  if (getpwuid_r(getuid(), &entry, buffer, sizeof buffer, &found) != 0 || found == NULL)\n"
        "    found = getpwnam(\"nobody\");\n"
        "  if (found == NULL) return -1;\n"
        "  return snprintf(out, size, \"%s/.solverrc (uid %u, gid %u, shell %s)\", found->pw_dir,\n"
        "                  (unsigned) found->pw_uid, (unsigned) found->pw_gid, found->pw_shell) < (int) size ? 0 : -1;\n"
        "}\n"
        "int main(void) {\n  char path[4096];\n  int users = 0;\n  struct passwd *p;\n  setpwent();\n"
        "  while ((p = getpwent()) != NULL) users += strlen(p->pw_name) > 0;\n  endpwent();\n"
        "  return settings_path(path, sizeof path) + (users < 0);\n}\n")
    assert (n, messages, stubbed) == (0, [], [])
