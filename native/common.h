// Shared helpers for the taskloaf addon: argument checks, byte views of JS
// buffers, and the error factory through which every failure reaches JS.
#pragma once

#include <mpi.h>
#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace taskloaf {

// Kinds of error the TypeScript layer turns into its exported classes.
enum class ErrorKind { Mpi, ArgType, ArgValue, Detached, State, System };

// Installs the JS function that builds error objects (set once by the loader).
void SetErrorFactory(Napi::Function factory);

// Builds and throws a JS error of the given kind. Never returns.
[[noreturn]] void Throw(Napi::Env env, ErrorKind kind, const std::string& message);

// Throws a SystemError for a failed system call (errno `err`).
[[noreturn]] void ThrowSystem(Napi::Env env, const char* syscall, int err, const std::string& what);

// Throws an MpiError for MPI return code `rc` from the MPI function `call`.
[[noreturn]] void ThrowMpi(Napi::Env env, int rc, const char* call);

// Throws an MpiError of class `cls` found by our own check (e.g. MPI_ERR_RANK).
[[noreturn]] void ThrowMpiClass(Napi::Env env, int cls, const char* call, const std::string& what);

// One error check around every MPI call.
#define TL_MPI(env, call, ...)                                     \
  do {                                                             \
    int tl_rc_ = call(__VA_ARGS__);                                \
    if (tl_rc_ != MPI_SUCCESS) ::taskloaf::ThrowMpi(env, tl_rc_, #call); \
  } while (0)

// MPI must be initialized and not finalized before most calls.
void RequireActive(Napi::Env env, const char* what);
// Called by init (true) and finalize (false).
void SetActive(bool value);

// Integer argument `index` of `info`, checked to be an integer in [lo, hi].
int32_t IntArg(const Napi::CallbackInfo& info, size_t index, const char* name,
               int64_t lo, int64_t hi);

// The bytes of an ArrayBuffer, TypedArray, DataView or Buffer.
struct Bytes {
  void* data = nullptr;
  size_t length = 0;
  napi_value owner = nullptr;  // the ArrayBuffer that owns the memory
};
Bytes BytesArg(const Napi::CallbackInfo& info, size_t index, const char* name);
Bytes BytesOf(Napi::Env env, napi_value value, const std::string& name);

// A string argument, checked.
std::string StringArg(const Napi::CallbackInfo& info, size_t index, const char* name);

// Largest message in one MPI call with MPI_BYTE and an int count.
constexpr size_t kMaxMessageBytes = 0x7fffffff;

}  // namespace taskloaf
