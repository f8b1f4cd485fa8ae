/* xapp calibrate's probe: rates of this machine's core, printed as NAME VALUE lines.
   Compiled by xapp with the system C compiler (-O3 -march=native), and once more with
   vectorization off (-DXAPP_SCALAR) for the scalar rates. Every result is the best of
   many short trials: the machine may be shared. Written for xapp; no third-party code. */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef TRIALS
#define TRIALS 25      /* short trials, the best kept: on a loaded machine some get a whole time slice */
#endif
#define BARRIER() __asm__ __volatile__("" ::: "memory")

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double *filled(size_t n, double v) {
  double *p = malloc(n * sizeof(double));
  if (!p) { fprintf(stderr, "out of memory\n"); exit(1); }
  for (size_t i = 0; i < n; i++) p[i] = v + (double)(i % 13) * 1e-3;
  return p;
}

/* a[i] = b[i] + s * c[i] over three arrays of `bytes` in all: bytes per second, loads and stores */
static double triad(size_t bytes, double budget) {
  size_t n = bytes / 24;
  if (n < 64) n = 64;
  double *a = filled(n, 0.0), *b = filled(n, 1.0), *c = filled(n, 2.0);
  size_t reps = (size_t)(budget / (24.0 * (double)n)) + 1;
  double best = 1e30;
  for (int t = 0; t < TRIALS; t++) {
    double t0 = now();
    for (size_t r = 0; r < reps; r++) {
      double s = 1.0 + (double)r * 1e-9;
      for (size_t i = 0; i < n; i++) a[i] = b[i] + s * c[i];
      BARRIER();
    }
    double dt = now() - t0;
    if (dt < best) best = dt;
  }
  double out = 24.0 * (double)n * (double)reps / best;
  if (a[n / 2] == 42.0) printf("#\n");
  free(a); free(b); free(c);
  return out;
}

/* eight dependent multiply-adds per element of an L1-resident array: flops per second, in double
   (flops64) and in float (flops32); one body, written once for both types */
#define FLOPS_PROBE(NAME, T)                                                          \
  static double NAME(void) {                                                          \
    enum { N = 1024 };                                                                \
    static T y[N];                                                                    \
    for (int i = 0; i < N; i++) y[i] = (T)1.0 + i * (T)1e-6;                          \
    volatile T mv = (T)0.999999, kv = (T)1e-7;   /* read at run time: nothing folds */ \
    const T m = mv, k = kv;                                                           \
    long reps = 400;                                                                  \
    double best = 1e30;                                                               \
    for (int t = 0; t < TRIALS; t++) {                                                \
      double t0 = now();                                                              \
      for (long r = 0; r < reps; r++) {                                               \
        for (int i = 0; i < N; i++) {                                                 \
          T v = y[i];                                                                 \
          v = v * m + k; v = v * m + k; v = v * m + k; v = v * m + k;                 \
          v = v * m + k; v = v * m + k; v = v * m + k; v = v * m + k;                 \
          y[i] = v;                                                                   \
        }                                                                             \
        BARRIER();                                                                    \
      }                                                                               \
      double dt = now() - t0;                                                         \
      if (dt < best) best = dt;                                                       \
    }                                                                                 \
    if (y[7] == (T)42.0) printf("#\n");                                               \
    return 16.0 * N * (double)reps / best;                                            \
  }

FLOPS_PROBE(flops64, double)
FLOPS_PROBE(flops32, float)

/* s += x[i] * y[i]: each multiply-add waits for the one before (no -ffast-math: not vectorized; with
   -march=native the compiler contracts it to a fused multiply-add, as it does a dot product's).
   ns per link. */
static double add_chain(void) {
  enum { N = 1024 };
  static double x[N], y[N];
  for (int i = 0; i < N; i++) { x[i] = i * 1e-9; y[i] = 1.0 - i * 1e-9; }
  long reps = 1000;
  double best = 1e30, s = 0.0;
  for (int t = 0; t < TRIALS; t++) {
    double t0 = now();
    for (long r = 0; r < reps; r++) {
      for (int i = 0; i < N; i++) s += x[i] * y[i];
      BARRIER();
    }
    double dt = now() - t0;
    if (dt < best) best = dt;
  }
  if (s == 42.0) printf("#\n");
  return 1e9 * best / ((double)N * (double)reps);
}

