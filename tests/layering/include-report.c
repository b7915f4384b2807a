/* Compiled with a layer's include directories by tests/CMakeLists.txt "layering". */
#include "report.h"
