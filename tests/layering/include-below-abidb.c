/* Compiled with a layer's include directories by tests/CMakeLists.txt "layering". */
#include "abidb.h"
#include "kfacts.h"
#include "strbuf.h"
