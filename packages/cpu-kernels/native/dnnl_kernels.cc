// oneDNN-backed 3D convolution and max-pooling kernels exposed to JavaScript through Node-API.
//
// Every tensor crosses the boundary as a Float32Array in tfjs's own layout (NDHWC activations,
// [kd, kh, kw, in, out] filters), so JavaScript never copies. Inside, oneDNN may pick blocked
// layouts (format_tag::any); data is reordered in and out when it does. Primitives and their
// scratch memories are built once per shape and cached, because building a primitive costs far
// more than running it on the small volumes of a training step.

#include <napi.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "dnnl.hpp"
#include "native_kernels.h"

using dnnl::algorithm;
using dnnl::memory;
using dnnl::prop_kind;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

namespace {

dnnl::engine &Engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream &Stream() {
  static dnnl::stream stream(Engine());
  return stream;
}

// Geometry shared by convolutions and pooling, in oneDNN's order (depth, height, width).
struct Geometry {
  memory::dims strides, dilations, padL, padR;
};

// tfjs shape [n, d, h, w, c] -> oneDNN logical dims {n, c, d, h, w}.
memory::dims ActivationDims(const int32_t *s) { return {s[0], s[4], s[1], s[2], s[3]}; }
// tfjs filter [kd, kh, kw, in, out] -> oneDNN logical dims {out, in, kd, kh, kw}.
memory::dims FilterDims(const int32_t *s) { return {s[4], s[3], s[0], s[1], s[2]}; }

// Holds data in the layout a primitive prefers and moves it from/to the caller's layout.
struct Staged {
  memory::desc user;
  memory::desc internal;
  memory buffer;  // empty when no reorder is needed
  dnnl::reorder toInternal, toUser;

  void Init(const memory::desc &userDesc, const memory::desc &internalDesc, bool input) {
    user = userDesc;
    internal = internalDesc;
    if (user != internal) {
      buffer = memory(internal, Engine());
      if (input) {
        toInternal = dnnl::reorder(dnnl::reorder::primitive_desc(Engine(), user, Engine(), internal));
      } else {
        toUser = dnnl::reorder(dnnl::reorder::primitive_desc(Engine(), internal, Engine(), user));
      }
    }
  }

  // Memory the primitive reads: the caller's buffer itself, or a reordered copy of it.
  memory In(float *data) {
    memory userMem(user, Engine(), data);
    if (!buffer) return userMem;
    toInternal.execute(Stream(), userMem, buffer);
    return buffer;
  }

  // Memory the primitive writes; Finish() moves it to the caller's buffer.
  memory Out(float *data) {
    memory userMem(user, Engine(), data);
    return buffer ? buffer : userMem;
  }

  void Finish(float *data) {
    if (!buffer) return;
    memory userMem(user, Engine(), data);
    toUser.execute(Stream(), buffer, userMem);
  }
};

struct ConvForward {
  dnnl::convolution_forward prim;
  Staged src, weights, dst;
};

struct ConvBackwardData {
  dnnl::convolution_backward_data prim;
  Staged diffDst, weights, diffSrc;
};

struct ConvBackwardWeights {
  dnnl::convolution_backward_weights prim;
  Staged src, diffDst, diffWeights;
};

struct PoolForward {
  dnnl::pooling_forward prim;
  memory::desc src, dst;
};

struct PoolBackward {
  dnnl::pooling_forward forward;
  dnnl::pooling_backward backward;
  memory::desc src, dst;
  memory workspace, scratchDst;
};

template <typename T>
using Cache = std::unordered_map<std::string, std::unique_ptr<T>>;

std::string Key(const std::vector<const int32_t *> &parts, const std::vector<size_t> &lengths) {
  std::ostringstream out;
  for (size_t i = 0; i < parts.size(); ++i) {
    for (size_t j = 0; j < lengths[i]; ++j) out << parts[i][j] << ',';
    out << ';';
  }
  return out.str();
}

// Parameters arrive as one Int32Array laid out as
// [shapeA(5), shapeB(5), shapeC(5), strides(3), dilations(3), padL(3), padR(3)]
// where A, B, C depend on the kernel; see the JavaScript side (src/native-binding.ts).
struct Params {
  const int32_t *a, *b, *c;
  Geometry g;
  std::string key;
};

Params ReadParams(const Napi::Int32Array &p) {
  if (p.ElementLength() != 27) {
    throw Napi::Error::New(p.Env(), "expected 27 integer parameters");
  }
  const int32_t *v = p.Data();
  Params out;
  out.a = v;
  out.b = v + 5;
  out.c = v + 10;
  out.g.strides = {v[15], v[16], v[17]};
  // tfjs counts dilation from 1 (no gap), oneDNN from 0.
  out.g.dilations = {v[18] - 1, v[19] - 1, v[20] - 1};
  out.g.padL = {v[21], v[22], v[23]};
  out.g.padR = {v[24], v[25], v[26]};
  out.key = Key({v}, {27});
  return out;
}

float *FloatData(const Napi::Value &value, const char *name) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(value.Env(), std::string(name) + " must be a Float32Array");
  }
  return value.As<Napi::Float32Array>().Data();
}

