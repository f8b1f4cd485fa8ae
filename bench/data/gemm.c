/* Naive dense matrix product, as a serial C programmer writes it. */
#ifndef N
#define N 1024
#endif
static double A[N][N], B[N][N], C[N][N];

void gemm(double alpha, double beta) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double s = 0.0;
            for (int k = 0; k < N; k++)
                s += A[i][k] * B[k][j];
            C[i][j] = beta * C[i][j] + alpha * s;
        }
}
