// Memory-bound kernels of a training step that the stock backend runs single-threaded through
// generic index arithmetic: broadcasting arithmetic, reductions over leading or trailing axes,
// row copies (concat/split), LeakyReLU and select. Each is a flat OpenMP loop over the caller's
// arrays. Results are computed in the same precision as the stock kernels: element-wise float32
// arithmetic is exactly rounded either way, and sums accumulate in double as tfjs does.

#include <napi.h>
#ifdef _OPENMP
#include <omp.h>
#else
// Without OpenMP (e.g. Apple clang) the loops run on one thread.
inline int omp_get_max_threads() { return 1; }
inline int omp_get_thread_num() { return 0; }
#endif

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "native_kernels.h"

namespace {

// Below this many elements a parallel region costs more than it saves.
constexpr int64_t kParallelThreshold = 1 << 15;

struct Bytes {
  uint8_t *data;
  size_t length;  // in bytes
};

Bytes AnyData(const Napi::Value &value, const char *name) {
  if (!value.IsTypedArray()) throw Napi::TypeError::New(value.Env(), std::string(name) + " must be a typed array");
  auto array = value.As<Napi::TypedArray>();
  auto *base = static_cast<uint8_t *>(array.ArrayBuffer().Data());
  return {base + array.ByteOffset(), array.ByteLength()};
}

float *Floats(const Napi::Value &value, const char *name) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(value.Env(), std::string(name) + " must be a Float32Array");
  }
  return value.As<Napi::Float32Array>().Data();
}

int64_t Length(const Napi::Value &value) { return static_cast<int64_t>(value.As<Napi::TypedArray>().ElementLength()); }

int64_t Int(const Napi::CallbackInfo &info, size_t i) { return info[i].As<Napi::Number>().Int64Value(); }

// How an operand maps to an output index: the same index, the index modulo its length (a
// trailing block such as a per-channel vector), or its single element.
enum class Mode { Full = 0, Trailing = 1, Scalar = 2 };

inline int64_t At(Mode mode, int64_t i, int64_t length) {
  switch (mode) {
    case Mode::Full:
      return i;
    case Mode::Trailing:
      return i % length;
    default:
      return 0;
  }
}

enum class Op { Add = 0, Sub = 1, Mul = 2, Div = 3, SquaredDifference = 4, Greater = 5, Maximum = 6, Minimum = 7 };

template <typename Out, typename F>
void Apply(const float *a, Mode am, int64_t an, const float *b, Mode bm, int64_t bn, Out *out, int64_t n, F f) {
  if (am == Mode::Full && bm == Mode::Full) {
#pragma omp parallel for schedule(static) if (n > kParallelThreshold)
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], b[i]);
  } else if (am == Mode::Full && bm == Mode::Trailing) {
    // Rows of bn elements: no modulo in the inner loop.
    const int64_t rows = n / bn;
#pragma omp parallel for schedule(static) if (n > kParallelThreshold)
    for (int64_t r = 0; r < rows; ++r) {
      const float *ar = a + r * bn;
      Out *o = out + r * bn;
      for (int64_t j = 0; j < bn; ++j) o[j] = f(ar[j], b[j]);
    }
  } else if (am == Mode::Trailing && bm == Mode::Full) {
    const int64_t rows = n / an;
#pragma omp parallel for schedule(static) if (n > kParallelThreshold)
    for (int64_t r = 0; r < rows; ++r) {
      const float *br = b + r * an;
      Out *o = out + r * an;
      for (int64_t j = 0; j < an; ++j) o[j] = f(a[j], br[j]);
    }
  } else {
#pragma omp parallel for schedule(static) if (n > kParallelThreshold)
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[At(am, i, an)], b[At(bm, i, bn)]);
  }
}

