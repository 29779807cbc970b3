#pragma once
#include "common.h"

namespace taskloaf {
namespace messages {
// Stores a matched message (from MPI_Improbe) until it is received; returns its id.
uint32_t Add(MPI_Message message, MPI_Count bytes);
// [source, tag, bytes] of the last match, shared with JS as `probeStatus`.
double* ProbeStatus();
// Receives a matched message of the slab's tag into the receive slab when it
// fits; true then (probeStatus[3] holds its offset), false to leave it matched.
bool ReceiveInline(Napi::Env env, MPI_Message& message, int tag, MPI_Count bytes);
void InitMessages(Napi::Env env, Napi::Object exports);
}  // namespace messages
}  // namespace taskloaf
