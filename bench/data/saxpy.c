/* Streaming: two loads and one store per two flops. */
#ifndef N
#define N 67108864
#endif
static float x[N], y[N];

void saxpy(float a) {
    for (long i = 0; i < N; i++)
        y[i] = a * x[i] + y[i];
}
