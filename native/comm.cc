// Comm: one wrapped MPI communicator. Every call is checked; every
// communicator we create gets MPI_ERRORS_RETURN.
#include "comm.h"

#include "environment.h"
#include "messages.h"
#include "requests.h"

#include <vector>

namespace taskloaf {
namespace {
Napi::FunctionReference constructor;
Napi::ObjectReference world;

MPI_Datatype TypeOf(Napi::Env env, napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: return MPI_INT8_T;
    case napi_uint8_array: case napi_uint8_clamped_array: return MPI_UINT8_T;
    case napi_int16_array: return MPI_INT16_T;
    case napi_uint16_array: return MPI_UINT16_T;
    case napi_int32_array: return MPI_INT32_T;
    case napi_uint32_array: return MPI_UINT32_T;
    case napi_float32_array: return MPI_FLOAT;
    case napi_float64_array: return MPI_DOUBLE;
    case napi_bigint64_array: return MPI_INT64_T;
    case napi_biguint64_array: return MPI_UINT64_T;
    default: Throw(env, ErrorKind::ArgType, "unsupported TypedArray type");
  }
}

MPI_Op OpOf(Napi::Env env, Napi::Value v, bool floating) {
  if (!v.IsString()) Throw(env, ErrorKind::ArgType, "'op' must be a string");
  std::string op = v.As<Napi::String>().Utf8Value();
  if (op == "sum") return MPI_SUM;
  if (op == "prod") return MPI_PROD;
  if (op == "min") return MPI_MIN;
  if (op == "max") return MPI_MAX;
  if (!floating) {
    if (op == "band") return MPI_BAND;
    if (op == "bor") return MPI_BOR;
    if (op == "bxor") return MPI_BXOR;
    if (op == "land") return MPI_LAND;
    if (op == "lor") return MPI_LOR;
  }
  Throw(env, ErrorKind::ArgValue, "'op' must be one of sum, prod, min, max" +
                                      std::string(floating ? "" : ", band, bor, bxor, land, lor") + "; got '" + op + "'");
}

int CountOf(Napi::Env env, size_t bytes, const char* name) {
  if (bytes > kMaxMessageBytes)
    Throw(env, ErrorKind::ArgValue, std::string("'") + name + "' is " + std::to_string(bytes) +
                                        " bytes; one message holds at most 2 GiB - 1");
  return static_cast<int>(bytes);
}
}  // namespace

void Comm::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function fn = DefineClass(
      env, "Comm",
      {InstanceAccessor<&Comm::Rank>("rank"), InstanceAccessor<&Comm::Size>("size"),
       InstanceMethod<&Comm::SplitShared>("splitShared"),
       InstanceMethod<&Comm::Split>("split"), InstanceMethod<&Comm::Dup>("dup"),
       InstanceMethod<&Comm::Free>("free"), InstanceMethod<&Comm::Isend>("isend"),
       InstanceMethod<&Comm::Isendv>("isendv"),
       InstanceMethod<&Comm::Improbe>("improbe"),
       InstanceMethod<&Comm::ImprobeInto>("improbeInto"), InstanceMethod<&Comm::Barrier>("barrier"),
       InstanceMethod<&Comm::Ibarrier>("ibarrier"), InstanceMethod<&Comm::Allreduce>("allreduce"),
       InstanceMethod<&Comm::Bcast>("bcast"), InstanceMethod<&Comm::Allgather>("allgather")});
  constructor = Napi::Persistent(fn);
  constructor.SuppressDestruct();  // lives as long as the process
  exports.Set("Comm", fn);
}

Napi::Object Comm::New(Napi::Env env, MPI_Comm comm, bool owned) {
  Napi::Object obj = constructor.New({Napi::External<MPI_Comm>::New(env, &comm), Napi::Boolean::New(env, owned)});
  return obj;
}

