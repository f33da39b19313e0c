// The BLAS/LAPACK surface Engram uses, behind one module.
//
// Linux: Debian's OpenBLAS (CBLAS) and LAPACKE (packages libopenblas-pthread-dev,
// liblapacke-dev). Apple: Accelerate, with the few LAPACKE entry points Engram calls
// provided by shim.c over Accelerate's Fortran-style LAPACK.
#ifndef ENGRAM_CLINEARALGEBRA_H
#define ENGRAM_CLINEARALGEBRA_H

#ifdef __APPLE__
#define ACCELERATE_NEW_LAPACK 1
#include <Accelerate/Accelerate.h>

typedef __LAPACK_int lapack_int;
#define LAPACK_COL_MAJOR 102

lapack_int LAPACKE_sgesdd_work(int layout, char jobz, lapack_int m, lapack_int n, float *a,
                               lapack_int lda, float *s, float *u, lapack_int ldu, float *vt,
                               lapack_int ldvt, float *work, lapack_int lwork, lapack_int *iwork);
lapack_int LAPACKE_dgesdd_work(int layout, char jobz, lapack_int m, lapack_int n, double *a,
                               lapack_int lda, double *s, double *u, lapack_int ldu, double *vt,
                               lapack_int ldvt, double *work, lapack_int lwork, lapack_int *iwork);
lapack_int LAPACKE_sgesvd_work(int layout, char jobu, char jobvt, lapack_int m, lapack_int n,
                               float *a, lapack_int lda, float *s, float *u, lapack_int ldu,
                               float *vt, lapack_int ldvt, float *work, lapack_int lwork);
lapack_int LAPACKE_dgesvd_work(int layout, char jobu, char jobvt, lapack_int m, lapack_int n,
                               double *a, lapack_int lda, double *s, double *u, lapack_int ldu,
                               double *vt, lapack_int ldvt, double *work, lapack_int lwork);
lapack_int LAPACKE_sgeqp3_work(int layout, lapack_int m, lapack_int n, float *a, lapack_int lda,
                               lapack_int *jpvt, float *tau, float *work, lapack_int lwork);
lapack_int LAPACKE_dgeqp3_work(int layout, lapack_int m, lapack_int n, double *a, lapack_int lda,
                               lapack_int *jpvt, double *tau, double *work, lapack_int lwork);
lapack_int LAPACKE_sorgqr_work(int layout, lapack_int m, lapack_int n, lapack_int k, float *a,
                               lapack_int lda, const float *tau, float *work, lapack_int lwork);
lapack_int LAPACKE_dorgqr_work(int layout, lapack_int m, lapack_int n, lapack_int k, double *a,
                               lapack_int lda, const double *tau, double *work, lapack_int lwork);
/// Sets the BLAS thread count; Accelerate manages its own threads, so this is a no-op there.
static inline void openblas_set_num_threads(int n) { (void)n; }
static inline int openblas_get_num_threads(void) { return 1; }
#else
#include <cblas.h>
#include <lapacke.h>
#endif

#endif
