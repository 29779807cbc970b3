// MPI's lifetime in this process: init at the thread level asked for
// (funneled by default: every call comes from the main thread), finalize (also from Node's environment cleanup hook), abort, clocks.
#include "environment.h"

#include "requests.h"

#include <cstring>

namespace taskloaf {
namespace {

const char* LevelName(int level) {
  switch (level) {
    case MPI_THREAD_SINGLE: return "single";
    case MPI_THREAD_FUNNELED: return "funneled";
    case MPI_THREAD_SERIALIZED: return "serialized";
    case MPI_THREAD_MULTIPLE: return "multiple";
  }
  return "unknown";
}

int LevelFromName(Napi::Env env, const std::string& name) {
  if (name == "single") return MPI_THREAD_SINGLE;
  if (name == "funneled") return MPI_THREAD_FUNNELED;
  if (name == "serialized") return MPI_THREAD_SERIALIZED;
  if (name == "multiple") return MPI_THREAD_MULTIPLE;
  Throw(env, ErrorKind::ArgValue,
        "'threadLevel' must be one of single, funneled, serialized, multiple; got '" + name + "'");
}

bool initializedHere = false;

// Backstop for a process that ends without finalize(): finalize only when no
// send is pending, because MPI_Finalize would wait for it forever. Nothing
// can receive an error at this point, so results are not checked here.
void CleanupHook(void*) {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (!initializedHere || !initialized || finalized) return;
  if (requests::Pending() == 0) {
    SetActive(false);
    MPI_Finalize();
  }
}

Napi::Value Init(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (finalized) Throw(env, ErrorKind::State, "init: MPI was finalized and cannot be initialized again");
  int required = MPI_THREAD_FUNNELED;
  if (info.Length() > 0 && !info[0].IsUndefined()) {
    if (!info[0].IsString()) Throw(env, ErrorKind::ArgType, "'threadLevel' must be a string");
    required = LevelFromName(env, info[0].As<Napi::String>().Utf8Value());
  }
  int provided = MPI_THREAD_SINGLE;
  if (!initialized) {
    TL_MPI(env, MPI_Init_thread, nullptr, nullptr, required, &provided);
    initializedHere = true;
    // Errors come back as return codes on every communicator we touch.
    TL_MPI(env, MPI_Comm_set_errhandler, MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    TL_MPI(env, MPI_Comm_set_errhandler, MPI_COMM_SELF, MPI_ERRORS_RETURN);
    napi_add_env_cleanup_hook(env, CleanupHook, nullptr);
  } else {
    TL_MPI(env, MPI_Query_thread, &provided);
  }
  SetActive(true);
  Napi::Object result = Napi::Object::New(env);
  result.Set("required", LevelName(required));
  result.Set("provided", LevelName(provided));
  result.Set("alreadyInitialized", Napi::Boolean::New(env, initialized != 0));
  return result;
}

Napi::Value Finalize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireActive(env, "finalize");
  size_t pending = requests::Pending();
  if (pending > 0)
    Throw(env, ErrorKind::State, "finalize: " + std::to_string(pending) +
                                     " send(s) still pending; complete them (testsome) before finalize");
  SetActive(false);
  TL_MPI(env, MPI_Finalize);
  return env.Undefined();
}

// MPI_Initialized/MPI_Finalized/MPI_Abort cannot usefully fail here: the
// process ends either way.
Napi::Value Abort(const Napi::CallbackInfo& info) {
  int code = info.Length() > 0 ? IntArg(info, 0, "code", 0, 255) : 1;
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized && !finalized) MPI_Abort(MPI_COMM_WORLD, code);
  // Not initialized or already finalized: there is no job to abort.
  std::_Exit(code);
}

Napi::Value State(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  Napi::Object o = Napi::Object::New(env);
  o.Set("initialized", Napi::Boolean::New(env, initialized));
  o.Set("finalized", Napi::Boolean::New(env, finalized));
  return o;
}

Napi::Value Wtime(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), MPI_Wtime()); }
Napi::Value Wtick(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), MPI_Wtick()); }

Napi::Value ProcessorName(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireActive(env, "processorName");
  char name[MPI_MAX_PROCESSOR_NAME + 1] = {0};
  int len = 0;
  TL_MPI(env, MPI_Get_processor_name, name, &len);
  return Napi::String::New(env, name, static_cast<size_t>(len));
}

// Callable before init: lets the launcher pick the matching mpiexec.
Napi::Value LibraryVersion(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  char text[MPI_MAX_LIBRARY_VERSION_STRING + 1] = {0};
  int len = 0;
  TL_MPI(env, MPI_Get_library_version, text, &len);
  int version = 0, subversion = 0;
  TL_MPI(env, MPI_Get_version, &version, &subversion);
  Napi::Object o = Napi::Object::New(env);
  // Some MPIs count the terminating NUL in `len`.
  o.Set("library", std::string(text, strnlen(text, static_cast<size_t>(len))));
  o.Set("standard", std::to_string(version) + "." + std::to_string(subversion));
  return o;
}

Napi::Object Constants(Napi::Env env) {
  Napi::Object c = Napi::Object::New(env);
  c.Set("ANY_SOURCE", MPI_ANY_SOURCE);
  c.Set("ANY_TAG", MPI_ANY_TAG);
  c.Set("PROC_NULL", MPI_PROC_NULL);
  c.Set("MAX_MESSAGE_BYTES", static_cast<double>(kMaxMessageBytes));
  return c;
}

}  // namespace

void InitEnvironment(Napi::Env env, Napi::Object exports) {
  exports.Set("init", Napi::Function::New(env, Init, "init"));
  exports.Set("finalize", Napi::Function::New(env, Finalize, "finalize"));
  exports.Set("abort", Napi::Function::New(env, Abort, "abort"));
  exports.Set("state", Napi::Function::New(env, State, "state"));
  exports.Set("wtime", Napi::Function::New(env, Wtime, "wtime"));
  exports.Set("wtick", Napi::Function::New(env, Wtick, "wtick"));
  exports.Set("processorName", Napi::Function::New(env, ProcessorName, "processorName"));
  exports.Set("libraryVersion", Napi::Function::New(env, LibraryVersion, "libraryVersion"));
  exports.Set("constants", Constants(env));
}

int TagUpperBound() {
  int* value = nullptr;
  int flag = 0;
  if (MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &value, &flag) != MPI_SUCCESS || !flag) return 32767;
  return *value;
}

}  // namespace taskloaf