/* a[0] += x[i]; b[0] += x[i] through pointers the compiler cannot separate (gesummv's tmp[i] and
   y[i]): the sums stay in memory, each add waits for the store before. ns per link. */
__attribute__((noinline)) static void memory_chain_once(double *a, double *b, const double *x, int n) {
  for (int i = 0; i < n; i++) {
    a[0] += x[i];
    b[0] += x[i];
  }
}

/* called through a volatile pointer: the compiler cannot specialise it for the arrays passed */
static void (*volatile memory_chain_fn)(double *, double *, const double *, int) = memory_chain_once;

static double memory_chain(void) {
  enum { N = 1024 };
  static double x[N], acc[16];
  for (int i = 0; i < N; i++) x[i] = i * 1e-9;
  long reps = 1000;
  double best = 1e30;
  for (int t = 0; t < TRIALS; t++) {
    double t0 = now();
    for (long r = 0; r < reps; r++) {
      memory_chain_fn(acc, acc + 8, x, N);
      BARRIER();
    }
    double dt = now() - t0;
    if (dt < best) best = dt;
  }
  if (acc[0] == 42.0) printf("#\n");
  return 1e9 * best / (2.0 * (double)N * (double)reps);
}

/* y[i] = exp(x[i]) and y[i] = a / x[i]: ns per call and per division */
static double per_element(int kind) {
  enum { N = 1024 };
  static double x[N], y[N];
  for (int i = 0; i < N; i++) x[i] = 0.5 + i * 1e-4;
  long reps = kind ? 400 : 100;
  double best = 1e30;
  for (int t = 0; t < TRIALS; t++) {
    double t0 = now();
    for (long r = 0; r < reps; r++) {
      if (kind)
        for (int i = 0; i < N; i++) y[i] = 1.5 / x[i];
      else
        for (int i = 0; i < N; i++) y[i] = exp(x[i]);
      BARRIER();
    }
    double dt = now() - t0;
    if (dt < best) best = dt;
  }
  if (y[3] == 42.0) printf("#\n");
  return 1e9 * best / ((double)N * (double)reps);
}


/* A random cyclic walk over the 64-byte lines of `bytes`: each line holds the index of the next.
   Dependent (chase): each load waits for the one before, ns per load = the level's load-to-use
   latency. Independent (gather): the same lines in the same order, but the next address comes
   from a separate index array, so loads overlap: ns per load = latency / the misses a core keeps
   in flight. Random order: no prefetcher can guess it. */
static size_t *line_cycle(size_t lines) {
  size_t *order = malloc(lines * sizeof(size_t));
  if (!order) { fprintf(stderr, "out of memory\n"); exit(1); }
  for (size_t i = 0; i < lines; i++) order[i] = i;
  unsigned long long x = 88172645463325252ULL;            /* xorshift: a fixed, repeatable shuffle */
  for (size_t i = lines - 1; i > 0; i--) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    size_t j = (size_t)(x % (unsigned long long)(i + 1));
    size_t t = order[i]; order[i] = order[j]; order[j] = t;
  }
  return order;
}

enum { LINE_WORDS = 8 };   /* size_t words per 64-byte line */

/* ns per load of the chase (dependent) or the gather (independent) over `lines` lines of `mem` */
static double walk_once(const size_t *mem, const size_t *order, size_t lines, int dependent, int trials) {
  const size_t steps = TRIALS < 5 ? 250000 : 1000000;   /* loads per trial (fewer in a quick run) */
  double best = 1e30;
  size_t p = order[0] * LINE_WORDS, sum = 0;
  for (int t = 0; t < trials; t++) {
    double t0 = now();
    if (dependent) {
      for (size_t s = 0; s < steps; s++) p = mem[p];
    } else {
      for (size_t done = 0; done < steps;) {
        size_t n = lines < steps - done ? lines : steps - done;
        for (size_t i = 0; i < n; i++) sum += mem[order[i] * LINE_WORDS];
        done += n;
      }
    }
    BARRIER();
    double dt = now() - t0;
    if (dt < best) best = dt;
  }
  if (p == 1 || sum == 1) printf("#\n");
  return 1e9 * best / (double)steps;
}

