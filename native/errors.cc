// Every failure crosses into JS through one factory provided by the
// TypeScript loader, so C++ throws instances of the exported error classes.
#include "common.h"

#include <cstring>

namespace taskloaf {
namespace {

Napi::FunctionReference factory;

const char* KindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Mpi: return "mpi";
    case ErrorKind::ArgType: return "argType";
    case ErrorKind::ArgValue: return "argValue";
    case ErrorKind::Detached: return "detached";
    case ErrorKind::State: return "state";
    case ErrorKind::System: return "system";
  }
  return "state";
}

const char* KindCode(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Mpi: return "ERR_MPI";
    case ErrorKind::ArgType: return "ERR_INVALID_ARG_TYPE";
    case ErrorKind::ArgValue: return "ERR_INVALID_ARG_VALUE";
    case ErrorKind::Detached: return "ERR_BUFFER_DETACHED";
    case ErrorKind::State: return "ERR_MPI_STATE";
    case ErrorKind::System: return "ERR_SYSTEM";
  }
  return "ERR_MPI_STATE";
}

[[noreturn]] void ThrowObject(Napi::Env env, ErrorKind kind, const std::string& message,
                              Napi::Object details) {
  if (!factory.IsEmpty()) {
    Napi::Value err = factory.Call({Napi::String::New(env, KindName(kind)),
                                    Napi::String::New(env, message), details});
    throw Napi::Error(env, err);
  }
  // Used raw (no loader): still an Error with a stable code.
  Napi::Error err = kind == ErrorKind::ArgType ? Napi::TypeError::New(env, message)
                                               : Napi::Error::New(env, message);
  err.Value().Set("code", KindCode(kind));
  for (const auto& entry : details) err.Value().Set(entry.first, static_cast<Napi::Value>(entry.second));
  throw err;
}

std::string ClassName(int cls) {
  switch (cls) {
#define TL_CASE(x) case x: return #x;
    TL_CASE(MPI_ERR_BUFFER) TL_CASE(MPI_ERR_COUNT) TL_CASE(MPI_ERR_TYPE)
    TL_CASE(MPI_ERR_TAG) TL_CASE(MPI_ERR_COMM) TL_CASE(MPI_ERR_RANK)
    TL_CASE(MPI_ERR_REQUEST) TL_CASE(MPI_ERR_ROOT) TL_CASE(MPI_ERR_GROUP)
    TL_CASE(MPI_ERR_OP) TL_CASE(MPI_ERR_TOPOLOGY) TL_CASE(MPI_ERR_DIMS)
    TL_CASE(MPI_ERR_ARG) TL_CASE(MPI_ERR_UNKNOWN) TL_CASE(MPI_ERR_TRUNCATE)
    TL_CASE(MPI_ERR_OTHER) TL_CASE(MPI_ERR_INTERN) TL_CASE(MPI_ERR_IN_STATUS)
    TL_CASE(MPI_ERR_PENDING) TL_CASE(MPI_ERR_NO_MEM) TL_CASE(MPI_ERR_WIN)
#undef TL_CASE
    default: return "MPI_ERR_CLASS_" + std::to_string(cls);
  }
}

}  // namespace

void SetErrorFactory(Napi::Function fn) {
  factory = Napi::Persistent(fn);
  factory.SuppressDestruct();  // lives as long as the process
}

void Throw(Napi::Env env, ErrorKind kind, const std::string& message) {
  ThrowObject(env, kind, message, Napi::Object::New(env));
}

void ThrowSystem(Napi::Env env, const char* syscall, int err, const std::string& what) {
  Napi::Object details = Napi::Object::New(env);
  details.Set("syscall", syscall);
  details.Set("errno", err);
  details.Set("systemMessage", std::string(std::strerror(err)));
  ThrowObject(env, ErrorKind::System, what + ": " + syscall + " failed: " + std::strerror(err), details);
}

namespace {
// The MPI error's details and MPI's own text for it.
Napi::Object MpiDetails(Napi::Env env, int code, int cls, const char* call, std::string* text) {
  char buf[MPI_MAX_ERROR_STRING] = {0};
  int len = 0;
  // Safe even after a failure; if it fails too, say the number.
  if (MPI_Error_string(code, buf, &len) != MPI_SUCCESS) std::snprintf(buf, sizeof buf, "MPI error %d", code);
  *text = buf;
  Napi::Object details = Napi::Object::New(env);
  details.Set("errorCode", code);
  details.Set("errorClass", cls);
  details.Set("errorClassName", ClassName(cls));
  details.Set("mpiMessage", *text);
  details.Set("call", call);
  return details;
}
}  // namespace

void ThrowMpi(Napi::Env env, int rc, const char* call) {
  int cls = rc;
  if (MPI_Error_class(rc, &cls) != MPI_SUCCESS) cls = rc;
  std::string text;
  Napi::Object details = MpiDetails(env, rc, cls, call, &text);
  ThrowObject(env, ErrorKind::Mpi, std::string(call) + " failed: " + text, details);
}

// A rank out of range is reported as MPI_ERR_RANK without asking MPI, so the
// outcome does not depend on whether the library checks parameters.
void ThrowMpiClass(Napi::Env env, int cls, const char* call, const std::string& what) {
  std::string text;
  Napi::Object details = MpiDetails(env, cls, cls, call, &text);
  ThrowObject(env, ErrorKind::Mpi, std::string(call) + " failed: " + what + " (" + text + ")", details);
}

}  // namespace taskloaf
