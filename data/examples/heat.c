/* A small C program with the loop nests a team would ask xapp about before a GPU port. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef N
#define N 2048
#endif

/* Explicit 2-D heat diffusion step: every point independent, unit stride along j. */
void heat_step(const double *u, double *v, double alpha) {
    for (int i = 1; i < N - 1; i++)
        for (int j = 1; j < N - 1; j++)
            v[i * N + j] = u[i * N + j] + alpha * (u[(i - 1) * N + j] + u[(i + 1) * N + j]
                                                  + u[i * N + j - 1] + u[i * N + j + 1] - 4.0 * u[i * N + j]);
}

/* Total energy: a reduction over the whole grid. */
double energy(const double *u) {
    double e = 0.0;
    for (int i = 0; i < N * N; i++)
        e += u[i] * u[i];
    return e;
}

/* Cumulative sum along the first column: each step needs the previous one. */
void column_prefix(double *u) {
    for (int i = 1; i < N; i++)
        u[i * N] += u[(i - 1) * N];
}

/* Gaussian source term: transcendental math per point. */
void source_term(double *v, double t) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double x = (double)i / N - 0.5, y = (double)j / N - 0.5;
            v[i * N + j] += exp(-(x * x + y * y) * 50.0) * sin(t);
        }
}

/* Reporting: I/O inside the loop keeps it on the CPU. */
void report(const double *u) {
    for (int i = 0; i < N; i += N / 8)
        printf("row %d: %f\n", i, u[i * N + i]);
}
