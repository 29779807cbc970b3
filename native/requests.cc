// Pending nonblocking requests, kept dense so one MPI_Testsome covers them all.
// Each holds a strong reference to the buffer it reads, released on completion.
#include "requests.h"

#include <algorithm>
#include <vector>

namespace taskloaf {
namespace requests {
namespace {

std::vector<MPI_Request> active;
std::vector<uint32_t> ids;
std::vector<napi_ref> keep;
std::vector<int> indices;
std::vector<MPI_Status> statuses;
// Completed ids not yet handed to JS (the caller's array was full).
std::vector<uint32_t> completed;
uint32_t nextId = 1;
// Requests pending or completed and not yet reported, where JS reads it
// without a call: a poll skips testsome() when it is 0.
double* countOut = nullptr;
napi_ref countRef = nullptr;

void Publish() {
  if (countOut != nullptr) *countOut = static_cast<double>(active.size() + completed.size());
}

void Remove(napi_env env, size_t i) {
  if (keep[i] != nullptr) napi_delete_reference(env, keep[i]);
  size_t last = active.size() - 1;
  active[i] = active[last];
  ids[i] = ids[last];
  keep[i] = keep[last];
  active.pop_back();
  ids.pop_back();
  keep.pop_back();
}

// testsome(out: Uint32Array): writes ids of completed requests, returns how many.
Napi::Value Testsome(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array)
    Throw(env, ErrorKind::ArgType, "'out' must be a Uint32Array");
  Napi::Uint32Array out = info[0].As<Napi::Uint32Array>();
  size_t cap = out.ElementLength();
  size_t n = 0;
  while (n < cap && !completed.empty()) {
    out[n++] = completed.back();
    completed.pop_back();
  }
  if (active.empty() || n == cap) {
    Publish();
    return Napi::Number::New(env, static_cast<double>(n));
  }
  RequireActive(env, "testsome");
  int count = static_cast<int>(active.size());
  indices.resize(active.size());
  statuses.resize(active.size());
  int outcount = 0;
  int rc = MPI_Testsome(count, active.data(), &outcount, indices.data(), statuses.data());
  if (rc != MPI_SUCCESS && rc != MPI_ERR_IN_STATUS) ThrowMpi(env, rc, "MPI_Testsome");
  if (outcount == MPI_UNDEFINED) outcount = 0;
  int failure = MPI_SUCCESS;
  uint32_t failedId = 0;
  // Highest index first so swap-removal does not move an index still to visit.
  std::vector<int> done(indices.begin(), indices.begin() + outcount);
  std::sort(done.begin(), done.end(), [](int a, int b) { return a > b; });
  for (int k = 0; k < outcount; ++k) {
    int i = done[k];
    if (rc == MPI_ERR_IN_STATUS) {
      // Statuses follow the order of `indices`, not of `done`.
      for (int j = 0; j < outcount; ++j)
        if (indices[j] == i && statuses[j].MPI_ERROR != MPI_SUCCESS && failure == MPI_SUCCESS) {
          failure = statuses[j].MPI_ERROR;
          failedId = ids[i];
        }
    }
    if (n < cap) out[n++] = ids[i];
    else completed.push_back(ids[i]);
    Remove(env, static_cast<size_t>(i));
  }
  Publish();
  if (failure != MPI_SUCCESS) {
    try {
      ThrowMpi(env, failure, "MPI_Testsome");
    } catch (Napi::Error& e) {
      e.Value().Set("requestId", static_cast<double>(failedId));
      throw;
    }
  }
  return Napi::Number::New(env, static_cast<double>(n));
}

// wait(id): blocks until request `id` completes (MPI_Wait), for a caller that
// has nothing else to do without its bytes. An id testsome() already reported
// complete, or unknown, is an error: nothing would ever complete it.
Napi::Value Wait(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t id = IntArg(info, 0, "request", 1, 0x7fffffff);
  auto at = std::find(ids.begin(), ids.end(), static_cast<uint32_t>(id));
  if (at == ids.end()) {
    auto done = std::find(completed.begin(), completed.end(), static_cast<uint32_t>(id));
    if (done == completed.end()) Throw(env, ErrorKind::ArgValue, "'request' " + std::to_string(id) + " is not pending");
    completed.erase(done);
    Publish();
    return env.Undefined();
  }
  RequireActive(env, "wait");
  size_t i = static_cast<size_t>(at - ids.begin());
  MPI_Status status;
  int rc = MPI_Wait(&active[i], &status);
  Remove(env, i);
  Publish();
  if (rc != MPI_SUCCESS) ThrowMpi(env, rc, "MPI_Wait");
  return env.Undefined();
}

Napi::Value PendingJs(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(active.size() + completed.size()));
}

}  // namespace

uint32_t Add(napi_env env, MPI_Request request, napi_value keepAlive) {
  napi_ref ref = nullptr;
  if (keepAlive != nullptr) napi_create_reference(env, keepAlive, 1, &ref);
  uint32_t id = nextId;
  nextId = nextId >= 0x7fffffff ? 1 : nextId + 1;
  active.push_back(request);
  ids.push_back(id);
  keep.push_back(ref);
  Publish();
  return id;
}

size_t Pending() { return active.size(); }

void InitRequests(Napi::Env env, Napi::Object exports) {
  exports.Set("testsome", Napi::Function::New(env, Testsome, "testsome"));
  exports.Set("pendingRequests", Napi::Function::New(env, PendingJs, "pendingRequests"));
  exports.Set("wait", Napi::Function::New(env, Wait, "wait"));
  Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, sizeof(double));
  countOut = static_cast<double*>(ab.Data());
  *countOut = 0;
  napi_create_reference(env, ab, 1, &countRef);
  exports.Set("requestCount", Napi::Float64Array::New(env, 1, ab, 0));
}

}  // namespace requests
}  // namespace taskloaf