// binary(op, a, aMode, b, bMode, out): out has the broadcast shape's size; a Trailing operand's
// length divides it.
Napi::Value Binary(const Napi::CallbackInfo &info) {
  auto op = static_cast<Op>(Int(info, 0));
  const float *a = Floats(info[1], "a");
  auto am = static_cast<Mode>(Int(info, 2));
  const float *b = Floats(info[3], "b");
  auto bm = static_cast<Mode>(Int(info, 4));
  const int64_t an = Length(info[1]), bn = Length(info[3]);
  const int64_t n = Length(info[5]);
  if ((am == Mode::Trailing && (an == 0 || n % an != 0)) || (bm == Mode::Trailing && (bn == 0 || n % bn != 0)) ||
      (am == Mode::Full && an != n) || (bm == Mode::Full && bn != n)) {
    throw Napi::RangeError::New(info.Env(), "binary: operand lengths do not fit the output");
  }
  if (op == Op::Greater) {
    if (info[5].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
      throw Napi::TypeError::New(info.Env(), "binary: a comparison writes a Uint8Array");
    }
    uint8_t *out = info[5].As<Napi::Uint8Array>().Data();
    AdviseHugePages(out, static_cast<size_t>(n));
    Apply(a, am, an, b, bm, bn, out, n, [](float x, float y) -> uint8_t { return x > y ? 1 : 0; });
    return info.Env().Undefined();
  }
  float *out = Floats(info[5], "out");
  AdviseHugePages(out, static_cast<size_t>(n) * sizeof(float));
  switch (op) {
    case Op::Add:
      Apply(a, am, an, b, bm, bn, out, n, [](float x, float y) { return x + y; });
      break;
    case Op::Sub:
      Apply(a, am, an, b, bm, bn, out, n, [](float x, float y) { return x - y; });
      break;
    case Op::Mul:
      Apply(a, am, an, b, bm, bn, out, n, [](float x, float y) { return x * y; });
      break;
    case Op::Div:
      Apply(a, am, an, b, bm, bn, out, n, [](float x, float y) { return x / y; });
      break;
    case Op::SquaredDifference:
      // tfjs squares the difference in double before rounding once; do the same.
      Apply(a, am, an, b, bm, bn, out, n, [](float x, float y) {
        double d = static_cast<double>(x) - static_cast<double>(y);
        return static_cast<float>(d * d);
      });
      break;
    case Op::Maximum:
      Apply(a, am, an, b, bm, bn, out, n, [](float x, float y) { return (x != x || y != y) ? std::nanf("") : (x > y ? x : y); });
      break;
    case Op::Minimum:
      Apply(a, am, an, b, bm, bn, out, n, [](float x, float y) { return (x != x || y != y) ? std::nanf("") : (x < y ? x : y); });
      break;
    default:
      throw Napi::RangeError::New(info.Env(), "binary: unknown operation");
  }
  return info.Env().Undefined();
}

// reduceSum(x, out, outer, mid, inner, scale): x viewed as [outer, mid, inner];
// out[o, i] = scale · Σ_m x[o, m, i], accumulated in double.
Napi::Value ReduceSum(const Napi::CallbackInfo &info) {
  const float *x = Floats(info[0], "x");
  float *out = Floats(info[1], "out");
  const int64_t outer = Int(info, 2), mid = Int(info, 3), inner = Int(info, 4);
  const double scale = info[5].As<Napi::Number>().DoubleValue();
  if (outer * mid * inner != Length(info[0]) || outer * inner != Length(info[1])) {
    throw Napi::RangeError::New(info.Env(), "reduceSum: shape does not match the arrays");
  }
  if (inner == 1) {
    // Trailing reduction: one contiguous run per output.
#pragma omp parallel for schedule(static) if (outer * mid > kParallelThreshold)
    for (int64_t o = 0; o < outer; ++o) {
      const float *row = x + o * mid;
      double s = 0;
      for (int64_t m = 0; m < mid; ++m) s += row[m];
      out[o] = static_cast<float>(s * scale);
    }
    return info.Env().Undefined();
  }
  // Leading (or middle) reduction: each thread sums a range of m into its own accumulators.
  const int threads = (outer * mid * inner > kParallelThreshold) ? omp_get_max_threads() : 1;
  std::vector<double> partial(static_cast<size_t>(threads) * outer * inner, 0.0);
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num();
    double *acc = partial.data() + static_cast<size_t>(t) * outer * inner;
    for (int64_t o = 0; o < outer; ++o) {
      double *a = acc + o * inner;
#pragma omp for schedule(static) nowait
      for (int64_t m = 0; m < mid; ++m) {
        const float *row = x + (o * mid + m) * inner;
        for (int64_t i = 0; i < inner; ++i) a[i] += row[i];
      }
    }
  }
  for (int64_t k = 0; k < outer * inner; ++k) {
    double s = 0;
    for (int t = 0; t < threads; ++t) s += partial[static_cast<size_t>(t) * outer * inner + k];
    out[k] = static_cast<float>(s * scale);
  }
  return info.Env().Undefined();
}

