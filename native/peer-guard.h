#pragma once
#include "common.h"
namespace taskloaf {
namespace guard {
// Label layout, shared with src/arena/peer-write.ts: int32 current task
// (index + 1, 0: none), int32 where length, int32 advice length, int32 unused,
// where bytes, advice bytes, int32 suspended count per task index, uint8 name
// length per task index, the names.
constexpr size_t kMaxWhere = 120;
constexpr size_t kMaxAdvice = 256;
constexpr size_t kMaxTasks = 256;
constexpr size_t kMaxTaskName = 64;
constexpr size_t kWhereAt = 16;
constexpr size_t kAdviceAt = kWhereAt + kMaxWhere;
constexpr size_t kSuspendedAt = kAdviceAt + kMaxAdvice;
constexpr size_t kNameLengthAt = kSuspendedAt + 4 * kMaxTasks;
constexpr size_t kNamesAt = kNameLengthAt + kMaxTasks;
constexpr size_t kLabelBytes = kNamesAt + kMaxTasks * kMaxTaskName;
constexpr size_t kMaxName = 231;
// The status a rank ends with after writing into a peer's memory.
constexpr int kExitStatus = 70;
// A peer's segment mapped read-only at [base, base + length): a write there ends the job with a report.
void AddPeer(void* base, size_t length, int owner, const std::string& name);
void RemovePeer(void* base);
// A segment this rank created: its name is removed if the job ends from the handler.
void AddOwn(const std::string& name);
void RemoveOwn(const std::string& name);
void Init(Napi::Env env, Napi::Object exports);
}  // namespace guard
}  // namespace taskloaf
