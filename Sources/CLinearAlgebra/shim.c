// LAPACKE-compatible entry points over Accelerate (Apple only). Engram always calls LAPACK
// in column-major layout, so these forward straight to the Fortran-style routines.
// On Linux this file is empty: Debian's liblapacke provides the real functions.
#include "CLinearAlgebra.h"

#ifdef __APPLE__
lapack_int LAPACKE_sgesdd_work(int layout, char jobz, lapack_int m, lapack_int n, float *a,
                               lapack_int lda, float *s, float *u, lapack_int ldu, float *vt,
                               lapack_int ldvt, float *work, lapack_int lwork, lapack_int *iwork) {
  (void)layout;
  lapack_int info = 0;
  sgesdd_(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, iwork, &info);
  return info;
}
lapack_int LAPACKE_dgesdd_work(int layout, char jobz, lapack_int m, lapack_int n, double *a,
                               lapack_int lda, double *s, double *u, lapack_int ldu, double *vt,
                               lapack_int ldvt, double *work, lapack_int lwork, lapack_int *iwork) {
  (void)layout;
  lapack_int info = 0;
  dgesdd_(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, iwork, &info);
  return info;
}
lapack_int LAPACKE_sgesvd_work(int layout, char jobu, char jobvt, lapack_int m, lapack_int n,
                               float *a, lapack_int lda, float *s, float *u, lapack_int ldu,
                               float *vt, lapack_int ldvt, float *work, lapack_int lwork) {
  (void)layout;
  lapack_int info = 0;
  sgesvd_(&jobu, &jobvt, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, &info);
  return info;
}
lapack_int LAPACKE_dgesvd_work(int layout, char jobu, char jobvt, lapack_int m, lapack_int n,
                               double *a, lapack_int lda, double *s, double *u, lapack_int ldu,
                               double *vt, lapack_int ldvt, double *work, lapack_int lwork) {
  (void)layout;
  lapack_int info = 0;
  dgesvd_(&jobu, &jobvt, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, &info);
  return info;
}
lapack_int LAPACKE_sgeqp3_work(int layout, lapack_int m, lapack_int n, float *a, lapack_int lda,
                               lapack_int *jpvt, float *tau, float *work, lapack_int lwork) {
  (void)layout;
  lapack_int info = 0;
  sgeqp3_(&m, &n, a, &lda, jpvt, tau, work, &lwork, &info);
  return info;
}
lapack_int LAPACKE_dgeqp3_work(int layout, lapack_int m, lapack_int n, double *a, lapack_int lda,
                               lapack_int *jpvt, double *tau, double *work, lapack_int lwork) {
  (void)layout;
  lapack_int info = 0;
  dgeqp3_(&m, &n, a, &lda, jpvt, tau, work, &lwork, &info);
  return info;
}
lapack_int LAPACKE_sorgqr_work(int layout, lapack_int m, lapack_int n, lapack_int k, float *a,
                               lapack_int lda, const float *tau, float *work, lapack_int lwork) {
  (void)layout;
  lapack_int info = 0;
  sorgqr_(&m, &n, &k, a, &lda, tau, work, &lwork, &info);
  return info;
}
lapack_int LAPACKE_dorgqr_work(int layout, lapack_int m, lapack_int n, lapack_int k, double *a,
                               lapack_int lda, const double *tau, double *work, lapack_int lwork) {
  (void)layout;
  lapack_int info = 0;
  dorgqr_(&m, &n, &k, a, &lda, tau, work, &lwork, &info);
  return info;
}
#else
// Keeps the translation unit non-empty under -pedantic.
typedef int engram_clinearalgebra_linux_unit;
#endif
