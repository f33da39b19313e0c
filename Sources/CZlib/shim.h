// zlib from the system (Debian: zlib1g-dev), for reading .gz IDX files.
#include <zlib.h>
