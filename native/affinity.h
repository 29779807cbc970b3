#pragma once
#include "common.h"
namespace taskloaf {
void InitAffinity(Napi::Env env, Napi::Object exports);
}
