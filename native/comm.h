#pragma once
#include "common.h"

namespace taskloaf {

// A wrapped MPI communicator: point-to-point, matched probe and collectives.
class Comm : public Napi::ObjectWrap<Comm> {
 public:
  static void Init(Napi::Env env, Napi::Object exports);
  static Napi::Object New(Napi::Env env, MPI_Comm comm, bool owned);
  explicit Comm(const Napi::CallbackInfo& info);
  ~Comm() override;

 private:
  MPI_Comm Handle(Napi::Env env, const char* what);
  int CheckRank(const Napi::CallbackInfo& info, size_t index, const char* name, const char* call, bool anySource);
  int CheckTag(const Napi::CallbackInfo& info, size_t index, bool anyTag);

  Napi::Value Rank(const Napi::CallbackInfo& info);
  Napi::Value Size(const Napi::CallbackInfo& info);
  Napi::Value SplitShared(const Napi::CallbackInfo& info);
  Napi::Value Split(const Napi::CallbackInfo& info);
  Napi::Value Dup(const Napi::CallbackInfo& info);
  Napi::Value Free(const Napi::CallbackInfo& info);
  Napi::Value Isend(const Napi::CallbackInfo& info);
  Napi::Value Isendv(const Napi::CallbackInfo& info);
  Napi::Value Improbe(const Napi::CallbackInfo& info);
  Napi::Value ImprobeInto(const Napi::CallbackInfo& info);
  Napi::Value Barrier(const Napi::CallbackInfo& info);
  Napi::Value Ibarrier(const Napi::CallbackInfo& info);
  Napi::Value Allreduce(const Napi::CallbackInfo& info);
  Napi::Value Bcast(const Napi::CallbackInfo& info);
  Napi::Value Allgather(const Napi::CallbackInfo& info);

  MPI_Comm comm_ = MPI_COMM_NULL;
  bool owned_ = false;
  int rank_ = 0;
  int size_ = 0;
  int tagUb_ = 32767;
};

void InitWorld(Napi::Env env, Napi::Object exports);

}  // namespace taskloaf
