/* Inclusive prefix sum: each element needs the one before. */
#ifndef N
#define N 16777216
#endif
static double a[N];

void scan(void) {
    for (int i = 1; i < N; i++)
        a[i] += a[i - 1];
}
