// Nearest-neighbour 3D up-sampling of channels-last [batch, D, H, W, C] volumes and its gradient,
// each in one pass. Op by op, the up-sampling is three concatenations forward and three splits
// (plus the adds of their gradients) backward, each a full pass over a growing volume.
//
// Forward: y[b, d, h, w, c] = x[b, ⌊d/s_d⌋, ⌊h/s_h⌋, ⌊w/s_w⌋, c].
// Backward: dx[b, d, h, w, c] = Σ over the s_d·s_h·s_w copies of dy, summed in double and rounded
// once, so the result does not depend on the thread count.

#include <napi.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <algorithm>
#include <vector>

#include "native_kernels.h"

namespace {

constexpr int64_t kParallelThreshold = 1 << 15;

struct Geometry {
  int64_t batch, depth, height, width, channels, sd, sh, sw;
  int64_t InputSize() const { return batch * depth * height * width * channels; }
  int64_t OutputSize() const { return InputSize() * sd * sh * sw; }
};

Geometry ReadGeometry(const Napi::CallbackInfo &info, size_t at) {
  int64_t v[8];
  for (size_t i = 0; i < 8; ++i) {
    if (!info[at + i].IsNumber()) {
      throw Napi::TypeError::New(info.Env(), "up-sampling: expected 8 integers (batch, D, H, W, C, s_d, s_h, s_w)");
    }
    v[i] = info[at + i].As<Napi::Number>().Int64Value();
    if (v[i] < 1) {
      throw Napi::RangeError::New(info.Env(), "up-sampling: sizes and factors must be positive integers");
    }
  }
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
}

float *FloatArray(const Napi::Value &value, const char *name, int64_t length) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(value.Env(), std::string("up-sampling: ") + name + " must be a Float32Array");
  }
  auto array = value.As<Napi::Float32Array>();
  if (static_cast<int64_t>(array.ElementLength()) != length) {
    throw Napi::RangeError::New(value.Env(), std::string("up-sampling: ") + name + " has " +
                                                 std::to_string(array.ElementLength()) + " elements, expected " +
                                                 std::to_string(length));
  }
  return array.Data();
}

// upSampling3dForward(x, y, batch, D, H, W, C, s_d, s_h, s_w). One output row (b, d, h) of
// W·s_w voxels is built from its source row, then copied to the s_h·s_d rows that repeat it.
Napi::Value Forward(const Napi::CallbackInfo &info) {
  const Geometry g = ReadGeometry(info, 2);
  const float *x = FloatArray(info[0], "x", g.InputSize());
  float *y = FloatArray(info[1], "y", g.OutputSize());
  AdviseHugePages(y, static_cast<size_t>(g.OutputSize()) * sizeof(float));
  const int64_t inRow = g.width * g.channels;
  const int64_t outRow = inRow * g.sw;
  const int64_t outH = g.height * g.sh;
  const int64_t outD = g.depth * g.sd;
  const int64_t sourceRows = g.batch * g.depth * g.height;
#pragma omp parallel for schedule(static) if (g.OutputSize() > kParallelThreshold)
  for (int64_t r = 0; r < sourceRows; ++r) {
    const int64_t h = r % g.height;
    const int64_t d = (r / g.height) % g.depth;
    const int64_t b = r / (g.height * g.depth);
    const float *src = x + r * inRow;
    float *first = y + ((b * outD + d * g.sd) * outH + h * g.sh) * outRow;
    float *o = first;
    for (int64_t w = 0; w < g.width; ++w) {
      const float *v = src + w * g.channels;
      for (int64_t k = 0; k < g.sw; ++k, o += g.channels) std::memcpy(o, v, g.channels * sizeof(float));
    }
    for (int64_t a = 0; a < g.sd; ++a)
      for (int64_t k = 0; k < g.sh; ++k) {
        if (a == 0 && k == 0) continue;
        std::memcpy(first + (a * outH + k) * outRow, first, outRow * sizeof(float));
      }
  }
  return info.Env().Undefined();
}

// upSampling3dBackward(dy, dx, batch, D, H, W, C, s_d, s_h, s_w): dx is the input's shape.
Napi::Value Backward(const Napi::CallbackInfo &info) {
  const Geometry g = ReadGeometry(info, 2);
  const float *dy = FloatArray(info[0], "dy", g.OutputSize());
  float *dx = FloatArray(info[1], "dx", g.InputSize());
  AdviseHugePages(dx, static_cast<size_t>(g.InputSize()) * sizeof(float));
  const int64_t inRow = g.width * g.channels;
  const int64_t outRow = inRow * g.sw;
  const int64_t outH = g.height * g.sh;
  const int64_t outD = g.depth * g.sd;
  const int64_t sourceRows = g.batch * g.depth * g.height;
#pragma omp parallel if (g.OutputSize() > kParallelThreshold)
  {
    std::vector<double> sum(static_cast<size_t>(inRow));
#pragma omp for schedule(static)
    for (int64_t r = 0; r < sourceRows; ++r) {
      const int64_t h = r % g.height;
      const int64_t d = (r / g.height) % g.depth;
      const int64_t b = r / (g.height * g.depth);
      std::fill(sum.begin(), sum.end(), 0.0);
      for (int64_t a = 0; a < g.sd; ++a)
        for (int64_t k = 0; k < g.sh; ++k) {
          const float *row = dy + ((b * outD + d * g.sd + a) * outH + h * g.sh + k) * outRow;
          for (int64_t w = 0; w < g.width; ++w) {
            double *s = sum.data() + w * g.channels;
            for (int64_t e = 0; e < g.sw; ++e) {
              const float *v = row + (w * g.sw + e) * g.channels;
              for (int64_t c = 0; c < g.channels; ++c) s[c] += v[c];
            }
          }
        }
      float *o = dx + r * inRow;
      for (int64_t i = 0; i < inRow; ++i) o[i] = static_cast<float>(sum[i]);
    }
  }
  return info.Env().Undefined();
}

}  // namespace

void RegisterUpSampling(Napi::Env env, Napi::Object exports) {
  exports.Set("upSampling3dForward", Napi::Function::New(env, Forward));
  exports.Set("upSampling3dBackward", Napi::Function::New(env, Backward));
}
