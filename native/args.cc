// Argument checks: a bad argument is a JS error, never an abort inside MPI.
#include "common.h"

#include <cmath>

namespace taskloaf {

namespace {
// Kept by init/finalize: MPI_Initialized/MPI_Finalized take a lock in some
// MPIs, too slow for every call on the fast path.
bool active = false;
bool everActive = false;
}  // namespace

void SetActive(bool value) {
  active = value;
  everActive = everActive || value;
}

void RequireActive(Napi::Env env, const char* what) {
  if (active) return;
  int initialized = everActive ? 1 : 0, finalized = everActive ? 1 : 0;
  if (!everActive) {
    MPI_Initialized(&initialized);
    MPI_Finalized(&finalized);
  }
  if (!initialized) Throw(env, ErrorKind::State, std::string(what) + ": MPI is not initialized (call init() first)");
  if (finalized) Throw(env, ErrorKind::State, std::string(what) + ": MPI is already finalized");
}

int32_t IntArg(const Napi::CallbackInfo& info, size_t index, const char* name,
               int64_t lo, int64_t hi) {
  double d = 0;
  // One N-API call: it fails with napi_number_expected for anything else.
  if (index >= info.Length() || napi_get_value_double(info.Env(), info[index], &d) != napi_ok)
    Throw(info.Env(), ErrorKind::ArgType, std::string("'") + name + "' must be an integer");
  if (!std::isfinite(d) || std::floor(d) != d)
    Throw(info.Env(), ErrorKind::ArgType, std::string("'") + name + "' must be an integer, got " + std::to_string(d));
  if (d < static_cast<double>(lo) || d > static_cast<double>(hi))
    Throw(info.Env(), ErrorKind::ArgValue,
          std::string("'") + name + "' must be in [" + std::to_string(lo) + ", " + std::to_string(hi) +
              "], got " + std::to_string(static_cast<int64_t>(d)));
  return static_cast<int32_t>(d);
}

Bytes BytesArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  return BytesOf(info.Env(), info[index], name);
}

Bytes BytesOf(Napi::Env jsEnv, napi_value v, const std::string& name) {
  napi_env env = jsEnv;
  Bytes out;
  bool is = false;
  napi_value ab = nullptr;
  if (napi_is_typedarray(env, v, &is) == napi_ok && is) {
    napi_typedarray_type type;
    size_t length = 0, offset = 0;
    napi_get_typedarray_info(env, v, &type, &length, &out.data, &ab, &offset);
    size_t width = 1;
    switch (type) {
      case napi_int16_array: case napi_uint16_array: width = 2; break;
      case napi_int32_array: case napi_uint32_array: case napi_float32_array: width = 4; break;
      case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: width = 8; break;
      default: width = 1;
    }
    out.length = length * width;
  } else if (napi_is_arraybuffer(env, v, &is) == napi_ok && is) {
    ab = v;
    napi_get_arraybuffer_info(env, v, &out.data, &out.length);
  } else if (napi_is_dataview(env, v, &is) == napi_ok && is) {
    size_t offset = 0;
    napi_get_dataview_info(env, v, &out.length, &out.data, &ab, &offset);
  } else {
    Throw(jsEnv, ErrorKind::ArgType, "'" + name + "' must be an ArrayBuffer, TypedArray, DataView or Buffer");
  }
  // A detached buffer reads as empty; only then is it worth asking.
  bool detached = false;
  if (out.length == 0 && napi_is_detached_arraybuffer(env, ab, &detached) == napi_ok && detached)
    Throw(jsEnv, ErrorKind::Detached, "'" + name + "' is a detached ArrayBuffer");
  out.owner = ab;
  return out;
}

}  // namespace taskloaf

namespace taskloaf {
std::string StringArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (index >= info.Length() || !info[index].IsString())
    Throw(info.Env(), ErrorKind::ArgType, std::string("'") + name + "' must be a string");
  return info[index].As<Napi::String>().Utf8Value();
}
}  // namespace taskloaf