// An output array: as FloatData, with huge-page advice for its first touch.
float *OutputData(const Napi::Value &value, const char *name) {
  float *data = FloatData(value, name);
  AdviseHugePages(data, value.As<Napi::TypedArray>().ByteLength());
  return data;
}

// Activation layouts tried for each convolution shape. oneDNN's own choice (any) pads small
// channel counts to blocks of 16, which for the 1-8 channel layers of a small U-net wastes most
// of the work and adds reorders; its channels-last kernels often win there. Which is faster
// depends on shape and machine, so both are built and timed once per shape, on the first call.
// RPDL_CPU_KERNELS_LAYOUT=any|nxc skips the timing and forces one layout (tests use it to cover
// both); it is part of the cache key so that changing it takes effect.
std::string ForcedLayout() {
  const char *forced = std::getenv("RPDL_CPU_KERNELS_LAYOUT");
  return forced ? forced : "";
}

std::vector<tag> LayoutCandidates() {
  const std::string layout = ForcedLayout();
  const char *forced = layout.c_str();
  if (std::string(forced) == "any") return {tag::any};
  if (std::string(forced) == "nxc") return {tag::ndhwc};
  return {tag::any, tag::ndhwc};
}

// Builds one candidate per layout, runs each once to warm up and then three times, and keeps the
// one with the fastest run (the minimum is robust to other processes stealing the CPU). `run` writes the caller's output, so the result is valid afterwards.
template <typename Entry, typename Build, typename Run>
std::unique_ptr<Entry> Tuned(Build build, Run run) {
  std::unique_ptr<Entry> best;
  double bestSeconds = 0;
  std::string lastError = "no layout candidate";
  const auto candidates = LayoutCandidates();
  for (tag layout : candidates) {
    std::unique_ptr<Entry> entry;
    try {
      entry = build(layout);
    } catch (const dnnl::error &e) {
      lastError = e.what();
      continue;
    }
    if (candidates.size() > 1) {
      run(*entry);
      double seconds = 0;
      for (int i = 0; i < 3; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        run(*entry);
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        seconds = i == 0 ? s : std::min(seconds, s);
      }
      if (best && seconds >= bestSeconds) continue;
      bestSeconds = seconds;
    }
    best = std::move(entry);
  }
  if (!best) throw dnnl::error(dnnl_unimplemented, lastError.c_str());
  return best;
}

struct ConvDescs {
  memory::desc xUser, wUser, yUser, x, w, y;
  ConvDescs(const Params &p, tag layout)
      : xUser(ActivationDims(p.a), dt::f32, tag::ndhwc),
        wUser(FilterDims(p.b), dt::f32, tag::dhwio),
        yUser(ActivationDims(p.c), dt::f32, tag::ndhwc),
        x(ActivationDims(p.a), dt::f32, layout),
        w(FilterDims(p.b), dt::f32, tag::any),
        y(ActivationDims(p.c), dt::f32, layout) {}
};

