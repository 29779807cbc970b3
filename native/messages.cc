// Matched messages: MPI_Improbe hands one over, MPI_Mrecv receives it into a
// JS-visible buffer. Ids index a slot table with a free list.
#include "messages.h"
#include "requests.h"

#include <vector>

namespace taskloaf {
namespace messages {
namespace {

struct Slot {
  MPI_Message message = MPI_MESSAGE_NULL;
  MPI_Count bytes = 0;
  bool used = false;
};
std::vector<Slot> slots;
std::vector<uint32_t> freeList;
double* probeStatus = nullptr;
napi_ref probeStatusRef = nullptr;

// The receive slab: small frames are received straight into it, one after
// another, which saves a call and a buffer per frame. JS views of its used
// part keep it alive; the addon only writes past the last offset it gave out.
struct Slab {
  napi_ref buffer = nullptr;  // the ArrayBuffer
  size_t base = 0;            // where the slab starts in it
  size_t length = 0;
  size_t offset = 0;
  int tag = -1;
  MPI_Count limit = 0;
} slab;

Slot& Lookup(Napi::Env env, const Napi::CallbackInfo& info) {
  int32_t id = IntArg(info, 0, "message", 1, 0x7fffffff);
  size_t i = static_cast<size_t>(id) - 1;
  if (i >= slots.size() || !slots[i].used)
    Throw(env, ErrorKind::ArgValue, "'message' " + std::to_string(id) + " is not a matched message (already received?)");
  return slots[i];
}

void Release(Slot& slot) {
  slot.used = false;
  slot.message = MPI_MESSAGE_NULL;
  freeList.push_back(static_cast<uint32_t>(&slot - slots.data()) + 1);
}

// mrecv(message, target?): receives into `target` (at least as long as the
// message) or into a new Buffer; returns the buffer the bytes are in.
Napi::Value Mrecv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireActive(env, "mrecv");
  Slot& slot = Lookup(env, info);
  Napi::Value result;
  void* data = nullptr;
  if (info.Length() < 2 || info[1].IsUndefined() || info[1].IsNull()) {
    Napi::Buffer<uint8_t> buf = Napi::Buffer<uint8_t>::New(env, static_cast<size_t>(slot.bytes));
    data = buf.Data();
    result = buf;
  } else {
    Bytes target = BytesArg(info, 1, "target");
    if (target.length < static_cast<size_t>(slot.bytes))
      Throw(env, ErrorKind::ArgValue, "'target' holds " + std::to_string(target.length) + " bytes but the message has " +
                                          std::to_string(static_cast<long long>(slot.bytes)));
    data = target.data;
    result = info[1];
  }
  MPI_Status status;
  MPI_Message message = slot.message;
  int count = static_cast<int>(slot.bytes);
  Release(slot);
  int rc = MPI_Mrecv(data, count, MPI_BYTE, &message, &status);
  if (rc != MPI_SUCCESS) ThrowMpi(env, rc, "MPI_Mrecv");
  return result;
}

// imrecv(message, target): starts receiving into `target` (at least as long as
// the message) and returns a request id for wait() or testsome(): the caller
// works on while the bytes arrive. `target` stays referenced until then.
Napi::Value Imrecv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireActive(env, "imrecv");
  Slot& slot = Lookup(env, info);
  Bytes target = BytesArg(info, 1, "target");
  if (target.length < static_cast<size_t>(slot.bytes))
    Throw(env, ErrorKind::ArgValue, "'target' holds " + std::to_string(target.length) + " bytes but the message has " +
                                        std::to_string(static_cast<long long>(slot.bytes)));
  MPI_Message message = slot.message;
  int count = static_cast<int>(slot.bytes);
  Release(slot);
  MPI_Request req = MPI_REQUEST_NULL;
  int rc = MPI_Imrecv(target.data, count, MPI_BYTE, &message, &req);
  if (rc != MPI_SUCCESS) ThrowMpi(env, rc, "MPI_Imrecv");
  return Napi::Number::New(env, requests::Add(env, req, target.owner));
}

// receiveSlab(slab, tag, limit): improbeInto() receives messages of `tag` up
// to `limit` bytes into `slab` from now on, 8-aligned, until one does not fit.
Napi::Value ReceiveSlab(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    Throw(env, ErrorKind::ArgType, "'slab' must be a Uint8Array");
  Napi::Uint8Array view = info[0].As<Napi::Uint8Array>();
  int32_t tag = IntArg(info, 1, "tag", 0, 0x7fffffff);
  int32_t limit = IntArg(info, 2, "limit", 0, 0x7fffffff);
  if ((reinterpret_cast<uintptr_t>(view.Data())) % 8 != 0) Throw(env, ErrorKind::ArgValue, "'slab' must start 8-aligned");
  napi_ref ref = nullptr;
  if (napi_create_reference(env, view.ArrayBuffer(), 1, &ref) != napi_ok) Throw(env, ErrorKind::ArgValue, "cannot keep 'slab'");
  if (slab.buffer != nullptr) napi_delete_reference(env, slab.buffer);
  slab = Slab{ref, view.ByteOffset(), view.ByteLength(), 0, tag, limit};
  return env.Undefined();
}

Napi::Value Pending(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(slots.size() - freeList.size()));
}

}  // namespace

