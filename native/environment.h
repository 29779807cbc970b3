#pragma once
#include "common.h"

namespace taskloaf {
void InitEnvironment(Napi::Env env, Napi::Object exports);
// MPI_TAG_UB of this MPI (at least 32767 by the standard).
int TagUpperBound();
}  // namespace taskloaf