dnnl::convolution_forward::primitive_desc ForwardDesc(const ConvDescs &d, const Geometry &g) {
  dnnl::convolution_forward::desc desc(prop_kind::forward_training, algorithm::convolution_direct, d.x, d.w, d.y,
                                       g.strides, g.dilations, g.padL, g.padR);
  return dnnl::convolution_forward::primitive_desc(desc, Engine());
}

void RunForward(ConvForward &c, float *x, float *w, float *y) {
  memory dst = c.dst.Out(y);
  c.prim.execute(Stream(), {{DNNL_ARG_SRC, c.src.In(x)}, {DNNL_ARG_WEIGHTS, c.weights.In(w)}, {DNNL_ARG_DST, dst}});
  c.dst.Finish(y);
  Stream().wait();
}

// conv3dForward(x, filter, y, params): params shapes = [x, filter, y].
Napi::Value Conv3dForward(const Napi::CallbackInfo &info) {
  static Cache<ConvForward> cache;
  Params p = ReadParams(info[3].As<Napi::Int32Array>());
  float *x = FloatData(info[0], "x");
  float *w = FloatData(info[1], "filter");
  float *y = OutputData(info[2], "y");
  auto &entry = cache[p.key + ForcedLayout()];
  if (!entry) {
    auto build = [&](tag layout) {
      ConvDescs d(p, layout);
      auto pd = ForwardDesc(d, p.g);
      auto e = std::make_unique<ConvForward>();
      e->prim = dnnl::convolution_forward(pd);
      e->src.Init(d.xUser, pd.src_desc(), true);
      e->weights.Init(d.wUser, pd.weights_desc(), true);
      e->dst.Init(d.yUser, pd.dst_desc(), false);
      return e;
    };
    auto tuned = Tuned<ConvForward>(build, [&](ConvForward &c) { RunForward(c, x, w, y); });
    entry = std::move(tuned);
  }
  RunForward(*entry, x, w, y);
  return info.Env().Undefined();
}

void RunBackwardData(ConvBackwardData &c, float *dy, float *w, float *dx) {
  memory diffSrc = c.diffSrc.Out(dx);
  c.prim.execute(Stream(), {{DNNL_ARG_DIFF_DST, c.diffDst.In(dy)},
                            {DNNL_ARG_WEIGHTS, c.weights.In(w)},
                            {DNNL_ARG_DIFF_SRC, diffSrc}});
  c.diffSrc.Finish(dx);
  Stream().wait();
}

// conv3dBackwardData(dy, filter, dx, params): params shapes = [dx, filter, dy].
Napi::Value Conv3dBackwardData(const Napi::CallbackInfo &info) {
  static Cache<ConvBackwardData> cache;
  Params p = ReadParams(info[3].As<Napi::Int32Array>());
  float *dy = FloatData(info[0], "dy");
  float *w = FloatData(info[1], "filter");
  float *dx = OutputData(info[2], "dx");
  auto &entry = cache[p.key + ForcedLayout()];
  if (!entry) {
    auto build = [&](tag layout) {
      ConvDescs d(p, layout);
      auto hint = ForwardDesc(d, p.g);
      dnnl::convolution_backward_data::desc desc(algorithm::convolution_direct, d.x, d.w, d.y, p.g.strides,
                                                 p.g.dilations, p.g.padL, p.g.padR);
      dnnl::convolution_backward_data::primitive_desc pd(desc, Engine(), hint);
      auto e = std::make_unique<ConvBackwardData>();
      e->prim = dnnl::convolution_backward_data(pd);
      e->diffDst.Init(d.yUser, pd.diff_dst_desc(), true);
      e->weights.Init(d.wUser, pd.weights_desc(), true);
      e->diffSrc.Init(d.xUser, pd.diff_src_desc(), false);
      return e;
    };
    auto tuned = Tuned<ConvBackwardData>(build, [&](ConvBackwardData &c) { RunBackwardData(c, dy, w, dx); });
    entry = std::move(tuned);
  }
  RunBackwardData(*entry, dy, w, dx);
  return info.Env().Undefined();
}