uint32_t Add(MPI_Message message, MPI_Count bytes) {
  uint32_t id;
  if (!freeList.empty()) {
    id = freeList.back();
    freeList.pop_back();
  } else {
    slots.emplace_back();
    id = static_cast<uint32_t>(slots.size());
  }
  Slot& s = slots[id - 1];
  s.message = message;
  s.bytes = bytes;
  s.used = true;
  return id;
}

double* ProbeStatus() { return probeStatus; }

bool ReceiveInline(Napi::Env env, MPI_Message& message, int tag, MPI_Count bytes) {
  if (slab.buffer == nullptr || tag != slab.tag || bytes > slab.limit) return false;
  size_t n = static_cast<size_t>(bytes);
  if (slab.offset + n > slab.length) return false;
  // The memory is looked up each time: JS may have detached or shrunk the buffer.
  napi_value value;
  bool detached = true;
  if (napi_get_reference_value(env, slab.buffer, &value) != napi_ok || value == nullptr) return false;
  if (napi_is_detached_arraybuffer(env, value, &detached) != napi_ok || detached) return false;
  void* data = nullptr;
  size_t length = 0;
  if (napi_get_arraybuffer_info(env, value, &data, &length) != napi_ok) return false;
  size_t at = slab.offset;
  if (slab.base + at + n > length) return false;
  slab.offset = (at + n + 7) & ~static_cast<size_t>(7);
  probeStatus[3] = static_cast<double>(at);
  MPI_Status status;
  int rc = MPI_Mrecv(static_cast<uint8_t*>(data) + slab.base + at, static_cast<int>(bytes), MPI_BYTE, &message, &status);
  if (rc != MPI_SUCCESS) ThrowMpi(env, rc, "MPI_Mrecv");
  return true;
}

void InitMessages(Napi::Env env, Napi::Object exports) {
  // Written by improbe, read by JS without a call or an allocation per message.
  Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, 4 * sizeof(double));
  probeStatus = static_cast<double*>(ab.Data());
  napi_create_reference(env, ab, 1, &probeStatusRef);
  exports.Set("probeStatus", Napi::Float64Array::New(env, 4, ab, 0));
  exports.Set("mrecv", Napi::Function::New(env, Mrecv, "mrecv"));
  exports.Set("imrecv", Napi::Function::New(env, Imrecv, "imrecv"));
  exports.Set("receiveSlab", Napi::Function::New(env, ReceiveSlab, "receiveSlab"));
  exports.Set("pendingMessages", Napi::Function::New(env, Pending, "pendingMessages"));
}

}  // namespace messages
}  // namespace taskloaf