Comm::Comm(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Comm>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsExternal())
    Throw(env, ErrorKind::ArgType, "Comm cannot be constructed directly; use world() or comm.splitShared()");
  comm_ = *info[0].As<Napi::External<MPI_Comm>>().Data();
  owned_ = info[1].ToBoolean();
  TL_MPI(env, MPI_Comm_set_errhandler, comm_, MPI_ERRORS_RETURN);
  TL_MPI(env, MPI_Comm_rank, comm_, &rank_);
  TL_MPI(env, MPI_Comm_size, comm_, &size_);
  tagUb_ = TagUpperBound();
}

// Garbage collection frees a communicator nobody freed. A destructor cannot
// throw, so a failure here is ignored; free() reports errors.
Comm::~Comm() {
  int finalized = 1;
  MPI_Finalized(&finalized);
  if (owned_ && comm_ != MPI_COMM_NULL && !finalized) MPI_Comm_free(&comm_);
}

MPI_Comm Comm::Handle(Napi::Env env, const char* what) {
  RequireActive(env, what);
  if (comm_ == MPI_COMM_NULL) Throw(env, ErrorKind::State, std::string(what) + ": communicator was freed");
  return comm_;
}

int Comm::CheckRank(const Napi::CallbackInfo& info, size_t index, const char* name, const char* call,
                    bool anySource) {
  int32_t r = IntArg(info, index, name, INT32_MIN, INT32_MAX);
  if ((r >= 0 && r < size_) || r == MPI_PROC_NULL || (anySource && r == MPI_ANY_SOURCE)) return r;
  ThrowMpiClass(info.Env(), MPI_ERR_RANK, call,
                std::string("'") + name + "' " + std::to_string(r) + " is not a rank of this communicator (size " +
                    std::to_string(size_) + ")");
}

int Comm::CheckTag(const Napi::CallbackInfo& info, size_t index, bool anyTag) {
  int32_t t = IntArg(info, index, "tag", anyTag ? MPI_ANY_TAG : 0, tagUb_);
  if (t < 0 && !(anyTag && t == MPI_ANY_TAG))
    Throw(info.Env(), ErrorKind::ArgValue, "'tag' must be in [0, " + std::to_string(tagUb_) + "]");
  return t;
}

Napi::Value Comm::Rank(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), rank_); }
Napi::Value Comm::Size(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), size_); }

Napi::Value Comm::SplitShared(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Comm c = Handle(env, "splitShared");
  MPI_Comm local = MPI_COMM_NULL;
  TL_MPI(env, MPI_Comm_split_type, c, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local);
  return New(env, local, true);
}

// split(color, key): the ranks with the same color, ordered by key (MPI_Comm_split).
Napi::Value Comm::Split(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Comm c = Handle(env, "split");
  int color = IntArg(info, 0, "color", 0, INT32_MAX);
  int key = IntArg(info, 1, "key", INT32_MIN, INT32_MAX);
  MPI_Comm part = MPI_COMM_NULL;
  TL_MPI(env, MPI_Comm_split, c, color, key, &part);
  return New(env, part, true);
}

Napi::Value Comm::Dup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Comm c = Handle(env, "dup");
  MPI_Comm copy = MPI_COMM_NULL;
  TL_MPI(env, MPI_Comm_dup, c, &copy);
  return New(env, copy, true);
}

Napi::Value Comm::Free(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!owned_) Throw(env, ErrorKind::State, "free: the world communicator cannot be freed");
  MPI_Comm c = Handle(env, "free");
  TL_MPI(env, MPI_Comm_free, &c);
  comm_ = MPI_COMM_NULL;
  return env.Undefined();
}

// isend(dest, tag, data): sends `data` in place. Returns 0 when the send has
// already completed, else a request id for testsome(); the buffer stays
// referenced until then.
Napi::Value Comm::Isend(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Comm c = Handle(env, "isend");
  int dest = CheckRank(info, 0, "dest", "MPI_Isend", false);
  int tag = CheckTag(info, 1, false);
  Bytes bytes = BytesArg(info, 2, "data");
  int count = CountOf(env, bytes.length, "data");
  MPI_Request req = MPI_REQUEST_NULL;
  TL_MPI(env, MPI_Isend, bytes.data, count, MPI_BYTE, dest, tag, c, &req);
  int done = 0;
  TL_MPI(env, MPI_Test, &req, &done, MPI_STATUS_IGNORE);
  if (done) return Napi::Number::New(env, 0);
  return Napi::Number::New(env, requests::Add(env, req, bytes.owner));
}

