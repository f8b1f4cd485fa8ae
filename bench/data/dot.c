/* A reduction over two large vectors. */
#ifndef N
#define N 67108864
#endif
static double x[N], y[N];

double dot(void) {
    double s = 0.0;
    for (long i = 0; i < N; i++)
        s += x[i] * y[i];
    return s;
}
