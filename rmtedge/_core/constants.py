"""Mathematical constants shared by the numba kernels (float64, correctly rounded).

One place for them, so that no kernel module carries its own copy of log(2 pi) or 1/sqrt(pi).
Names say what they are: ``LOG_2PI`` is log(2 pi), ``INV_SQRT_2PI`` is 1/sqrt(2 pi).
"""

from __future__ import annotations

import math

NAN = math.nan
INF = math.inf
EPS = 2.220446049250313e-16  # float64 unit roundoff times 2 (numpy.finfo(float).eps)
LN2 = 0.6931471805599453094172321  # log 2
LN2_HI = 6.93147180369123816490e-01  # 0x3fe62e42fee00000: k * LN2_HI is exact for |k| < 2^21
LN2_LO = 1.90821492927058770002e-10  # LN2 - LN2_HI
SQRT_HALF = 0.7071067811865476  # 1/sqrt(2)
SQRT2 = 1.4142135623730950488016887  # sqrt(2)
SQRT_PI = 1.7724538509055160272981675  # sqrt(pi)
LOG_PI = 1.1447298858494001741434273  # log(pi)
LOG_2PI = 1.8378770664093454835606594  # log(2 pi)
HALF_LOG_2PI = 0.9189385332046727417803297  # log(2 pi)/2
HALF_LOG_2_OVER_PI = -0.2257913526447274323630977  # log(sqrt(2/pi))
INV_PI = 0.3183098861837906715377675  # 1/pi
INV_SQRT_PI = 0.5641895835477562869480795  # 1/sqrt(pi)
INV_SQRT_2PI = 0.3989422804014326779399461  # 1/sqrt(2 pi)
TWO_OVER_SQRT_PI = 1.1283791670955125738961589  # 2/sqrt(pi)
SQRT_2_OVER_PI = 0.7978845608028653558798921  # sqrt(2/pi)