// isendv(dest, tag, parts): one message gathered from several buffers where
// they lie (an hindexed datatype over their addresses), so a header and its
// payloads go out without being concatenated first. Returns like isend; every
// part stays referenced until the send completes.
Napi::Value Comm::Isendv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Comm c = Handle(env, "isendv");
  int dest = CheckRank(info, 0, "dest", "MPI_Isend", false);
  int tag = CheckTag(info, 1, false);
  if (!info[2].IsArray()) Throw(env, ErrorKind::ArgType, "'parts' must be an array of buffers");
  Napi::Array parts = info[2].As<Napi::Array>();
  uint32_t n = parts.Length();
  if (n == 0 || n > 4096) Throw(env, ErrorKind::ArgValue, "'parts' must hold 1 to 4096 buffers, got " + std::to_string(n));
  std::vector<int> lengths(n);
  std::vector<MPI_Aint> displs(n);
  Napi::Array keep = Napi::Array::New(env, n);
  size_t total = 0;
  for (uint32_t i = 0; i < n; ++i) {
    Bytes b = BytesOf(env, parts.Get(i), "parts[" + std::to_string(i) + "]");
    total += b.length;
    CountOf(env, total, "parts");
    lengths[i] = static_cast<int>(b.length);
    TL_MPI(env, MPI_Get_address, b.data, &displs[i]);
    keep.Set(i, Napi::Value(env, b.owner));
  }
  MPI_Datatype type;
  TL_MPI(env, MPI_Type_create_hindexed, static_cast<int>(n), lengths.data(), displs.data(), MPI_BYTE, &type);
  int rc = MPI_Type_commit(&type);
  MPI_Request req = MPI_REQUEST_NULL;
  if (rc == MPI_SUCCESS) rc = MPI_Isend(MPI_BOTTOM, 1, type, dest, tag, c, &req);
  // Freeing a datatype a pending send uses is allowed: the send completes normally.
  MPI_Type_free(&type);
  if (rc != MPI_SUCCESS) ThrowMpi(env, rc, "MPI_Isend");
  int done = 0;
  TL_MPI(env, MPI_Test, &req, &done, MPI_STATUS_IGNORE);
  if (done) return Napi::Number::New(env, 0);
  return Napi::Number::New(env, requests::Add(env, req, keep));
}

namespace {
// MPI_Improbe; a match's [source, tag, bytes] go into the probe status array.
bool Probe(Napi::Env env, MPI_Comm c, int source, int tag, MPI_Message* message, MPI_Count* bytes) {
  int flag = 0;
  MPI_Status status;
  TL_MPI(env, MPI_Improbe, source, tag, c, &flag, message, &status);
  if (!flag) return false;
  TL_MPI(env, MPI_Get_elements_x, &status, MPI_BYTE, bytes);
  double* out = messages::ProbeStatus();
  out[0] = status.MPI_SOURCE;
  out[1] = status.MPI_TAG;
  out[2] = static_cast<double>(*bytes);
  return true;
}
}  // namespace

// improbe(source, tag): 0 when nothing matches, else a message id for
// mrecv(); the probe status array receives [source, tag, bytes].
Napi::Value Comm::Improbe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Comm c = Handle(env, "improbe");
  int source = CheckRank(info, 0, "source", "MPI_Improbe", true);
  int tag = CheckTag(info, 1, true);
  MPI_Message message = MPI_MESSAGE_NULL;
  MPI_Count bytes = 0;
  if (!Probe(env, c, source, tag, &message, &bytes)) return Napi::Number::New(env, 0);
  return Napi::Number::New(env, messages::Add(message, bytes));
}

