#pragma once
#include "common.h"

namespace taskloaf {
namespace messages {
// Stores a matched message (from MPI_Improbe) until it is received; returns its id.
uint32_t Add(MPI_Message message, MPI_Count bytes);
// [source, tag, bytes] of the last match, shared with JS as `probeStatus`.
double* ProbeStatus();
void InitMessages(Napi::Env env, Napi::Object exports);
}  // namespace messages
}  // namespace taskloaf
