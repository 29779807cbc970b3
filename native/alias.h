#pragma once
#include "common.h"
namespace taskloaf {
void InitAliases(Napi::Env env, Napi::Object exports);
}