// copyRows(src, dst, rows, srcRowBytes, srcOffsetBytes, dstRowBytes, dstOffsetBytes, bytes):
// for every row r, copy `bytes` from src[r·srcRow + srcOffset] to dst[r·dstRow + dstOffset].
// Concatenation and splitting along any axis are this with the axis's outer size as rows.
Napi::Value CopyRows(const Napi::CallbackInfo &info) {
  Bytes src = AnyData(info[0], "src");
  Bytes dst = AnyData(info[1], "dst");
  const int64_t rows = Int(info, 2), srcRow = Int(info, 3), srcOff = Int(info, 4);
  const int64_t dstRow = Int(info, 5), dstOff = Int(info, 6), bytes = Int(info, 7);
  AdviseHugePages(dst.data, dst.length);
  if (rows > 0 && ((rows - 1) * srcRow + srcOff + bytes > static_cast<int64_t>(src.length) ||
                   (rows - 1) * dstRow + dstOff + bytes > static_cast<int64_t>(dst.length))) {
    throw Napi::RangeError::New(info.Env(), "copyRows: rows reach past the end of an array");
  }
#pragma omp parallel for schedule(static) if (rows * bytes > 4 * kParallelThreshold)
  for (int64_t r = 0; r < rows; ++r) {
    std::memcpy(dst.data + r * dstRow + dstOff, src.data + r * srcRow + srcOff, static_cast<size_t>(bytes));
  }
  return info.Env().Undefined();
}

// leakyRelu(x, out, alpha): x < 0 ? alpha·x : x, the product taken in double and rounded once as
// the stock kernel (a JavaScript double alpha times a float32) does.
Napi::Value LeakyRelu(const Napi::CallbackInfo &info) {
  const float *__restrict x = Floats(info[0], "x");
  float *__restrict out = Floats(info[1], "out");
  const double alpha = info[2].As<Napi::Number>().DoubleValue();
  const int64_t n = Length(info[0]);
  if (Length(info[1]) != n) throw Napi::RangeError::New(info.Env(), "leakyRelu: length mismatch");
  AdviseHugePages(out, static_cast<size_t>(n) * sizeof(float));
  // Activation signs are random: this must compile to a vector blend, not a branch mispredicted
  // on every other element. binding.gyp's -fno-trapping-math lets the compiler evaluate α·x for
  // every lane and select.
#pragma omp parallel for schedule(static) if (n > kParallelThreshold)
  for (int64_t i = 0; i < n; ++i) {
    const float v = x[i];
    const float scaled = static_cast<float>(static_cast<double>(v) * alpha);
    out[i] = v < 0.0f ? scaled : v;
  }
  return info.Env().Undefined();
}

enum class Unary { Square = 0, Neg = 1, Sigmoid = 2, Exp = 3, Sqrt = 4, Rsqrt = 5, Log = 6 };

template <typename F>
void Map(const float *x, float *out, int64_t n, F f) {
#pragma omp parallel for schedule(static) if (n > kParallelThreshold)
  for (int64_t i = 0; i < n; ++i) out[i] = f(x[i]);
}

