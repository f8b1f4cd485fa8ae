/* A first-order recursive filter: y[i] depends on y[i-1]. */
#ifndef N
#define N 16777216
#endif
static float x[N], y[N];

void iir(float a, float b) {
    for (int i = 1; i < N; i++)
        y[i] = a * y[i - 1] + b * x[i];
}
