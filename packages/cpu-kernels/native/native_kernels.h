#pragma once
#include <napi.h>

// Adds the element-wise, reduction and copy kernels to the addon's exports.
void RegisterElementwise(Napi::Env env, Napi::Object exports);

// Adds the direct (non-overlapping window) max pooling and its gradient to the addon's exports.
void RegisterMaxPoolGrad(Napi::Env env, Napi::Object exports);
