// Fused Adam update of one weight tensor: the new weight and both moment estimates in one pass,
// instead of about a dozen element-wise kernels (each a full pass and a fresh output) per tensor.
// That matters for large networks, whose weights are tens of megabytes. Arithmetic in double,
// each output rounded once.

#include <napi.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "native_kernels.h"

namespace {

constexpr int64_t kParallelThreshold = 1 << 15;

float *FloatArray(const Napi::Value &value, const char *name, size_t length) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(value.Env(), std::string("adam update: ") + name + " must be a Float32Array");
  }
  auto array = value.As<Napi::Float32Array>();
  if (array.ElementLength() != length) {
    throw Napi::RangeError::New(value.Env(), std::string("adam update: ") + name + " has " +
                                                 std::to_string(array.ElementLength()) + " elements, expected " +
                                                 std::to_string(length));
  }
  return array.Data();
}

// adamUpdate(w, m, v, g, wOut, mOut, vOut, beta1, beta2, epsilon, learningRate, c1, c2):
//   m′ = β₁·m + (1 − β₁)·g,  v′ = β₂·v + (1 − β₂)·g²,  w′ = w − lr·(m′/c₁)/(√(v′/c₂) + ε).
Napi::Value AdamUpdate(const Napi::CallbackInfo &info) {
  if (info.Length() != 13) throw Napi::TypeError::New(info.Env(), "adam update: expected 13 arguments");
  if (!info[0].IsTypedArray()) throw Napi::TypeError::New(info.Env(), "adam update: w must be a Float32Array");
  const size_t n = info[0].As<Napi::TypedArray>().ElementLength();
  const float *w = FloatArray(info[0], "w", n);
  const float *m = FloatArray(info[1], "m", n);
  const float *v = FloatArray(info[2], "v", n);
  const float *g = FloatArray(info[3], "g", n);
  float *wOut = FloatArray(info[4], "wOut", n);
  float *mOut = FloatArray(info[5], "mOut", n);
  float *vOut = FloatArray(info[6], "vOut", n);
  double p[6];
  for (int i = 0; i < 6; ++i) {
    if (!info[7 + i].IsNumber()) throw Napi::TypeError::New(info.Env(), "adam update: hyperparameters must be numbers");
    p[i] = info[7 + i].As<Napi::Number>().DoubleValue();
  }
  const double beta1 = p[0], beta2 = p[1], epsilon = p[2], lr = p[3], c1 = p[4], c2 = p[5];
  if (!(c1 > 0) || !(c2 > 0)) throw Napi::RangeError::New(info.Env(), "adam update: bias corrections must be > 0");
  AdviseHugePages(wOut, n * sizeof(float));
  AdviseHugePages(mOut, n * sizeof(float));
  AdviseHugePages(vOut, n * sizeof(float));
  const int64_t size = static_cast<int64_t>(n);
#pragma omp parallel for schedule(static) if (size > kParallelThreshold)
  for (int64_t i = 0; i < size; ++i) {
    const double gi = g[i];
    const double mi = beta1 * m[i] + (1 - beta1) * gi;
    const double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
    mOut[i] = static_cast<float>(mi);
    vOut[i] = static_cast<float>(vi);
    wOut[i] = static_cast<float>(w[i] - lr * (mi / c1) / (std::sqrt(vi / c2) + epsilon));
  }
  return info.Env().Undefined();
}

}  // namespace

void RegisterAdam(Napi::Env env, Napi::Object exports) {
  exports.Set("adamUpdate", Napi::Function::New(env, AdamUpdate));
}
