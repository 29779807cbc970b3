// Alias ArrayBuffers: a new ArrayBuffer over bytes that already exist (a
// block of a mapped arena segment), so that "no view of the block is left"
// is "the alias was collected".
//
// V8 counts every ArrayBuffer it can free as external memory and collects
// garbage whenever that count has grown by 64 MiB, a few milliseconds each
// time: receiving 64 MiB tables would cost a collection each. An alias needs
// no freeing (the segment's own ArrayBuffer unmaps the memory), so where the
// addon is built against this Node's V8 headers it makes the alias a backing
// store with V8's empty deleter, which V8 does not count, and counts exactly
// the bytes the caller asks for. JS then keeps the segment alive and takes
// the count back when the alias is collected (src/wire/homes.ts). Without
// the headers, or under another V8 than the one built against, it falls
// back to Node-API's external ArrayBuffer, which V8 counts in full.
#include "alias.h"

#ifdef TASKLOAF_V8
#include <v8.h>

#include <cstring>
#endif

namespace taskloaf {
namespace {

#ifdef TASKLOAF_V8
#define TL_STR2(x) #x
#define TL_STR(x) TL_STR2(x)
// The V8 API is only called under the exact V8 the addon was compiled for.
bool SameV8() {
  static const bool same = [] {
    const char* built = TL_STR(V8_MAJOR_VERSION) "." TL_STR(V8_MINOR_VERSION) "." TL_STR(V8_BUILD_NUMBER) ".";
    std::string running = std::string(v8::V8::GetVersion()) + ".";
    return running.compare(0, std::strlen(built), built) == 0;
  }();
  return same;
}
#else
bool SameV8() { return false; }
#endif

struct AliasHint {
  napi_ref owner;
  int64_t uncounted;  // bytes kept off V8's external-memory count
};

// Node-API path: runs when the last view of an alias is gone.
void DropOwner(napi_env env, void*, void* hint) {
  AliasHint* h = static_cast<AliasHint*>(hint);
  int64_t ignored;
  if (h->uncounted > 0) napi_adjust_external_memory(env, h->uncounted, &ignored);  // V8 takes them off as it frees the alias
  napi_delete_reference(env, h->owner);
  delete h;
}

// alias(view, counted, light): a new ArrayBuffer over exactly the view's bytes (no
// copy). V8 sees `counted` of them (default all): none for views of another
// rank's memory, which is counted where it lives; none for large received
// blocks within the receive slack (src/wire/transport.ts).
// With light aliases (see `lightAliases`) the caller keeps the view's
// ArrayBuffer alive and uncounts `counted` when the alias is collected; on the
// Node-API path the alias does both itself.
Napi::Value Alias(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Bytes b = BytesArg(info, 0, "view");
  double counted = static_cast<double>(b.length);
  if (info.Length() >= 2 && !info[1].IsUndefined()) {
    if (napi_get_value_double(env, info[1], &counted) != napi_ok || !(counted >= 0))
      Throw(env, ErrorKind::ArgType, "'counted' must be a number of bytes >= 0");
    if (counted > static_cast<double>(b.length)) counted = static_cast<double>(b.length);
  }
  if (b.length == 0) return Napi::ArrayBuffer::New(env, 0);
  int64_t ignored;
  // light = false asks for a Node-API alias even where light ones can be made.
  bool light = info.Length() < 3 || !info[2].IsBoolean() || info[2].As<Napi::Boolean>().Value();
#ifdef TASKLOAF_V8
  if (light && SameV8()) {
    v8::Isolate* isolate = v8::Isolate::GetCurrent();
    std::unique_ptr<v8::BackingStore> store =
        v8::ArrayBuffer::NewBackingStore(b.data, b.length, v8::BackingStore::EmptyDeleter, nullptr);
    v8::Local<v8::ArrayBuffer> ab = v8::ArrayBuffer::New(isolate, std::move(store));
    if (counted > 0) napi_adjust_external_memory(env, static_cast<int64_t>(counted), &ignored);
    // A napi_value is a V8 local handle (Node's own conversion).
    napi_value value;
    v8::Local<v8::Value> local = ab;
    std::memcpy(&value, &local, sizeof value);
    return Napi::Value(env, value);
  }
#endif
  AliasHint* h = new AliasHint{nullptr, static_cast<int64_t>(b.length) - static_cast<int64_t>(counted)};
  if (napi_create_reference(env, b.owner, 1, &h->owner) != napi_ok) {
    delete h;
    Throw(env, ErrorKind::State, "could not reference the segment");
  }
  // Taken off first: creating the ArrayBuffer adds its bytes, and may collect
  // garbage on the spot if the count crosses V8's limit.
  if (h->uncounted > 0) napi_adjust_external_memory(env, -h->uncounted, &ignored);
  napi_value ab;
  if (napi_create_external_arraybuffer(env, b.data, b.length, DropOwner, h, &ab) != napi_ok) {
    if (h->uncounted > 0) napi_adjust_external_memory(env, h->uncounted, &ignored);
    napi_delete_reference(env, h->owner);
    delete h;
    Throw(env, ErrorKind::State, "could not create an alias ArrayBuffer");
  }
  return Napi::Value(env, ab);
}

// uncount(bytes): takes bytes a light alias counted off V8's external memory.
Napi::Value Uncount(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double bytes = 0;
  if (!info[0].IsNumber() || !((bytes = info[0].As<Napi::Number>().DoubleValue()) >= 0))
    Throw(env, ErrorKind::ArgType, "'bytes' must be a number >= 0");
  int64_t ignored;
  if (bytes > 0) napi_adjust_external_memory(env, -static_cast<int64_t>(bytes), &ignored);
  return env.Undefined();
}

// detach(ab): detaches an alias, so that every view of it becomes empty.
Napi::Value Detach(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArrayBuffer()) Throw(env, ErrorKind::ArgType, "'ab' must be an ArrayBuffer");
  if (napi_detach_arraybuffer(env, info[0]) != napi_ok) {
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
    Throw(env, ErrorKind::State, "the ArrayBuffer cannot be detached");
  }
  return env.Undefined();
}

}  // namespace

void InitAliases(Napi::Env env, Napi::Object exports) {
  exports.Set("alias", Napi::Function::New(env, Alias, "alias"));
  exports.Set("uncount", Napi::Function::New(env, Uncount, "uncount"));
  exports.Set("detach", Napi::Function::New(env, Detach, "detach"));
  exports.Set("lightAliases", Napi::Boolean::New(env, SameV8()));
}

}  // namespace taskloaf
