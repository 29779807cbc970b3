// Peers map the owner's segments read-only, so a JavaScript store into a value
// received from another rank of the node is a SIGSEGV, not an exception. This
// handler recognises such a fault, says which task wrote into which rank's
// memory, removes this rank's own segment names and ends the process, which
// ends the job. Any other fault goes on to the handler that was there before
// (Node's, V8's WebAssembly trap handler, a sanitizer's).
#include "peer-guard.h"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

namespace taskloaf {
namespace guard {
namespace {

enum Kind : int { kFree = 0, kPeer = 1, kOwn = 2 };

// Written on the JS thread only, read by the handler on any thread: each entry
// is filled before its kind is published, and freed by clearing the kind.
struct Entry {
  std::atomic<int> kind{kFree};
  uintptr_t base = 0;
  size_t length = 0;
  int owner = -1;
  char name[kMaxName + 1] = {0};
};

constexpr size_t kEntries = 16384;
Entry g_entries[kEntries];
std::atomic<size_t> g_used{0};  // entries at or past this index were never used

// What the handler names: where this rank is, the task whose synchronous part
// runs, and how many of each task are suspended in an await (written from JS
// through the buffer label() returns; layout in peer-guard.h).
struct Label {
  int32_t current;  // index + 1 of the task running its synchronous part; 0: none
  int32_t whereLength;
  int32_t adviceLength;
  int32_t unused;
  char where[kMaxWhere];
  char advice[kMaxAdvice];
  int32_t suspended[kMaxTasks];
  uint8_t nameLength[kMaxTasks];
  char names[kMaxTasks][kMaxTaskName];
};
Label g_label;

struct sigaction g_previous;
std::atomic<bool> g_installed{false};

void Put(char*& at, const char* end, const char* text, size_t n) {
  size_t room = static_cast<size_t>(end - at);
  if (n > room) n = room;
  memcpy(at, text, n);
  at += n;
}
void Put(char*& at, const char* end, const char* text) { Put(at, end, text, strlen(text)); }
void PutNumber(char*& at, const char* end, uint64_t v) {
  char digits[24];
  int n = 0;
  do digits[n++] = static_cast<char>('0' + v % 10), v /= 10;
  while (v);
  while (n > 0 && at < end) *at++ = digits[--n];
}

void Chain(int sig, siginfo_t* info, void* context) {
  if (g_previous.sa_flags & SA_SIGINFO) {
    if (g_previous.sa_sigaction) return g_previous.sa_sigaction(sig, info, context);
  } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
    return g_previous.sa_handler(sig);
  }
  // No handler before ours: the default action, when the access runs again.
  signal(sig, SIG_DFL);
}

void OnFault(int sig, siginfo_t* info, void* context) {
  uintptr_t at = reinterpret_cast<uintptr_t>(info->si_addr);
  const Entry* hit = nullptr;
  if (info->si_code == SEGV_ACCERR) {
    size_t used = g_used.load(std::memory_order_acquire);
    for (size_t i = 0; i < used && !hit; ++i) {
      const Entry& e = g_entries[i];
      if (e.kind.load(std::memory_order_acquire) == kPeer && at >= e.base && at < e.base + e.length) hit = &e;
    }
  }
  if (!hit) return Chain(sig, info, context);

  char text[1024];
  char* p = text;
  const char* end = text + sizeof text - 1;
  Put(p, end, "taskloaf: ");
  if (g_label.whereLength > 0) Put(p, end, g_label.where, static_cast<size_t>(g_label.whereLength));
  else Put(p, end, "a rank");
  Put(p, end, ": ");
  auto name = [&](int32_t i) {
    Put(p, end, "'");
    Put(p, end, g_label.names[i], g_label.nameLength[i]);
    Put(p, end, "'");
  };
  int32_t current = g_label.current;
  if (current > 0 && current <= static_cast<int32_t>(kMaxTasks)) {
    Put(p, end, "task ");
    name(current - 1);
  } else {
    int named = 0;
    for (size_t i = 0; i < kMaxTasks; ++i) named += g_label.suspended[i] > 0;
    if (named == 0) {
      Put(p, end, "code outside any task (main, or a callback)");
    } else {
      Put(p, end, named == 1 ? "code after an await in task " : "code after an await in one of the tasks ");
      int said = 0;
      for (size_t i = 0; i < kMaxTasks; ++i) {
        if (g_label.suspended[i] <= 0) continue;
        if (said++) Put(p, end, ", ");
        name(static_cast<int32_t>(i));
      }
      Put(p, end, " (or code outside any task)");
    }
  }
  Put(p, end, " wrote into a value that rank ");
  PutNumber(p, end, static_cast<uint64_t>(hit->owner));
  Put(p, end, " shares with this node (segment ");
  Put(p, end, hit->name);
  Put(p, end, ", byte ");
  PutNumber(p, end, at - hit->base);
  Put(p, end, "); ");
  if (g_label.adviceLength > 0) Put(p, end, g_label.advice, static_cast<size_t>(g_label.adviceLength));
  else Put(p, end, "it is read-only here; ending the process");
  Put(p, end, "\n");
  ssize_t ignored = write(2, text, static_cast<size_t>(p - text));
  (void)ignored;
  // The exit hooks cannot run from here: this rank's own names go now, so
  // nothing is left in /dev/shm even without `taskloaf run` to sweep.
  size_t used = g_used.load(std::memory_order_acquire);
  char path[kMaxName + 2];
  for (size_t i = 0; i < used; ++i) {
    const Entry& e = g_entries[i];
    if (e.kind.load(std::memory_order_acquire) != kOwn) continue;
    path[0] = '/';
    memcpy(path + 1, e.name, strlen(e.name) + 1);
    shm_unlink(path);
  }
  _exit(kExitStatus);
}

void Install() {
  if (g_installed.exchange(true)) return;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = OnFault;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, &g_previous);
}

void Add(Kind kind, uintptr_t base, size_t length, int owner, const std::string& name) {
  size_t used = g_used.load(std::memory_order_relaxed);
  size_t i = 0;
  while (i < used && g_entries[i].kind.load(std::memory_order_relaxed) != kFree) ++i;
  if (i == kEntries) return;  // beyond the table a write is still refused, only without the report
  Entry& e = g_entries[i];
  e.base = base;
  e.length = length;
  e.owner = owner;
  size_t n = name.size() < kMaxName ? name.size() : kMaxName;
  memcpy(e.name, name.data(), n);
  e.name[n] = 0;
  e.kind.store(kind, std::memory_order_release);
  if (i == used) g_used.store(used + 1, std::memory_order_release);
}

}  // namespace

