// Where this process runs: its allowed CPUs, pinning to one, the machine's
// cores (hwloc, physical cores before hyperthreads) and NUMA nodes (libnuma).
#include "affinity.h"

#include <hwloc.h>
#include <numa.h>
#include <dirent.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>

#include <cerrno>
#include <vector>

namespace taskloaf {
namespace {

std::vector<int> AllowedCpus(Napi::Env env) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) ThrowSystem(env, "sched_getaffinity", errno, "affinity");
  std::vector<int> cpus;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &set)) cpus.push_back(c);
  return cpus;
}

Napi::Array ToArray(Napi::Env env, const std::vector<int>& v) {
  Napi::Array a = Napi::Array::New(env, v.size());
  for (size_t i = 0; i < v.size(); ++i) a.Set(static_cast<uint32_t>(i), v[i]);
  return a;
}

// allowedCpus(): the CPUs the kernel lets this process run on.
Napi::Value Allowed(const Napi::CallbackInfo& info) { return ToArray(info.Env(), AllowedCpus(info.Env())); }

// pinToCpu(cpu): restricts this process to one CPU. sched_setaffinity acts
// on one thread, so every existing thread (V8's, libuv's) is moved; threads
// started later inherit it from their creator.
Napi::Value PinToCpu(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int cpu = IntArg(info, 0, "cpu", 0, CPU_SETSIZE - 1);
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0)
    ThrowSystem(env, "sched_setaffinity", errno, "pinToCpu(" + std::to_string(cpu) + ")");
  if (DIR* dir = opendir("/proc/self/task")) {
    while (dirent* e = readdir(dir)) {
      pid_t tid = static_cast<pid_t>(atoi(e->d_name));
      // A thread may exit meanwhile; that is not an error.
      if (tid > 0) sched_setaffinity(tid, sizeof set, &set);
    }
    closedir(dir);
  }
  return env.Undefined();
}

// niceHelpers(nice): gives every thread but the calling one this nice value
// (Linux keeps one per thread). A rank bound to one core shares it with V8's
// helpers (concurrent marking, sweeping, compiling) and MPI's; at nice 0 a
// woken helper preempts the event loop for up to a scheduler slice, at 19 it
// runs when the loop waits. Returns how many threads were changed; a thread
// that exits meanwhile is skipped. Threads started later inherit their
// creator's value.
Napi::Value NiceHelpers(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int nice = IntArg(info, 0, "nice", 0, 19);
  pid_t self = gettid();
  int changed = 0;
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) ThrowSystem(env, "opendir", errno, "niceHelpers(/proc/self/task)");
  while (dirent* e = readdir(dir)) {
    pid_t tid = static_cast<pid_t>(atoi(e->d_name));
    if (tid <= 0 || tid == self) continue;
    if (setpriority(PRIO_PROCESS, static_cast<id_t>(tid), nice) == 0) changed++;
  }
  closedir(dir);
  return Napi::Number::New(env, changed);
}

// cores(): the physical cores this process may use, each as the OS indices of
// its hardware threads, in topology order (hwloc).
Napi::Value Cores(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  hwloc_topology_t topo;
  if (hwloc_topology_init(&topo) != 0) ThrowSystem(env, "hwloc_topology_init", errno, "cores");
  if (hwloc_topology_load(topo) != 0) {
    int err = errno;
    hwloc_topology_destroy(topo);
    ThrowSystem(env, "hwloc_topology_load", err, "cores");
  }
  std::vector<int> allowed = AllowedCpus(env);
  auto isAllowed = [&](int pu) {
    for (int c : allowed)
      if (c == pu) return true;
    return false;
  };
  Napi::Array result = Napi::Array::New(env);
  uint32_t n = 0;
  int ncores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
  for (int i = 0; i < ncores; ++i) {
    hwloc_obj_t core = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, static_cast<unsigned>(i));
    std::vector<int> pus;
    unsigned idx;
    hwloc_bitmap_foreach_begin(idx, core->cpuset) {
      if (isAllowed(static_cast<int>(idx))) pus.push_back(static_cast<int>(idx));
    }
    hwloc_bitmap_foreach_end();
    if (!pus.empty()) result.Set(n++, ToArray(env, pus));
  }
  hwloc_topology_destroy(topo);
  // No core objects (some VMs): every allowed CPU is its own core.
  if (n == 0)
    for (int c : allowed) result.Set(n++, ToArray(env, {c}));
  return result;
}

// numaNodeOfCpu(cpu): the NUMA node of a CPU (0 without NUMA support).
Napi::Value NumaNodeOfCpu(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int cpu = IntArg(info, 0, "cpu", 0, CPU_SETSIZE - 1);
  if (numa_available() < 0) return Napi::Number::New(env, 0);
  int node = numa_node_of_cpu(cpu);
  if (node < 0) ThrowSystem(env, "numa_node_of_cpu", errno, "numaNodeOfCpu(" + std::to_string(cpu) + ")");
  return Napi::Number::New(env, node);
}

Napi::Value NumaNodes(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), numa_available() < 0 ? 1 : numa_max_node() + 1);
}

}  // namespace

void InitAffinity(Napi::Env env, Napi::Object exports) {
  exports.Set("allowedCpus", Napi::Function::New(env, Allowed, "allowedCpus"));
  exports.Set("pinToCpu", Napi::Function::New(env, PinToCpu, "pinToCpu"));
  exports.Set("niceHelpers", Napi::Function::New(env, NiceHelpers, "niceHelpers"));
  exports.Set("cores", Napi::Function::New(env, Cores, "cores"));
  exports.Set("numaNodeOfCpu", Napi::Function::New(env, NumaNodeOfCpu, "numaNodeOfCpu"));
  exports.Set("numaNodes", Napi::Function::New(env, NumaNodes, "numaNodes"));
}

}  // namespace taskloaf
