#pragma once
#include <napi.h>

// Adds the element-wise, reduction and copy kernels to the addon's exports.
void RegisterElementwise(Napi::Env env, Napi::Object exports);