void AddPeer(void* base, size_t length, int owner, const std::string& name) {
  Install();
  Add(kPeer, reinterpret_cast<uintptr_t>(base), length, owner, name);
}

void RemovePeer(void* base) {
  size_t used = g_used.load(std::memory_order_relaxed);
  for (size_t i = 0; i < used; ++i) {
    Entry& e = g_entries[i];
    if (e.kind.load(std::memory_order_relaxed) == kPeer && e.base == reinterpret_cast<uintptr_t>(base)) {
      e.kind.store(kFree, std::memory_order_release);
      return;
    }
  }
}

void AddOwn(const std::string& name) { Add(kOwn, 0, 0, -1, name); }

void RemoveOwn(const std::string& name) {
  size_t used = g_used.load(std::memory_order_relaxed);
  for (size_t i = 0; i < used; ++i) {
    Entry& e = g_entries[i];
    if (e.kind.load(std::memory_order_relaxed) == kOwn && name == e.name) {
      e.kind.store(kFree, std::memory_order_release);
      return;
    }
  }
}

namespace {
// label(): the handler's label as an ArrayBuffer over static memory, made once
// (V8 refuses two ArrayBuffers over the same bytes).
Napi::Value LabelBuffer(const Napi::CallbackInfo& info) {
  static Napi::Reference<Napi::ArrayBuffer>* made = nullptr;
  Napi::Env env = info.Env();
  if (made) return made->Value();
  napi_value ab;
  if (napi_create_external_arraybuffer(env, &g_label, sizeof g_label, nullptr, nullptr, &ab) != napi_ok)
    Throw(env, ErrorKind::State, "could not expose the peer-write label");
  made = new Napi::Reference<Napi::ArrayBuffer>(Napi::Persistent(Napi::ArrayBuffer(env, ab)));
  return made->Value();
}
}  // namespace

void Init(Napi::Env env, Napi::Object exports) {
  static_assert(offsetof(Label, where) == kWhereAt && offsetof(Label, advice) == kAdviceAt && offsetof(Label, suspended) == kSuspendedAt &&
                    offsetof(Label, nameLength) == kNameLengthAt && offsetof(Label, names) == kNamesAt &&
                    sizeof(Label) == kLabelBytes,
                "label layout");
  exports.Set("peerWriteLabel", Napi::Function::New(env, LabelBuffer, "peerWriteLabel"));
}

}  // namespace guard
}  // namespace taskloaf