void RunBackwardWeights(ConvBackwardWeights &c, float *x, float *dy, float *dw) {
  memory diffWeights = c.diffWeights.Out(dw);
  c.prim.execute(Stream(), {{DNNL_ARG_SRC, c.src.In(x)},
                            {DNNL_ARG_DIFF_DST, c.diffDst.In(dy)},
                            {DNNL_ARG_DIFF_WEIGHTS, diffWeights}});
  c.diffWeights.Finish(dw);
  Stream().wait();
}

// conv3dBackwardFilter(x, dy, dw, params): params shapes = [x, filter, dy].
Napi::Value Conv3dBackwardFilter(const Napi::CallbackInfo &info) {
  static Cache<ConvBackwardWeights> cache;
  Params p = ReadParams(info[3].As<Napi::Int32Array>());
  float *x = FloatData(info[0], "x");
  float *dy = FloatData(info[1], "dy");
  float *dw = OutputData(info[2], "dw");
  auto &entry = cache[p.key + ForcedLayout()];
  if (!entry) {
    auto build = [&](tag layout) {
      ConvDescs d(p, layout);
      auto hint = ForwardDesc(d, p.g);
      dnnl::convolution_backward_weights::desc desc(algorithm::convolution_direct, d.x, d.w, d.y, p.g.strides,
                                                    p.g.dilations, p.g.padL, p.g.padR);
      dnnl::convolution_backward_weights::primitive_desc pd(desc, Engine(), hint);
      auto e = std::make_unique<ConvBackwardWeights>();
      e->prim = dnnl::convolution_backward_weights(pd);
      e->src.Init(d.xUser, pd.src_desc(), true);
      e->diffDst.Init(d.yUser, pd.diff_dst_desc(), true);
      e->diffWeights.Init(d.wUser, pd.diff_weights_desc(), false);
      return e;
    };
    auto tuned =
        Tuned<ConvBackwardWeights>(build, [&](ConvBackwardWeights &c) { RunBackwardWeights(c, x, dy, dw); });
    entry = std::move(tuned);
  }
  RunBackwardWeights(*entry, x, dy, dw);
  return info.Env().Undefined();
}

// Pooling params reuse the convolution layout: shapes = [x, kernel(3) + 2 unused, y];
// dilations are ignored (tfjs max pooling has none).
memory::dims KernelDims(const int32_t *k) { return {k[0], k[1], k[2]}; }

// maxPool3dForward(x, y, params).
Napi::Value MaxPool3dForward(const Napi::CallbackInfo &info) {
  static Cache<PoolForward> cache;
  Params p = ReadParams(info[2].As<Napi::Int32Array>());
  float *x = FloatData(info[0], "x");
  float *y = OutputData(info[1], "y");
  auto &entry = cache[p.key];
  if (!entry) {
    auto e = std::make_unique<PoolForward>();
    e->src = memory::desc(ActivationDims(p.a), dt::f32, tag::ndhwc);
    e->dst = memory::desc(ActivationDims(p.c), dt::f32, tag::ndhwc);
    dnnl::pooling_forward::desc d(prop_kind::forward_inference, algorithm::pooling_max, e->src, e->dst,
                                  p.g.strides, KernelDims(p.b), p.g.padL, p.g.padR);
    dnnl::pooling_forward::primitive_desc pd(d, Engine());
    e->prim = dnnl::pooling_forward(pd);
    entry = std::move(e);
  }
  PoolForward &c = *entry;
  c.prim.execute(Stream(), {{DNNL_ARG_SRC, memory(c.src, Engine(), x)}, {DNNL_ARG_DST, memory(c.dst, Engine(), y)}});
  Stream().wait();
  return info.Env().Undefined();
}

