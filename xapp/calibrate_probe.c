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

/* eight dependent multiply-adds per element of an L1-resident array: flops per second */
static double flops64(void) {
  enum { N = 1024 };
  static double y[N];
  for (int i = 0; i < N; i++) y[i] = 1.0 + i * 1e-6;
  volatile double mv = 0.999999, kv = 1e-7;   /* read at run time: nothing folds */
  const double m = mv, k = kv;
  long reps = 400;
  double best = 1e30;
  for (int t = 0; t < TRIALS; t++) {
    double t0 = now();
    for (long r = 0; r < reps; r++) {
      for (int i = 0; i < N; i++) {
        double v = y[i];
        v = v * m + k; v = v * m + k; v = v * m + k; v = v * m + k;
        v = v * m + k; v = v * m + k; v = v * m + k; v = v * m + k;
        y[i] = v;
      }
      BARRIER();
    }
    double dt = now() - t0;
    if (dt < best) best = dt;
  }
  if (y[7] == 42.0) printf("#\n");
  return 16.0 * N * (double)reps / best;
}

static double flops32(void) {
  enum { N = 1024 };
  static float y[N];
  for (int i = 0; i < N; i++) y[i] = 1.0f + i * 1e-6f;
  volatile float mv = 0.999999f, kv = 1e-7f;
  const float m = mv, k = kv;
  long reps = 400;
  double best = 1e30;
  for (int t = 0; t < TRIALS; t++) {
    double t0 = now();
    for (long r = 0; r < reps; r++) {
      for (int i = 0; i < N; i++) {
        float v = y[i];
        v = v * m + k; v = v * m + k; v = v * m + k; v = v * m + k;
        v = v * m + k; v = v * m + k; v = v * m + k; v = v * m + k;
        y[i] = v;
      }
      BARRIER();
    }
    double dt = now() - t0;
    if (dt < best) best = dt;
  }
  if (y[7] == 42.0f) printf("#\n");
  return 16.0 * N * (double)reps / best;
}

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

int main(int argc, char **argv) {
#ifdef XAPP_SCALAR
  (void)argc; (void)argv;
  printf("scalar_flops %.6g\n", flops64());
  printf("division_ns %.6g\n", per_element(1));
  printf("exp_ns %.6g\n", per_element(0));
#else
  printf("fp64_simd_flops %.6g\n", flops64());
  printf("fp32_simd_flops %.6g\n", flops32());
  printf("add_latency_ns %.6g\n", add_chain());
  printf("memory_chain_ns %.6g\n", memory_chain());
  for (int i = 1; i + 1 < argc; i += 2) {   /* LEVEL BYTES pairs */
    double bytes = atof(argv[i + 1]);
    double budget = bytes < 64e6 ? 1e8 : bytes;
    printf("%s_bytes_per_s %.6g\n", argv[i], triad((size_t)bytes, budget));
  }
#endif
  return 0;
}
