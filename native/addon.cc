// Module entry: registers each wrapped concept.
#include "affinity.h"
#include "alias.h"
#include "comm.h"
#include "environment.h"
#include "messages.h"
#include "requests.h"
#include "segment.h"

namespace taskloaf {
namespace {

Napi::Value SetErrorFactoryJs(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) Throw(info.Env(), ErrorKind::ArgType, "'factory' must be a function");
  SetErrorFactory(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("setErrorFactory", Napi::Function::New(env, SetErrorFactoryJs, "setErrorFactory"));
  InitEnvironment(env, exports);
  Comm::Init(env, exports);
  InitWorld(env, exports);
  requests::InitRequests(env, exports);
  messages::InitMessages(env, exports);
  InitAffinity(env, exports);
  InitSegments(env, exports);
  InitAliases(env, exports);
  return exports;
}

}  // namespace
}  // namespace taskloaf

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return taskloaf::Init(env, exports); }
NODE_API_MODULE(taskloaf, InitModule)
