#pragma once
#include "common.h"

namespace taskloaf {
namespace requests {
// Registers a pending request; `keepAlive` (may be null) stays referenced
// until the request completes, so its memory cannot be collected meanwhile.
uint32_t Add(napi_env env, MPI_Request request, napi_value keepAlive);
size_t Pending();
void InitRequests(Napi::Env env, Napi::Object exports);
}  // namespace requests
}  // namespace taskloaf