// unary(op, x, out). Transcendental functions are evaluated in double and rounded once, as the
// stock kernels (JavaScript's Math in double, stored to float32) do.
Napi::Value UnaryOp(const Napi::CallbackInfo &info) {
  auto op = static_cast<Unary>(Int(info, 0));
  const float *x = Floats(info[1], "x");
  float *out = Floats(info[2], "out");
  const int64_t n = Length(info[1]);
  if (Length(info[2]) != n) throw Napi::RangeError::New(info.Env(), "unary: length mismatch");
  AdviseHugePages(out, static_cast<size_t>(n) * sizeof(float));
  switch (op) {
    case Unary::Square:
      Map(x, out, n, [](float v) { return v * v; });
      break;
    case Unary::Neg:
      Map(x, out, n, [](float v) { return -v; });
      break;
    case Unary::Sigmoid:
      Map(x, out, n, [](float v) { return static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(v)))); });
      break;
    case Unary::Exp:
      Map(x, out, n, [](float v) { return static_cast<float>(std::exp(static_cast<double>(v))); });
      break;
    case Unary::Sqrt:
      Map(x, out, n, [](float v) { return static_cast<float>(std::sqrt(static_cast<double>(v))); });
      break;
    case Unary::Rsqrt:
      Map(x, out, n, [](float v) { return static_cast<float>(1.0 / std::sqrt(static_cast<double>(v))); });
      break;
    case Unary::Log:
      Map(x, out, n, [](float v) { return static_cast<float>(std::log(static_cast<double>(v))); });
      break;
    default:
      throw Napi::RangeError::New(info.Env(), "unary: unknown operation");
  }
  return info.Env().Undefined();
}

// leakyReluGrad(dy, x, out, alpha): out[i] = x[i] > 0 ? dy[i] : α·dy[i], the gradient tfjs builds
// from greater, mul and where (three passes and a mask) in one pass. α is rounded to float32
// first, as tfjs's scalar is, so the product rounds exactly as the stock Multiply's.
Napi::Value LeakyReluGrad(const Napi::CallbackInfo &info) {
  const float *__restrict dy = Floats(info[0], "dy");
  const float *__restrict x = Floats(info[1], "x");
  float *__restrict out = Floats(info[2], "out");
  const float alpha = static_cast<float>(info[3].As<Napi::Number>().DoubleValue());
  const int64_t n = Length(info[2]);
  if (Length(info[0]) != n || Length(info[1]) != n) {
    throw Napi::RangeError::New(info.Env(), "leakyReluGrad: length mismatch");
  }
  AdviseHugePages(out, static_cast<size_t>(n) * sizeof(float));
#pragma omp parallel for schedule(static) if (n > kParallelThreshold)
  for (int64_t i = 0; i < n; ++i) {
    const float g = dy[i];
    out[i] = x[i] > 0.0f ? g : g * alpha;
  }
  return info.Env().Undefined();
}

// select(condition: Uint8Array, t, e, out): out[i] = condition[i] ? t[i] : e[i], as a bit mask
// blend (exact for every value, NaN and infinities included) so random conditions cost no
// mispredicted branches.
Napi::Value Select(const Napi::CallbackInfo &info) {
  if (info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(info.Env(), "select: condition must be a Uint8Array");
  }
  const uint8_t *__restrict c = info[0].As<Napi::Uint8Array>().Data();
  const uint32_t *__restrict t = reinterpret_cast<const uint32_t *>(Floats(info[1], "t"));
  const uint32_t *__restrict e = reinterpret_cast<const uint32_t *>(Floats(info[2], "e"));
  uint32_t *__restrict out = reinterpret_cast<uint32_t *>(Floats(info[3], "out"));
  const int64_t n = Length(info[3]);
  if (Length(info[0]) != n || Length(info[1]) != n || Length(info[2]) != n) {
    throw Napi::RangeError::New(info.Env(), "select: length mismatch");
  }
  AdviseHugePages(out, static_cast<size_t>(n) * sizeof(float));
#pragma omp parallel for schedule(static) if (n > kParallelThreshold)
  for (int64_t i = 0; i < n; ++i) {
    const uint32_t mask = 0u - static_cast<uint32_t>(c[i] != 0);
    out[i] = (t[i] & mask) | (e[i] & ~mask);
  }
  return info.Env().Undefined();
}

}  // namespace

void RegisterElementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", Napi::Function::New(env, Binary));
  exports.Set("reduceSum", Napi::Function::New(env, ReduceSum));
  exports.Set("copyRows", Napi::Function::New(env, CopyRows));
  exports.Set("leakyRelu", Napi::Function::New(env, LeakyRelu));
  exports.Set("leakyReluGrad", Napi::Function::New(env, LeakyReluGrad));
  exports.Set("select", Napi::Function::New(env, Select));
  exports.Set("unary", Napi::Function::New(env, UnaryOp));
  exports.Set("threads", Napi::Function::New(env, [](const Napi::CallbackInfo &info) {
                return Napi::Number::New(info.Env(), omp_get_max_threads());
              }));
}
