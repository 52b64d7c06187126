#include "KernelTestSupport.h"