// maxPool3dBackward(dy, x, dx, params): params shapes = [x, kernel, dy]. The forward pass is
// repeated to record where each maximum came from (tfjs's MaxPool3DGrad receives only x and dy).
Napi::Value MaxPool3dBackward(const Napi::CallbackInfo &info) {
  static Cache<PoolBackward> cache;
  Params p = ReadParams(info[3].As<Napi::Int32Array>());
  float *dy = FloatData(info[0], "dy");
  float *x = FloatData(info[1], "x");
  float *dx = OutputData(info[2], "dx");
  auto &entry = cache[p.key];
  if (!entry) {
    auto e = std::make_unique<PoolBackward>();
    e->src = memory::desc(ActivationDims(p.a), dt::f32, tag::ndhwc);
    e->dst = memory::desc(ActivationDims(p.c), dt::f32, tag::ndhwc);
    dnnl::pooling_forward::desc fd(prop_kind::forward_training, algorithm::pooling_max, e->src, e->dst,
                                   p.g.strides, KernelDims(p.b), p.g.padL, p.g.padR);
    dnnl::pooling_forward::primitive_desc fpd(fd, Engine());
    dnnl::pooling_backward::desc bd(algorithm::pooling_max, e->src, e->dst, p.g.strides, KernelDims(p.b),
                                    p.g.padL, p.g.padR);
    dnnl::pooling_backward::primitive_desc bpd(bd, Engine(), fpd);
    e->forward = dnnl::pooling_forward(fpd);
    e->backward = dnnl::pooling_backward(bpd);
    e->workspace = memory(fpd.workspace_desc(), Engine());
    e->scratchDst = memory(e->dst, Engine());
    entry = std::move(e);
  }
  PoolBackward &c = *entry;
  c.forward.execute(Stream(), {{DNNL_ARG_SRC, memory(c.src, Engine(), x)},
                               {DNNL_ARG_DST, c.scratchDst},
                               {DNNL_ARG_WORKSPACE, c.workspace}});
  c.backward.execute(Stream(), {{DNNL_ARG_DIFF_DST, memory(c.dst, Engine(), dy)},
                                {DNNL_ARG_WORKSPACE, c.workspace},
                                {DNNL_ARG_DIFF_SRC, memory(c.src, Engine(), dx)}});
  Stream().wait();
  return info.Env().Undefined();
}

// Turns oneDNN's exceptions into JavaScript errors carrying oneDNN's message, so the caller can
// fall back to the stock kernel and say why.
template <Napi::Value (*Fn)(const Napi::CallbackInfo &)>
Napi::Value Guarded(const Napi::CallbackInfo &info) {
  try {
    return Fn(info);
  } catch (const dnnl::error &e) {
    throw Napi::Error::New(info.Env(), std::string("oneDNN: ") + e.what());
  }
}

Napi::Value Version(const Napi::CallbackInfo &info) {
  const dnnl_version_t *v = dnnl_version();
  std::ostringstream out;
  out << v->major << '.' << v->minor << '.' << v->patch;
  return Napi::String::New(info.Env(), out.str());
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("conv3dForward", Napi::Function::New(env, Guarded<Conv3dForward>));
  exports.Set("conv3dBackwardData", Napi::Function::New(env, Guarded<Conv3dBackwardData>));
  exports.Set("conv3dBackwardFilter", Napi::Function::New(env, Guarded<Conv3dBackwardFilter>));
  exports.Set("maxPool3dForward", Napi::Function::New(env, Guarded<MaxPool3dForward>));
  exports.Set("maxPool3dBackward", Napi::Function::New(env, Guarded<MaxPool3dBackward>));
  exports.Set("onednnVersion", Napi::Function::New(env, Version));
  RegisterElementwise(env, exports);
  RegisterMaxPoolGrad(env, exports);
  RegisterChannelNorm(env, exports);
  RegisterUpSampling(env, exports);
  RegisterAdam(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(rpdl_cpu_kernels, Init)
