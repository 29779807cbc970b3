#pragma once
#include "common.h"
namespace taskloaf {
void InitSegments(Napi::Env env, Napi::Object exports);
}