// improbeInto(): improbe(ANY_SOURCE, ANY_TAG), but a message the receive
// slab takes (its tag, small enough) is received at once: -1, and
// probeStatus[3] holds where in the slab its bytes are.
Napi::Value Comm::ImprobeInto(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Comm c = Handle(env, "improbeInto");
  MPI_Message message = MPI_MESSAGE_NULL;
  MPI_Count bytes = 0;
  if (!Probe(env, c, MPI_ANY_SOURCE, MPI_ANY_TAG, &message, &bytes)) return Napi::Number::New(env, 0);
  int tag = static_cast<int>(messages::ProbeStatus()[1]);
  if (messages::ReceiveInline(env, message, tag, bytes)) return Napi::Number::New(env, -1);
  return Napi::Number::New(env, messages::Add(message, bytes));
}

Napi::Value Comm::Barrier(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TL_MPI(env, MPI_Barrier, Handle(env, "barrier"));
  return env.Undefined();
}

Napi::Value Comm::Ibarrier(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Request req = MPI_REQUEST_NULL;
  TL_MPI(env, MPI_Ibarrier, Handle(env, "ibarrier"), &req);
  return Napi::Number::New(env, requests::Add(env, req, nullptr));
}

// allreduce(values: TypedArray, op): reduces in place over all ranks.
Napi::Value Comm::Allreduce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Comm c = Handle(env, "allreduce");
  if (!info[0].IsTypedArray()) Throw(env, ErrorKind::ArgType, "'values' must be a TypedArray");
  Napi::TypedArray arr = info[0].As<Napi::TypedArray>();
  napi_typedarray_type t = arr.TypedArrayType();
  MPI_Datatype type = TypeOf(env, t);
  MPI_Op op = OpOf(env, info[1], t == napi_float32_array || t == napi_float64_array);
  Bytes bytes = BytesArg(info, 0, "values");
  CountOf(env, bytes.length, "values");
  TL_MPI(env, MPI_Allreduce, MPI_IN_PLACE, bytes.data, static_cast<int>(arr.ElementLength()), type, op, c);
  return info[0];
}

// bcast(data, root): root's bytes into everyone's `data` (same length on all ranks).
Napi::Value Comm::Bcast(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Comm c = Handle(env, "bcast");
  Bytes bytes = BytesArg(info, 0, "data");
  int root = CheckRank(info, 1, "root", "MPI_Bcast", false);
  if (root == MPI_PROC_NULL) ThrowMpiClass(env, MPI_ERR_ROOT, "MPI_Bcast", "'root' must be a rank");
  TL_MPI(env, MPI_Bcast, bytes.data, CountOf(env, bytes.length, "data"), MPI_BYTE, root, c);
  return info[0];
}

// allgather(send, recv): recv holds size x send.length bytes, in rank order.
Napi::Value Comm::Allgather(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Comm c = Handle(env, "allgather");
  Bytes send = BytesArg(info, 0, "send");
  Bytes recv = BytesArg(info, 1, "recv");
  if (recv.length != send.length * static_cast<size_t>(size_))
    Throw(env, ErrorKind::ArgValue, "'recv' must hold size x send bytes (" +
                                        std::to_string(send.length * static_cast<size_t>(size_)) + "), got " +
                                        std::to_string(recv.length));
  int count = CountOf(env, send.length, "send");
  CountOf(env, recv.length, "recv");
  TL_MPI(env, MPI_Allgather, send.data, count, MPI_BYTE, recv.data, count, MPI_BYTE, c);
  return info[1];
}

namespace {
Napi::Value World(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireActive(env, "world");
  if (world.IsEmpty()) {
    world = Napi::Persistent(Comm::New(env, MPI_COMM_WORLD, false));
    world.SuppressDestruct();
  }
  return world.Value();
}
}  // namespace

void InitWorld(Napi::Env env, Napi::Object exports) {
  exports.Set("world", Napi::Function::New(env, World, "world"));
}

}  // namespace taskloaf
