// Max pooling and its gradient for windows that do not overlap (every stride at least the
// window), the case of U-net down-sampling. Each input voxel belongs to at most one window, so one
// pass over the windows writes the gradient without conflicts and without the forward pass
// oneDNN's backward primitive needs to rebuild its workspace. Ties go to the last maximum in
// window scan order (depth, height, width), as in the stock tfjs kernel; the forward pass, like
// the stock one, ignores NaN and gives -Infinity for a window entirely in the padding.

#include <napi.h>

#include <cstdint>
#include <limits>

#include "native_kernels.h"

namespace {

struct PoolShape {
  int64_t n, d, h, w, c, kd, kh, kw, od, oh, ow, sd, sh, sw, pd, ph, pw;
};

PoolShape ReadPoolShape(const Napi::CallbackInfo &info, size_t paramsAt, int64_t xLength, int64_t yLength) {
  auto params = info[paramsAt].As<Napi::Int32Array>();
  if (params.ElementLength() != 27) throw Napi::Error::New(info.Env(), "expected 27 integer parameters");
  const int32_t *p = params.Data();
  PoolShape s{p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[11], p[12], p[13], p[15], p[16], p[17], p[21], p[22], p[23]};
  if (s.sd < s.kd || s.sh < s.kh || s.sw < s.kw) {
    throw Napi::RangeError::New(info.Env(), "direct max pooling: windows overlap");
  }
  if (xLength != s.n * s.d * s.h * s.w * s.c || yLength != s.n * s.od * s.oh * s.ow * s.c || p[10] != s.n ||
      p[14] != s.c) {
    throw Napi::RangeError::New(info.Env(), "direct max pooling: arrays do not match the shapes");
  }
  return s;
}

void CheckFloat32(const Napi::CallbackInfo &info, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
      throw Napi::TypeError::New(info.Env(), "direct max pooling: tensors must be Float32Arrays");
    }
  }
}

int64_t Len(const Napi::Value &v) { return static_cast<int64_t>(v.As<Napi::TypedArray>().ElementLength()); }

// maxPool3dForwardDirect(x, y, params): params as for the convolutions, shapes
// [x, window (kd, kh, kw, 1, 1), y].
Napi::Value MaxPool3dForwardDirect(const Napi::CallbackInfo &info) {
  CheckFloat32(info, 2);
  const PoolShape s = ReadPoolShape(info, 2, Len(info[0]), Len(info[1]));
  const float *x = info[0].As<Napi::Float32Array>().Data();
  float *y = info[1].As<Napi::Float32Array>().Data();
  AdviseHugePages(y, info[1].As<Napi::TypedArray>().ByteLength());
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t b = 0; b < s.n; ++b) {
    for (int64_t z = 0; z < s.od; ++z) {
      for (int64_t yy = 0; yy < s.oh; ++yy) {
        for (int64_t xx = 0; xx < s.ow; ++xx) {
          float *out = y + (((b * s.od + z) * s.oh + yy) * s.ow + xx) * s.c;
          for (int64_t ch = 0; ch < s.c; ++ch) out[ch] = -std::numeric_limits<float>::infinity();
          for (int64_t i = 0; i < s.kd; ++i) {
            const int64_t iz = z * s.sd - s.pd + i;
            if (iz < 0 || iz >= s.d) continue;
            for (int64_t j = 0; j < s.kh; ++j) {
              const int64_t iy = yy * s.sh - s.ph + j;
              if (iy < 0 || iy >= s.h) continue;
              for (int64_t k = 0; k < s.kw; ++k) {
                const int64_t ix = xx * s.sw - s.pw + k;
                if (ix < 0 || ix >= s.w) continue;
                const float *in = x + (((b * s.d + iz) * s.h + iy) * s.w + ix) * s.c;
                // max without a data-dependent branch; a NaN input leaves out unchanged, as in
                // the stock kernel (NaN > out is false).
                for (int64_t ch = 0; ch < s.c; ++ch) out[ch] = in[ch] > out[ch] ? in[ch] : out[ch];
              }
            }
          }
        }
      }
    }
  }
  return info.Env().Undefined();
}

// maxPool3dGradDirect(dy, x, dx, params): params as for the convolutions, shapes
// [x, window (kd, kh, kw, 1, 1), dy]; dx must be zero-filled by the caller.
Napi::Value MaxPool3dGradDirect(const Napi::CallbackInfo &info) {
  CheckFloat32(info, 3);
  const PoolShape s = ReadPoolShape(info, 3, Len(info[1]), Len(info[0]));
  if (Len(info[2]) != Len(info[1])) throw Napi::RangeError::New(info.Env(), "direct max pooling: dx length");
  const float *dy = info[0].As<Napi::Float32Array>().Data();
  const float *x = info[1].As<Napi::Float32Array>().Data();
  float *dx = info[2].As<Napi::Float32Array>().Data();
  AdviseHugePages(dx, info[2].As<Napi::TypedArray>().ByteLength());
  const int64_t n = s.n, d = s.d, h = s.h, w = s.w, c = s.c, kd = s.kd, kh = s.kh, kw = s.kw;
  const int64_t od = s.od, oh = s.oh, ow = s.ow, sd = s.sd, sh = s.sh, sw = s.sw, pd = s.pd, ph = s.ph, pw = s.pw;
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t b = 0; b < n; ++b) {
    for (int64_t z = 0; z < od; ++z) {
      for (int64_t y = 0; y < oh; ++y) {
        for (int64_t xx = 0; xx < ow; ++xx) {
          const float *g = dy + (((b * od + z) * oh + y) * ow + xx) * c;
          for (int64_t ch = 0; ch < c; ++ch) {
            float best = -std::numeric_limits<float>::infinity();
            int64_t where = -1;
            for (int64_t i = 0; i < kd; ++i) {
              const int64_t iz = z * sd - pd + i;
              if (iz < 0 || iz >= d) continue;
              for (int64_t j = 0; j < kh; ++j) {
                const int64_t iy = y * sh - ph + j;
                if (iy < 0 || iy >= h) continue;
                for (int64_t k = 0; k < kw; ++k) {
                  const int64_t ix = xx * sw - pw + k;
                  if (ix < 0 || ix >= w) continue;
                  const int64_t at = (((b * d + iz) * h + iy) * w + ix) * c + ch;
                  // Conditional moves, not a branch: which voxel wins is random.
                  const float v = x[at];
                  const bool take = v >= best;
                  best = take ? v : best;
                  where = take ? at : where;
                }
              }
            }
            if (where >= 0) dx[where] += g[ch];
          }
        }
      }
    }
  }
  return info.Env().Undefined();
}

}  // namespace

void RegisterMaxPoolGrad(Napi::Env env, Napi::Object exports) {
  exports.Set("maxPool3dForwardDirect", Napi::Function::New(env, MaxPool3dForwardDirect));
  exports.Set("maxPool3dGradDirect", Napi::Function::New(env, MaxPool3dGradDirect));
}