/* Both walks over one random cycle of the lines of `bytes`: latency and gather, ns per load. */
static void walks(size_t bytes, int chase_trials, double *latency, double *gather) {
  size_t lines = bytes / 64;
  if (lines < 16) lines = 16;
  size_t *mem = malloc(lines * 64);
  size_t *order = line_cycle(lines);
  if (!mem) { fprintf(stderr, "out of memory\n"); exit(1); }
  for (size_t i = 0; i < lines; i++)
    mem[order[i] * LINE_WORDS] = order[(i + 1) % lines] * LINE_WORDS;
  *latency = walk_once(mem, order, lines, 1, chase_trials);
  *gather = walk_once(mem, order, lines, 0, TRIALS);
  free(mem); free(order);
}

/* x += k with the compiler kept from folding the chain (the empty asm says x may have changed):
   one integer add per step, each waiting for the one before: ns per add, one cycle of the core. */
static double int_chain(void) {
  volatile long kv = 3;
  const long k = kv;
  long x = kv, steps = 2000000;
  double best = 1e30;
  for (int t = 0; t < TRIALS; t++) {
    double t0 = now();
    for (long s = 0; s < steps; s++) {
      x += k;
      __asm__ __volatile__("" : "+r"(x));
    }
    double dt = now() - t0;
    if (dt < best) best = dt;
  }
  if (x == 42) printf("#\n");
  return 1e9 * best / (double)steps;
}

/* A dependent chain of one operation: x = x OP k, each waiting for the one before. ns per op. */
static double op_chain(int kind) {
  volatile double kv = kind == 2 ? 1.0000001 : 0.9999999, xv = 1.5;
  const double k = kv;
  double x = xv;
  long steps = kind >= 2 ? 200000 : 1000000;
  double best = 1e30;
  for (int t = 0; t < TRIALS; t++) {
    double t0 = now();
    switch (kind) {
    case 0: for (long s = 0; s < steps; s++) x = x + k; break;
    case 1: for (long s = 0; s < steps; s++) x = x * k; break;
    case 2: for (long s = 0; s < steps; s++) x = x / k; break;
    default: for (long s = 0; s < steps; s++) x = sqrt(x) + k; break;   /* minus one add, below */
    }
    BARRIER();
    double dt = now() - t0;
    if (dt < best) best = dt;
  }
  if (x == 42.0) printf("#\n");
  return 1e9 * best / (double)steps;
}

int main(int argc, char **argv) {
#ifdef XAPP_SCALAR
  (void)argc; (void)argv;
  printf("scalar_flops %.6g\n", flops64());
  printf("division_ns %.6g\n", per_element(1));
  printf("exp_ns %.6g\n", per_element(0));
  double add = op_chain(0);
  printf("add_chain_ns %.6g\n", add);
  printf("int_chain_ns %.6g\n", int_chain());
  printf("mul_chain_ns %.6g\n", op_chain(1));
  printf("div_chain_ns %.6g\n", op_chain(2));
  printf("sqrt_chain_ns %.6g\n", op_chain(3) - add);
#else
  printf("fp64_simd_flops %.6g\n", flops64());
  printf("fp32_simd_flops %.6g\n", flops32());
  printf("add_latency_ns %.6g\n", add_chain());
  printf("memory_chain_ns %.6g\n", memory_chain());
  for (int i = 1; i + 1 < argc; i += 2) {   /* LEVEL BYTES pairs */
    double bytes = atof(argv[i + 1]);
    double budget = bytes < 64e6 ? 1e8 : bytes;
    printf("%s_bytes_per_s %.6g\n", argv[i], triad((size_t)bytes, budget));
    /* a chase beyond the last-level cache takes about 0.2 s a trial: fewer of them */
    double latency, gather;
    walks((size_t)bytes, bytes < 64e6 || TRIALS < 5 ? TRIALS : 5, &latency, &gather);
    printf("%s_latency_ns %.6g\n", argv[i], latency);
    printf("%s_gather_ns %.6g\n", argv[i], gather);
  }
#endif
  return 0;
}
