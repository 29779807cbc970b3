// Shared memory segments: POSIX shm objects mapped into this process and
// handed to JS as external ArrayBuffers (no copy). The owner creates and
// places them on its NUMA node; peers of the same node open them by name,
// read-only (native/peer-guard.cc handles a write).
#include "segment.h"

#include "peer-guard.h"

#include <fcntl.h>
#include <numa.h>
#include <numaif.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace taskloaf {
namespace {

struct Mapping {
  void* base;
  size_t length;
  bool peer;
};

// Runs when the last JS reference to the ArrayBuffer is gone (or it was
// detached): only then is the memory unmapped, so no view outlives it.
void Unmap(napi_env, void*, void* hint) {
  Mapping* m = static_cast<Mapping*>(hint);
  if (m->peer) guard::RemovePeer(m->base);
  munmap(m->base, m->length);
  delete m;
}

std::string ShmName(const Napi::CallbackInfo& info) {
  std::string name = StringArg(info, 0, "name");
  bool ok = !name.empty() && name.size() <= 200;
  for (char c : name) ok = ok && (isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
  if (!ok)
    Throw(info.Env(), ErrorKind::ArgValue,
          "'name' must be 1-200 characters of [A-Za-z0-9._-], got '" + name.substr(0, 220) + "'");
  return "/" + name;
}

Napi::Value Wrap(Napi::Env env, void* base, size_t length, bool peer) {
  Mapping* m = new Mapping{base, length, peer};
  napi_value ab;
  napi_status st = napi_create_external_arraybuffer(env, base, length, Unmap, m, &ab);
  if (st != napi_ok) {
    if (peer) guard::RemovePeer(base);
    munmap(base, length);
    delete m;
    Throw(env, ErrorKind::State, "could not expose a shared segment as an ArrayBuffer");
  }
  return Napi::Value(env, ab);
}

// shmCreate(name, bytes, numaNode): a new segment, its pages bound to
// `numaNode` (or left to first touch when numaNode is -1).
Napi::Value Create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = ShmName(info);
  double bytesD = 0;
  if (napi_get_value_double(env, info[1], &bytesD) != napi_ok || bytesD < 1 || bytesD > 1.0 * (1ULL << 46) ||
      bytesD != static_cast<double>(static_cast<uint64_t>(bytesD)))
    Throw(env, ErrorKind::ArgValue, "'bytes' must be an integer in [1, 2^46]");
  size_t bytes = static_cast<size_t>(bytesD);
  int node = IntArg(info, 2, "numaNode", -1, 4095);
  int fd = shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0) ThrowSystem(env, "shm_open", errno, "shmCreate(" + name + ")");
  if (ftruncate(fd, static_cast<off_t>(bytes)) != 0) {
    int err = errno;
    close(fd);
    shm_unlink(name.c_str());
    ThrowSystem(env, "ftruncate", err, "shmCreate(" + name + ", " + std::to_string(bytes) + ")");
  }
  void* base = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int err = errno;
  close(fd);
  if (base == MAP_FAILED) {
    shm_unlink(name.c_str());
    ThrowSystem(env, "mmap", err, "shmCreate(" + name + ")");
  }
  if (node >= 0 && numa_available() >= 0) {
    // Before any page is touched, so every page lands on the owner's node.
    unsigned long mask[64] = {0};
    mask[node / (8 * sizeof(unsigned long))] |= 1UL << (node % (8 * sizeof(unsigned long)));
    if (mbind(base, bytes, MPOL_BIND, mask, 4096, 0) != 0) {
      err = errno;
      munmap(base, bytes);
      shm_unlink(name.c_str());
      ThrowSystem(env, "mbind", err, "shmCreate(" + name + ") on NUMA node " + std::to_string(node));
    }
  }
  guard::AddOwn(name.substr(1));
  return Wrap(env, base, bytes, false);
}

// shmOpen(name, owner): maps a segment of rank `owner` of this node,
// read-only: the owner's data never changes through a peer. Only a regular
// object of this user is mapped; anyone else's name is refused.
Napi::Value Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = ShmName(info);
  int owner = IntArg(info, 1, "owner", 0, INT32_MAX);
  int fd = shm_open(name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);
  if (fd < 0) ThrowSystem(env, "shm_open", errno, "shmOpen(" + name + ")");
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    ThrowSystem(env, "fstat", err, "shmOpen(" + name + ")");
  }
  if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || st.st_size <= 0) {
    close(fd);
    std::string why = !S_ISREG(st.st_mode)  ? "it is not a regular shared memory object"
                      : st.st_uid != geteuid() ? "it belongs to uid " + std::to_string(st.st_uid) + ", not this user (uid " +
                                                   std::to_string(geteuid()) + ")"
                                             : "it is empty";
    ThrowSystem(env, "fstat", EACCES, "shmOpen(" + name + "): " + why);
  }
  size_t bytes = static_cast<size_t>(st.st_size);
  void* base = mmap(nullptr, bytes, PROT_READ, MAP_SHARED, fd, 0);
  int err = errno;
  close(fd);
  if (base == MAP_FAILED) ThrowSystem(env, "mmap", err, "shmOpen(" + name + ")");
  guard::AddPeer(base, bytes, owner, name.substr(1));
  return Wrap(env, base, bytes, true);
}

// shmUnlink(name): removes the name (mappings stay valid). False if absent.
Napi::Value Unlink(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = ShmName(info);
  guard::RemoveOwn(name.substr(1));
  if (shm_unlink(name.c_str()) == 0) return Napi::Boolean::New(env, true);
  if (errno == ENOENT) return Napi::Boolean::New(env, false);
  ThrowSystem(env, "shm_unlink", errno, "shmUnlink(" + name + ")");
}

// pageNodes(view): the NUMA node of each page under the view (negative errno
// for pages not yet touched), from move_pages(2).
Napi::Value PageNodes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Bytes b = BytesArg(info, 0, "view");
  long page = sysconf(_SC_PAGESIZE);
  uintptr_t start = reinterpret_cast<uintptr_t>(b.data) & ~static_cast<uintptr_t>(page - 1);
  uintptr_t end = reinterpret_cast<uintptr_t>(b.data) + b.length;
  size_t count = b.length == 0 ? 0 : (end - start + page - 1) / page;
  std::vector<void*> pages(count);
  for (size_t i = 0; i < count; ++i) pages[i] = reinterpret_cast<void*>(start + i * page);
  Napi::Int32Array out = Napi::Int32Array::New(env, count);
  if (count > 0 && numa_move_pages(0, count, pages.data(), nullptr, out.Data(), 0) != 0)
    ThrowSystem(env, "move_pages", errno, "pageNodes");
  return out;
}

// addressOf(view): where the view's bytes are in this process, as a BigInt.
Napi::Value AddressOf(const Napi::CallbackInfo& info) {
  Bytes b = BytesArg(info, 0, "view");
  return Napi::BigInt::New(info.Env(), static_cast<uint64_t>(reinterpret_cast<uintptr_t>(b.data)));
}

}  // namespace

void InitSegments(Napi::Env env, Napi::Object exports) {
  exports.Set("shmCreate", Napi::Function::New(env, Create, "shmCreate"));
  exports.Set("shmOpen", Napi::Function::New(env, Open, "shmOpen"));
  exports.Set("shmUnlink", Napi::Function::New(env, Unlink, "shmUnlink"));
  exports.Set("pageNodes", Napi::Function::New(env, PageNodes, "pageNodes"));
  exports.Set("addressOf", Napi::Function::New(env, AddressOf, "addressOf"));
  guard::Init(env, exports);
}

}  // namespace taskloaf
